/*
 * Character devices and the /dev nodes made at boot.  Linux's numbers
 * where they exist: null (1,3), zero (1,5, which can be mapped), kmsg
 * (1,11), tty (5,0), console (5,1).  /dev/serial1 and /dev/serial2 are
 * the raw COM2 and COM3 ports (no line discipline, not ttys) that
 * tools/run-elf gives a program as stdout and stderr, so its bytes
 * arrive exactly as written.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/tty.h>
#include <anvil/serial.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>

#define DEV_MEM_MAJOR 1
#define DEV_TTYAUX_MAJOR 5
#define DEV_SERIAL_MAJOR 4
#define DEV_SERIAL_RAW_BASE 64      /* minor 64 + n: COM(n+1) */
#define KMSG_LINE 256

static ssize_t null_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	return count;
}

static loff_t null_llseek(struct file *f, loff_t offset, int whence)
{
	f->f_pos = 0;
	return 0;
}

static ssize_t zero_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	return clear_user(ubuf, count) ? -EFAULT : (ssize_t)count;
}

/*
 * mmap of /dev/zero (Linux's mmap_zero): a shared mapping becomes shared
 * anonymous memory, with an object of its own (mm/shmem.c); a private one
 * is anonymous memory as it is -- no nopage, so faults give zeroed pages --
 * that still names /dev/zero, as on Linux (/proc/<pid>/maps shows it).
 */
static int zero_mmap(struct file *f, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		return shmem_zero_setup(vma);
	return 0;
}

/* Each write is logged as one kernel message (as Linux's /dev/kmsg). */
static ssize_t kmsg_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	char line[KMSG_LINE];
	size_t n = min(count, sizeof(line) - 1);

	if (copy_from_user(line, ubuf, n))
		return -EFAULT;
	line[n] = '\0';
	printk(KERN_NOTICE "%s%s", line, n && line[n - 1] == '\n' ? "" : "\n");
	return count;
}

static ssize_t serial_raw_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	struct uart *u = f->private_data;
	char buf[256];
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, sizeof(buf));

		if (copy_from_user(buf, ubuf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		serial_write(u, buf, n);
		done += n;
	}
	return done;
}

static int serial_raw_open(struct inode *inode, struct file *f)
{
	struct uart *u = &serial_ports[MINOR(inode->i_rdev) - DEV_SERIAL_RAW_BASE];

	if (!u->present)
		return -ENXIO;
	f->private_data = u;           /* not the inode's: a node on ext2 has its i_private */
	return 0;
}

static const struct file_operations null_fops = {
	.read = null_read, .write = null_write, .llseek = null_llseek,
};
static const struct file_operations zero_fops = {
	.read = zero_read, .write = null_write, .llseek = null_llseek, .mmap = zero_mmap,
};
static const struct file_operations kmsg_fops = {
	.write = kmsg_write,
};
static const struct file_operations serial_raw_fops = {
	.write = serial_raw_write, .open = serial_raw_open,
};

static const struct {
	const char *path;
	dev_t dev;
	const struct file_operations *fops;
} devices[] = {
	{ "/dev/null", MKDEV(DEV_MEM_MAJOR, 3), &null_fops },
	{ "/dev/zero", MKDEV(DEV_MEM_MAJOR, 5), &zero_fops },
	{ "/dev/kmsg", MKDEV(DEV_MEM_MAJOR, 11), &kmsg_fops },
	{ "/dev/tty", MKDEV(DEV_TTYAUX_MAJOR, 0), &tty_current_fops },
	{ "/dev/console", MKDEV(DEV_TTYAUX_MAJOR, 1), &tty_fops },
	{ "/dev/serial1", MKDEV(DEV_SERIAL_MAJOR, DEV_SERIAL_RAW_BASE + 1), &serial_raw_fops },
	{ "/dev/serial2", MKDEV(DEV_SERIAL_MAJOR, DEV_SERIAL_RAW_BASE + 2), &serial_raw_fops },
};

const struct file_operations *chrdev_fops(dev_t rdev)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(devices); i++)
		if (devices[i].dev == rdev)
			return devices[i].fops;
	return NULL;
}

/* Make /dev and its nodes (the initramfs may already have /dev). */
void devices_init(void)
{
	int err = vfs_mkdir(root_inode(), "/dev", 0755);

	if (err && err != -EEXIST)
		printk(KERN_ERR "devices: cannot create /dev: %d\n", err);
	for (unsigned int i = 0; i < ARRAY_SIZE(devices); i++) {
		err = vfs_mknod(root_inode(), devices[i].path, S_IFCHR | 0666, devices[i].dev);
		if (err && err != -EEXIST)
			printk(KERN_ERR "devices: cannot create %s: %d\n", devices[i].path, err);
	}
}

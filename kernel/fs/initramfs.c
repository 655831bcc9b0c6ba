/*
 * Unpacking the initramfs: every Multiboot module is a "cpio -H newc"
 * archive (Linux's initramfs format; several archives may follow each
 * other in one module, and later modules add to or replace earlier
 * files).  Each entry is a 110-byte ASCII header -- "070701" and thirteen
 * 8-digit hex fields -- then the name and the data, each padded to 4
 * bytes; "TRAILER!!!" ends an archive.  Each file keeps the owner and
 * group the archive gives it.  A damaged archive stops the
 * unpacking with a message; whatever was unpacked stays.  The modules'
 * memory goes back to the page allocator afterwards -- unpacked or not:
 * with root= on a disk they are not (do_mounts.c).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/multiboot.h>
#include <abi/errno.h>

#define CPIO_MAGIC "070701"
#define CPIO_HEADER_LEN 110
#define CPIO_FIELDS 13
#define CPIO_TRAILER "TRAILER!!!"
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

static bool parse_hex8(const char *s, unsigned long *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		int d = isdigit(s[i]) ? s[i] - '0' : isxdigit(s[i]) ? tolower(s[i]) - 'a' + 10 : -1;

		if (d < 0)
			return false;
		*v = (*v << 4) | d;
	}
	return true;
}

/* Copy data into a new (or replaced) regular file at path. */
static int unpack_file(const char *path, unsigned long *f, const char *data)
{
	umode_t mode = f[F_MODE];
	size_t size = f[F_FILESIZE];
	const char *last;
	size_t len;
	int err = 0;
	struct inode *dir = path_parent(root_inode(), path, &last, &len, &err), *inode;

	if (!dir)
		return err;
	if (!S_ISDIR(dir->i_mode) || dir->i_op != &ramfs_dir_inode_operations ||
	    dir->i_op->unlink(dir, last, len) == -EISDIR) {
		iput(dir);
		return -EISDIR;
	}
	inode = ramfs_create_child(dir, last, len, mode, 0, &err);
	iput(dir);
	if (!inode)
		return err;
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		struct page *page = find_or_create_page(inode->i_mapping, off >> PAGE_SHIFT,
							GFP_KERNEL);

		if (!page) {
			iput(inode);
			return -ENOMEM;
		}
		memcpy(page_address(page), data + off, min(size - off, PAGE_SIZE));
		put_page(page);
	}
	inode->i_size = size;
	inode->i_mtime = inode->i_ctime = f[F_MTIME];
	inode->i_uid = f[F_UID];
	inode->i_gid = f[F_GID];
	iput(inode);
	return 0;
}

/*
 * A directory or device node made (or, for a directory, already there:
 * Linux's initramfs chowns and chmods it all the same) gets the
 * archive's owner, group and mode.
 */
static int set_owner(const char *path, unsigned long *f)
{
	int err = 0;
	struct inode *inode = path_lookup(root_inode(), path, 0, &err);

	if (!inode)
		return err;
	inode->i_uid = f[F_UID];
	inode->i_gid = f[F_GID];
	inode->i_mode = (inode->i_mode & S_IFMT) | (f[F_MODE] & 07777);
	iput(inode);
	return 0;
}

static int unpack_entry(const char *name, unsigned long *f, const char *data)
{
	umode_t mode = f[F_MODE];

	if (!strcmp(name, ".") || !name[0])
		return 0;
	switch (mode & S_IFMT) {
	case S_IFDIR: {
		int err = vfs_mkdir(root_inode(), name, mode & 07777);

		return err && err != -EEXIST ? err : set_owner(name, f);
	}
	case S_IFREG:
		return unpack_file(name, f, data);
	case S_IFCHR: {
		int err = vfs_mknod(root_inode(), name, mode,
				    MKDEV(f[F_RDEVMAJOR], f[F_RDEVMINOR]));

		return err ? err : set_owner(name, f);
	}
	default:
		printk(KERN_NOTICE "initramfs: %s: only files, directories and devices "
		       "are supported; skipped\n", name);
		return 0;
	}
}

/* Unpack one module; returns the number of entries, or -1 after a message. */
static int unpack_archive(const char *buf, size_t size, const char *what)
{
	size_t pos = 0;
	int entries = 0;

	while (pos < size) {
		unsigned long f[CPIO_FIELDS];
		const char *hdr = buf + pos, *name, *data;
		char path[PATH_MAX];
		size_t name_end, data_end;
		int err;

		if (!hdr[0]) {                 /* zero padding between concatenated archives */
			pos++;
			continue;
		}
		if (size - pos < CPIO_HEADER_LEN || memcmp(hdr, CPIO_MAGIC, 6))
			goto corrupt;
		for (int i = 0; i < CPIO_FIELDS; i++)
			if (!parse_hex8(hdr + 6 + 8 * i, &f[i]))
				goto corrupt;
		name = hdr + CPIO_HEADER_LEN;
		name_end = ALIGN_UP(pos + CPIO_HEADER_LEN + f[F_NAMESIZE], 4);
		if (!f[F_NAMESIZE] || f[F_NAMESIZE] > PATH_MAX - 1 || name_end > size ||
		    name[f[F_NAMESIZE] - 1])
			goto corrupt;
		data = buf + name_end;
		data_end = ALIGN_UP(name_end + f[F_FILESIZE], 4);
		if (f[F_FILESIZE] > size - name_end)
			goto corrupt;
		pos = min(data_end, size);
		if (!strcmp(name, CPIO_TRAILER))
			continue;
		path[0] = '/';
		strlcpy(path + 1, name[0] == '/' ? name + 1 : name, sizeof(path) - 1);
		err = unpack_entry(path + (strcmp(name, ".") ? 0 : 1), f, data);
		if (err)
			printk(KERN_WARNING "initramfs: %s: error %d\n", path, err);
		entries++;
	}
	return entries;
corrupt:
	printk(KERN_ERR "initramfs: %s: not a newc cpio archive at offset %zu; stopped there\n",
	       what, pos);
	return -1;
}

/* Give a module's pages (reserved at boot) to the page allocator. */
static void free_module_memory(phys_addr_t start, phys_addr_t end)
{
	unsigned long freed = 0;

	for (phys_addr_t p = PAGE_ALIGN(start); p + PAGE_SIZE <= end; p += PAGE_SIZE) {
		struct page *page = pfn_to_page(p >> PAGE_SHIFT);

		if (!pfn_valid(p >> PAGE_SHIFT) || !PageReserved(page))
			continue;
		ClearPageReserved(page);
		set_page_count(page, 1);
		__free_page(page);
		freed++;
	}
	totalram_pages += freed;
}

void populate_rootfs(void)
{
	for (int i = 0; i < boot_params.nr_modules; i++) {
		const struct boot_module *m = &boot_params.modules[i];
		int n;

		if (!pfn_valid((m->end - 1) >> PAGE_SHIFT)) {
			printk(KERN_ERR "initramfs: module %d lies outside low memory; ignored\n",
			       i);
			continue;
		}
		n = unpack_archive(__va(m->start), m->end - m->start, m->name);
		if (n >= 0)
			printk(KERN_INFO "initramfs: module %d: %d entries (%u KiB)\n", i, n,
			       (m->end - m->start) / 1024);
	}
	free_initrd_mem();
}

/* Linux's free_initrd_mem: also when the root is a disk and nothing was unpacked. */
void free_initrd_mem(void)
{
	for (int i = 0; i < boot_params.nr_modules; i++)
		free_module_memory(boot_params.modules[i].start, boot_params.modules[i].end);
}

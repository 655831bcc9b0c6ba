/*
 * A process's memory as /proc shows it: maps, one line per VMA, made as
 * it is read, and pagemap, one 64-bit word per virtual page saying where
 * the page is -- a page frame, a swap slot or nowhere -- in Linux's
 * format (abi/kernel-page-flags.h), for a student to follow pages from
 * user space.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/swap.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>
#include <abi/kernel-page-flags.h>
#include "internal.h"

#define MAPS_NAME_COLUMN 48             /* Linux pads /proc/<pid>/maps names to here (32-bit) */
#define MAPS_BUF_SIZE (2 * PAGE_SIZE)   /* holds the longest line: a name of PATH_MAX - 1 */

/*
 * The fixed-width fields of a maps line are written digit by digit, not
 * through vsnprintf: reading the maps of a process with many VMAs is
 * mostly this formatting (Linux's show_vma_header_prefix does the same
 * with seq_put_hex_ll since 4.14).
 */
#define MAPS_HEADER_MAX 49              /* "%08lx-%08lx rwxp %08lx 00:01 %lu ", at most */

static char *put_hex8(char *p, unsigned long v)
{
	for (int i = 7; i >= 0; i--, v >>= 4)
		p[i] = "0123456789abcdef"[v & 0xf];
	return p + 8;
}

static char *put_decimal(char *p, unsigned long v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

/* vma's line of maps at buf, as add() counts it: more than size if it did not fit */
static size_t show_map_vma(char *buf, size_t size, struct mm_struct *mm,
			   struct vm_area_struct *vma, char *path)
{
	struct inode *inode = vma->vm_file ? vma->vm_file->f_inode : NULL;
	const char *name = NULL;
	char *p = buf;
	size_t n;

	if (size < MAPS_HEADER_MAX)
		return size + 1;
	p = put_hex8(p, vma->vm_start);
	*p++ = '-';
	p = put_hex8(p, vma->vm_end);
	*p++ = ' ';
	*p++ = (vma->vm_flags & VM_READ) ? 'r' : '-';
	*p++ = (vma->vm_flags & VM_WRITE) ? 'w' : '-';
	*p++ = (vma->vm_flags & VM_EXEC) ? 'x' : '-';
	*p++ = (vma->vm_flags & VM_MAYSHARE) ? 's' : 'p';
	*p++ = ' ';
	p = put_hex8(p, inode ? vma->vm_pgoff << PAGE_SHIFT : 0);
	memcpy(p, inode ? " 00:01 " : " 00:00 ", 7);
	p = put_decimal(p + 7, inode ? inode->i_ino : 0);
	*p++ = ' ';                     /* Linux ends the fields with a space, name or not */
	n = p - buf;
	if (inode && inode->i_mapping->swap_backed)
		name = "/dev/zero (deleted)"; /* shared anon memory, as Linux shows it */
	else if (inode && inode_path(inode, path, PATH_MAX) >= 0)
		name = path;
	else if (!inode && vma->vm_start <= mm->start_brk && vma->vm_end >= mm->brk &&
		 mm->brk > mm->start_brk)
		name = "[heap]";
	else if (!inode && vma->vm_start <= mm->start_stack - 1 &&
		 vma->vm_end >= mm->start_stack)
		name = "[stack]";
	if (name)
		n = add(buf, size, n, "%*s%s", (int)max((long)MAPS_NAME_COLUMN - (long)n, 1L), "",
			name);
	return add(buf, size, n, "\n");
}

/*
 * maps is made as it is read, a bufferful of whole lines at a time, as
 * Linux's seq_file does: each fill starts at the VMA after the last line
 * made (find_vma of the address it ended at, Linux's m_start), so reading
 * n VMAs costs O(n log n) whatever the size of the reads -- a text made
 * whole at open needed one buffer for all of it (65,530 one-page VMAs
 * are 2.5 MB), and counting lines from the first VMA at each read would
 * cost O(n^2).  The lines made are those of the mm at the time of each
 * fill, as on Linux.  lock (seq_file's mutex) keeps two readers of one
 * open file -- a parent and child after fork -- from refilling buf under
 * each other while one sleeps in a fault on its user buffer.
 */
struct maps_private {
	struct rw_semaphore lock;   /* held, for writing, across a read */
	pid_t pid;
	unsigned long next_addr;    /* the next line is of the first VMA ending above this */
	bool eof;                   /* no VMA left */
	loff_t pos;                 /* the file offset of buf[from] */
	size_t from, len;           /* buf[from, len): made, not read yet */
	char path[PATH_MAX];
	char buf[MAPS_BUF_SIZE];
};

/* Refill buf with the lines from next_addr on, as many as fit; false at the end. */
static bool maps_fill(struct maps_private *m)
{
	struct mm_struct *mm = m->eof ? NULL : get_task_mm(find_task_by_pid(m->pid));
	struct vm_area_struct *vma;

	m->from = m->len = 0;
	if (!mm)
		return false;
	down_read(&mm->mmap_sem);
	for (vma = find_vma(mm, m->next_addr); vma; vma = vma->vm_next) {
		size_t n = show_map_vma(m->buf + m->len, MAPS_BUF_SIZE - m->len, mm, vma, m->path);

		if (n >= MAPS_BUF_SIZE - m->len)
			break;                  /* it goes first in the next fill */
		m->len += n;
		m->next_addr = vma->vm_end;
	}
	m->eof = !vma;
	up_read(&mm->mmap_sem);
	mmput(mm);
	return m->len > 0;
}

static int maps_open(struct inode *inode, struct file *f)
{
	struct maps_private *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	init_rwsem(&m->lock, "maps");
	m->pid = PROC_I(inode)->pid;
	f->private_data = m;
	return 0;
}

/*
 * From *pos: a read that goes on where the last one stopped takes the
 * lines made already, then makes more; one that goes back (a seek)
 * starts over from the first VMA, as seq_file's traverse does.
 */
static ssize_t maps_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct maps_private *m = f->private_data;
	size_t done = 0;
	bool faulted = false;

	down_write(&m->lock);
	if (*pos < m->pos) {
		m->next_addr = 0;
		m->eof = false;
		m->pos = 0;
		m->from = m->len = 0;
	}
	while (done < count) {
		size_t n;

		if (m->from == m->len && !maps_fill(m))
			break;
		n = m->len - m->from;
		if (m->pos < *pos) {            /* skipping up to *pos */
			n = min(n, (size_t)(*pos - m->pos));
		} else {
			size_t left;

			n = min(n, count - done);
			left = copy_to_user(ubuf + done, m->buf + m->from, n);
			n -= left;              /* the bytes before a fault count, as Linux's */
			done += n;
			faulted = left != 0;
		}
		m->from += n;
		m->pos += n;
		if (faulted)
			break;
	}
	*pos += done;
	up_write(&m->lock);
	return done || !faulted ? (ssize_t)done : -EFAULT;
}

static void maps_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
}

const struct file_operations proc_maps_operations = {
	.open = maps_open,
	.read = maps_read,
	.write = proc_no_write,
	.llseek = generic_file_llseek,
	.release = maps_release,
};

/*
 * The pagemap word of the page at addr (Linux's pte_to_pagemap_entry).
 * A present page gives its frame -- only to a reader with CAP_SYS_ADMIN
 * (show_pfn; others see 0 there, as since Linux 4.2) --, a swapped one
 * its swap type and offset.  FILE and
 * MMAP_EXCLUSIVE describe the page itself, so the zero page, which
 * Linux's vm_normal_page does not count as one, has neither.
 */
static u64 pagemap_entry(struct mm_struct *mm, unsigned long addr, bool show_pfn)
{
	pte_t *ptep = lookup_pte(mm, addr);
	pte_t pte = ptep ? *ptep : __pte(0);
	struct page *page = NULL;
	u64 frame = 0, flags = 0;

	if (pte_present(pte)) {
		flags |= PM_PRESENT;
		if (pfn_valid(pte_pfn(pte)) && pfn_to_page(pte_pfn(pte)) != ZERO_PAGE(addr))
			page = pfn_to_page(pte_pfn(pte));
		if (show_pfn)
			frame = pte_pfn(pte);
	} else if (!pte_none(pte)) {
		swp_entry_t entry = pte_to_swp_entry(pte);

		frame = swp_type(entry) | ((u64)swp_offset(entry) << PM_SWAP_TYPE_BITS);
		flags |= PM_SWAP;
	}
	if (page && !PageAnon(page))
		flags |= PM_FILE;
	if (page && page_mapcount(page) == 1)
		flags |= PM_MMAP_EXCLUSIVE;
	return (frame & PM_PFRAME_MASK) | flags;
}

/* What a read of pagemap walks, and whether its opener may see frames (Linux's pagemapread). */
struct pagemapread {
	struct mm_struct *mm;
	bool show_pfn;
};

static void pagemap_fill(void *arg, u64 *words, unsigned long first, size_t nr)
{
	struct pagemapread *pm = arg;

	down_read(&pm->mm->mmap_sem);
	for (size_t i = 0; i < nr; i++)
		words[i] = pagemap_entry(pm->mm, (first + i) << PAGE_SHIFT, pm->show_pfn);
	up_read(&pm->mm->mmap_sem);
}

/*
 * Whether frames show is the opener's capability, decided now (Linux
 * reads it from the file's credentials): a descriptor handed to, or kept
 * by, a process that dropped its privileges still shows them, and one
 * opened without them never does.
 */
static int pagemap_open(struct inode *inode, struct file *f)
{
	f->private_data = capable(CAP_SYS_ADMIN) ? f : NULL;   /* non-NULL: show_pfn */
	return 0;
}

/* The word of virtual page n is at offset n * 8, up to TASK_SIZE; none without an mm. */
static ssize_t pagemap_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct pagemapread pm = {
		.mm = get_task_mm(find_task_by_pid(PROC_I(f->f_inode)->pid)),
		.show_pfn = f->private_data != NULL,
	};
	ssize_t ret;

	if (!pm.mm)
		return 0;
	ret = proc_read_words(ubuf, count, pos, TASK_SIZE >> PAGE_SHIFT, pagemap_fill, &pm);
	mmput(pm.mm);
	return ret;
}

const struct file_operations proc_pagemap_operations = {
	.open = pagemap_open,
	.read = pagemap_read,
	.write = proc_no_write,
	.llseek = generic_file_llseek,
};

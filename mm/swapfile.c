/*
 * Swap areas: the disks pages go to.  An area is a block device in the
 * format Linux's mkswap writes (page 0 is the header: "SWAPSPACE2" in
 * its last 10 bytes, version, last_page and the bad-page list at byte
 * 1024); every other page is a slot.  swap_map[] holds one count per
 * slot -- the swap cache's reference plus one per PTE holding the entry
 * -- and slots are handed out in clusters so that reclaim writes runs of
 * consecutive sectors.  swapon validates the header and refuses anything
 * odd with a message; swapoff (mm/swapoff.c) brings every page back.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/blkdev.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/mmzone.h>
#include <anvil/cmdline.h>
#include <abi/errno.h>
#include "internal.h"

#define SWAP_MAGIC "SWAPSPACE2"
#define SWAP_MAGIC_LEN 10
#define SWAP_HEADER_VERSION 1
/* version, last_page, nr_badpages, uuid, label, pad, badpages */
#define SWAP_HEADER_INFO_OFFSET 1024
/* the bad-page list ends where the magic at the end of the page begins */
#define MAX_SWAP_BADPAGES \
	((PAGE_SIZE - SWAP_HEADER_INFO_OFFSET - 512 - SWAP_MAGIC_LEN) / sizeof(u32))
#define SWAP_FLAG_PREFER 0x8000        /* swapon(2) flags: a priority is given */
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define KB_PER_PAGE (PAGE_SIZE / 1024)

struct swap_header_info {              /* at byte 1024 of page 0, as mkswap writes it */
	u32 version;
	u32 last_page;
	u32 nr_badpages;
	u8 uuid[16];
	char volume_name[16];
	u32 padding[117];
	u32 badpages[];
};

struct swap_info_struct swap_info[MAX_SWAPFILES];
DEFINE_SPINLOCK(swap_lock);           /* the swap_maps; taken with interrupts off */
static int least_priority;

struct swap_info_struct *swap_info_get(swp_entry_t entry)
{
	unsigned int type = swp_type(entry);
	struct swap_info_struct *si;

	if (type >= MAX_SWAPFILES)
		return NULL;
	si = &swap_info[type];
	if (!(si->flags & SWP_USED) || !swp_offset(entry) || swp_offset(entry) >= si->max)
		return NULL;
	return si;
}

bool swap_entry_valid(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	return si && (si->swap_map[swp_offset(entry)] & SWAP_MAP_COUNT);
}

bool swap_entry_writeok(struct page *page)
{
	swp_entry_t entry = { page->private };
	struct swap_info_struct *si = swap_info_get(entry);

	return si && (si->flags & SWP_WRITEOK);
}

/* A swap entry in a PTE that names no used slot: the kernel lost track. */
static struct swap_info_struct *swap_info_get_checked(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	if (!si || !(si->swap_map[swp_offset(entry)] & SWAP_MAP_COUNT))
		panic("bad swap entry %#lx (type %u offset %lu)", entry.val, swp_type(entry),
		      swp_offset(entry));
	return si;
}

/* ---- allocating slots --------------------------------------------------- */

/*
 * A free slot of si: the next one of the current cluster, else the start
 * of a free run of SWAPFILE_CLUSTER slots, else any free slot.  0 if full.
 */
static unsigned long scan_swap_map(struct swap_info_struct *si)
{
	unsigned long offset, last_in_cluster;

	if (si->cluster_nr) {
		while (si->cluster_next <= si->highest_bit) {
			offset = si->cluster_next++;
			if (!si->swap_map[offset]) {
				si->cluster_nr--;
				return offset;
			}
		}
	}
	si->cluster_nr = SWAPFILE_CLUSTER;
	offset = si->lowest_bit;
	for (last_in_cluster = offset + SWAPFILE_CLUSTER - 1; last_in_cluster <= si->highest_bit;
	     offset++) {
		if (si->swap_map[offset]) {
			last_in_cluster = offset + SWAPFILE_CLUSTER;
		} else if (offset == last_in_cluster) {
			offset -= SWAPFILE_CLUSTER - 1;
			si->cluster_next = offset + 1;
			si->cluster_nr--;
			return offset;
		}
	}
	for (offset = si->lowest_bit; offset <= si->highest_bit; offset++) {
		if (!si->swap_map[offset]) {
			si->cluster_next = offset + 1;
			si->cluster_nr--;
			return offset;
		}
	}
	return 0;
}

/* A new entry whose slot count is 1 (the swap cache's reference); {0} if none. */
swp_entry_t get_swap_page(void)
{
	struct swap_info_struct *best = NULL;
	swp_entry_t entry = { 0 };
	unsigned long offset, flags;

	spin_lock_irqsave(&swap_lock, flags);
	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = &swap_info[type];

		if ((si->flags & SWP_WRITEOK) && si->inuse_pages < si->pages &&
		    (!best || si->prio > best->prio))
			best = si;
	}
	if (best && (offset = scan_swap_map(best))) {
		best->swap_map[offset] = 1;
		best->inuse_pages++;
		if (offset == best->lowest_bit)
			best->lowest_bit++;
		if (offset == best->highest_bit)
			best->highest_bit--;
		entry = swp_entry(best - swap_info, offset);
	}
	spin_unlock_irqrestore(&swap_lock, flags);
	return entry;
}

static bool swap_slot_in_use(const struct swap_info_struct *si, unsigned long offset)
{
	return (si->swap_map[offset] & SWAP_MAP_COUNT) && !(si->swap_map[offset] & SWAP_MAP_BAD);
}

/*
 * The slots swap-in reads with entry's (Linux 2.6's valid_swaphandles):
 * the run of used slots around it within its aligned block of
 * 2^page_cluster (never the header).  Returns how many, the first in
 * *offset; 0 if entry's own slot is free.
 */
unsigned long valid_swaphandles(swp_entry_t entry, unsigned long *offset)
{
	struct swap_info_struct *si = swap_info_get(entry);
	unsigned long target = swp_offset(entry), base, end, lo, hi, flags;

	*offset = target;                       /* no run at all: an empty one there */
	if (!si)
		return 0;
	base = target >> page_cluster << page_cluster;
	end = min(base + (1UL << page_cluster), si->max);
	base = max(base, 1UL);
	spin_lock_irqsave(&swap_lock, flags);
	if (!swap_slot_in_use(si, target)) {
		spin_unlock_irqrestore(&swap_lock, flags);
		return 0;
	}
	for (hi = target + 1; hi < end && swap_slot_in_use(si, hi); hi++)
		;
	for (lo = target; lo > base && swap_slot_in_use(si, lo - 1); lo--)
		;
	spin_unlock_irqrestore(&swap_lock, flags);
	*offset = lo;
	return hi - lo;
}

/* Drop one reference; returns the count left.  A slot reaching 0 is free (or retired). */
static int swap_entry_free(struct swap_info_struct *si, unsigned long offset)
{
	unsigned short *map = &si->swap_map[offset];
	int count = (*map & SWAP_MAP_COUNT) - 1;

	BUG_ON(count < 0);
	*map = (*map & ~SWAP_MAP_COUNT) | count;
	if (count)
		return count;
	si->inuse_pages--;
	if (*map & SWAP_MAP_ERROR) {
		*map = SWAP_MAP_BAD;           /* a write failed here: never again */
		si->pages--;
		printk(KERN_WARNING "swap: %s slot %lu retired after a write error\n",
		       si->name, offset);
		return 0;
	}
	*map = 0;
	if (offset < si->lowest_bit)
		si->lowest_bit = offset;
	if (offset > si->highest_bit)
		si->highest_bit = offset;
	return 0;
}

void swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get_checked(entry);
	unsigned long flags;

	spin_lock_irqsave(&swap_lock, flags);
	swap_entry_free(si, swp_offset(entry));
	spin_unlock_irqrestore(&swap_lock, flags);
}

/*
 * One more reference to entry (fork and try_to_unmap, for a PTE; the
 * swap cache, for swap-in).  0 if the slot was freed meanwhile -- only
 * swap-in can see that, having slept in the allocator since it looked.
 */
int swap_duplicate(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);
	unsigned long flags;
	unsigned short *map;
	int ok = 0;

	BUG_ON(!si);
	map = &si->swap_map[swp_offset(entry)];
	spin_lock_irqsave(&swap_lock, flags);
	if (*map & SWAP_MAP_COUNT) {
		BUG_ON((*map & SWAP_MAP_COUNT) == SWAP_MAP_COUNT);
		(*map)++;
		ok = 1;
	}
	spin_unlock_irqrestore(&swap_lock, flags);
	return ok;
}

/* Did a write to this page's slot fail (the slot is to be retired)? */
bool swap_entry_failed(struct page *page)
{
	swp_entry_t entry = { page->private };
	struct swap_info_struct *si = swap_info_get(entry);

	return si && (si->swap_map[swp_offset(entry)] & SWAP_MAP_ERROR);
}

/*
 * The write of entry's slot failed: the page stays in memory, the slot
 * retires when free.  Called from the disk interrupt (end_swap_bio_write),
 * which is why every holder of swap_lock keeps interrupts off.
 */
void swap_mark_write_error(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get_checked(entry);
	unsigned long flags;

	spin_lock_irqsave(&swap_lock, flags);
	si->swap_map[swp_offset(entry)] |= SWAP_MAP_ERROR;
	spin_unlock_irqrestore(&swap_lock, flags);
}

/* References to entry's slot: the swap PTEs holding it, and the swap cache's. */
int swap_entry_count(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	return si ? si->swap_map[swp_offset(entry)] & SWAP_MAP_COUNT : 0;
}

int page_swapcount(struct page *page)
{
	swp_entry_t entry = { page->private };

	BUG_ON(!PageSwapCache(page));
	return swap_entry_count(entry) - 1;        /* minus the swap cache's own reference */
}

/* May a write fault reuse this anonymous page in place?  Only if nothing else uses it. */
bool can_share_swap_page(struct page *page)
{
	int count;

	if (!PageAnon(page))
		return false;
	count = page_mapcount(page);
	if (count <= 1 && PageSwapCache(page))
		count += page_swapcount(page);
	return count == 1;
}

/*
 * If the page's slot is referenced only by the swap cache and the page
 * only by its caller and the cache, the slot copy is useless: free both
 * the slot and the cache entry.  The caller holds the page lock.
 */
int remove_exclusive_swap_page(struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page) || page_count(page) != 2 ||
	    page_swapcount(page) != 0)
		return 0;
	delete_from_swap_cache(page);
	return 1;
}

/*
 * The page stays in memory for good (a locked VMA maps it): if no swap
 * PTE refers to its slot, the copy there will never be read -- free the
 * slot, and mark the page dirty, since memory now holds its only copy.
 * The caller holds the page lock.
 */
int try_to_free_swap(struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page) || page_swapcount(page) != 0)
		return 0;
	delete_from_swap_cache(page);
	SetPageDirty(page);
	return 1;
}

/*
 * A PTE holding entry is going away (munmap, exit): drop its reference,
 * and if only the swap cache is left, drop the cached page too.
 */
void free_swap_and_cache(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get_checked(entry);
	unsigned long flags;
	struct page *page;
	int left;

	spin_lock_irqsave(&swap_lock, flags);
	left = swap_entry_free(si, swp_offset(entry));
	spin_unlock_irqrestore(&swap_lock, flags);
	if (left != 1)
		return;
	page = lookup_swap_cache(entry);
	if (!page)
		return;
	if (!TestSetPageLocked(page)) {
		if (!page_mapped(page))
			remove_exclusive_swap_page(page);
		unlock_page(page);
	}
	put_page(page);
}

bool vm_swap_full(void)
{
	struct swap_totals t = swap_totals();

	return t.total && (t.total - t.free) * 2 > t.total;
}

/*
 * Plug every swap area's queue for a batch of reclaim (mm/vmscan.c):
 * the batch writes runs of consecutive slots, which reach the disk
 * merged into a few requests instead of the first page alone and the
 * rest behind it -- deterministically, not as fast as the disk happens
 * to complete the first.  plug remembers which disks, for swap_unplug.
 */
void swap_plug(struct swap_plug *plug)
{
	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = &swap_info[type];

		plug->bdev[type] = (si->flags & SWP_WRITEOK) ? si->bdev : NULL;
		if (plug->bdev[type])
			blk_plug(plug->bdev[type]);
	}
}

void swap_unplug(struct swap_plug *plug)
{
	for (int type = 0; type < MAX_SWAPFILES; type++)
		if (plug->bdev[type])
			blk_unplug(plug->bdev[type]);
}

/* ---- totals and /proc/swaps ------------------------------------------------ */

struct swap_totals swap_totals(void)
{
	struct swap_totals t = { 0, 0 };

	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = &swap_info[type];

		if (si->flags & SWP_WRITEOK) {
			t.total += si->pages;
			t.free += si->pages - si->inuse_pages;
		}
	}
	return t;
}

size_t swaps_format(char *buf, size_t size)
{
	size_t n = snprintf(buf, size, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");

	for (int type = 0; type < MAX_SWAPFILES && n < size; type++) {
		struct swap_info_struct *si = &swap_info[type];

		if (!(si->flags & SWP_USED))
			continue;
		n += snprintf(buf + n, size - n, "%-40s%s\t%lu\t\t%lu\t\t%d\n",
			      si->name, "partition", si->pages * KB_PER_PAGE,
			      si->inuse_pages * KB_PER_PAGE, si->prio);
	}
	return n < size ? n : size;
}

/* ---- swapon --------------------------------------------------------------- */

/*
 * Check a header page as mkswap writes it.  Returns the number of slots
 * (last_page + 1) or a negative error after saying what is wrong.
 */
static long check_swap_header(const char *name, const u8 *page, unsigned long disk_pages)
{
	const struct swap_header_info *info = (const void *)(page + SWAP_HEADER_INFO_OFFSET);

	if (memcmp(page + PAGE_SIZE - SWAP_MAGIC_LEN, SWAP_MAGIC, SWAP_MAGIC_LEN)) {
		printk(KERN_ERR "swapon: %s: no \"" SWAP_MAGIC "\" signature: not a swap area "
		       "(run mkswap)\n", name);
		return -EINVAL;
	}
	if (info->version != SWAP_HEADER_VERSION) {
		printk(KERN_ERR "swapon: %s: swap header version %u, only version 1 is known\n",
		       name, info->version);
		return -EINVAL;
	}
	if (info->last_page < 1 || info->last_page >= disk_pages) {
		printk(KERN_ERR "swapon: %s: header says %u pages but the disk has %lu\n", name,
		       info->last_page + 1, disk_pages);
		return -EINVAL;
	}
	if (info->nr_badpages > MAX_SWAP_BADPAGES) {
		printk(KERN_ERR "swapon: %s: %u bad pages listed, at most %lu fit the header\n",
		       name, info->nr_badpages, (unsigned long)MAX_SWAP_BADPAGES);
		return -EINVAL;
	}
	for (u32 i = 0; i < info->nr_badpages; i++) {
		if (!info->badpages[i] || info->badpages[i] > info->last_page) {
			printk(KERN_ERR "swapon: %s: bad-page entry %u (page %u) is out of range\n",
			       name, i, info->badpages[i]);
			return -EINVAL;
		}
	}
	return (long)info->last_page + 1;
}

int swapon_device(struct block_device *bdev, int prio)
{
	unsigned long disk_pages = bdev->nr_sectors / SECTORS_PER_PAGE;
	struct swap_info_struct *si = NULL;
	const struct swap_header_info *info;
	unsigned int order = 0;
	u8 *header;
	long slots;
	int type, err;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		if (swap_info[type].flags && swap_info[type].bdev == bdev)
			return -EBUSY;
		if (!si && !swap_info[type].flags)
			si = &swap_info[type];
	}
	if (!si)
		return -EPERM;
	header = (u8 *)__get_free_page(GFP_KERNEL);
	if (!header)
		return -ENOMEM;
	err = block_rw_sync(bdev, 0, header, SECTORS_PER_PAGE, false);
	if (err) {
		printk(KERN_ERR "swapon: /dev/%s: cannot read the header (%d)\n", bdev->name, err);
		goto out;
	}
	slots = check_swap_header(bdev->name, header, disk_pages);
	if (slots < 0) {
		err = slots;
		goto out;
	}
	while ((PAGE_SIZE << order) < slots * sizeof(unsigned short))
		order++;
	err = -ENOMEM;
	if (order >= MAX_ORDER)
		goto out;
	si->swap_map = (unsigned short *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!si->swap_map)
		goto out;
	info = (const void *)(header + SWAP_HEADER_INFO_OFFSET);
	si->swap_map_order = order;
	si->swap_map[0] = SWAP_MAP_BAD;                 /* the header */
	for (u32 i = 0; i < info->nr_badpages; i++)
		si->swap_map[info->badpages[i]] = SWAP_MAP_BAD;
	si->max = slots;
	si->pages = slots - 1 - info->nr_badpages;
	si->inuse_pages = 0;
	si->lowest_bit = 1;
	si->highest_bit = slots - 1;
	si->cluster_next = 1;
	si->cluster_nr = 0;
	si->bdev = bdev;
	si->prio = prio >= 0 ? prio : --least_priority;
	snprintf(si->name, sizeof(si->name), "/dev/%s", bdev->name);
	si->flags = SWP_USED | SWP_WRITEOK;
	printk(KERN_INFO "Adding %luk swap on %s.  Priority:%d extents:1 across:%luk\n",
	       si->pages * KB_PER_PAGE, si->name, si->prio, slots * KB_PER_PAGE);
	err = 0;
out:
	free_page((unsigned long)header);
	return err;
}

/* The block device a user path names, or an error (swapon and swapoff). */
struct block_device *swap_bdev_from_user(const char *upath, int *err)
{
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, err);
	struct block_device *bdev = NULL;

	if (!inode)
		return NULL;
	if (!S_ISBLK(inode->i_mode))
		*err = -EINVAL;                    /* anvil swaps to disks, not to files */
	else if (!(bdev = lookup_block_device(inode->i_rdev)))
		*err = -ENODEV;
	iput(inode);
	return bdev;
}

long sys_swapon(const char *upath, int flags)
{
	int err;
	struct block_device *bdev;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	bdev = swap_bdev_from_user(upath, &err);
	if (!bdev)
		return err;
	return swapon_device(bdev, (flags & SWAP_FLAG_PREFER) ? (flags & SWAP_FLAG_PRIO_MASK) : -1);
}

/* swap=hdb on the command line: activate that disk at boot. */
void swapfile_init(void)
{
	const char *name = kernel_param("swap");
	struct block_device *bdev;
	int err;

	if (!name || !*name)
		return;
	if (!strncmp(name, "/dev/", 5))
		name += 5;
	bdev = block_device_by_name(name);
	if (!bdev) {
		printk(KERN_ERR "swap: swap=%s: no such disk\n", name);
		return;
	}
	err = swapon_device(bdev, -1);
	if (err)
		printk(KERN_ERR "swap: swap=%s: not activated (%d); running without swap\n",
		       name, err);
}

/* ---- rmap_verify's swap half ---------------------------------------------- */

static u16 *pte_refs[MAX_SWAPFILES];
static unsigned int pte_refs_order[MAX_SWAPFILES];

void swap_verify_begin(void)
{
	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = &swap_info[type];

		pte_refs[type] = NULL;
		if (!(si->flags & SWP_USED))
			continue;
		pte_refs_order[type] = si->swap_map_order;
		pte_refs[type] = (u16 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
							 si->swap_map_order);
	}
}

/* One swap PTE seen by the walk. */
void swap_verify_pte(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	if (!si) {
		printk(KERN_ERR "rmap_verify: swap PTE %#lx names no swap slot\n", entry.val);
		return;
	}
	if (pte_refs[swp_type(entry)])
		pte_refs[swp_type(entry)][swp_offset(entry)]++;
}

/*
 * Every slot's count must be its swap PTEs (and shmem swap map entries,
 * counted here) plus one if the swap cache holds it.
 */
int swap_verify_end(void)
{
	int errors = 0;

	shmem_swap_verify();

	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = &swap_info[type];

		if (!pte_refs[type])
			continue;
		for (unsigned long off = 1; off < si->max; off++) {
			swp_entry_t entry = swp_entry(type, off);
			struct page *page = lookup_swap_cache(entry);
			int want = pte_refs[type][off] + (page ? 1 : 0);
			int have = si->swap_map[off] & SWAP_MAP_COUNT;

			if (page)
				put_page(page);
			if ((si->swap_map[off] & SWAP_MAP_BAD) && !have && !want)
				continue;
			if (have != want) {
				printk(KERN_ERR "rmap_verify: swap slot %d:%lu count %d, "
				       "but %u PTEs/shmem%s\n",
				       type, off, have, pte_refs[type][off],
				       page ? " + the swap cache" : "");
				errors++;
			}
		}
		free_pages((unsigned long)pte_refs[type], pte_refs_order[type]);
		pte_refs[type] = NULL;
	}
	return errors;
}

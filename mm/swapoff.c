/*
 * swapoff(2): empty a swap area by bringing every page back into memory
 * (try_to_unuse) -- a walk over every mm on mmlist and every swap PTE in
 * it, reading each page through the swap cache and mapping it again, and
 * over shmem's swap maps (shmem_unuse, mm/shmem_swap.c).
 * mm/swapfile.c owns the areas themselves; this file only drains one.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/writeback.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/mmzone.h>
#include <abi/errno.h>
#include "internal.h"
/* Put page back in place of the swap PTE at address (page locked, in the swap cache). */
static void unuse_pte(struct vm_area_struct *vma, pte_t *pte, unsigned long address,
		      swp_entry_t entry, struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;

	get_page(page);
	set_pte(pte, pfn_pte(page_to_pfn(page), vma->vm_page_prot));
	page_add_anon_rmap(page, vma, address);
	mm->anon_rss++;
	mm->swap_ents--;
	swap_free(entry);
}

/*
 * One swap PTE of the area going away: read its page in and map it.  The
 * read may sleep, and the PTE's owner may meanwhile fault the page in and
 * free the slot (SWP_WRITEOK is off: it is not reused).  A read that
 * found no slot is then no failure -- nothing is left to bring back --
 * so the swap count decides, as in Linux's try_to_unuse; only a slot
 * still in use is a read that lacked memory.
 */
int unuse_one(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	struct mm_struct *mm = vma->vm_mm;
	swp_entry_t entry = pte_to_swp_entry(*pte);
	/* swapoff fails cleanly rather than have the OOM killer make room */
	struct page *page = read_swap_cache_async(entry,
						  GFP_HIGHUSER | __GFP_NORETRY | __GFP_NOWARN);
	int err = 0;

	if (!page)
		return swap_entry_valid(entry) ? -ENOMEM : 0;
	lock_page(page);
	wait_on_page_writeback(page);
	if (!PageUptodate(page)) {
		err = -EIO;
		goto out;
	}
	if (anon_vma_prepare(vma)) {             /* the rmap may need memory to map it here */
		err = -ENOMEM;
		goto out;
	}
	spin_lock(&mm->page_table_lock);
	pte = lookup_pte(mm, addr);              /* we slept: look again */
	if (pte && pte_same(*pte, swp_entry_to_pte(entry)))
		unuse_pte(vma, pte, addr, entry, page);
	spin_unlock(&mm->page_table_lock);
out:
	unlock_page(page);
	put_page(page);
	return err;
}

/*
 * Every swap PTE of area `type` in mm, brought back (mmap_sem keeps the
 * VMAs still).  A swapoff killed meanwhile stops with -EINTR, as Linux's
 * try_to_unuse() does on a signal: reading pages in for a task that is
 * dying would only take the reserve it may use to reach its exit.
 */
static int unuse_mm(struct mm_struct *mm, unsigned int type)
{
	int err = 0;

	down_read(&mm->mmap_sem);
	for (struct vm_area_struct *vma = mm->mmap; vma && !err; vma = vma->vm_next) {
		for (unsigned long a = vma->vm_start; a < vma->vm_end && !err; a += PAGE_SIZE) {
			pte_t *pte = lookup_pte(mm, a);

			if (!pte || pte_none(*pte) || pte_present(*pte) ||
			    swp_type(pte_to_swp_entry(*pte)) != type)
				continue;
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			err = unuse_one(vma, a, pte);
			cond_resched();
		}
	}
	up_read(&mm->mmap_sem);
	return err;
}

/*
 * One pass over every mm.  unuse_one sleeps on the disk, and a process
 * may exit meanwhile: each mm is pinned by an mm_users reference taken
 * under mmlist_lock (skipping one already being torn down), which also
 * keeps it on mmlist, so its successor can be read once we are back.
 * The previous mm's reference is dropped only after that step -- and
 * mmput may then tear it down here, as the last user.
 */
static int unuse_pass(unsigned int type)
{
	struct mm_struct *mm, *held = NULL;
	int err = 0;

	spin_lock(&mmlist_lock);
	list_for_each_entry(mm, &mmlist, mmlist) {
		if (!atomic_inc_not_zero(&mm->mm_users))
			continue;
		spin_unlock(&mmlist_lock);
		if (held)
			mmput(held);
		held = mm;
		err = unuse_mm(mm, type);
		spin_lock(&mmlist_lock);
		if (err)
			break;
	}
	spin_unlock(&mmlist_lock);
	if (held)
		mmput(held);
	return err;
}

/*
 * Slots whose only reference is the swap cache's: every PTE has its page
 * back, so the page leaves the cache (dirty: its data now lives only in
 * memory) -- even while a fault that slept on it still holds a reference
 * (it finds its PTE changed and lets go).  free_unused_swap_cache() must
 * leave such a page alone; swapoff need not, as Linux's try_to_unuse.
 */
static void drop_swap_cache(unsigned int type)
{
	struct swap_info_struct *si = &swap_info[type];

	for (unsigned long off = 1; off < si->max && si->inuse_pages; off++) {
		swp_entry_t entry = swp_entry(type, off);
		struct page *page;

		if ((si->swap_map[off] & SWAP_MAP_COUNT) != 1 || !(page = lookup_swap_cache(entry)))
			continue;
		lock_page(page);
		wait_on_page_writeback(page);
		if (PageSwapCache(page) && page->private == entry.val && !page_swapcount(page)) {
			SetPageDirty(page);
			delete_from_swap_cache(page);
		}
		unlock_page(page);
		put_page(page);
	}
}

/*
 * Bring back every page of area `type`.  Reclaim does not unmap pages to
 * an area being emptied, but a pass can still miss PTEs made meanwhile,
 * so passes repeat until the area is empty or one makes no progress.
 */
static int try_to_unuse(unsigned int type)
{
	struct swap_info_struct *si = &swap_info[type];
	unsigned long left = si->inuse_pages + 1;

	while (si->inuse_pages && si->inuse_pages < left) {
		int err;

		left = si->inuse_pages;
		err = unuse_pass(type);
		if (!err)
			err = shmem_unuse(type);
		free_unused_swap_cache();
		drop_swap_cache(type);
		if (err)
			return err;
	}
	return si->inuse_pages ? -ENOMEM : 0;
}

/* Linux's vm_enough_memory, roughly: will the area's pages fit in free RAM and other swap? */
static bool enough_memory_for(const struct swap_info_struct *si)
{
	struct swap_totals t = swap_totals();     /* the area is no longer counted */
	unsigned long room = nr_free_pages() + t.free;

	return room > normal_zone.pages_high && si->inuse_pages <= room - normal_zone.pages_high;
}

long sys_swapoff(const char *upath)
{
	struct swap_info_struct *si = NULL;
	struct block_device *bdev;
	int err, type;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	bdev = swap_bdev_from_user(upath, &err);
	if (!bdev)
		return err;
	for (type = 0; type < MAX_SWAPFILES; type++)
		if ((swap_info[type].flags & SWP_USED) && swap_info[type].bdev == bdev)
			si = &swap_info[type];
	if (!si)
		return -EINVAL;
	type = si - swap_info;
	si->flags &= ~SWP_WRITEOK;             /* nothing new goes there */
	free_unused_swap_cache();              /* slots of pages also in memory: not needed */
	if (!enough_memory_for(si)) {
		si->flags |= SWP_WRITEOK;
		printk(KERN_WARNING "swapoff: %s: %lu pages in use will not fit in memory\n",
		       si->name, si->inuse_pages);
		return -ENOMEM;
	}
	err = try_to_unuse(type);
	if (err) {
		si->flags |= SWP_WRITEOK;
		printk(KERN_WARNING "swapoff: %s: %lu pages could not come back (%d)\n", si->name,
		       si->inuse_pages, err);
		return err == -EIO || err == -EINTR ? err : -ENOMEM;
	}
	free_pages((unsigned long)si->swap_map, si->swap_map_order);
	printk(KERN_INFO "swapoff: %s: off\n", si->name);
	memset(si, 0, sizeof(*si));
	return 0;
}

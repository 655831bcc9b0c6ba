/*
 * Locked memory: mlock, mlock2, munlock, mlockall, munlockall (and the
 * MAP_LOCKED, mremap and stack-growth halves in mmap.c and mremap.c).  A
 * locked VMA has VM_LOCKED, its pages are faulted in when it is locked
 * (__mm_populate) and counted in mm->locked_vm (VmLck), within
 * RLIMIT_MEMLOCK unless the task may lock without limit (CAP_IPC_LOCK).
 *
 * Reclaim never takes a page a locked VMA maps: try_to_unmap() stops its
 * walk at that VMA with SWAP_MLOCK, and shrink_page_list() then culls the
 * page off the LRU (PG_mlocked), so no scan looks at it again.  The page
 * goes back to the LRU (clear_page_mlock) when a PTE stops mapping it or
 * its VMA is unlocked; if another locked VMA still maps it, reclaim culls
 * it again.  (Why this and not 2.6.11's or 2.6.28's way: docs/reclaim.md.)
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/cred.h>
#include <anvil/mmzone.h>
#include <anvil/resource.h>
#include <anvil/sched.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <abi/errno.h>
#include <abi/mman.h>

static unsigned long lock_limit_pages(void)
{
	return rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

/* May the task lock memory at all?  A limit of 0 says no, except to CAP_IPC_LOCK. */
bool can_do_mlock(void)
{
	return capable(CAP_IPC_LOCK) || rlimit(RLIMIT_MEMLOCK) != 0;
}

/* Would len more bytes of a mapping with vm_flags stay within the limit?  (mmap, brk, mremap) */
bool mlock_future_ok(struct mm_struct *mm, unsigned long vm_flags, unsigned long len)
{
	if (!(vm_flags & VM_LOCKED) || capable(CAP_IPC_LOCK))
		return true;
	return (len >> PAGE_SHIFT) + mm->locked_vm <= lock_limit_pages();
}

/* ---- pages off the LRU ---------------------------------------------------- */

/*
 * Reclaim isolated page, locked it, and found a locked VMA mapping it
 * (try_to_unmap's SWAP_MLOCK).  Keep it off the LRU, so reclaim does not
 * scan it again and again, and take it off reclaim's hands: its swap
 * slot, if no swap PTE needs it, goes (a copy that will never be
 * written), the page lock and the isolation reference are dropped.
 */
void cull_mlocked_page(struct page *page)
{
	unsigned long flags;

	if (PageSwapCache(page))
		try_to_free_swap(page);
	spin_lock_irqsave(&normal_zone.lru_lock, flags);
	BUG_ON(PageLRU(page));
	ClearPageActive(page);
	SetPageMlocked(page);
	mod_vm_stat(NR_MLOCK, 1);
	count_vm_event(UNEVICTABLE_PGCULLED);
	spin_unlock_irqrestore(&normal_zone.lru_lock, flags);
	unlock_page(page);
	put_page(page);          /* isolation's; a PTE holds another */
}

/* A page reclaim culled may no longer be locked: back onto the LRU, active. */
void clear_page_mlock(struct page *page)
{
	unsigned long flags;
	bool culled;

	spin_lock_irqsave(&normal_zone.lru_lock, flags);
	culled = TestClearPageMlocked(page);
	if (culled) {
		mod_vm_stat(NR_MLOCK, -1);
		count_vm_event(UNEVICTABLE_PGRESCUED);
	}
	spin_unlock_irqrestore(&normal_zone.lru_lock, flags);
	if (culled)
		lru_cache_add_active(page);
}

/* [start, end) of vma was unlocked: the culled pages it maps go back to the LRU. */
static void munlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				    unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	for (unsigned long addr = start, next; addr < end; addr = next) {
		pte_t *pte = lookup_pte(mm, addr);

		next = pgd_addr_end(addr, end);
		if (!pte)
			continue;
		spin_lock(&mm->page_table_lock);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			if (!pte_present(*pte) || !pfn_valid(pte_pfn(*pte)))
				continue;
			if (PageMlocked(pfn_to_page(pte_pfn(*pte))))
				clear_page_mlock(pfn_to_page(pte_pfn(*pte)));
		}
		spin_unlock(&mm->page_table_lock);
	}
}

/* ---- faulting pages in ---------------------------------------------------- */

/*
 * Fault every page of [start, end), inside vma, in as a read or a write:
 * -ENOMEM without memory, -EFAULT past the end of a file, -EINTR once the
 * task is killed.  The loop of both populate_vma_page_range and
 * madvise(MADV_POPULATE_*).
 */
int fault_in_vma_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       int write)
{
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		int ret;

		if (fatal_signal_pending(current))
			return -EINTR;
		ret = handle_mm_fault(vma->vm_mm, vma, addr, write);
		if (ret == VM_FAULT_OOM)
			return -ENOMEM;
		if (ret == VM_FAULT_SIGBUS)
			return -EFAULT;
	}
	return 0;
}

/*
 * Fault in [start, end) of vma (mmap_sem held), as Linux's get_user_pages
 * for mlock: a private writable VMA is faulted for writing, so that its
 * pages are copied now and not at the first write; a shared one for
 * reading, so nothing is dirtied for nothing.  A VM_LOCKONFAULT VMA is
 * left to fault as it is used.  -EFAULT for a page that cannot be faulted
 * (PROT_NONE, past the end of its file), -ENOMEM without memory, -EINTR
 * if the task was killed: populating a mapping a dying task will never
 * use would only pour the reserve it may take into pages nobody needs.
 */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	int write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;

	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return -EFAULT;
	return fault_in_vma_range(vma, start, end, write);
}

/*
 * Fault in whatever VMAs map in [start, end) of the current mm (Linux's
 * __mm_populate): mlock, mlockall, MAP_LOCKED, MAP_POPULATE, mremap of a
 * locked VMA.  Holes are skipped.  With ignore_errors, a VMA that cannot
 * be faulted is passed over (what mmap and mlockall do); otherwise the
 * first error is the answer.
 */
int __mm_populate(unsigned long start, unsigned long end, bool ignore_errors)
{
	struct vm_area_struct *vma = find_vma(current->mm, start);
	int err = 0;

	for (; vma && vma->vm_start < end && !err; vma = vma->vm_next) {
		err = populate_vma_page_range(vma, max(start, vma->vm_start),
					      min(end, vma->vm_end));
		if (ignore_errors && err != -EINTR)
			err = 0;
	}
	return err;
}

/* ---- the VMAs ------------------------------------------------------------- */

/*
 * Give [start, end) of vma the lock flags of newflags: merged into a
 * neighbour or split off (vma_modify_flags), counted in locked_vm, and
 * the culled pages of a range being unlocked handed back to reclaim.
 * *pprev is the VMA before start (vma itself if start is inside it), and
 * ends as the VMA now covering the range.
 */
static int mlock_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
		       unsigned long start, unsigned long end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags, pages = (end - start) >> PAGE_SHIFT;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	err = vma_modify_flags(&vma, *pprev, start, end, newflags);
	*pprev = vma;
	if (err)
		return err;
	if (!(newflags & VM_LOCKED))
		vma->vm_mm->locked_vm -= pages;
	else if (!(oldflags & VM_LOCKED))
		vma->vm_mm->locked_vm += pages;
	vma->vm_flags = newflags;
	if (!(newflags & VM_LOCKED))
		munlock_vma_pages_range(vma, start, end);
	return 0;
}

/*
 * Set the lock flags of every VMA in [start, start + len) to flags (0:
 * unlock).  -ENOMEM at the first hole, the VMAs before it done already,
 * as Linux.
 */
static int apply_vma_lock_flags(unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma, *prev;
	unsigned long end = start + len, nstart;
	int err;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = find_vma_prev(current->mm, start, &prev);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	if (start > vma->vm_start)
		prev = vma;
	for (nstart = start;;) {
		unsigned long tmp = min(vma->vm_end, end);

		err = mlock_fixup(vma, &prev, nstart, tmp,
				  (vma->vm_flags & ~VM_LOCKED_MASK) | flags);
		if (err)
			return err;
		nstart = max(tmp, prev->vm_end);     /* a merge may have reached further */
		if (nstart >= end)
			return 0;
		vma = prev->vm_next;
		if (!vma || vma->vm_start != nstart)
			return -ENOMEM;
	}
}

/*
 * Faulting in for mlock failed: as POSIX names it, a page that cannot be
 * had is ENOMEM, no memory EAGAIN.
 */
static long mlock_posix_error(int err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

/* Pages of [start, start + len) already in locked VMAs (Linux's count_mm_mlocked_page_nr). */
static unsigned long locked_pages_in(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end = start + len, n = 0;

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma->vm_next)
		if (vma->vm_flags & VM_LOCKED)
			n += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	return n;
}

/*
 * mlock and mlock2: the range, rounded out to whole pages, locked and
 * faulted in.  Against RLIMIT_MEMLOCK count only what is not locked yet:
 * locking a page twice costs nothing more, as in Linux.
 */
static long do_mlock(unsigned long start, size_t len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	long err = -ENOMEM;

	if (!can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	down_write(&mm->mmap_sem);
	if ((len >> PAGE_SHIFT) + mm->locked_vm - locked_pages_in(mm, start, len) <=
	    lock_limit_pages() || capable(CAP_IPC_LOCK))
		err = apply_vma_lock_flags(start, len, flags);
	if (!err)
		err = mlock_posix_error(__mm_populate(start, start + len, false));
	up_write(&mm->mmap_sem);
	return err;
}

long sys_mlock(unsigned long start, size_t len)
{
	return do_mlock(start, len, VM_LOCKED);
}

long sys_mlock2(unsigned long start, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

long sys_munlock(unsigned long start, size_t len)
{
	struct mm_struct *mm = current->mm;
	long err;

	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	down_write(&mm->mmap_sem);
	err = apply_vma_lock_flags(start, len, 0);
	up_write(&mm->mmap_sem);
	return err;
}

/*
 * mlockall's flags to the mm: MCL_FUTURE to def_flags (every VMA made
 * later is locked), MCL_CURRENT to every VMA now; 0 (munlockall) unlocks
 * all.  A VMA that cannot be split is left as it is, as Linux does.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	unsigned long onfault = flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0, to_add = 0;
	struct vm_area_struct *vma, *prev = NULL;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED | onfault;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT)
		to_add = VM_LOCKED | onfault;
	for (vma = mm->mmap; vma; vma = prev->vm_next)
		mlock_fixup(vma, &prev, vma->vm_start, vma->vm_end,
			    (vma->vm_flags & ~VM_LOCKED_MASK) | to_add);
}

long sys_mlockall(int flags)
{
	struct mm_struct *mm = current->mm;
	long err = -ENOMEM;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	down_write(&mm->mmap_sem);
	if (!(flags & MCL_CURRENT) || mm->total_vm <= lock_limit_pages() || capable(CAP_IPC_LOCK)) {
		apply_mlockall_flags(mm, flags);
		err = 0;
	}
	if (!err && (flags & MCL_CURRENT))
		__mm_populate(0, TASK_SIZE, true);
	up_write(&mm->mmap_sem);
	return err;
}

long sys_munlockall(void)
{
	struct mm_struct *mm = current->mm;

	down_write(&mm->mmap_sem);
	apply_mlockall_flags(mm, 0);
	up_write(&mm->mmap_sem);
	return 0;
}

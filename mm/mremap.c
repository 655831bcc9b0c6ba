/*
 * mremap(2): shrink a mapping, grow it in place, or move it.  A move
 * never copies a page under anon_vma: move_page_tables() carries each
 * page table, or where the ends are not 4 MiB aligned each PTE, to its
 * new address, and the new VMA (copy_vma) keeps the old
 * vm_pgoff and anon_vma.  Since a page's index is unchanged and its
 * anon_vma still lists the VMA, rmap finds the page at its new address
 * with no update to the page at all -- the property that made anon_vma
 * win in 2004 (see docs/mremap.md): a fork followed by an mremap in one
 * process is no special case.  The other schemes hear of each move
 * (anon_rmap_prepare_move, anon_rmap_move_pte, anon_rmap_move_table;
 * docs/rmap-schemes.md).
 *
 * Lab mremap (labs/README.md): the student writes what "LAB mremap: BEGIN/END" fence
 * here; a student's tree has a "TODO(lab mremap)" and the stub from labs/mremap/stubs.c
 * in their place.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>

/*
 * A new VMA for [addr, addr + len) with vma's properties and this pgoff
 * -- or a neighbour extended to cover it.  *vmap is updated if vma itself
 * was merged into the result.
 */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				       unsigned long len, unsigned long pgoff)
{
	struct vm_area_struct *vma = *vmap, *new_vma, *prev;
	unsigned long vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;

	/* an anonymous VMA with no pages yet may as well take the new linear offset */
	if (!vma->vm_file && !vma_has_anon_vma(vma))
		pgoff = addr >> PAGE_SHIFT;
	find_vma_prev(mm, addr, &prev);
	new_vma = vma_merge(mm, prev, addr, addr + len, vma->vm_flags, vma, vma->vm_file, pgoff);
	if (new_vma) {
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}
	new_vma = vm_area_alloc(mm);
	if (!new_vma)
		return NULL;
	*new_vma = *vma;
	if (anon_vma_link(new_vma, vma))
		goto free_vma;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	if (new_vma->vm_file)
		get_file(new_vma->vm_file);
	if (insert_vm_struct(mm, new_vma))        /* cannot overlap: the range was checked free */
		goto unlink;
	return new_vma;

unlink:
	if (new_vma->vm_file)
		fput(new_vma->vm_file);
	anon_vma_unlink(new_vma);
free_vma:
	vm_area_free(new_vma);
	return NULL;
}

/*
 * The fast path for a move whose source and destination both cover one
 * whole page table ([old_addr, old_addr + PGDIR_SIZE), both aligned): move
 * the table itself -- one page-directory entry written and one cleared,
 * instead of 1024 PTEs read, written and cleared and a table allocated
 * for the destination (Linux's move_normal_pmd, 5.x).  The table keeps
 * its PTEs, so every frame, bit and swap entry stays where it was, and
 * nr_ptes does not change: the mm owns the same tables.  Refused (false)
 * when the destination already has a table -- an empty one, which munmap
 * should have freed with the last mapping in its span; the PTEs then go
 * into it a run at a time rather than lose it.  The caller flushes the
 * TLB, which may cache the old directory entry too.
 */
static bool move_page_table(struct vm_area_struct *vma, unsigned long old_addr,
			    struct vm_area_struct *new_vma, unsigned long new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *old_pgd = &mm->pgd[pgd_index(old_addr)], *new_pgd = &mm->pgd[pgd_index(new_addr)];
	pte_t *table = lookup_pte(mm, old_addr);

	if (!pgd_none(*new_pgd))
		return false;
	spin_lock(&mm->page_table_lock);
	*new_pgd = *old_pgd;
	*old_pgd = __pgd(0);
	virt_to_page(table)->index = new_addr;    /* its base address (pte_alloc, rmap_verify) */
#ifdef CONFIG_RMAP_MOVE_HOOKS
	anon_rmap_move_table(vma, old_addr, new_vma, new_addr, table);
#endif
	spin_unlock(&mm->page_table_lock);
	return true;
}

/*
 * Move the PTEs of [old_addr, old_addr + len) to new_addr, where neither
 * range crosses a page-table boundary and the source has a table: one
 * table on each side, looked up (or allocated) once, and page_table_lock
 * taken once for the run, where a PTE at a time took two lookups, a
 * pte_alloc and a lock round trip each.  The source table stays put while
 * pte_alloc sleeps: only munmap and exit free tables, and mmap_sem (held
 * for writing) keeps both out.  Returns 0, or -ENOMEM if the destination's
 * table could not be allocated (nothing moved then).  Not inlined, nor
 * move_vma: the mremap lab's GDB exercise breaks on both.
 */
static int __noinline move_ptes(struct vm_area_struct *vma, unsigned long old_addr,
		     struct vm_area_struct *new_vma, unsigned long new_addr, unsigned long len)
{
	/* LAB mremap: BEGIN carry each non-empty PTE of the run to the new address */
	struct mm_struct *mm = vma->vm_mm;
	unsigned long i = 0, nr = len >> PAGE_SHIFT;
	pte_t *src = lookup_pte(mm, old_addr), *dst;

	while (i < nr && pte_none(src[i]))
		i++;
	if (i == nr)                    /* nothing to move: no table to allocate */
		return 0;
	dst = pte_alloc(mm, new_addr);  /* may sleep: before the lock */
	if (!dst)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	for (; i < nr; i++) {
		if (pte_none(src[i]))
			continue;
		BUG_ON(!pte_none(dst[i]));
		set_pte(&dst[i], ptep_get_and_clear(&src[i]));
#ifdef CONFIG_RMAP_MOVE_HOOKS
		anon_rmap_move_pte(vma, old_addr + i * PAGE_SIZE, new_vma, new_addr + i * PAGE_SIZE,
				   dst[i]);
#endif
	}
	spin_unlock(&mm->page_table_lock);
	return 0;
	/* LAB mremap: END */
}

/*
 * Move the PTEs of [old_addr, old_addr + len) to new_addr, in runs that
 * end at the next page-table boundary of either side: a run that is a
 * whole table on both sides moves the table, any other moves its PTEs.
 * Pages keep their reference, mapcount, index and anon_vma; only the
 * entries move.  Returns how many bytes were moved (less than len if a
 * page table could not be allocated).
 */
static unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
				      struct vm_area_struct *new_vma, unsigned long new_addr,
				      unsigned long len)
{
	unsigned long done, run;

	for (done = 0; done < len; done += run) {
		unsigned long old = old_addr + done, new = new_addr + done;

		run = min(pgd_addr_end(old, old_addr + len) - old,
			  pgd_addr_end(new, new_addr + len) - new);
		if (!lookup_pte(vma->vm_mm, old))
			continue;        /* no page table: nothing to move in this run */
		if (run == PGDIR_SIZE && move_page_table(vma, old, new_vma, new))
			continue;
		if (move_ptes(vma, old, new_vma, new, run))
			break;
	}
	flush_tlb_range(vma, old_addr, old_addr + len);
	return done;
}

static unsigned long __noinline move_vma(struct vm_area_struct *vma, unsigned long old_addr,
			      unsigned long old_len, unsigned long new_len, unsigned long new_addr)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long vm_flags = vma->vm_flags;
	struct vm_area_struct *new_vma;
	unsigned long new_pgoff, moved;

	/*
	 * Refuse now rather than fail in the do_munmap below, after the PTEs
	 * have moved: the new VMA takes a map slot, and unmapping the middle
	 * of the old one first splits it in three (Linux's check, to the letter).
	 */
	if (mm->map_count >= MAX_MAP_COUNT - 3)
		return -ENOMEM;
	/* LAB mremap: BEGIN the moved range's pgoff: the one its pages' index was computed with */
	new_pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	/* LAB mremap: END */
#ifdef CONFIG_RMAP_MOVE_HOOKS
	if (anon_rmap_prepare_move(vma, old_addr, old_len))
		return -ENOMEM;
#endif
	new_vma = copy_vma(&vma, new_addr, new_len, new_pgoff);
	if (!new_vma)
		return -ENOMEM;
	if (vm_flags & VM_LOCKED)        /* both ranges count until the munmap below */
		mm->locked_vm += new_len >> PAGE_SHIFT;
	moved = move_page_tables(vma, old_addr, new_vma, new_addr, old_len);
	if (moved < old_len) {
		/*
		 * On error, move the entries back from the new area to the
		 * old -- which will succeed, since the page tables they came
		 * from are still there (or, for a table moved whole, its old
		 * slot is empty for it to move back to, as the runs are the
		 * same both ways) -- and unmap the new area instead of the
		 * old (2.6.11's words, nearly).
		 */
		move_page_tables(new_vma, new_addr, vma, old_addr, moved);
		old_addr = new_addr;
		old_len = new_len;
		new_addr = -ENOMEM;
	}
	/*
	 * This can fail only for want of memory to split the old VMA: the
	 * pages are at new_addr all the same, and the old range stays mapped
	 * with nothing in it (as Linux).
	 */
	if (old_len)
		do_munmap(mm, old_addr, old_len);
	return new_addr;
}

/*
 * A locked mapping grew from old_len to new_len at addr: count the new
 * part (grown in place) and fault it in, as mlock would have.
 */
static void mremap_locked_grow(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			       unsigned long new_len, bool in_place)
{
	if (in_place)
		mm->locked_vm += (new_len - old_len) >> PAGE_SHIFT;
	__mm_populate(addr + old_len, addr + new_len, true);
}

/*
 * Would [addr, addr + len) in vma reach past the largest file page
 * offset?  Growing a file mapping whose pgoff is near ULONG_MAX would
 * wrap its last pages round to offset 0 -- the file's first page mapped
 * where its last should be (CVE-2011-2496); mmap refuses such a range
 * with -EOVERFLOW, Linux's mremap with -EINVAL.
 */
static bool pgoff_range_wraps(const struct vm_area_struct *vma, unsigned long addr,
			      unsigned long len)
{
	unsigned long pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);

	return pgoff + (len >> PAGE_SHIFT) < pgoff;
}

long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long ret = -EINVAL;
	bool locked;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len)
		return -EINVAL;

	down_write(&mm->mmap_sem);
	ret = -EFAULT;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		goto out;
	/*
	 * old_len 0 asks for a second mapping of the same pages, which only
	 * means something for a shared mapping (Linux refuses it for private
	 * ones since 4.14: the "copy" would share nothing).
	 */
	ret = -EINVAL;
	if (!old_len && (!(vma->vm_flags & VM_MAYSHARE) || !(flags & MREMAP_MAYMOVE)))
		goto out;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & ~PAGE_MASK) || !(flags & MREMAP_MAYMOVE))
			goto out;
		if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
			goto out;
		if (addr + old_len > new_addr && new_addr + new_len > addr)
			goto out;              /* overlapping source and destination */
		ret = -EPERM;
		if (new_addr < MMAP_MIN_ADDR)
			goto out;              /* as mmap(MAP_FIXED) there */
		ret = do_munmap(mm, new_addr, new_len);
		if (ret)
			goto out;
		if (old_len > new_len) {
			ret = do_munmap(mm, addr + new_len, old_len - new_len);
			if (ret)
				goto out;
			old_len = new_len;
		}
	} else if (old_len >= new_len) {
		/* shrinking (or nothing): unmap the tail, done */
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		if (!ret || old_len == new_len)
			ret = addr;
		goto out;
	}

	/* the munmaps above may have split or freed the VMA: look again */
	ret = -EFAULT;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		goto out;
	if (old_len > vma->vm_end - addr)
		goto out;
	ret = -EINVAL;
	if (new_len > old_len && pgoff_range_wraps(vma, addr, new_len))
		goto out;
	ret = -EAGAIN;
	if (new_len > old_len && !mlock_future_ok(mm, vma->vm_flags, new_len - old_len))
		goto out;
	locked = vma->vm_flags & VM_LOCKED;

	/* the range runs to the end of its VMA: perhaps it can simply grow */
	if (old_len == vma->vm_end - addr && !(flags & MREMAP_FIXED)) {
		unsigned long max_addr = vma->vm_next ? vma->vm_next->vm_start : TASK_SIZE;

		if (max_addr - addr >= new_len) {
			ret = vma_adjust(vma, vma->vm_start, addr + new_len, vma->vm_pgoff, NULL);
			if (!ret && locked && new_len > old_len)
				mremap_locked_grow(mm, addr, old_len, new_len, true);
			if (!ret)
				ret = addr;
			goto out;
		}
	}

	ret = -ENOMEM;
	if (!(flags & MREMAP_MAYMOVE))
		goto out;
	if (!(flags & MREMAP_FIXED)) {
		new_addr = get_unmapped_area(vma->vm_file, 0, new_len, vma->vm_pgoff,
					     (vma->vm_flags & VM_MAYSHARE) ? MAP_SHARED : 0);
		ret = new_addr;
		if (new_addr & ~PAGE_MASK)
			goto out;
	}
	ret = move_vma(vma, addr, old_len, new_len, new_addr);
	if (!(ret & ~PAGE_MASK) && locked && new_len > old_len)
		mremap_locked_grow(mm, ret, old_len, new_len, false);
out:
	up_write(&mm->mmap_sem);
	return ret;
}

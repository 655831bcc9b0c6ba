/*
 * Merging and splitting VMAs: vma_merge() (the eight cases), its
 * worker vma_adjust(), which changes one area's bounds under the
 * mapping and anon_vma locks, and split_vma().  mm/mmap.c links and
 * unlinks areas; this file decides when two become one or one two.
 * (Linux moved the same code out of mmap.c into mm/vma.c in 6.12.)
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/fs.h>
#include <abi/errno.h>
#include "internal.h"

static bool is_mergeable_vma(const struct vm_area_struct *vma, const struct file *file,
			     unsigned long vm_flags)
{
	return vma->vm_flags == vm_flags && vma->vm_file == file;
}

/* Two anon_vmas may be joined if at least one side has none yet, or they are the same. */
static bool is_mergeable_anon_vma(const struct anon_vma *a, const struct anon_vma *b)
{
	return !a || !b || a == b;
}

/* Can [.., vma) be extended *backwards* to take a range ending at vma with pgoff vm_pgoff before it? */
static bool can_vma_merge_before(const struct vm_area_struct *vma, unsigned long vm_flags,
				 const struct anon_vma *anon_vma, const struct file *file,
				 unsigned long vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma) && vma->vm_pgoff == vm_pgoff;
}

/* Can vma be extended forwards over a range whose first page has pgoff vm_pgoff? */
static bool can_vma_merge_after(const struct vm_area_struct *vma, unsigned long vm_flags,
				const struct anon_vma *anon_vma, const struct file *file,
				unsigned long vm_pgoff)
{
	unsigned long pglen = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_vma, vma->anon_vma) &&
	       vma->vm_pgoff + pglen == vm_pgoff;
}

/*
 * anon_vma_prepare's search: the anon_vma of a neighbour this VMA could
 * merge with later (allowing for different r/w/x, which mprotect might
 * change back), so that the two are never kept apart by anon_vmas alone.
 */
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	unsigned long rwx = VM_READ | VM_WRITE | VM_EXEC;
	struct vm_area_struct *near = vma->vm_next, *prev;

	if (near && near->anon_vma && vma->vm_end == near->vm_start &&
	    can_vma_merge_before(near, (vma->vm_flags & ~rwx) | (near->vm_flags & rwx), NULL,
				 vma->vm_file,
				 vma->vm_pgoff + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT)))
		return near->anon_vma;
	find_vma_prev(vma->vm_mm, vma->vm_start, &prev);
	if (prev && prev->anon_vma && prev->vm_end == vma->vm_start &&
	    can_vma_merge_after(prev, (vma->vm_flags & ~rwx) | (prev->vm_flags & rwx), NULL,
				vma->vm_file, vma->vm_pgoff))
		return prev->anon_vma;
	return NULL;
}

/*
 * vma_adjust: change vma to [start, end) with pgoff, under the locks, and
 * fix up whatever that does to its neighbour -- the one place the VMA
 * layout changes:
 *  - end covers all of next (vma_merge cases 1, 6): next is removed, its
 *    anon_vma adopted;
 *  - end reaches into next (mprotect, case 5): next's start moves up;
 *  - end pulled back below vma's old end with no insert (case 4): next's
 *    start moves down over the released part;
 *  - insert (split_vma): the other half is linked in.
 * The side that takes over pages (the "importer") must share the
 * exporter's anon_vma, or rmap would lose those pages.
 */
void vma_adjust(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		unsigned long pgoff, struct vm_area_struct *insert)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *next = vma->vm_next;
	struct vm_area_struct *importer = NULL;
	struct address_space *mapping = NULL;
	struct anon_vma *anon_vma = NULL;
	long adjust_next = 0;
	int remove_next = 0;

	if (next && !insert) {
		if (end >= next->vm_end) {
			remove_next = 1 + (end > next->vm_end);   /* 2: next->vm_next goes too */
			end = next->vm_end;
			anon_vma = next->anon_vma;
			importer = vma;
		} else if (end > next->vm_start) {
			adjust_next = (long)((end - next->vm_start) >> PAGE_SHIFT);
			anon_vma = next->anon_vma;
			importer = vma;
		} else if (end < vma->vm_end) {
			adjust_next = -(long)((vma->vm_end - end) >> PAGE_SHIFT);
			anon_vma = next->anon_vma;
			importer = next;
		}
	}
again:
	if (vma->vm_file) {
		mapping = vma->vm_file->f_inode->i_mapping;
		spin_lock(&mapping->i_mmap_lock);
	}
	if (vma->anon_vma)
		anon_vma = vma->anon_vma;
	if (anon_vma) {
		anon_vma_lock(anon_vma);
		if (importer && !importer->anon_vma) {
			importer->anon_vma = anon_vma;
			__anon_vma_link(importer);
		}
	}

	mm->total_vm -= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	mm->total_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	if (adjust_next) {
		next->vm_start += adjust_next << PAGE_SHIFT;
		next->vm_pgoff += adjust_next;
		mm->total_vm -= adjust_next;
	}

	if (remove_next) {
		mm->total_vm -= (next->vm_end - next->vm_start) >> PAGE_SHIFT;
		__vma_unlink(mm, next, vma);
		__remove_shared_vm_struct(next);
		if (next->anon_vma)
			__anon_vma_merge(vma, next);
	} else if (insert) {
		__insert_vm_struct(mm, insert);
		mm->total_vm += (insert->vm_end - insert->vm_start) >> PAGE_SHIFT;
	}

	if (anon_vma)
		anon_vma_unlock(anon_vma);
	if (mapping)
		spin_unlock(&mapping->i_mmap_lock);

	if (remove_next) {
		if (next->vm_file)
			fput(next->vm_file);
		mm->map_count--;
		vm_area_free(next);
		if (remove_next == 2) {       /* mprotect case 6: the one after goes as well */
			next = vma->vm_next;
			end = next->vm_end;
			remove_next = 1;
			anon_vma = next->anon_vma;
			importer = vma;
			mapping = NULL;
			goto again;
		}
	}
	validate_mm(mm);
}

/*
 * Given a new range [addr, end) with these properties, wanting to sit
 * after prev: can it be absorbed by prev, by the next VMA, or join the
 * two?  The eight cases (A = the new range, P = prev, N = next, X = the
 * one after next):
 *
 *     AAAA             AAAA                AAAA          AAAA
 *    PPPPPPNNNNNN    PPPPPPNNNNNN    PPPPPPNNNNNN    PPPPNNNNXXXX
 *    cannot merge    might become    might become    might become
 *                    PPNNNNNNNNNN    PPPPPPPPPPNN    PPPPPPPPPPPP 6 or
 *    mmap, brk or    case 4 below    case 5 below    PPPPPPPPXXXX 7 or
 *    mremap move:                                    PPPPNNNNNNNN 8
 *        AAAA
 *    PPPP    NNNN    PPPPPPPPPPPP    PPPPPPPPNNNN    PPPPNNNNNNNN
 *    might become    case 1 below    case 2 below    case 3 below
 *
 * Cases 4-8 come from mprotect, where A overlays existing VMAs.  Returns
 * the VMA now covering the range, or NULL if nothing could merge.
 */
/*
 * The VMA that will cover a range holding anon_vma's pages must be on
 * anon_vma's list before they arrive.  vma_adjust() only makes the VMA
 * that takes over a *neighbour's* range share its anon_vma; when the
 * range itself brings one -- mremap's copy_vma moving faulted pages
 * beside a VMA that never faulted (cases 2 and 3) -- the merged VMA must
 * adopt it here, or munmap of the old VMA frees the anon_vma while its
 * pages are still mapped.  (Linux's dup_anon_vma on the same merge.)
 */
static void vma_merge_adopt(struct vm_area_struct *vma, struct anon_vma *anon_vma)
{
	if (anon_vma && !vma->anon_vma) {
		vma->anon_vma = anon_vma;
		anon_vma_link(vma);
	}
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end, unsigned long vm_flags,
				 struct anon_vma *anon_vma, struct file *file, unsigned long pgoff)
{
	unsigned long pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *area, *next;

	next = prev ? prev->vm_next : mm->mmap;
	area = next;
	if (next && next->vm_end == end)          /* cases 6, 7, 8 */
		next = next->vm_next;

	if (prev && prev->vm_end == addr &&
	    can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff)) {
		bool with_next = next && end == next->vm_start &&
				 can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen) &&
				 is_mergeable_anon_vma(prev->anon_vma, next->anon_vma);

		vma_merge_adopt(prev, anon_vma);
		if (with_next)
			vma_adjust(prev, prev->vm_start, next->vm_end, prev->vm_pgoff, NULL);  /* 1, 6 */
		else
			vma_adjust(prev, prev->vm_start, end, prev->vm_pgoff, NULL);           /* 2, 5, 7 */
		return prev;
	}
	if (next && end == next->vm_start &&
	    can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen)) {
		vma_merge_adopt(area, anon_vma);
		if (prev && addr < prev->vm_end)
			vma_adjust(prev, prev->vm_start, addr, prev->vm_pgoff, NULL);          /* 4 */
		else
			vma_adjust(area, addr, next->vm_end, next->vm_pgoff - pglen, NULL);    /* 3, 8 */
		return area;
	}
	return NULL;
}

/*
 * Split vma at addr into two VMAs; new_below says whether the new one is
 * the lower part.  Both halves keep the anon_vma and file, so every page
 * stays reachable by rmap.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	struct vm_area_struct *new;

	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	new = vm_area_alloc(mm);
	if (!new)
		return -ENOMEM;
	*new = *vma;
	INIT_LIST_HEAD(&new->shared);
	INIT_LIST_HEAD(&new->anon_vma_node);
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new_below)
		vma_adjust(vma, addr, vma->vm_end,
			   vma->vm_pgoff + ((addr - new->vm_start) >> PAGE_SHIFT), new);
	else
		vma_adjust(vma, vma->vm_start, addr, vma->vm_pgoff, new);
	return 0;
}


/*
 * Merging and splitting VMAs: vma_merge() (the eight cases), its
 * worker vma_adjust(), which changes one area's bounds under the
 * mapping and rmap locks, and split_vma().  mm/mmap.c links and
 * unlinks areas; this file decides when two become one or one two.
 * 2.6.11 has this code in mm/mmap.c; anvil keeps it apart so that each
 * file can be read in one sitting (Linux moved it to mm/vma.c in 6.12).
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

/*
 * May a range holding anon_src's anonymous pages (NULL: none, a new
 * mapping) join vma?  Their rmap objects must agree; and a VMA forked
 * from a parent whose pages it still shares neither takes in a range
 * that had none nor brings its own into one that had none -- Linux's
 * rule since 3.0, which only the anon_vma_chain scheme needs (its
 * vma_had_uncowed_parents; docs/rmap-schemes.md has why the default
 * anon_vma scheme keeps 2.6.9's rule).
 */
static bool is_mergeable_anon_vma(const struct vm_area_struct *anon_src,
				  const struct vm_area_struct *vma)
{
	bool src_anon = anon_src && vma_has_anon_vma(anon_src);

	if (!anon_vma_compatible(anon_src, vma))
		return false;
	if (!src_anon && vma_has_anon_vma(vma))
		return !vma_had_uncowed_parents(vma);
	if (src_anon && !vma_has_anon_vma(vma))
		return !vma_had_uncowed_parents(anon_src);
	return true;
}

/*
 * Can [.., vma) be extended *backwards* to take a range ending at vma
 * with pgoff vm_pgoff before it?
 */
static bool can_vma_merge_before(const struct vm_area_struct *vma, unsigned long vm_flags,
				 const struct vm_area_struct *anon_src, const struct file *file,
				 unsigned long vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_src, vma) && vma->vm_pgoff == vm_pgoff;
}

/* Can vma be extended forwards over a range whose first page has pgoff vm_pgoff? */
static bool can_vma_merge_after(const struct vm_area_struct *vma, unsigned long vm_flags,
				const struct vm_area_struct *anon_src, const struct file *file,
				unsigned long vm_pgoff)
{
	unsigned long pglen = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	return is_mergeable_vma(vma, file, vm_flags) &&
	       is_mergeable_anon_vma(anon_src, vma) &&
	       vma->vm_pgoff + pglen == vm_pgoff;
}

/*
 * anon_vma_prepare's search (for the schemes with a per-VMA object): the
 * neighbours this VMA could merge with later (allowing for different
 * r/w/x, which mprotect might change back), so that the scheme can give
 * it theirs and the two are never kept apart by rmap objects alone.
 */
void find_mergeable_anon_neighbours(struct vm_area_struct *vma, struct vm_area_struct **prevp,
				    struct vm_area_struct **nextp)
{
	unsigned long rwx = VM_READ | VM_WRITE | VM_EXEC;
	struct vm_area_struct *next = vma->vm_next, *prev = vma->vm_prev;

	if (next && !(vma->vm_end == next->vm_start &&
		      can_vma_merge_before(next, (vma->vm_flags & ~rwx) | (next->vm_flags & rwx),
					   NULL, vma->vm_file,
					   vma->vm_pgoff +
					   ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT))))
		next = NULL;
	if (prev && !(prev->vm_end == vma->vm_start &&
		      can_vma_merge_after(prev, (vma->vm_flags & ~rwx) | (prev->vm_flags & rwx),
					  NULL, vma->vm_file, vma->vm_pgoff)))
		prev = NULL;
	*prevp = prev;
	*nextp = next;
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
 * The side that takes over pages (the "importer") must be reachable by
 * the exporter's rmap (anon_vma_link), or rmap would lose those pages;
 * that takes memory in some schemes, so vma_adjust can fail (-ENOMEM).
 */
int vma_adjust(struct vm_area_struct *vma, unsigned long start, unsigned long end,
	       unsigned long pgoff, struct vm_area_struct *insert)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *next = vma->vm_next;
	struct vm_area_struct *importer = NULL, *exporter = NULL, *anon_locked;
	struct address_space *mapping = NULL;
	long adjust_next = 0;
	int remove_next = 0;

	if (next && !insert) {
		if (end >= next->vm_end) {
			remove_next = 1 + (end > next->vm_end);   /* 2: next->vm_next goes too */
			end = next->vm_end;
			exporter = next;
			/* case 6: vma's new pages may all be the one after next's */
			if (remove_next == 2 && !vma_has_anon_vma(next))
				exporter = next->vm_next;
			importer = vma;
		} else if (end > next->vm_start) {
			adjust_next = (long)((end - next->vm_start) >> PAGE_SHIFT);
			exporter = next;
			importer = vma;
		} else if (end < vma->vm_end) {
			adjust_next = -(long)((vma->vm_end - end) >> PAGE_SHIFT);
			exporter = vma;
			importer = next;
		}
	}
	/* the importer's rmap must reach the exporter's pages before it covers them */
	if (importer && exporter && !vma_has_anon_vma(importer) && vma_has_anon_vma(exporter) &&
	    anon_vma_link(importer, exporter))
		return -ENOMEM;
	anon_locked = importer && !vma_has_anon_vma(vma) ? importer : vma;
again:
	if (vma->vm_file) {
		mapping = vma->vm_file->f_inode->i_mapping;
		spin_lock(&mapping->i_mmap_lock);
	}
	vma_lock_anon_vma(anon_locked);

	/* i_mmap is keyed on the file pages mapped: out while they change (next: same file) */
	if (mapping) {
		vma_interval_tree_remove(vma, &mapping->i_mmap);
		if (adjust_next)
			vma_interval_tree_remove(next, &mapping->i_mmap);
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
	if (mapping) {
		if (adjust_next)
			vma_interval_tree_insert(next, &mapping->i_mmap);
		vma_interval_tree_insert(vma, &mapping->i_mmap);
	}

	if (remove_next) {
		mm->total_vm -= (next->vm_end - next->vm_start) >> PAGE_SHIFT;
		__vma_unlink(mm, next);
		__remove_shared_vm_struct(next);
	} else if (insert) {
		__insert_vm_struct(mm, insert);
		mm->total_vm += (insert->vm_end - insert->vm_start) >> PAGE_SHIFT;
	}

	/* vma's start and end, and so its gap and its successor's, may have moved */
	vma_gap_update(vma);
	vma_gap_update(vma->vm_next);
	vma_unlock_anon_vma(anon_locked);
	if (mapping)
		spin_unlock(&mapping->i_mmap_lock);

	if (remove_next) {
		if (next->vm_file)
			fput(next->vm_file);
		__anon_vma_merge(vma, next);
		mm->map_count--;
		vm_area_free(next);
		if (remove_next == 2) {       /* mprotect case 6: the one after goes as well */
			next = vma->vm_next;
			end = next->vm_end;
			remove_next = 1;
			anon_locked = vma;
			mapping = NULL;
			goto again;
		}
	}
	return 0;
}

/*
 * The VMA that will cover a range holding anon_src's pages must be
 * reachable by their rmap before they arrive.  vma_adjust() only makes
 * the VMA that takes over a *neighbour's* range reachable; when the
 * range itself brings pages -- mremap's copy_vma moving faulted pages
 * beside a VMA that never faulted (cases 2 and 3) -- the merged VMA must
 * take anon_src's object here, or munmap of the old VMA frees it while
 * its pages are still mapped.  2.6.11 had that hole; the helper and its
 * name are Linux 6.x's, which closed it.
 */
static int dup_anon_vma(struct vm_area_struct *vma, struct vm_area_struct *anon_src)
{
	if (anon_src && !vma_has_anon_vma(vma) && vma_has_anon_vma(anon_src))
		return anon_vma_link(vma, anon_src);
	return 0;
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
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end, unsigned long vm_flags,
				 struct vm_area_struct *anon_src, struct file *file,
				 unsigned long pgoff)
{
	unsigned long pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *area, *next;
	int err;

	next = prev ? prev->vm_next : mm->mmap;
	area = next;
	if (next && next->vm_end == end)          /* cases 6, 7, 8 */
		next = next->vm_next;

	if (prev && prev->vm_end == addr &&
	    can_vma_merge_after(prev, vm_flags, anon_src, file, pgoff)) {
		bool with_next = next && end == next->vm_start &&
				 can_vma_merge_before(next, vm_flags, anon_src, file,
						      pgoff + pglen) &&
				 anon_vma_compatible(prev, next);

		err = dup_anon_vma(prev, anon_src);
		if (!err && with_next)                          /* 1, 6 */
			err = vma_adjust(prev, prev->vm_start, next->vm_end, prev->vm_pgoff, NULL);
		else if (!err)                                  /* 2, 5, 7 */
			err = vma_adjust(prev, prev->vm_start, end, prev->vm_pgoff, NULL);
		return err ? NULL : prev;
	}
	if (next && end == next->vm_start &&
	    can_vma_merge_before(next, vm_flags, anon_src, file, pgoff + pglen)) {
		err = dup_anon_vma(area, anon_src);
		if (!err && prev && addr < prev->vm_end)        /* 4 */
			err = vma_adjust(prev, prev->vm_start, addr, prev->vm_pgoff, NULL);
		else if (!err)                                  /* 3, 8 */
			err = vma_adjust(area, addr, next->vm_end, next->vm_pgoff - pglen, NULL);
		return err ? NULL : area;
	}
	return NULL;
}

/*
 * The range [start, end) of *vmap gets other flags (newflags: mprotect,
 * mlock, madvise): make it a VMA of its own -- a neighbour that already
 * has those flags takes it over (vma_merge), or *vmap is split at the
 * range's edges.  prev is the VMA before start, or *vmap itself if start
 * lies inside it.  On success *vmap is the VMA now covering the range
 * (exactly, or a merged neighbour that has newflags already); the caller
 * sets its flags.
 */
int vma_modify_flags(struct vm_area_struct **vmap, struct vm_area_struct *prev,
		     unsigned long start, unsigned long end, unsigned long newflags)
{
	struct vm_area_struct *vma = *vmap, *merged;
	unsigned long pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	int err;

	merged = vma_merge(vma->vm_mm, prev, start, end, newflags, vma, vma->vm_file, pgoff);
	if (merged) {
		*vmap = merged;
		return 0;
	}
	if (start != vma->vm_start) {
		err = split_vma(vma->vm_mm, vma, start, 1);
		if (err)
			return err;
	}
	if (end != vma->vm_end)
		return split_vma(vma->vm_mm, vma, end, 0);
	return 0;
}

/*
 * Split vma at addr into two VMAs; new_below says whether the new one is
 * the lower part.  Both halves keep the file and the rmap object
 * (anon_vma_link), so every page stays reachable by rmap.
 */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	struct vm_area_struct *new;
	int err;

	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	new = vm_area_alloc(mm);
	if (!new)
		return -ENOMEM;
	*new = *vma;
	if (anon_vma_link(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	/* with insert, vma_adjust has no importer to clone for: it cannot fail */
	if (new_below)
		err = vma_adjust(vma, addr, vma->vm_end,
				 vma->vm_pgoff + ((addr - new->vm_start) >> PAGE_SHIFT), new);
	else
		err = vma_adjust(vma, vma->vm_start, addr, vma->vm_pgoff, new);
	BUG_ON(err);
	return 0;
}


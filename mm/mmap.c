/*
 * Address spaces and their VMAs.  Each mm keeps its vm_area_structs both
 * on a sorted list (for walks) and in a red-black tree (for find_vma in
 * O(log n)), augmented with the largest free gap below each subtree's
 * VMAs (for get_unmapped_area in O(log n)).  This file creates, links and
 * removes VMAs, keeps the gaps up to date, picks free ranges (top-down
 * below the stack gap), and is where mmap, munmap and brk land.  Merging
 * and splitting are mm/vma.c's, page tables mm/pgtable.c's, the rmap side
 * of both the scheme's (anvil/rmap.h); creating, copying and dropping a
 * whole mm is kernel/fork.c's, as in Linux.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/resource.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/fs.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>
#include "internal.h"

static struct kmem_cache *vm_area_cachep;

/* Linux's protection_map: private writable pages start read-only (COW). */
static const pgprot_t protection_map[16] = {
	/* private: ---, r--, -w-, rw-, --x, r-x, -wx, rwx */
	PAGE_NONE, PAGE_READONLY, PAGE_COPY, PAGE_COPY,
	PAGE_READONLY, PAGE_READONLY, PAGE_COPY, PAGE_COPY,
	/* shared */
	PAGE_NONE, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED,
	PAGE_READONLY, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED,
};

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	return protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}

void mmap_init(void)
{
	vm_area_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, 0,
					   NULL);
	BUG_ON(!vm_area_cachep);
}

/*
 * A zeroed VMA of mm.  The helper and its name are Linux 4.18's; 2.6.11
 * wrote kmem_cache_alloc(vm_area_cachep, ...) and a memset at each of
 * its callers.  anvil keeps the one helper so that no caller can leave a
 * scheme's rmap fields unset: zero is "no anonymous pages yet" in every
 * scheme.
 */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vm_area_cachep, GFP_KERNEL);

	if (vma)
		vma->vm_mm = mm;    /* zeroed rmap fields: no anonymous pages yet */
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

/* ---- finding VMAs ---------------------------------------------------- */

/* The first VMA with vm_end > addr (it may start above addr), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->mmap_cache, *best = NULL;
	struct rb_node *node;

	if (vma && vma->vm_end > addr && vma->vm_start <= addr)
		return vma;
	node = mm->mm_rb.rb_node;
	while (node) {
		vma = rb_entry(node, struct vm_area_struct, vm_rb);
		if (vma->vm_end > addr) {
			best = vma;
			if (vma->vm_start <= addr)
				break;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	if (best)
		mm->mmap_cache = best;
	return best;
}

/*
 * find_vma, and also the VMA before it (*pprev: the last VMA ending at or
 * below addr, NULL if none).
 */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct rb_node *node = mm->mm_rb.rb_node;
	struct vm_area_struct *prev = NULL;

	while (node) {
		struct vm_area_struct *v = rb_entry(node, struct vm_area_struct, vm_rb);

		if (addr < v->vm_end) {
			node = node->rb_left;
		} else {
			prev = v;
			if (!v->vm_next || addr < v->vm_next->vm_end)
				break;
			node = node->rb_right;
		}
	}
	*pprev = prev;
	return prev ? prev->vm_next : mm->mmap;
}

/* Where a VMA starting at addr goes: its list predecessor and its rbtree slot. */
static struct vm_area_struct *find_vma_prepare(struct mm_struct *mm, unsigned long addr,
					       struct vm_area_struct **pprev,
					       struct rb_node ***rb_link,
					       struct rb_node **rb_parent)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL, *prev_node = NULL;
	struct vm_area_struct *vma = NULL;

	while (*link) {
		struct vm_area_struct *v;

		parent = *link;
		v = rb_entry(parent, struct vm_area_struct, vm_rb);
		if (v->vm_end > addr) {
			vma = v;
			if (v->vm_start <= addr)
				break;
			link = &parent->rb_left;
		} else {
			prev_node = parent;
			link = &parent->rb_right;
		}
	}
	*pprev = prev_node ? rb_entry(prev_node, struct vm_area_struct, vm_rb) : NULL;
	*rb_link = link;
	*rb_parent = parent;
	return vma;
}

/* ---- the gap tree ----------------------------------------------------- */

static struct vm_area_struct *rb_to_vma(struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct vm_area_struct, vm_rb) : NULL;
}

/* The free range just below vma: from the end of the VMA before it (or 0). */
static unsigned long vma_gap_start(const struct vm_area_struct *vma)
{
	return vma->vm_prev ? vma->vm_prev->vm_end : 0;
}

/* The largest gap below a VMA in vma's subtree: its own, or its children's. */
static unsigned long vma_compute_subtree_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = vma->vm_start - vma_gap_start(vma);
	const struct rb_node *rb = &vma->vm_rb;

	if (rb->rb_left && rb_to_vma(rb->rb_left)->rb_subtree_gap > gap)
		gap = rb_to_vma(rb->rb_left)->rb_subtree_gap;
	if (rb->rb_right && rb_to_vma(rb->rb_right)->rb_subtree_gap > gap)
		gap = rb_to_vma(rb->rb_right)->rb_subtree_gap;
	return gap;
}

/* rb_augment_f for mm->mm_rb */
static void vma_gap_recompute(struct rb_node *rb)
{
	rb_to_vma(rb)->rb_subtree_gap = vma_compute_subtree_gap(rb_to_vma(rb));
}

/*
 * The gap below vma changed: its vm_start moved, or the end of the VMA
 * before it did, or that VMA came or went.  Every caller that changes a
 * linked VMA's bounds calls this once the list is consistent again, for
 * the VMA itself and for the one after it.
 */
void vma_gap_update(struct vm_area_struct *vma)
{
	if (vma)
		rb_augment_path(&vma->vm_rb, vma_gap_recompute);
}

/* ---- linking and unlinking ------------------------------------------ */

static void __vma_link_file(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		vma_interval_tree_insert(vma, &vma->vm_file->f_inode->i_mapping->i_mmap);
}

void __remove_shared_vm_struct(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		vma_interval_tree_remove(vma, &vma->vm_file->f_inode->i_mapping->i_mmap);
}

/*
 * Into the list after prev, the tree at rb_link and the file's i_mmap.
 * augment is vma_gap_recompute, which keeps the gaps true as the VMA goes
 * in, or NULL for fork, which computes them all once its VMAs are in.
 */
static void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct *prev, struct rb_node **rb_link,
		       struct rb_node *rb_parent, rb_augment_f augment)
{
	vma->vm_prev = prev;
	if (prev) {
		vma->vm_next = prev->vm_next;
		prev->vm_next = vma;
	} else {
		vma->vm_next = mm->mmap;
		mm->mmap = vma;
	}
	if (vma->vm_next)
		vma->vm_next->vm_prev = vma;
	rb_link_node(&vma->vm_rb, rb_parent, rb_link);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, augment);
	vma_gap_update(vma->vm_next);         /* its gap now ends at vma */
	__vma_link_file(vma);
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma,
		     struct vm_area_struct *prev, struct rb_node **rb_link,
		     struct rb_node *rb_parent, rb_augment_f augment)
{
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_inode->i_mapping : NULL;

	if (mapping)
		spin_lock(&mapping->i_mmap_lock);
	__vma_link(mm, vma, prev, rb_link, rb_parent, augment);
	if (mapping)
		spin_unlock(&mapping->i_mmap_lock);
	mm->map_count++;
	mm->total_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/*
 * fork's link: vma goes after last, the highest VMA so far, so there is
 * nothing to search (Linux's dup_mmap links at the tail the same way),
 * and its gap waits for vma_gaps_build: recomputing the path to the root
 * at each link, as Linux does, costs O(log n) a VMA -- it made the fork
 * of 10,000 VMAs take twice as long.
 */
void vma_link_last(struct mm_struct *mm, struct vm_area_struct *vma,
		   struct vm_area_struct *last)
{
	if (last)
		vma_link(mm, vma, last, &last->vm_rb.rb_right, &last->vm_rb, NULL);
	else
		vma_link(mm, vma, NULL, &mm->mm_rb.rb_node, NULL, NULL);
}

static void vma_gaps_build_subtree(struct rb_node *rb)
{
	if (!rb)
		return;
	vma_gaps_build_subtree(rb->rb_left);
	vma_gaps_build_subtree(rb->rb_right);
	vma_gap_recompute(rb);
}

/* Every VMA's rb_subtree_gap, children before parents: O(n) (depth: the tree's height). */
void vma_gaps_build(struct mm_struct *mm)
{
	vma_gaps_build_subtree(mm->mm_rb.rb_node);
}

/* Link vma into mm where it belongs; -ENOMEM if it overlaps another. */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *overlap;
	struct rb_node **rb_link, *rb_parent;

	overlap = find_vma_prepare(mm, vma->vm_start, &prev, &rb_link, &rb_parent);
	if (overlap && overlap->vm_start < vma->vm_end)
		return -ENOMEM;
	vma_link(mm, vma, prev, rb_link, rb_parent, vma_gap_recompute);
	return 0;
}

/* split_vma's half, put in while vma_adjust holds the locks. */
void __insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *overlap;
	struct rb_node **rb_link, *rb_parent;

	overlap = find_vma_prepare(mm, vma->vm_start, &prev, &rb_link, &rb_parent);
	BUG_ON(overlap && overlap->vm_start < vma->vm_end);
	__vma_link(mm, vma, prev, rb_link, rb_parent, vma_gap_recompute);
	mm->map_count++;
}

/* vma leaves the list and the tree; its vm_next stays, for a caller walking a detached run. */
void __vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next)
		next->vm_prev = prev;
	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, vma_gap_recompute);
	vma_gap_update(next);                 /* its gap now reaches down to prev */
	if (mm->mmap_cache == vma)
		mm->mmap_cache = prev;
}

/* Free a VMA that is no longer linked into its mm. */
static void remove_vma(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_inode->i_mapping : NULL;

	if (mapping) {
		spin_lock(&mapping->i_mmap_lock);
		__remove_shared_vm_struct(vma);
		spin_unlock(&mapping->i_mmap_lock);
		fput(vma->vm_file);
	}
	anon_vma_unlink(vma);
	vm_area_free(vma);
}

/* ---- finding room ---------------------------------------------------- */

/*
 * The highest free range of len bytes in [low, high), Linux 3.8's
 * unmapped_area_topdown.  A walk down from high past every VMA costs
 * O(n) a call, O(n^2) to build n mappings; rb_subtree_gap says which
 * subtrees hold a gap of len bytes at all, so the search goes right
 * (higher) when that side has one, else takes this VMA's own gap, else
 * goes left, and climbs only to the next VMA below: O(log n).  The gap
 * that reaches high -- above the last VMA below it, which belongs to no
 * VMA under high -- find_vma checks first.  Returns the same address the
 * walk did: the top of the highest gap that fits, cut at high.
 */
static unsigned long unmapped_area_topdown(struct mm_struct *mm, unsigned long len,
					   unsigned long low, unsigned long high)
{
	unsigned long gap_start, start_max, end_min;
	struct vm_area_struct *vma;

	if (high < len || high - len < low)
		return -ENOMEM;
	start_max = high - len;       /* a gap that fits starts at or below this */
	end_min = low + len;          /* and ends at or above this */
	vma = find_vma(mm, start_max);
	if (!vma || vma->vm_start >= high)
		return start_max;

	vma = rb_to_vma(mm->mm_rb.rb_node);
	if (vma->rb_subtree_gap < len)
		return -ENOMEM;
	for (;;) {
		gap_start = vma_gap_start(vma);
		/* the right subtree is higher; none of it fits if this gap starts too high */
		if (gap_start <= start_max && vma->vm_rb.rb_right &&
		    rb_to_vma(vma->vm_rb.rb_right)->rb_subtree_gap >= len) {
			vma = rb_to_vma(vma->vm_rb.rb_right);
			continue;
		}
check_this:
		if (vma->vm_start < end_min)
			return -ENOMEM;       /* every gap left is lower still */
		if (gap_start <= start_max && vma->vm_start - gap_start >= len)
			return vma->vm_start - len;   /* below high: else find_vma found it */
		if (vma->vm_rb.rb_left && rb_to_vma(vma->vm_rb.rb_left)->rb_subtree_gap >= len) {
			vma = rb_to_vma(vma->vm_rb.rb_left);
			continue;
		}
		/* up to the first ancestor this subtree is right of: the next VMA below */
		for (;;) {
			struct rb_node *from = &vma->vm_rb;

			if (!rb_parent(from))
				return -ENOMEM;
			vma = rb_to_vma(rb_parent(from));
			if (vma->vm_rb.rb_right == from) {
				gap_start = vma_gap_start(vma);
				goto check_this;
			}
		}
	}
}

/*
 * A free range of len bytes.  With a hint that is free, the hint; else
 * top-down from below the stack gap (Linux's "new" i386 layout), so the
 * brk heap keeps the space above the program to grow into.
 */
unsigned long get_unmapped_area(struct file *file, unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (len > TASK_SIZE)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr & ~PAGE_MASK || addr > TASK_SIZE - len)
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;        /* as Linux: the lowest pages stay unmapped */
		return addr;
	}
	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (addr >= MMAP_MIN_ADDR && addr <= TASK_SIZE - len &&
		    (!vma || addr + len <= vma->vm_start))
			return addr;
	}
	return unmapped_area_topdown(mm, len, MMAP_MIN_ADDR, TASK_UNMAPPED_TOP);
}

/* ---- mmap, munmap, brk ------------------------------------------------ */

/*
 * A hint below MMAP_MIN_ADDR asks for the lowest address allowed instead
 * (Linux's round_hint_to_min); 0, or a hint inside page 0, is no hint.
 */
static unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < MMAP_MIN_ADDR)
		return MMAP_MIN_ADDR;
	return hint;
}

static unsigned long calc_vm_flags(unsigned long prot, unsigned long flags)
{
	unsigned long vm_flags = 0;

	if (prot & PROT_READ)
		vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vm_flags |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm_flags |= VM_EXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_DENYWRITE)
		vm_flags |= VM_DENYWRITE;
	if (flags & MAP_EXECUTABLE)
		vm_flags |= VM_EXECUTABLE;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	return vm_flags;
}

/* The flags MAP_SHARED_VALIDATE knows; MAP_SHARED ignores any other (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | \
			 MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED |        \
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* The mapping type and the file's access mode against vm_flags, in Linux's order; 0 or -errno. */
static int check_file_mapping(struct file *file, unsigned long prot, unsigned long flags,
			      unsigned long *vm_flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE && (flags & ~LEGACY_MAP_MASK))
			return -EOPNOTSUPP;
		if ((prot & PROT_WRITE) && !file_writable(file))
			return -EACCES;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!file_writable(file))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		break;
	case MAP_PRIVATE:
		break;
	default:
		return -EINVAL;
	}
	if (!file_readable(file))
		return -EACCES;
	if (path_noexec(file->f_inode)) {     /* noexec mount: no PROT_EXEC, now or by mprotect */
		if (*vm_flags & VM_EXEC)
			return -EPERM;
		*vm_flags &= ~VM_MAYEXEC;
	}
	if (!file->f_op->mmap)
		return -ENODEV;
	if (*vm_flags & VM_GROWSDOWN)
		return -EINVAL;       /* growing down would run its pgoff below 0 */
	return 0;
}

/*
 * The heart of mmap(2), called with mmap_sem held for writing.  Checks
 * come in Linux's order: length, address (get_unmapped_area),
 * MAP_FIXED_NOREPLACE, the lock limit, then the type and the file.
 * Then it removes what MAP_FIXED overlays, and extends a neighbour
 * (vma_merge) or links in a new VMA.  Pages come later, on faults -- or
 * now, for MAP_POPULATE and a locked mapping.  Anonymous private VMAs
 * get vm_pgoff = vm_start >> PAGE_SHIFT: the linear page number that
 * rmap relies on.
 */
unsigned long do_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len,
			    unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *prev;
	struct rb_node **rb_link, *rb_parent;
	unsigned long vm_flags;
	int err;

	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count >= MAX_MAP_COUNT)
		return -ENOMEM;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	addr = get_unmapped_area(file, addr, len, pgoff, flags);
	if (addr & ~PAGE_MASK)
		return addr;     /* an error code */
	vma = find_vma(mm, addr);
	if ((flags & MAP_FIXED_NOREPLACE) && vma && vma->vm_start < addr + len)
		return -EEXIST;

	vm_flags = calc_vm_flags(prot, flags) | mm->def_flags |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if ((flags & MAP_LOCKED) && !can_do_mlock())
		return -EPERM;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		err = check_file_mapping(file, prot, flags, &vm_flags);
		if (err)
			return err;
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;   /* as a file: its pgoff is 0 */
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			pgoff = 0;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}

	/* MAP_FIXED replaces whatever was there */
	vma = find_vma_prepare(mm, addr, &prev, &rb_link, &rb_parent);
	if (vma && vma->vm_start < addr + len) {
		err = do_munmap(mm, addr, len);
		if (err)
			return err;
		find_vma_prepare(mm, addr, &prev, &rb_link, &rb_parent);
	}

	/* a private anonymous range can often just extend its neighbour */
	if (!file && !(vm_flags & VM_SHARED) &&
	    vma_merge(mm, prev, addr, addr + len, vm_flags, NULL, NULL, pgoff))
		goto out;

	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	vma->vm_pgoff = pgoff;
	if (file) {
		vma->vm_file = get_file(file);
		err = file->f_op->mmap(file, vma);
		if (err)
			goto put_file;
	} else if (vm_flags & VM_SHARED) {
		err = shmem_zero_setup(vma);
		if (err)
			goto free_vma;
	}
	/*
	 * a file mapping may continue its neighbour, now that it is set up
	 * (mmap may change its file)
	 */
	if (file && vma_merge(mm, prev, addr, vma->vm_end, vma->vm_flags, NULL, vma->vm_file,
			      vma->vm_pgoff)) {
		fput(vma->vm_file);
		vm_area_free(vma);
	} else {
		vma_link(mm, vma, prev, rb_link, rb_parent, vma_gap_recompute);
	}
out:
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	if ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		__mm_populate(addr, addr + len, true);
	return addr;

put_file:
	fput(vma->vm_file);
free_vma:
	vm_area_free(vma);
	return err;
}

/*
 * Remove [start, start + len) from the address space: split the VMAs at
 * the edges, unlink the ones inside, zap their pages and free their page
 * tables.  Called with mmap_sem held for writing.
 */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *prev, *last, *next;
	unsigned long end;
	int err;

	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	end = start + len;
	vma = find_vma_prev(mm, start, &prev);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (start > vma->vm_start) {
		err = split_vma(mm, vma, start, 0);
		if (err)
			return err;
		prev = vma;
	}
	last = find_vma(mm, end);
	if (last && end > last->vm_start) {
		err = split_vma(mm, last, end, 1);
		if (err)
			return err;
	}
	vma = prev ? prev->vm_next : mm->mmap;

	/* detach [vma, ..) up to end from the mm, then unmap and free them */
	for (next = vma; next && next->vm_start < end; next = next->vm_next) {
		__vma_unlink(mm, next);
		mm->map_count--;
		mm->total_vm -= (next->vm_end - next->vm_start) >> PAGE_SHIFT;
		if (next->vm_flags & VM_LOCKED)
			mm->locked_vm -= (next->vm_end - next->vm_start) >> PAGE_SHIFT;
	}
	mm->mmap_cache = NULL;
	unmap_vmas(vma, start, end);
	free_pgtables(mm, start, end);
	while (vma != next) {
		struct vm_area_struct *tmp = vma->vm_next;

		remove_vma(vma);
		vma = tmp;
	}
	return 0;
}

/*
 * Grow the heap by [addr, addr + len): anonymous, private, read-write,
 * merged into the existing heap VMA when possible.
 */
unsigned long do_brk(unsigned long addr, unsigned long len)
{
	return do_mmap_pgoff(NULL, addr, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
}

/* brk(2): Linux's semantics -- the new break on success, the old one on failure. */
long sys_brk(unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long newbrk, oldbrk;
	struct vm_area_struct *next;

	down_write(&mm->mmap_sem);
	if (brk < mm->start_brk)
		goto out;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk)
		goto set;
	if (brk < mm->brk) {
		if (!do_munmap(mm, newbrk, oldbrk - newbrk))
			goto set;
		goto out;
	}
	/* growing: must not run into the next mapping (or the stack gap) */
	next = find_vma(mm, oldbrk);
	if ((next && newbrk > next->vm_start) || newbrk > TASK_UNMAPPED_TOP)
		goto out;
	if (do_brk(oldbrk, newbrk - oldbrk) != oldbrk)
		goto out;
set:
	mm->brk = brk;
out:
	brk = mm->brk;
	up_write(&mm->mmap_sem);
	return brk;
}

/*
 * A fault just below a VM_GROWSDOWN VMA (the stack) extends it, up to
 * RLIMIT_STACK (and RLIMIT_MEMLOCK if it is locked), never into the VMA
 * below and never below MMAP_MIN_ADDR: a stack mapped at the minimum
 * must not reach page 0, where a kernel NULL dereference would read it.
 * Nor may vm_pgoff run below 0: an anonymous VMA moved by mremap keeps
 * the pgoff of where it was, so a stack moved up from low memory has
 * fewer pages of pgoff than of room.
 */
int expand_stack(struct vm_area_struct *vma, unsigned long address)
{
	struct vm_area_struct *prev;
	unsigned long grow;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= PAGE_MASK;
	if (address < MMAP_MIN_ADDR)
		return -EPERM;
	if (vma->vm_end - address > rlimit(RLIMIT_STACK))
		return -ENOMEM;
	find_vma_prev(vma->vm_mm, vma->vm_start, &prev);
	if (prev && prev->vm_end > address)
		return -ENOMEM;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	if (!mlock_future_ok(vma->vm_mm, vma->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	vma_lock_anon_vma(vma);
	vma->vm_start = address;
	vma->vm_pgoff -= grow;       /* linear page numbers stay vm_start >> PAGE_SHIFT */
	vma_gap_update(vma);
	vma->vm_mm->total_vm += grow;
	if (vma->vm_flags & VM_LOCKED)
		vma->vm_mm->locked_vm += grow;
	vma_unlock_anon_vma(vma);
	return 0;
}

/* The last user is gone: unmap everything, free page tables and VMAs. */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap;

	if (vma)
		unmap_vmas(vma, 0, TASK_SIZE);
	free_pgtables(mm, 0, TASK_SIZE);
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;

		remove_vma(vma);
		vma = next;
	}
	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->mmap_cache = NULL;
	mm->map_count = 0;
	mm->total_vm = 0;
	mm->locked_vm = 0;
	BUG_ON(mm->anon_rss || mm->file_rss);
}

/*
 * A loud check of the VMA list and tree agreeing, and of every stored
 * gap.  It walks every VMA, so it runs where a walk is paid anyway --
 * rmap_verify, fork, the tests -- not after each change, which would
 * make every munmap and mprotect O(n).
 */
void validate_mm(struct mm_struct *mm)
{
	unsigned long last_end = 0, pages = 0;
	int count = 0;
	struct rb_node *node = rb_first(&mm->mm_rb);
	struct vm_area_struct *prev = NULL;

	for (struct vm_area_struct *vma = mm->mmap; vma; prev = vma, vma = vma->vm_next) {
		BUG_ON(vma->vm_start >= vma->vm_end);
		BUG_ON(vma->vm_start < last_end);
		BUG_ON((vma->vm_start | vma->vm_end) & ~PAGE_MASK);
		BUG_ON(vma->vm_mm != mm);
		BUG_ON(vma->vm_prev != prev);
		BUG_ON(!node || rb_to_vma(node) != vma);
		BUG_ON(vma->rb_subtree_gap != vma_compute_subtree_gap(vma));  /* each: all */
		node = rb_next(node);
		last_end = vma->vm_end;
		pages += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		count++;
	}
	BUG_ON(node);
	BUG_ON(count != mm->map_count);
	BUG_ON(pages != mm->total_vm);
}

/* ---- the system calls -------------------------------------------------- */

long sys_munmap(unsigned long addr, size_t len)
{
	struct mm_struct *mm = current->mm;
	long ret;

	down_write(&mm->mmap_sem);
	ret = do_munmap(mm, addr, len);
	up_write(&mm->mmap_sem);
	return ret;
}

/*
 * Physical pages: mem_map[], conversions between struct page, page frame
 * numbers and kernel virtual addresses, and the page reference count.
 */
#ifndef ANVIL_MM_H
#define ANVIL_MM_H

#include <anvil/types.h>
#include <anvil/atomic.h>
#include <anvil/bug.h>
#include <anvil/mm_types.h>
#include <anvil/rmap.h>
#include <anvil/page-flags.h>
#include <anvil/gfp.h>
#include <asm/page.h>

extern struct page *mem_map;
extern unsigned long max_low_pfn;     /* first pfn past directly mapped RAM */
extern unsigned long totalram_pages;  /* pages given to the buddy allocator at boot */

#define pfn_to_page(pfn) (mem_map + (pfn))
#define page_to_pfn(page) ((unsigned long)((page) - mem_map))
#define pfn_valid(pfn) ((pfn) < max_low_pfn)
#define virt_to_page(addr) pfn_to_page(__pa(addr) >> PAGE_SHIFT)
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)

static inline void *page_address(const struct page *page)
{
	return __va(page_to_pfn(page) << PAGE_SHIFT);
}

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_count);
}

static inline void set_page_count(struct page *page, int v)
{
	atomic_set(&page->_count, v);
}

static inline void get_page(struct page *page)
{
	BUG_ON(page_count(page) <= 0);
	atomic_inc(&page->_count);
}

/* Drop a reference; returns true when it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	BUG_ON(page_count(page) <= 0);
	return atomic_dec_and_test(&page->_count);
}

void put_page(struct page *page);

static inline int page_mapcount(const struct page *page)
{
	return atomic_read(&page->_mapcount) + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return atomic_read(&page->_mapcount) >= 0;
}

/* Boot-time memory setup (mm/page_alloc.c). */
void mem_init(void);
void show_free_areas(void);

extern struct page *empty_zero_page;
#define ZERO_PAGE(addr) (empty_zero_page)

/* ---- address spaces (mm/mmap.c) ------------------------------------ */

#define TASK_UNMAPPED_TOP (TASK_SIZE - STACK_GAP)   /* mmap allocates top-down below here */
#define STACK_GAP (128UL << 20)                     /* room kept for the stack to grow */
#define STACK_RLIMIT (8UL << 20)                    /* how far the stack may grow */
#define MAX_MAP_COUNT 65530
/* Linux's mmap_min_addr: mmap, mremap, brk, exec and stack growth all stay above it */
#define MMAP_MIN_ADDR 0x10000UL                     /* never map the first 64 KiB */

/* vm_page_prot for each combination of VM_READ|VM_WRITE|VM_EXEC|VM_SHARED */
pgprot_t vm_get_page_prot(unsigned long vm_flags);

void mmap_init(void);
struct mm_struct *mm_alloc(void);
void mmput(struct mm_struct *mm);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
void vm_area_free(struct vm_area_struct *vma);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_link_last(struct mm_struct *mm, struct vm_area_struct *vma,
		   struct vm_area_struct *last);
void vma_gaps_build(struct mm_struct *mm);

/* A file's VMAs by file page range (address_space->i_mmap, mm/interval_tree.c). */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root);
void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root);
struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long start,
						    unsigned long last);
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma,
						   unsigned long start, unsigned long last);
/* Every VMA whose page range [vm_pgoff, vm_pgoff + pages - 1] meets [start, last]. */
#define vma_interval_tree_foreach(vma, root, start, last)                     \
	for (vma = vma_interval_tree_iter_first(root, start, last); vma;        \
	     vma = vma_interval_tree_iter_next(vma, start, last))
unsigned long get_unmapped_area(struct file *file, unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags);
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev,
				 unsigned long addr, unsigned long end, unsigned long vm_flags,
				 struct vm_area_struct *anon_src, struct file *file,
				 unsigned long pgoff);
int vma_adjust(struct vm_area_struct *vma, unsigned long start, unsigned long end,
	       unsigned long pgoff, struct vm_area_struct *insert);
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
	      int new_below);
int vma_modify_flags(struct vm_area_struct **vmap, struct vm_area_struct *prev,
		     unsigned long start, unsigned long end, unsigned long newflags);
unsigned long do_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len,
			    unsigned long prot, unsigned long flags, unsigned long pgoff);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
unsigned long do_brk(unsigned long addr, unsigned long len);
int expand_stack(struct vm_area_struct *vma, unsigned long address);
void exit_mmap(struct mm_struct *mm);
struct mm_struct *dup_mm(struct mm_struct *oldmm);
void validate_mm(struct mm_struct *mm);

/*
 * The resident set and its peak (ru_maxrss).  The peak is brought up to
 * date after each fault (where the rss rises) and before an unmap (where
 * it falls, for pages fork or swapoff mapped without a fault); a reader
 * takes the larger of it and the rss now.  Linux updates it only before
 * the falls, reclaim's included; anvil's reclaim path is lab code, so
 * the faults pay one comparison instead.
 */
#define KB_PER_PAGE (PAGE_SIZE / 1024)

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return mm->anon_rss + mm->file_rss;
}

static inline void update_hiwater_rss(struct mm_struct *mm)
{
	mm->hiwater_rss = max(mm->hiwater_rss, get_mm_rss(mm));
}

/* *maxrss becomes at least mm's peak (exec and exit keep the peak of the image they leave). */
static inline void setmax_mm_hiwater_rss(unsigned long *maxrss, const struct mm_struct *mm)
{
	*maxrss = max(*maxrss, max(mm->hiwater_rss, get_mm_rss(mm)));
}

extern struct list_head mmlist;     /* every mm_struct, for rmap_verify and swapoff */
extern spinlock_t mmlist_lock;

/* ---- page tables and faults (mm/memory.c) -------------------------- */

#define VM_FAULT_OOM 0
#define VM_FAULT_SIGBUS 1
#define VM_FAULT_MINOR 2
#define VM_FAULT_MAJOR 3

pgd_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(pgd_t *pgd);
pte_t *lookup_pte(struct mm_struct *mm, unsigned long address);
pte_t *pte_alloc(struct mm_struct *mm, unsigned long address);
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long address, int write_access);
void zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size);
void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end);
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *vma);
void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_page(struct vm_area_struct *vma, unsigned long address);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);
struct task_struct;
/* Copy len bytes at addr in another process's memory into buf (kernel); returns bytes copied. */
size_t access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, size_t len);
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen,
			 bool even_cows);
extern unsigned long nr_page_table_pages;

/* ---- locked memory (mm/mlock.c) ------------------------------------ */

bool can_do_mlock(void);
bool mlock_future_ok(struct mm_struct *mm, unsigned long vm_flags, unsigned long len);
int fault_in_vma_range(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       int write);
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
int __mm_populate(unsigned long start, unsigned long end, bool ignore_errors);
void cull_mlocked_page(struct page *page);     /* reclaim: a locked VMA maps it */
void clear_page_mlock(struct page *page);      /* it may not be locked any more */

/* ---- the page cache (mm/filemap.c) --------------------------------- */

struct page *find_get_page(struct address_space *mapping, unsigned long index);
unsigned int find_get_pages(struct address_space *mapping, unsigned long start, unsigned int nr,
			    struct page **pages);
struct page *find_or_create_page(struct address_space *mapping, unsigned long index, gfp_t gfp);
struct page *read_cache_page(struct address_space *mapping, unsigned long index, int *err);
int add_to_page_cache(struct page *page, struct address_space *mapping, unsigned long index,
		      gfp_t gfp);
void remove_from_page_cache(struct page *page);
void truncate_inode_pages(struct address_space *mapping, loff_t from);
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend);
struct inode;
void truncate_setsize(struct inode *inode, loff_t newsize);
struct page *filemap_nopage(struct vm_area_struct *vma, unsigned long address);
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
ssize_t generic_file_read(struct file *f, char *ubuf, size_t count, loff_t *ppos);
ssize_t generic_file_write(struct file *f, const char *ubuf, size_t count, loff_t *ppos);
void memory_init(void);
void set_page_dirty(struct page *page);
void mark_page_accessed(struct page *page);
void lock_page(struct page *page);
void unlock_page(struct page *page);

/* ---- read-ahead (mm/readahead.c) ----------------------------------- */

struct file_ra_state;
void file_ra_state_init(struct file_ra_state *ra);
bool mapping_reads_pages(struct address_space *mapping);
unsigned long default_ra_pages(void);
unsigned long do_page_cache_readahead(struct address_space *mapping, struct file *file,
				      unsigned long offset, unsigned long nr);
void page_cache_readahead(struct address_space *mapping, struct file_ra_state *ra,
			  struct file *file, unsigned long offset, unsigned long req_size);
void page_cache_readaround(struct address_space *mapping, struct vm_area_struct *vma,
			   unsigned long pgoff);

/* ---- shmem: shared anonymous memory and tmpfs (mm/shmem.c, mm/shmem_swap.c) ---- */

/* shmem_getpage's treatment of a hole (Linux's sgp_type) */
enum sgp_type {
	SGP_READ,       /* leave it a hole: NULL (read() reads zeros) */
	SGP_CACHE,      /* fill it with a new zeroed page (faults, write()) */
};

struct inode;

int shmem_zero_setup(struct vm_area_struct *vma);
int shmem_init_inode(struct inode *inode);
struct page *shmem_getpage(struct inode *inode, unsigned long index, enum sgp_type sgp,
			   int *err);
void shmem_truncate_range(struct address_space *mapping, unsigned long start, unsigned long end);

#endif

/*
 * Read-ahead (Linux 2.6.11's mm/readahead.c, its simple part): a file
 * read in order has the pages after the ones asked for read before they
 * are wanted, in windows that double from VM_MIN_READAHEAD pages to the
 * file's ra_pages, one window ahead of the reader, so the disk sees few
 * large requests and works while the reader copies; a random read asks
 * only for its own pages.  Also the read-around of a mapping's fault.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/blkdev.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>

#define VM_MAX_READAHEAD BIO_MAX_PAGES   /* pages: a window is one disk request */
#define VM_MIN_READAHEAD 4

void file_ra_state_init(struct file_ra_state *ra)
{
	*ra = (struct file_ra_state){
		.ra_pages = VM_MAX_READAHEAD,
		.prev_page = ~0UL,           /* a first read at page 0 counts as sequential */
	};
}

/* Does mapping read its pages from a disk (a_ops->readpage): does read-ahead apply? */
bool mapping_reads_pages(struct address_space *mapping)
{
	return mapping->a_ops && mapping->a_ops->readpage;
}

unsigned long default_ra_pages(void)
{
	return VM_MAX_READAHEAD;
}

/* Start the reads of pages (locked, in the cache): in one call if the file system can. */
static void read_pages(struct address_space *mapping, struct file *file, struct page **pages,
		       unsigned int nr)
{
	if (mapping->a_ops->readpages) {
		mapping->a_ops->readpages(file, mapping, pages, nr);
		return;
	}
	for (unsigned int i = 0; i < nr; i++)
		mapping->a_ops->readpage(file, pages[i]);
}

/*
 * Start, without waiting, the reads of the pages of [offset, offset +
 * nr) inside the file that the cache lacks, at most a request's worth at
 * a time.  The pages are allocated first -- nothing sleeps for memory
 * while pages of the batch sit locked in the cache -- and without
 * insisting: read-ahead is a hint, a page that cannot be had is left
 * out.  Returns the pages started.
 */
unsigned long do_page_cache_readahead(struct address_space *mapping, struct file *file,
				      unsigned long offset, unsigned long nr)
{
	loff_t size = mapping->host->i_size;
	unsigned long end = DIV_ROUND_UP(size, PAGE_SIZE), started = 0;

	if (!mapping_reads_pages(mapping) || offset >= end)
		return 0;
	nr = min(nr, end - offset);
	while (nr) {
		unsigned int batch = min(nr, (unsigned long)BIO_MAX_PAGES), n = 0, added = 0;
		struct page *pages[BIO_MAX_PAGES];
		bool short_of_memory = false;

		for (unsigned int i = 0; i < batch; i++) {
			struct page *page = find_get_page(mapping, offset + i);

			if (page) {
				put_page(page);
				continue;
			}
			page = alloc_page(GFP_HIGHUSER | __GFP_NORETRY | __GFP_NOWARN);
			if (!page) {
				short_of_memory = true;
				break;
			}
			page->index = offset + i;
			pages[n++] = page;
		}
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];

			SetPageLocked(page);         /* for readpage(s); readers wait on it */
			if (add_to_page_cache(page, mapping, page->index, GFP_KERNEL)) {
				ClearPageLocked(page);   /* someone else read it meanwhile */
				put_page(page);
				continue;
			}
			lru_cache_add(page);
			count_vm_events(PGPGIN, PAGE_SIZE / 1024);
			pages[added++] = page;
		}
		if (added)
			read_pages(mapping, file, pages, added);
		for (unsigned int i = 0; i < added; i++)
			put_page(pages[i]);          /* the cache keeps its reference */
		started += added;
		if (short_of_memory)
			break;
		offset += batch;
		nr -= batch;
	}
	return started;
}

/*
 * A read of page offset, req_size pages from it being wanted
 * (generic_file_read calls it for each page, filemap_nopage for each
 * fault of a MADV_SEQUENTIAL mapping).  A sequential reader that enters the
 * window read ahead for it makes that the current window and starts the
 * next, twice as large up to ra_pages; a random read, or one past
 * everything read ahead, starts over -- a random one with only its own
 * pages.
 */
void page_cache_readahead(struct address_space *mapping, struct file_ra_state *ra,
			  struct file *file, unsigned long offset, unsigned long req_size)
{
	bool sequential = offset == ra->prev_page + 1 || offset == ra->prev_page;
	unsigned long limit = ra->ra_pages;

	ra->prev_page = offset;
	if (offset >= ra->start && offset < ra->ahead_start)
		return;                              /* already asked for */
	if (!sequential || !limit) {
		ra->start = offset;
		ra->size = min(req_size, (unsigned long)VM_MAX_READAHEAD);
		ra->ahead_start = ra->start + ra->size;
		ra->ahead_size = 0;
		do_page_cache_readahead(mapping, file, ra->start, ra->size);
		return;
	}
	if (ra->ahead_size && offset < ra->ahead_start + ra->ahead_size) {
		ra->start = ra->ahead_start;         /* the reader is in the window ahead */
		ra->size = ra->ahead_size;
	} else {
		ra->start = offset;                  /* a new sequential run */
		ra->size = min(max(req_size, (unsigned long)VM_MIN_READAHEAD), limit);
		do_page_cache_readahead(mapping, file, ra->start, ra->size);
	}
	ra->ahead_start = ra->start + ra->size;
	ra->ahead_size = min(2 * ra->size, limit);
	do_page_cache_readahead(mapping, file, ra->ahead_start, ra->ahead_size);
}

/*
 * A fault on page pgoff of a mapping of file, the page not cached: read
 * the pages around it with it, in one request (2.6's filemap_nopage
 * read-around), as a program's text or data is touched near where it
 * was touched before.  Not for a MADV_RANDOM mapping, nor a
 * MADV_SEQUENTIAL one, whose faults move the read-ahead window instead.
 */
void page_cache_readaround(struct address_space *mapping, struct vm_area_struct *vma,
			   unsigned long pgoff)
{
	struct file *file = vma->vm_file;
	unsigned long nr = file->f_ra.ra_pages;

	if (vma->vm_flags & (VM_RAND_READ | VM_SEQ_READ) || !nr)
		return;
	do_page_cache_readahead(mapping, file, pgoff > nr / 2 ? pgoff - nr / 2 : 0, nr);
}

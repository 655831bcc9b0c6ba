/*
 * The stubs of the filemap lab: what tools/mklab writes in a student tree in
 * place of each "LAB filemap" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/rmap.c page_referenced_file() -- meanwhile no file PTE is ever found young */
	return 0;

/* STUB mm/rmap.c try_to_unmap_file() -- meanwhile a mapped file page stays mapped */
	return SWAP_FAIL;

/* STUB mm/msync.c filemap_sync() -- meanwhile msync leaves the dirty bits in the PTEs */

/* STUB mm/page-writeback.c write_cache_range() -- meanwhile no page is written */
			put_page(page);

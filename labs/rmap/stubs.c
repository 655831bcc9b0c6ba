/*
 * The stubs of the rmap lab: what tools/mklab writes in a student tree in
 * place of each "LAB rmap" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/rmap.c page_check_address() */

/* STUB mm/rmap.c page_referenced_one() -- meanwhile no PTE is ever found young */
	return 0;

/* STUB mm/rmap.c try_to_unmap_one() -- meanwhile every page counts as in use */
	return SWAP_FAIL;

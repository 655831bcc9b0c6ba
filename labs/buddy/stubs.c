/*
 * The stubs of the buddy lab: what tools/mklab writes in a student tree in
 * place of each "LAB buddy" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/page_alloc.c page_is_buddy() */

/* STUB mm/page_alloc.c __free_one_page() */

/* STUB mm/page_alloc.c expand() -- meanwhile the unused pages go back one by one */
	for (unsigned long i = 1UL << low; i < (1UL << high); i++)
		__free_one_page(zone, page + i, 0);

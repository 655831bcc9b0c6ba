/*
 * The stubs of the mremap lab: what tools/mklab writes in a student tree in
 * place of each "LAB mremap" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/mremap.c move_ptes() -- meanwhile only whole page tables move, else ENOMEM */
	return -ENOMEM;

/* STUB mm/mremap.c move_vma() */
	new_pgoff = new_addr >> PAGE_SHIFT;

/*
 * The stubs of the cow lab: what tools/mklab writes in a student tree in
 * place of each "LAB cow" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/memory.c copy_one_pte() -- meanwhile the child gets no PTE here: it faults in a fresh zero page */

/* STUB mm/memory.c do_wp_page() */

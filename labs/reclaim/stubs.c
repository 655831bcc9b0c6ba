/*
 * The stubs of the reclaim lab: what tools/mklab writes in a student tree in
 * place of each "LAB reclaim" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB mm/vmscan.c pageout() */

/* STUB mm/vmscan.c shrink_page_list() -- meanwhile nothing is freed */
		goto activate_locked;

/* STUB mm/memory.c do_swap_page() -- meanwhile a swapped-out page is lost */
	spin_unlock(&mm->page_table_lock);
	unlock_page(page);
	put_page(page);
	return VM_FAULT_SIGBUS;

/*
 * The anonmm scheme's object, for mm/rmap_anonmm.c and its tests.
 */
#ifndef MM_RMAP_ANONMM_H
#define MM_RMAP_ANONMM_H

#include <anvil/mm.h>
#include <anvil/spinlock.h>

/*
 * One per mm that has had anonymous pages (mm->anonmm).  The mms forked
 * from one another form a group: every member's anonmm is on the list of
 * the group's first one, the head, which all the group's pages point at.
 * The head is referenced by each member, so it outlives its own mm.
 */
struct anonmm {
	atomic_t count;            /* its mm's reference, and on the head one per other member */
	raw_spinlock_t lock;       /* the head's guards its list (a member's is unused) */
	struct mm_struct *mm;      /* NULL once the mm has gone (only a head outlives it) */
	struct anonmm *head;       /* the group's head anonmm; itself for the head */
	struct list_head list;     /* on the head: the other members; on a member: its link */
};

/* What page->mapping holds for a page of head's group. */
static inline struct address_space *anonmm_mapping(struct anonmm *head)
{
	return (struct address_space *)((unsigned long)head | PAGE_MAPPING_ANON);
}

/* The group head a mapped anonymous page belongs to. */
static inline struct anonmm *page_anonmm(const struct page *page)
{
	return (struct anonmm *)((unsigned long)page->mapping & ~PAGE_MAPPING_ANON);
}

static inline void anonmm_lock(struct anonmm *head)
{
	raw_spin_lock_class(&head->lock, ANON_VMA_LOCK_CLASS);
}

static inline void anonmm_unlock(struct anonmm *head)
{
	raw_spin_unlock_class(&head->lock);
}

#endif

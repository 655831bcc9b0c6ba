/*
 * Reader/writer semaphores that sleep (mm->mmap_sem): any number of
 * readers (page faults) or one writer (mmap, munmap, brk, exec).
 * Waiters queue in order; a writer waiting blocks new readers, so
 * writers are not starved.
 */
#ifndef ANVIL_RWSEM_H
#define ANVIL_RWSEM_H

#include <anvil/types.h>
#include <anvil/list.h>

struct rw_semaphore {
	int activity;                /* 0 free, >0 readers, -1 a writer */
	struct list_head wait_list;
	const char *name;
};

#define RWSEM_INITIALIZER(n) { 0, LIST_HEAD_INIT((n).wait_list), #n }

static inline void init_rwsem(struct rw_semaphore *sem, const char *name)
{
	sem->activity = 0;
	INIT_LIST_HEAD(&sem->wait_list);
	sem->name = name;
}

void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
bool rwsem_is_locked(const struct rw_semaphore *sem);

#endif

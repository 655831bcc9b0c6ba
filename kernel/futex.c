/*
 * Fast user-space mutexes (Linux's futex(2)).  User space does the
 * locking with atomic instructions on a 32-bit word and calls the kernel
 * only to sleep until the word changes (FUTEX_WAIT) or to wake sleepers
 * (FUTEX_WAKE); the kernel keeps no state for a futex nobody sleeps on.
 * Sleepers wait in a hash table of futex_q entries keyed by the word's
 * identity, as Linux 2.6 keyed them: (mm, address) for a word in private
 * memory, (inode, page offset) for one in a shared mapping, which other
 * processes may map anywhere.  Also the robust-list walk at thread exit.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/futex.h>
#include <anvil/spinlock.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/time.h>
#include <anvil/errno.h>
#include <abi/futex.h>
#include <abi/time.h>

#define FUTEX_HASHBITS 8
#define FUTEX_HASHSIZE (1 << FUTEX_HASHBITS)
#define ROBUST_LIST_LIMIT 2048            /* Linux's bound on a (maybe circular) robust list */
#define FUTEX_OPARG_BITS 12               /* FUTEX_WAKE_OP's signed oparg and cmparg */

/*
 * Which word: for a shared mapping the file's inode (a reference held)
 * and the page's index in it; otherwise the mm and the page's address.
 * offset is the word's place in its page.  The "both" view compares any.
 */
union futex_key {
	struct {
		unsigned long pgoff;
		struct inode *inode;
		unsigned int offset;
	} shared;
	struct {
		unsigned long address;
		struct mm_struct *mm;
		unsigned int offset;
	} private;
	struct {
		unsigned long word;
		void *ptr;
		unsigned int offset;
	} both;
};

/* A sleeper: on its bucket's chain until woken (a waker unlinks it) or it gives up. */
struct futex_q {
	struct list_head list;
	struct task_struct *task;
	union futex_key key;
	bool inode_ref;                   /* key.shared.inode holds a reference */
	u32 bitset;                       /* FUTEX_WAIT_BITSET: which wakes concern it */
};

/*
 * The lock is held only while a chain changes, never across a user
 * access (which may fault and sleep): on one non-preemptive CPU nothing
 * else runs in between, and a waiter queues itself before it reads the
 * word, so a wake that follows a change of the word always finds it.
 */
struct futex_hash_bucket {
	raw_spinlock_t lock;
	struct list_head chain;
};

static struct futex_hash_bucket futex_queues[FUTEX_HASHSIZE];

void futex_init(void)
{
	for (int i = 0; i < FUTEX_HASHSIZE; i++) {
		raw_spin_lock_init(&futex_queues[i].lock);
		INIT_LIST_HEAD(&futex_queues[i].chain);
	}
}

static struct futex_hash_bucket *hash_futex(const union futex_key *key)
{
	unsigned long h = key->both.word ^ (unsigned long)key->both.ptr ^ key->both.offset;

	h ^= h >> 13;
	h *= 0x9e3779b1UL;                /* Knuth's multiplicative hash */
	return &futex_queues[h >> (32 - FUTEX_HASHBITS)];
}

static bool match_futex(const union futex_key *a, const union futex_key *b)
{
	return a->both.word == b->both.word && a->both.ptr == b->both.ptr &&
	       a->both.offset == b->both.offset;
}

/*
 * The key of the word at uaddr.  A FUTEX_PRIVATE_FLAG futex is only ever
 * seen by this process's threads, so (mm, address) will do without a
 * look at the mapping.  Otherwise a shared mapping's word is named by
 * its file page (whoever maps it, wherever), a private mapping's by the
 * mm: its pages are this process's alone (copy-on-write gives another
 * process a copy).  *inode_ref says whether an inode reference was taken.
 */
static int get_futex_key(u32 *uaddr, bool private, union futex_key *key, bool *inode_ref)
{
	unsigned long address = (unsigned long)uaddr;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	*inode_ref = false;
	if (address % sizeof(u32))
		return -EINVAL;
	if (!mm || !access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	key->both.offset = address % PAGE_SIZE;
	address -= key->both.offset;
	if (private) {
		key->private.mm = mm;
		key->private.address = address;
		return 0;
	}
	down_read(&mm->mmap_sem);
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address) {
		up_read(&mm->mmap_sem);
		return -EFAULT;
	}
	if ((vma->vm_flags & VM_SHARED) && vma->vm_file) {
		key->shared.inode = igrab(vma->vm_file->f_inode);
		key->shared.pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT);
		*inode_ref = true;
	} else {
		key->private.mm = mm;
		key->private.address = address;
	}
	up_read(&mm->mmap_sem);
	return 0;
}

static void drop_futex_key(union futex_key *key, bool inode_ref)
{
	if (inode_ref)
		iput(key->shared.inode);
}

static void queue_me(struct futex_q *q)
{
	struct futex_hash_bucket *hb = hash_futex(&q->key);

	raw_spin_lock(&hb->lock);
	list_add_tail(&q->list, &hb->chain);
	raw_spin_unlock(&hb->lock);
}

/* Take q off its chain; false if a waker already had (it was woken). */
static bool unqueue_me(struct futex_q *q)
{
	struct futex_hash_bucket *hb = hash_futex(&q->key);
	bool queued;

	raw_spin_lock(&hb->lock);
	queued = !list_empty(&q->list);
	if (queued)
		list_del_init(&q->list);
	raw_spin_unlock(&hb->lock);
	return queued;
}

/* Unlink q and wake its task; list_empty(&q->list) is what tells the sleeper. */
static void wake_futex(struct futex_q *q)
{
	list_del_init(&q->list);
	wake_up_process(q->task);
}

/*
 * Wake up to nr sleepers on key whose bitset meets bitset; returns how
 * many.  As in Linux, the count is checked after a wake: nr 0 wakes one.
 */
static int futex_wake_key(const union futex_key *key, int nr, u32 bitset)
{
	struct futex_hash_bucket *hb = hash_futex(key);
	struct futex_q *q, *n;
	int woken = 0;

	raw_spin_lock(&hb->lock);
	list_for_each_entry_safe(q, n, &hb->chain, list) {
		if (!match_futex(&q->key, key) || !(q->bitset & bitset))
			continue;
		wake_futex(q);
		if (++woken >= nr)
			break;
	}
	raw_spin_unlock(&hb->lock);
	return woken;
}

static int futex_wake(u32 *uaddr, bool private, int nr, u32 bitset)
{
	union futex_key key;
	bool ref;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &key, &ref);
	if (ret)
		return ret;
	ret = futex_wake_key(&key, nr, bitset);
	drop_futex_key(&key, ref);
	return ret;
}

int futex_wake_address(u32 *uaddr, int nr)
{
	return futex_wake(uaddr, false, nr, FUTEX_BITSET_MATCH_ANY);
}

/*
 * Sleep while *uaddr == val, until a wake, the deadline (jiffies; 0 for
 * none) or a signal.  The value is read after queueing: a waker that
 * changes it and then wakes either is seen here (-EAGAIN) or finds us.
 * Interrupted, an untimed wait restarts as SA_RESTART says; a timed one
 * gives -EINTR to a handler (and restarts from the top without one).
 */
static int futex_wait(u32 *uaddr, bool private, u32 val, unsigned long deadline, u32 bitset)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	u32 uval;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &q.key, &q.inode_ref);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&q.list);
	queue_me(&q);
	if (get_user(uval, uaddr)) {
		ret = -EFAULT;
	} else if (uval != val) {
		ret = -EAGAIN;
	} else {
		for (;;) {
			current->state = TASK_INTERRUPTIBLE;
			if (list_empty(&q.list) || signal_pending(current))
				break;
			if (deadline && (long)(deadline - jiffies) <= 0)
				break;
			schedule_timeout(deadline ? (long)(deadline - jiffies) :
					 MAX_SCHEDULE_TIMEOUT);
		}
		current->state = TASK_RUNNING;
		if (!unqueue_me(&q))
			ret = 0;                  /* woken, whatever else happened too */
		else if (signal_pending(current))
			ret = deadline ? -ERESTARTNOHAND : -ERESTARTSYS;
		else
			ret = -ETIMEDOUT;
		drop_futex_key(&q.key, q.inode_ref);
		return ret;
	}
	unqueue_me(&q);
	drop_futex_key(&q.key, q.inode_ref);
	return ret;
}

/*
 * Wake nr_wake sleepers on uaddr1 and move up to nr_requeue more to
 * uaddr2 without waking them (a condition variable's broadcast: the
 * others would only pile onto the mutex).  FUTEX_CMP_REQUEUE first
 * checks that *uaddr1 is still cmpval.
 */
static int futex_requeue(u32 *uaddr1, bool private, u32 *uaddr2, int nr_wake, int nr_requeue,
			 const u32 *cmpval)
{
	union futex_key key1, key2;
	struct futex_hash_bucket *hb1, *hb2;
	struct futex_q *q, *n;
	bool ref1, ref2;
	int ret, done = 0, moved = 0;
	u32 uval;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = get_futex_key(uaddr1, private, &key1, &ref1);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, private, &key2, &ref2);
	if (ret)
		goto out1;
	if (cmpval) {
		ret = get_user(uval, uaddr1) ? -EFAULT : 0;
		if (!ret && uval != *cmpval)
			ret = -EAGAIN;
		if (ret)
			goto out2;
	}
	hb1 = hash_futex(&key1);
	hb2 = hash_futex(&key2);
	raw_spin_lock(&hb1->lock);
	list_for_each_entry_safe(q, n, &hb1->chain, list) {
		if (!match_futex(&q->key, &key1))
			continue;
		if (done < nr_wake) {
			wake_futex(q);
			done++;
		} else if (moved < nr_requeue) {
			q->key = key2;           /* its inode references are moved below */
			q->inode_ref = ref2;
			if (hb1 != hb2)
				list_move_tail(&q->list, &hb2->chain);
			moved++;
		} else {
			break;
		}
	}
	raw_spin_unlock(&hb1->lock);
	/* each moved sleeper held a reference on key1's inode if any, and now needs key2's */
	for (int i = 0; i < moved; i++) {
		if (ref2)
			igrab(key2.shared.inode);
		drop_futex_key(&key1, ref1);
	}
	ret = done + moved;
out2:
	drop_futex_key(&key2, ref2);
out1:
	drop_futex_key(&key1, ref1);
	return ret;
}

/*
 * Make the word's page present and writable, so that the read-modify-
 * write that follows takes no fault -- and so cannot sleep, letting
 * another thread in between (Linux's fault_in_user_writeable).
 */
static int fault_in_user_writeable(u32 *uaddr)
{
	u32 v;

	if (get_user(v, uaddr) || put_user(v, uaddr))
		return -EFAULT;
	return 0;
}

/* *uaddr op= oparg, atomically on this CPU; the old value in *oldval. */
static int futex_atomic_op(u32 *uaddr, unsigned int op, u32 oparg, u32 *oldval)
{
	u32 old, new;

	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (fault_in_user_writeable(uaddr) || get_user(old, uaddr))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:
		new = oparg;
		break;
	case FUTEX_OP_ADD:
		new = old + oparg;
		break;
	case FUTEX_OP_OR:
		new = old | oparg;
		break;
	case FUTEX_OP_ANDN:
		new = old & ~oparg;
		break;
	default:
		new = old ^ oparg;
		break;
	}
	if (put_user(new, uaddr))
		return -EFAULT;
	*oldval = old;
	return 0;
}

static int sign_extend_oparg(u32 v)
{
	return (int)(v << (32 - FUTEX_OPARG_BITS)) >> (32 - FUTEX_OPARG_BITS);
}

/* FUTEX_WAKE_OP's comparison of the old value; -ENOSYS for an unknown one. */
static int futex_op_cmp(unsigned int cmp, int oldval, int cmparg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return oldval == cmparg;
	case FUTEX_OP_CMP_NE:
		return oldval != cmparg;
	case FUTEX_OP_CMP_LT:
		return oldval < cmparg;
	case FUTEX_OP_CMP_LE:
		return oldval <= cmparg;
	case FUTEX_OP_CMP_GT:
		return oldval > cmparg;
	case FUTEX_OP_CMP_GE:
		return oldval >= cmparg;
	default:
		return -ENOSYS;
	}
}

/*
 * FUTEX_WAKE_OP: change *uaddr2 by the encoded op, wake nr_wake on
 * uaddr1, and nr_wake2 on uaddr2 too if the old *uaddr2 passes the
 * encoded comparison (glibc's condition-variable signal, once).
 */
static int futex_wake_op(u32 *uaddr1, bool private, u32 *uaddr2, int nr_wake, int nr_wake2,
			 u32 encoded_op)
{
	unsigned int op = (encoded_op >> 28) & 7, cmp = (encoded_op >> 24) & 15;
	int oparg = sign_extend_oparg(encoded_op >> 12), cmparg = sign_extend_oparg(encoded_op);
	union futex_key key1, key2;
	bool ref1, ref2;
	u32 oldval;
	int ret, woken;

	/* a shift out of range is taken modulo 32, as Linux does (with a warning) */
	if (encoded_op & ((u32)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = 1 << (oparg & 31);
	ret = get_futex_key(uaddr1, private, &key1, &ref1);
	if (ret)
		return ret;
	ret = get_futex_key(uaddr2, private, &key2, &ref2);
	if (ret)
		goto out1;
	ret = futex_atomic_op(uaddr2, op, (u32)oparg, &oldval);
	if (!ret)
		ret = futex_op_cmp(cmp, (int)oldval, cmparg);
	if (ret < 0)
		goto out2;
	woken = futex_wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (ret)
		woken += futex_wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	ret = woken;
out2:
	drop_futex_key(&key2, ref2);
out1:
	drop_futex_key(&key1, ref1);
	return ret;
}

/*
 * A timeout as the jiffy it ends at (never 0, which means none): FUTEX_WAIT's
 * is relative, FUTEX_WAIT_BITSET's absolute on CLOCK_MONOTONIC, or on
 * CLOCK_REALTIME with FUTEX_CLOCK_REALTIME.  Like nanosleep, it is
 * rounded up and one tick added, so the wait is never short.
 */
static int futex_deadline(const struct abi_timespec64 *ts, bool absolute, bool realtime,
			  unsigned long *deadline)
{
	u64 ns, now_ns = 0;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	ns = (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
	if (absolute) {
		struct abi_timespec64 now;

		clock_get_time(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
		now_ns = (u64)now.tv_sec * NSEC_PER_SEC + (u64)now.tv_nsec;
		ns = ns > now_ns ? ns - now_ns : 0;
	}
	if (ns / TICK_NSEC >= MAX_JIFFY_OFFSET) {
		*deadline = 0;                 /* as good as for ever */
		return 0;
	}
	*deadline = sleep_deadline(ns);
	if (!*deadline)
		*deadline = 1;                 /* a wrapped jiffy 0 is still a deadline */
	return 0;
}

/*
 * futex(2) and futex_time64(2): the timeout argument is a timespec for
 * the waits and the count val2 for the requeues and FUTEX_WAKE_OP (which
 * is why ts is read here, by op).
 */
static long do_futex(u32 *uaddr, int op, u32 val, const struct abi_timespec64 *ts, u32 val2,
		     u32 *uaddr2, u32 val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool private = op & FUTEX_PRIVATE_FLAG, realtime = op & FUTEX_CLOCK_REALTIME;
	unsigned long deadline = 0;
	int err;

	if (realtime && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (ts) {
			err = futex_deadline(ts, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
			if (err)
				return err;
		}
		return futex_wait(uaddr, private, val, deadline, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, private, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, private, uaddr2, (int)val, (int)val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, private, uaddr2, (int)val, (int)val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, private, uaddr2, (int)val, (int)val2, val3);
	default:
		return -ENOSYS;
	}
}

static bool futex_cmd_has_timeout(int op)
{
	int cmd = op & FUTEX_CMD_MASK;

	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

long sys_futex(u32 *uaddr, int op, u32 val, const struct abi_timespec *utime, u32 *uaddr2,
	       u32 val3)
{
	struct abi_timespec t;
	struct abi_timespec64 ts;

	if (utime && futex_cmd_has_timeout(op)) {
		if (copy_from_user(&t, utime, sizeof(t)))
			return -EFAULT;
		ts.tv_sec = t.tv_sec;
		ts.tv_nsec = t.tv_nsec;
	}
	return do_futex(uaddr, op, val, utime && futex_cmd_has_timeout(op) ? &ts : NULL,
			(u32)(unsigned long)utime, uaddr2, val3);
}

long sys_futex_time64(u32 *uaddr, int op, u32 val, const struct abi_timespec64 *utime,
		      u32 *uaddr2, u32 val3)
{
	struct abi_timespec64 ts;

	if (utime && futex_cmd_has_timeout(op) && copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	return do_futex(uaddr, op, val, utime && futex_cmd_has_timeout(op) ? &ts : NULL,
			(u32)(unsigned long)utime, uaddr2, val3);
}

/* ---- robust futexes --------------------------------------------------- */

long sys_set_robust_list(struct robust_list_head *head, size_t len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

long sys_get_robust_list(int pid, struct robust_list_head **head_ptr, size_t *len_ptr)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	if (!p)
		return -ESRCH;
	if (p != current && current->euid != p->euid && current->euid != p->uid &&
	    !capable(CAP_SYS_PTRACE))
		return -EPERM;
	if (put_user(sizeof(**head_ptr), len_ptr) || put_user(p->robust_list, head_ptr))
		return -EFAULT;
	return 0;
}

/*
 * A robust lock word the exiting thread (tid) still owns gets
 * FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and one waiter is woken to
 * take the lock over and make its data consistent.  Not ours: left alone.
 */
static int handle_futex_death(u32 *uaddr, pid_t tid)
{
	u32 uval;

	if ((unsigned long)uaddr % sizeof(u32))
		return -EINVAL;
	if (fault_in_user_writeable(uaddr) || get_user(uval, uaddr))
		return -EFAULT;
	if ((uval & FUTEX_TID_MASK) != (u32)tid)
		return 0;
	if (put_user((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED, uaddr))
		return -EFAULT;
	if (uval & FUTEX_WAITERS)
		futex_wake_address(uaddr, 1);
	return 0;
}

/* An entry's pointer, with bit 0 (the PI flag of a glibc entry) taken off. */
static int fetch_robust_entry(struct robust_list **entry, struct robust_list *const *head)
{
	unsigned long v;

	if (get_user(v, (unsigned long *)head))
		return -EFAULT;
	*entry = (struct robust_list *)(v & ~1UL);
	return 0;
}

/*
 * Walk tsk's robust list at its exit (its mm is still in place): each
 * lock on it, and the one an interrupted lock or unlock had pending.
 * Bounded, since user space may have made the list circular.
 */
void exit_robust_list(struct task_struct *tsk)
{
	struct robust_list_head *head = tsk->robust_list;
	struct robust_list *entry, *next, *pending;
	long futex_offset;
	unsigned int limit = ROBUST_LIST_LIMIT;

	tsk->robust_list = NULL;
	if (fetch_robust_entry(&entry, &head->list.next) ||
	    get_user(futex_offset, &head->futex_offset) ||
	    fetch_robust_entry(&pending, &head->list_op_pending))
		return;
	while (entry != &head->list) {
		/* the next entry first: waking the owner-died waiter may free this one */
		if (fetch_robust_entry(&next, &entry->next))
			return;
		if (entry != pending)
			handle_futex_death((u32 *)((char *)entry + futex_offset), tsk->pid);
		entry = next;
		if (!--limit)
			break;
		cond_resched();
	}
	if (pending)
		handle_futex_death((u32 *)((char *)pending + futex_offset), tsk->pid);
}

/*
 * lockdep: the lock checker, after Linux 2.6.18's.  Each lock belongs to a
 * lock class, named by the lock's name; each task keeps its held locks and
 * where it took them.  Taking a lock checks it against mm/rmap.c's
 * documented order, against the order learned so far (a circular
 * dependency), and against interrupt use; sleeping with a spinlock held
 * is reported with the locks held.  A report is printed and the kernel
 * goes on; the test runner fails a boot whose log has one ("lockdep: ").
 */
#include <anvil/kernel.h>
#include <anvil/lockdep.h>
#include <anvil/sched.h>
#include <anvil/irq.h>
#include <anvil/kallsyms.h>

#define MAX_LOCK_CLASSES 64     /* one bit each in a u64 of lock_after[] */
#define CLASS_CACHE_SIZE 128    /* name pointer -> class; a power of two */
#define MAX_LOCK_DEPS 256       /* learned dependencies whose stacks are kept */
#define REPORT_TRACE_DEPTH 16   /* frames of the current stack in a report */
#define NO_ORDER (-1)

bool debug_locks = true;

/*
 * The lock order of the comment at the top of mm/rmap.c, line by line
 * (tools/styletests.py checks that the two agree): depth is the
 * indentation there.  A documented lock may be taken while holding its
 * ancestors -- the lines above it with less indentation on its branch --
 * and no other documented lock: siblings are never held together.
 */
static const struct lock_order {
	int depth;
	const char *doc;        /* as the comment writes it */
	const char *class;      /* the lock class that lock is; NULL: not tracked */
} lock_order[] = {
	{ 0, "mm->mmap_sem", "mm->mmap_sem" },
	/* PG_locked is dropped by the disk interrupt on the locker's behalf: not a held lock */
	{ 1, "page->flags PG_locked", NULL },
	{ 2, "mapping->i_mmap_lock", "mapping->i_mmap_lock" },
	{ 3, "the scheme's lock", "anon_vma->lock" },
	{ 4, "mm->page_table_lock", "mm->page_table_lock" },
	{ 5, "pte_chain_lock", "pte_chain_lock" },
	{ 5, "zone->lru_lock", "zone->lru_lock" },
	{ 5, "swap_lock", "swap_lock" },
	{ 6, "mmlist_lock", "mmlist_lock" },
	{ 5, "mapping->tree_lock", "mapping->tree_lock" },
	{ 5, "inode_wb_lock", "inode_wb_lock" },
	{ 5, "shmem_swaplist_lock", "shmem_swaplist_lock" },
	{ 5, "shmem_inode_info->lock", "shmem_inode_info->lock" },
};

/* How a class has been used with respect to hardware interrupts. */
enum lock_usage { USED_IN_HARDIRQ, ENABLED_HARDIRQ, NR_LOCK_USAGE };
static const char *const usage_name[NR_LOCK_USAGE] = { "IN-HARDIRQ-W", "HARDIRQ-ON-W" };

struct lock_class {
	const char *name;
	int order;                                   /* lock_order[] index, or NO_ORDER */
	bool sleeping;                               /* a semaphore: may be held across sleep */
	bool usage_reported;
	unsigned int usage_mask;                     /* 1 << enum lock_usage */
	struct stack_trace usage_trace[NR_LOCK_USAGE];   /* the first such use */
};

/* A learned dependency: `to` was taken while `from` was held (the first time, here). */
struct lock_dep {
	unsigned short from, to;
	struct stack_trace from_trace, to_trace;
};

static struct lock_class lock_classes[MAX_LOCK_CLASSES];
static unsigned int nr_lock_classes;
static u64 lock_after[MAX_LOCK_CLASSES];    /* bit b of [a]: b taken while a held */
static u64 order_reported[MAX_LOCK_CLASSES];   /* bit b of [a]: reported out of order */
static struct lock_dep lock_deps[MAX_LOCK_DEPS];
static unsigned int nr_lock_deps;
static struct {
	const char *key;
	unsigned short idx;
} class_cache[CLASS_CACHE_SIZE];
static struct lockdep_capture *capture;

static int order_of(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(lock_order); i++)
		if (lock_order[i].class && !strcmp(lock_order[i].class, name))
			return i;
	return NO_ORDER;
}

/* "turning off the locking correctness validator": a table is full. */
static void lockdep_overflow(const char *what);

/* The class called name, made on first use; -1 when the table is full. */
static int find_class(const char *name, bool sleeping)
{
	unsigned int h = ((unsigned long)name >> 2) & (CLASS_CACHE_SIZE - 1);
	unsigned int idx;

	/* the same string literal comes back each time: its address is the fast key */
	for (unsigned int probe = 0; probe < CLASS_CACHE_SIZE && class_cache[h].key;
	     probe++, h = (h + 1) & (CLASS_CACHE_SIZE - 1))
		if (class_cache[h].key == name)
			return class_cache[h].idx;
	for (idx = 0; idx < nr_lock_classes; idx++)
		if (!strcmp(lock_classes[idx].name, name))
			break;
	if (idx == nr_lock_classes) {
		if (nr_lock_classes == MAX_LOCK_CLASSES) {
			lockdep_overflow("MAX_LOCK_CLASSES");
			return -1;
		}
		lock_classes[idx].name = name;
		lock_classes[idx].order = order_of(name);
		lock_classes[idx].sleeping = sleeping;
		nr_lock_classes++;
	}
	if (!class_cache[h].key) {
		class_cache[h].key = name;
		class_cache[h].idx = idx;
	}
	return idx;
}

/* May documented lock inner be taken while documented lock outer is held? */
static bool order_allows(int outer, int inner)
{
	int depth = lock_order[inner].depth;

	for (int i = inner - 1; i >= 0 && depth > 0; i--) {
		if (lock_order[i].depth >= depth)
			continue;
		if (i == outer)
			return true;
		depth = lock_order[i].depth;
	}
	return false;
}

/* ---- reports ------------------------------------------------------------ */

static void report_title(const char *fmt, ...) __printf(1, 2);

/* The first line of a report: what the test runner looks for, unless a ktest captures it. */
static void report_title(const char *fmt, ...)
{
	char title[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(title, sizeof(title), fmt, ap);
	va_end(ap);
	if (capture) {
		capture->reports++;
		capture->last = fmt;
	}
	printk(KERN_ERR "\n%s %s\n", capture ? "lockdep-test (captured):" : "lockdep:", title);
}

static void print_trace(const struct stack_trace *trace)
{
	print_stack_trace(KERN_ERR, trace->entries, trace->nr_entries);
}

static void print_current_stack(unsigned long ebp)
{
	unsigned long entries[REPORT_TRACE_DEPTH];

	print_stack_trace(KERN_ERR, entries, save_stack_trace(ebp, entries, REPORT_TRACE_DEPTH));
}

static void print_held_locks(const struct lockdep_task *t)
{
	printk(KERN_ERR "%d lock%s held by %s/%d:\n", t->depth, t->depth == 1 ? "" : "s",
	       current->comm, current->pid);
	for (int i = 0; i < t->depth; i++) {
		const struct held_lock *hl = &t->held_locks[i];

		printk(KERN_ERR " #%d: %s (%p)%s, taken at:\n", i, lock_classes[hl->class_idx].name,
		       hl->instance, hl->hardirq_context ? " in an interrupt" : "");
		print_trace(&hl->trace);
	}
}

static void lockdep_overflow(const char *what)
{
	report_title("BUG: %s too low!", what);
	printk(KERN_ERR "turning off the locking correctness validator.\n");
	debug_locks = false;
}

static const struct lock_dep *find_dep(int from, int to)
{
	for (unsigned int i = 0; i < nr_lock_deps; i++)
		if (lock_deps[i].from == from && lock_deps[i].to == to)
			return &lock_deps[i];
	return NULL;
}

static void print_dep(int from, int to)
{
	const struct lock_dep *dep = find_dep(from, to);

	printk(KERN_ERR "-> %s was taken while holding %s:\n", lock_classes[to].name,
	       lock_classes[from].name);
	if (!dep) {
		printk(KERN_ERR "   (its stacks were not kept: MAX_LOCK_DEPS)\n");
		return;
	}
	printk(KERN_ERR "   %s taken at:\n", lock_classes[from].name);
	print_trace(&dep->from_trace);
	printk(KERN_ERR "   %s taken at:\n", lock_classes[to].name);
	print_trace(&dep->to_trace);
}

/* The held lock, then the new one and the current stack: every report's two stacks. */
static void print_both_stacks(const struct held_lock *held, const struct held_lock *new,
			      unsigned long ebp)
{
	printk(KERN_ERR "%s/%d is trying to acquire %s (%p) at:\n", current->comm, current->pid,
	       lock_classes[new->class_idx].name, new->instance);
	print_current_stack(ebp);
	printk(KERN_ERR "but already holds %s (%p), taken at:\n",
	       lock_classes[held->class_idx].name, held->instance);
	print_trace(&held->trace);
}

static void report_order(const struct held_lock *held, const struct held_lock *new,
			 unsigned long ebp)
{
	const struct lock_class *h = &lock_classes[held->class_idx];
	const struct lock_class *n = &lock_classes[new->class_idx];

	report_title("lock order violated: %s taken while holding %s", n->name, h->name);
	printk(KERN_ERR "mm/rmap.c's lock order does not put %s above %s\n", h->name, n->name);
	print_both_stacks(held, new, ebp);
}

/*
 * Shortest chain of learned dependencies from class `from` to class `to`
 * (a breadth-first search of lock_after[]); its classes go in path[],
 * from first; returns how many, 0 when to cannot be reached.
 */
static int find_path(int from, int to, unsigned short *path)
{
	unsigned short parent[MAX_LOCK_CLASSES];
	u64 seen = 1ULL << from, frontier = seen;
	int n = 0;

	while (frontier && !(seen & (1ULL << to))) {
		u64 next = 0;

		for (unsigned int i = 0; i < nr_lock_classes; i++) {
			if (!(frontier & (1ULL << i)))
				continue;
			for (unsigned int j = 0; j < nr_lock_classes; j++) {
				if ((lock_after[i] & (1ULL << j)) && !(seen & (1ULL << j))) {
					parent[j] = i;
					seen |= 1ULL << j;
					next |= 1ULL << j;
				}
			}
		}
		frontier = next;
	}
	if (!(seen & (1ULL << to)))
		return 0;
	for (int c = to; c != from; c = parent[c])
		n++;
	path[n] = to;
	for (int i = n; i > 0; i--)
		path[i - 1] = parent[path[i]];
	return n + 1;
}

static void report_circular(const struct held_lock *held, const struct held_lock *new,
			    const unsigned short *path, int len, unsigned long ebp)
{
	report_title("possible circular locking dependency detected");
	print_both_stacks(held, new, ebp);
	printk(KERN_ERR "which lock already depends on the new lock: the existing dependency "
	       "chain is:\n");
	for (int i = 0; i + 1 < len; i++)
		print_dep(path[i], path[i + 1]);
}

/* ---- the checks --------------------------------------------------------- */

static void record_dep(const struct held_lock *held, const struct held_lock *new)
{
	struct lock_dep *dep;

	lock_after[held->class_idx] |= 1ULL << new->class_idx;
	if (nr_lock_deps == MAX_LOCK_DEPS)
		return;                 /* still checked; only its stacks are not kept */
	dep = &lock_deps[nr_lock_deps++];
	dep->from = held->class_idx;
	dep->to = new->class_idx;
	dep->from_trace = held->trace;
	dep->to_trace = new->trace;
}

/*
 * new is taken while held is: the first time for these two classes, check
 * the documented order (both documented) or the learned one (a chain back
 * from new to held closes a cycle), then learn it.  A pair out of the
 * documented order is not learned, so it is reported once, as that.
 */
static void check_prev(const struct held_lock *held, const struct held_lock *new,
		       unsigned long ebp)
{
	const struct lock_class *h = &lock_classes[held->class_idx];
	const struct lock_class *n = &lock_classes[new->class_idx];
	unsigned short path[MAX_LOCK_CLASSES];
	int len;

	if (lock_after[held->class_idx] & (1ULL << new->class_idx))
		return;
	if (h->order != NO_ORDER && n->order != NO_ORDER && !order_allows(h->order, n->order)) {
		if (!(order_reported[held->class_idx] & (1ULL << new->class_idx)))
			report_order(held, new, ebp);
		order_reported[held->class_idx] |= 1ULL << new->class_idx;
		return;
	}
	len = find_path(new->class_idx, held->class_idx, path);
	if (len)
		report_circular(held, new, path, len, ebp);
	record_dep(held, new);
}

/* An interrupt-safe lock must never be taken with interrupts on, nor the reverse. */
static void mark_usage(struct lock_class *c, enum lock_usage usage, const struct held_lock *new,
		       unsigned long ebp)
{
	enum lock_usage other = usage == USED_IN_HARDIRQ ? ENABLED_HARDIRQ : USED_IN_HARDIRQ;

	if (!(c->usage_mask & (1U << usage))) {
		c->usage_mask |= 1U << usage;
		c->usage_trace[usage] = new->trace;
	}
	if (!(c->usage_mask & (1U << other)) || c->usage_reported)
		return;
	c->usage_reported = true;
	report_title("inconsistent lock state");
	printk(KERN_ERR "inconsistent {%s} -> {%s} usage.\n", usage_name[other], usage_name[usage]);
	printk(KERN_ERR "%s/%d takes %s (%p) %s, at:\n", current->comm, current->pid, c->name,
	       new->instance, usage == USED_IN_HARDIRQ ? "in an interrupt handler"
	       : "with interrupts on");
	print_current_stack(ebp);
	printk(KERN_ERR "{%s} state was registered at:\n", usage_name[other]);
	print_trace(&c->usage_trace[other]);
}

static struct lockdep_task *lockdep_task_enter(unsigned long *flags)
{
	struct lockdep_task *t = &current->lockdep;

	if (!debug_locks || oops_in_progress || t->recursion)
		return NULL;
	local_irq_save(*flags);
	t->recursion++;         /* a report's printk takes logbuf_lock: not checked */
	return t;
}

static void lockdep_task_exit(struct lockdep_task *t, unsigned long flags)
{
	t->recursion--;
	local_irq_restore(flags);
}

void lock_acquire(const void *lock, const char *name, bool sleeping)
{
	unsigned long ebp = read_ebp(), flags;
	struct lockdep_task *t = lockdep_task_enter(&flags);
	struct held_lock *new;
	struct lock_class *c;
	int idx;

	if (!t)
		return;
	idx = find_class(name, sleeping);
	if (idx < 0)
		goto out;
	if (t->depth == MAX_LOCK_DEPTH) {
		lockdep_overflow("MAX_LOCK_DEPTH");
		goto out;
	}
	c = &lock_classes[idx];
	new = &t->held_locks[t->depth];
	new->instance = lock;
	new->class_idx = idx;
	new->hardirq_context = in_irq();
	new->trace.nr_entries = save_stack_trace(ebp, new->trace.entries, LOCKDEP_TRACE_DEPTH);
	if (new->hardirq_context)
		mark_usage(c, USED_IN_HARDIRQ, new, ebp);
	else if ((flags & X86_EFLAGS_IF) && !sleeping)
		mark_usage(c, ENABLED_HARDIRQ, new, ebp);
	/* an interrupt handler's locks depend on each other, not on what it interrupted */
	for (int i = 0; i < t->depth; i++) {
		const struct held_lock *held = &t->held_locks[i];

		if (held->hardirq_context != new->hardirq_context)
			continue;
		if (held->instance == lock) {
			report_title("possible recursive locking detected");
			print_both_stacks(held, new, ebp);
		} else if (held->class_idx != idx) {
			check_prev(held, new, ebp);
		}
	}
	t->depth++;
out:
	lockdep_task_exit(t, flags);
}

void lock_release(const void *lock)
{
	unsigned long ebp = read_ebp(), flags;
	struct lockdep_task *t = lockdep_task_enter(&flags);
	int i;

	if (!t)
		return;
	for (i = t->depth - 1; i >= 0 && t->held_locks[i].instance != lock; i--)
		;
	if (i >= 0) {
		t->depth--;
		for (; i < t->depth; i++)
			t->held_locks[i] = t->held_locks[i + 1];
	} else {
		report_title("bad unlock balance detected!");
		printk(KERN_ERR "%s/%d is trying to release lock (%p) at:\n", current->comm,
		       current->pid, lock);
		print_current_stack(ebp);
		printk(KERN_ERR "but there are no more locks to release!\n");
		print_held_locks(t);
	}
	lockdep_task_exit(t, flags);
}

void lockdep_init_task(struct lockdep_task *t)
{
	t->depth = 0;
	t->recursion = 0;
}

void __might_sleep(const char *file, int line)
{
	unsigned long ebp = read_ebp(), flags;
	struct lockdep_task *t;

	if (!in_atomic())
		return;
	t = lockdep_task_enter(&flags);
	if (!t)
		return;
	report_title("BUG: sleeping function called from invalid context at %s:%d", file, line);
	printk(KERN_ERR "in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n", in_atomic(),
	       !(flags & X86_EFLAGS_IF), current->pid, current->comm);
	print_held_locks(t);
	printk(KERN_ERR "the current stack:\n");
	print_current_stack(ebp);
	lockdep_task_exit(t, flags);
}

void lockdep_capture_start(struct lockdep_capture *c)
{
	c->reports = 0;
	c->last = NULL;
	capture = c;
}

void lockdep_capture_stop(void)
{
	capture = NULL;
}

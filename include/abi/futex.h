/*
 * futex(2) and the robust futex list of the Linux ABI: the operations,
 * their flags, FUTEX_WAKE_OP's encoded operation, and the bits of a
 * robust (owner-recording) lock word.
 */
#ifndef ABI_FUTEX_H
#define ABI_FUTEX_H

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

/* FUTEX_WAKE_OP: (op << 28) | (cmp << 24) | (oparg << 12) | cmparg, 12-bit signed args */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8            /* oparg is a shift: use 1 << oparg */
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5
#define FUTEX_OP(op, oparg, cmp, cmparg)                                               \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) |    \
	 ((cmparg) & 0xfff))

/* a robust lock word: the owner's tid, and these two bits */
#define FUTEX_WAITERS 0x80000000
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK 0x3fffffff

/* set_robust_list(2): the list a thread's robust locks are on, walked when it exits */
struct robust_list {
	struct robust_list *next;
};

struct robust_list_head {
	struct robust_list list;          /* the first lock's entry; the list ends back here */
	long futex_offset;                /* from an entry to its lock word */
	struct robust_list *list_op_pending;   /* a lock being taken or released */
};

#endif

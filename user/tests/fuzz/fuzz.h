/*
 * The system-call fuzzer's shared pieces: the seeded generator and the
 * argument sets (args.c), the weighted call table (calls.c), the segment
 * and TLS calls of -s (seg.c), one batch in a child process (batch.c) and
 * the campaign with its leak check (main.c).  Same seed (and -s or not),
 * same calls.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>

#define PAGE 4096UL
/* The address range the memory calls play in: mapped afresh by every batch. */
#define ARENA_BASE 0x50000000UL
#define ARENA_PAGES 8192UL      /* 32 MiB: more than the suite's RAM, so it swaps */
#define ARENA_END (ARENA_BASE + ARENA_PAGES * PAGE)
#define LOG_FD 199              /* the verbose log's copy of stdout: above every fuzzed fd */
#define ZERO_FD (LOG_FD - 1)    /* /dev/zero, for the touches */
#define MAX_FUZZ_FD 16          /* descriptors the calls use: 0 .. MAX_FUZZ_FD-1 */

/* What an argument is drawn from. */
enum arg_kind {
	A_NONE,
	A_INT,       /* 0, 1, -1, small, extremes, random */
	A_FD,        /* small descriptors, -1, AT_FDCWD, just past the table */
	A_PATH,      /* a relative name in the scratch directory, or a bad pointer */
	A_BUF,       /* an arena or own buffer, NULL, unaligned, kernel, unmapped */
	A_LEN,       /* 0, 1, a page, huge, -1, random */
	A_FLAGS,     /* random bits, 0, all bits */
	A_ADDR,      /* arena pages (aligned or not), 0, kernel, the top page */
	A_PID,       /* only ever this process, a child of it, 0 or a pid nobody has */
	A_SIG,       /* 0 .. 64 and a few bad numbers; never a stopping signal */
	/* seg.c's */
	A_TLS_ENTRY, /* -1 (a free slot), the TLS slots, other GDT slots, random */
	A_SEG_BASE,  /* 0, the arena, kernel addresses, random */
	A_SEG_LIMIT, /* 4 GiB in pages, 0, 64 KiB, random */
	A_DESC_FLAGS,/* struct user_desc's flag bits: flat data, empty, not present, 16-bit, code */
	A_DESC_PTR,  /* where the user_desc is: ours, unaligned, NULL, kernel, across the arena's end */
	A_SEL,       /* a selector: the TLS ones, user, kernel, LDT, null, random */
	A_SEG_REG,   /* which segment register gets it */
	A_SEG_WHILE, /* what the system call made with it loaded does */
	NR_ARG_KINDS
};

/* How a table entry is made. */
enum call_how {
	PLAIN,       /* the system call nr with generated arguments */
	SPAWN,       /* fork/vfork/clone: the new process exits at once, touching no memory */
	TOUCH,       /* not a call: dirty arena pages (the kernel writes them, so holes give EFAULT) */
	UNKNOWN,     /* a number anvil does not implement */
	OWN,         /* made by make(a), guarded: a user-mode fault ends the call, not the batch */
};

#define WEIGHT_UNIT 8            /* call table weights are in these */

struct fuzz_call {
	const char *name;
	long nr;
	unsigned char how;
	unsigned char weight;
	unsigned char arg[6];
	/* rewrites arguments that would end the run (see calls.c); NULL if none */
	void (*sanitise)(long *a);
	long (*make)(const long *a);     /* OWN */
};

/* Table entries: a plain call with a sanitiser (S) or without one (C). */
#define S(call, w, san, ...)                                                         \
	{ .name = #call, .nr = __NR_##call, .how = PLAIN, .weight = (w) * WEIGHT_UNIT,      \
	  .arg = { __VA_ARGS__ }, .sanitise = san }
#define C(call, w, ...) S(call, w, NULL, __VA_ARGS__)

#define MAX_FILE_WRITE (1UL << 20)   /* bytes a call may put in a file (ramfs has no limit) */
#define MAX_ALARM_S 2                /* alarm and ITIMER_REAL stay short: the batch's watchdog */

/*
 * The tables: fuzz_calls always; with -s, those added after the replays
 * were recorded (which would draw the replays' calls otherwise): seg_calls
 * (segments and TLS, seg.c), then abi_calls (the later ABI calls, abicalls.c);
 * with -d, file_calls (abicalls.c: files on a disk, mapped and synced) last.
 */
extern const struct fuzz_call fuzz_calls[], seg_calls[], abi_calls[], file_calls[];
extern const unsigned nr_fuzz_calls, nr_seg_calls, nr_abi_calls, nr_file_calls;

/* What a batch tells the campaign, in a page they share. */
#define FINDING_TEXT 240
struct fuzz_shared {
	unsigned done;                   /* calls started in this batch */
	unsigned findings;               /* an oracle saw the kernel misbehave (seg.c) */
	char first_finding[FINDING_TEXT];
};
extern volatile struct fuzz_shared *fuzz_shared;
/* The call being made, for findings and the log. */
extern uint32_t cur_seed, cur_batch;
extern unsigned cur_call;
extern int fuzz_verbose;

/* The generator: xorshift32, reseeded per batch so a batch's calls depend on (seed, batch) only. */
void rng_seed(uint32_t seed, uint32_t batch);
/* Its pieces, for the threads of -t, each with a generator of its own (threads.c). */
uint32_t rng_mix(uint32_t seed, uint32_t batch);
uint32_t xorshift(uint32_t *s);
uint32_t rnd(void);
uint32_t rnd_below(uint32_t n);

long gen_arg(enum arg_kind kind);
/* A page-aligned address in the arena. */
unsigned long arena_addr(void);
/* The pid a fork made last (what A_PID calls a child of this process). */
extern long last_child;
extern long self_pid;

/* seg.c: the generators of its argument kinds, its calls' guard, its oracles. */
long gen_tls_entry(void);
long gen_seg_base(void);
long gen_seg_limit(void);
long gen_desc_flags(void);
long gen_desc_ptr(void);
long gen_sel(void);
long gen_seg_reg(void);
long gen_seg_while(void);
long guarded_call(const struct fuzz_call *c, const long *a);
void seg_setup(void);
void check_handler_flags(void);
void note_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Run one batch of calls in this (child) process, with seg_calls and abi_calls too if
 * segments, file_calls if files (-d); never returns.
 */
void run_batch(uint32_t seed, uint32_t batch, unsigned calls, int verbose, int segments,
	       int files) __attribute__((noreturn));

/*
 * The batch's process as run_batch sets it up (descriptors, the arena, signals,
 * the watchdog alarm); for run_thread_batch, without -s's handlers.
 */
void batch_setup(int verbose);

/*
 * -t: run one batch as `threads` threads of this process making memory and
 * process calls at once (threads.c); never returns.
 */
void run_thread_batch(uint32_t seed, uint32_t batch, unsigned calls, int verbose,
		      unsigned threads) __attribute__((noreturn));

#endif

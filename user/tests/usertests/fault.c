/*
 * Faults become signals: user reads, writes and jumps to kernel addresses
 * and NULL give SIGSEGV, privileged instructions SIGSEGV, ud2 SIGILL, an
 * integer divide by zero SIGFPE, int3 SIGTRAP -- with Linux's siginfo.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ut.h"

static void t_kernel_access(void)
{
	static const unsigned long addrs[] = { 0xC0000000, 0xC0100000, 0xC0400000, 0xFFFFF000 };
	static const char *const how[] = { "reading", "writing", "calling" };

	for (int i = 0; i < 4; i++)
		for (int h = 0; h < 3; h++) {
			int sig = touch_signal(ADDR(addrs[i]), h);

			CHECK(sig == SIGSEGV, "%s %#lx: %s, want SIGSEGV", how[h], addrs[i],
			      sig ? signal_name(sig) : "no signal");
		}
	for (int h = 0; h < 3; h++)
		CHECK(touch_signal(NULL, h) == SIGSEGV, "%s NULL: no SIGSEGV", how[h]);
}

/* Instructions that fault, each at a label the siginfo checks can find. */
void ud2_at(void), idiv_at(void), hlt_at(void), cli_at(void), in_at(void), int3_at(void);
__asm__(".text\n"
	".globl ud2_at\nud2_at: ud2\n"
	".globl idiv_at\nidiv_at: xorl %ecx, %ecx\n movl $1, %eax\n cltd\n idivl %ecx\n ret\n"
	".globl hlt_at\nhlt_at: hlt\n ret\n"
	".globl cli_at\ncli_at: cli\n ret\n"
	".globl in_at\nin_at: inb $0x80, %al\n ret\n"
	".globl int3_at\nint3_at: int3\n ret\n");

static void run_fn(void *arg)
{
	((void (*)(void))arg)();
}

static void divide(void *arg)
{
	volatile int a = (int)(long)arg, b = a == 1 ? 0 : -1;

	_exit(a / b == 12345);
}

static void t_cpu_exceptions(void)
{
	static const struct { void (*fn)(void); int sig; const char *what; } cases[] = {
		{ ud2_at, SIGILL, "ud2" }, { idiv_at, SIGFPE, "idiv by zero" },
		{ hlt_at, SIGSEGV, "hlt" }, { cli_at, SIGSEGV, "cli" },
		{ in_at, SIGSEGV, "inb" }, { int3_at, SIGTRAP, "int3" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_child_signal(run_in_child(run_fn, cases[i].fn), cases[i].sig, cases[i].what);
	check_child_signal(run_in_child(divide, (void *)1L), SIGFPE, "C 1 / 0");
	check_child_signal(run_in_child(divide, (void *)(long)-2147483647 - 1), SIGFPE,
			   "C INT_MIN / -1");
}

/* ---- siginfo of a fault ---- */

static volatile unsigned long want_addr;
static volatile int want_sig, want_code;

static void on_fault(int sig, siginfo_t *info, void *uc)
{
	if (sig != want_sig || info->si_signo != want_sig)
		_exit(10);
	if (info->si_code != want_code)
		_exit(11);
	if ((unsigned long)info->_sifields.fault.si_addr != want_addr)
		_exit(12);
	_exit(0);
}

struct fault_case {
	const char *what;
	int sig, code, how;        /* how: 0 read, 1 write, 2 call */
	unsigned long addr;        /* what to touch and the si_addr wanted */
	void (*fn)(void);          /* or: run this, si_addr is its address */
};

static void fault_child(void *arg)
{
	const struct fault_case *c = arg;
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };

	want_sig = c->sig;
	want_code = c->code;
	want_addr = c->fn ? (unsigned long)c->fn : c->addr;
	sigaction(c->sig, &sa, NULL);
	if (c->fn)
		c->fn();
	else if (c->how == 0)
		(void)*(volatile char *)c->addr;
	else if (c->how == 1)
		*(volatile char *)c->addr = 1;
	else
		((void (*)(void))c->addr)();
	_exit(13);
}

static void t_fault_siginfo(void)
{
	char *ro = (char *)CHECK_OK(mmap(NULL, 2 * PGSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
					 -1, 0));
	struct fault_case cases[] = {
		{ "write to 0xc0000000", SIGSEGV, SEGV_MAPERR, 1, 0xC0000000, NULL },
		{ "read of 0xc0100010", SIGSEGV, SEGV_MAPERR, 0, 0xC0100010, NULL },
		{ "call of 0xc0100000", SIGSEGV, SEGV_MAPERR, 2, 0xC0100000, NULL },
		{ "read of an unmapped page", SIGSEGV, SEGV_MAPERR, 0, (unsigned long)ro + PGSZ + 8, NULL },
		{ "write to a read-only page", SIGSEGV, SEGV_ACCERR, 1, (unsigned long)ro + 4, NULL },
		{ "ud2", SIGILL, ILL_ILLOPN, 0, 0, ud2_at },
	};

	CHECK_OK(munmap(ro + PGSZ, PGSZ));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static const char *const why[] = { "wrong signal", "wrong si_code", "wrong si_addr",
						   "no fault" };
		int status = run_in_child(fault_child, &cases[i]);

		CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%s: %s", cases[i].what, WIFEXITED(status) && WEXITSTATUS(status) >= 10 &&
		      WEXITSTATUS(status) <= 13 ? why[WEXITSTATUS(status) - 10] : status_str(status));
	}
}

const struct subtest fault_tests[] = {
	{ "kernel_access_segv", t_kernel_access, 0 },
	{ "cpu_exceptions", t_cpu_exceptions, 0 },
	{ "fault_siginfo", t_fault_siginfo, T_VM },
	{ NULL },
};

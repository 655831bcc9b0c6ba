/*
 * execve: exit statuses through exec, its errors, what survives it (pid,
 * descriptors without FD_CLOEXEC, cwd, ignored signals, the mask, pending
 * signals) and what does not (handlers, mappings), and the start-up stack
 * as Linux lays it out (argc, argv, envp, auxv).  The checks after the
 * exec run in this same program, started in one of its helper modes.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "ut.h"

struct elf32_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define PT_LOAD 1
#define PF_X 1

extern const struct elf32_ehdr __ehdr_start;   /* the linker's: our own ELF header */
extern void _start(void);

/* Exec this program in helper mode: argv = { argv0, "--name", report fd, args... }. */
static void exec_helper(const char *argv0, const char *name, char *const args[], char *const envp[])
{
	char *argv[16], mode[32], fd[16];
	int n = 0;

	snprintf(mode, sizeof(mode), "--%s", name);
	snprintf(fd, sizeof(fd), "%d", report_fd);
	argv[n++] = (char *)argv0;
	argv[n++] = mode;
	argv[n++] = fd;
	while (args && *args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	execve(self_path, argv, envp ? envp : environ);
	fail("execve %s: %s", self_path, errno_name(errno));
}

static void exec_exit_child(void *arg)
{
	char *args[] = { arg, NULL };

	exec_helper(self_path, "exit", args, NULL);
}

static void t_exec_status(void)
{
	static char *const codes[] = { "0", "1", "42", "255" };

	for (int i = 0; i < 4; i++) {
		int status = run_in_child(exec_exit_child, codes[i]);

		CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == atoi(codes[i]),
		      "exec'd program exiting %s: %s", codes[i], status_str(status));
	}
}

static void t_exec_errors(void)
{
	char *argv[] = { "x", NULL };
	int fd;

	CHECK_ERR(execve("/nonexistent/program", argv, environ), ENOENT);
	CHECK_ERR(execve(scratch_dir(), argv, environ), EACCES);
	fd = CHECK_OK(open(scratch_path("text"), O_CREAT | O_WRONLY, 0755));
	CHECK_OK(write(fd, "not an ELF file\n", 16));
	close(fd);
	CHECK_ERR(execve(scratch_path("text"), argv, environ), ENOEXEC);
	CHECK_ERR(execve(scratch_path("text/x"), argv, environ), ENOTDIR);
	fd = CHECK_OK(open(scratch_path("noexec"), O_CREAT | O_WRONLY, 0644));
	close(fd);
	CHECK_ERR(execve(scratch_path("noexec"), argv, environ), EACCES);
	CHECK_ERR(execve("", argv, environ), ENOENT);
}

/* ---- what survives execve ---- */

static void on_usr1(int sig)
{
}

static void exec_state_child(void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t set;
	char pid[16], keep[16], cloexec[16];
	char *args[] = { pid, keep, cloexec, (char *)scratch_dir(), NULL };
	int k = CHECK_OK(open("/", O_RDONLY)), c = CHECK_OK(open("/", O_RDONLY | O_CLOEXEC));

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(keep, sizeof(keep), "%d", k);
	snprintf(cloexec, sizeof(cloexec), "%d", c);
	CHECK_OK(chdir(scratch_dir()));
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	CHECK_OK(sigaction(SIGUSR2, &sa, NULL));
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	CHECK_OK(kill(getpid(), SIGHUP));     /* stays pending across the exec */
	exec_helper(self_path, "exec-state", args, NULL);
}

static int helper_exec_state(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set, pending;
	char cwd[256];

	CHECK(argc == 4, "exec-state: %d arguments", argc);
	CHECK(getpid() == atoi(argv[0]), "pid %d after exec, was %s", (int)getpid(), argv[0]);
	CHECK(fcntl(atoi(argv[1]), F_GETFD) == 0, "a descriptor without FD_CLOEXEC was closed");
	CHECK_ERR(fcntl(atoi(argv[2]), F_GETFD), EBADF);
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, argv[3]), "cwd %s after exec, was %s",
	      cwd, argv[3]);
	CHECK_OK(sigaction(SIGUSR1, NULL, &sa));
	CHECK(sa.sa_handler == SIG_DFL, "a caught signal's handler survived exec");
	CHECK_OK(sigaction(SIGUSR2, NULL, &sa));
	CHECK(sa.sa_handler == SIG_IGN, "an ignored signal was not ignored after exec");
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &set));
	CHECK(sigismember(&set, SIGTERM) && sigismember(&set, SIGHUP) &&
	      !sigismember(&set, SIGUSR1), "signal mask not kept across exec");
	CHECK_OK(syscall(__NR_rt_sigpending, &pending, sizeof(pending)));
	CHECK(sigismember(&pending, SIGHUP), "a pending signal was lost across exec");
	return 0;
}

static void t_exec_keeps_state(void)
{
	check_child_ok(run_in_child(exec_state_child, NULL), "after exec");
}

/* ---- the old address space is gone ---- */

static void exec_mm_child(void *arg)
{
	char addr[16];
	char *args[] = { addr, NULL };
	char *p = (char *)CHECK_OK(mmap(NULL, PGSZ, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	p[0] = 1;
	snprintf(addr, sizeof(addr), "%lx", (unsigned long)p);
	exec_helper(self_path, "exec-mm", args, NULL);
}

static int helper_exec_mm(int argc, char **argv)
{
	void *p = (void *)strtoul(argv[0], NULL, 16);
	int sig = touch_signal(p, 0);

	CHECK(sig == SIGSEGV, "a mapping from before exec is still there (touching it: %s)",
	      sig ? signal_name(sig) : "no signal");
	return 0;
}

static void t_exec_replaces_mm(void)
{
	check_child_ok(run_in_child(exec_mm_child, NULL), "after exec");
	check_rmap("after exec");
}

/* ---- the start-up stack ---- */

static char *const auxv_envp[] = { "UT_A=1", "UT_B=two words", "EMPTY=", NULL };

struct auxv_run {
	int out;          /* where the helper writes its AT_RANDOM bytes */
};

static void exec_auxv_child(void *arg)
{
	struct auxv_run *r = arg;
	char out[16];
	char *args[] = { out, (char *)self_path, "", "a b", NULL };

	snprintf(out, sizeof(out), "%d", r->out);
	exec_helper("ut-argv0", "auxv", args, auxv_envp);
}

static int main_argc;
static char **main_argv;

static int helper_auxv(int argc, char **argv)
{
	static const char *const want_argv[] = { "ut-argv0", "--auxv", NULL, NULL, NULL, "", "a b" };
	const struct elf32_ehdr *eh = &__ehdr_start;
	const struct elf32_phdr *ph;
	long *sp = (long *)main_argv - 1;
	char **envp = main_argv + main_argc + 1, **e;
	unsigned long *auxv, *a, at[32] = { 0 };
	const char *expect_next;
	int found_entry = 0;

	CHECK(((unsigned long)sp & 15) == 0, "the initial stack pointer %p is not 16-byte aligned",
	      (void *)sp);
	CHECK(sp[0] == main_argc && main_argc == 7, "argc %ld, want 7", sp[0]);
	CHECK(main_argv[main_argc] == NULL, "argv is not NULL-terminated");
	for (int i = 0; i < main_argc; i++)
		CHECK(!want_argv[i] || !strcmp(main_argv[i], want_argv[i]), "argv[%d] is \"%s\", want \"%s\"",
		      i, main_argv[i], want_argv[i]);
	for (e = envp; *e; e++)
		CHECK(e - envp < 3 && !strcmp(*e, auxv_envp[e - envp]), "envp[%d] is \"%s\"",
		      (int)(e - envp), *e);
	CHECK(e - envp == 3, "%d environment strings, want 3", (int)(e - envp));
	/* argv and envp strings lie back to back (what /proc/PID/cmdline and environ read) */
	expect_next = main_argv[0];
	for (int i = 0; i < main_argc + 3; i++) {
		const char *s = i < main_argc ? main_argv[i] : envp[i - main_argc];

		CHECK(s == expect_next, "argument/environment string %d is not right after the previous one", i);
		expect_next = s + strlen(s) + 1;
	}

	auxv = (unsigned long *)(e + 1);
	for (a = auxv; a[0] != AT_NULL; a += 2) {
		CHECK(a - auxv < 128, "no AT_NULL in the first 64 auxv entries");
		if (a[0] < 32)
			at[a[0]] = a[1];
	}
	CHECK((char *)(a + 2) <= main_argv[0], "the strings are not above the auxv");
	CHECK(at[AT_PAGESZ] == 4096, "AT_PAGESZ %lu", at[AT_PAGESZ]);
	CHECK(!memcmp(eh->ident, "\177ELF", 4), "__ehdr_start is not an ELF header");
	CHECK(at[AT_PHDR] == (unsigned long)eh + eh->phoff, "AT_PHDR %#lx, want %#lx",
	      at[AT_PHDR], (unsigned long)eh + eh->phoff);
	CHECK(at[AT_PHENT] == sizeof(struct elf32_phdr) && eh->phentsize == at[AT_PHENT],
	      "AT_PHENT %lu", at[AT_PHENT]);
	CHECK(at[AT_PHNUM] == eh->phnum, "AT_PHNUM %lu, want %u", at[AT_PHNUM], eh->phnum);
	CHECK(at[AT_ENTRY] == (unsigned long)_start && eh->entry == at[AT_ENTRY],
	      "AT_ENTRY %#lx, _start is %p", at[AT_ENTRY], (void *)_start);
	ph = (const struct elf32_phdr *)at[AT_PHDR];
	for (unsigned i = 0; i < at[AT_PHNUM]; i++)
		if (ph[i].type == PT_LOAD && (ph[i].flags & PF_X) && ph[i].vaddr <= at[AT_ENTRY] &&
		    at[AT_ENTRY] < ph[i].vaddr + ph[i].memsz)
			found_entry = 1;
	CHECK(found_entry, "no executable PT_LOAD at AT_PHDR holds the entry point");
	CHECK(at[AT_BASE] == 0, "AT_BASE %#lx in a static program", at[AT_BASE]);
	CHECK(at[AT_UID] == getuid() && at[AT_EUID] == geteuid() && at[AT_GID] == getgid() &&
	      at[AT_EGID] == getegid(), "AT_UID/EUID/GID/EGID differ from the system calls'");
	CHECK(at[AT_EXECFN] && !strcmp((char *)at[AT_EXECFN], argv[1]),
	      "AT_EXECFN \"%s\", want \"%s\"", at[AT_EXECFN] ? (char *)at[AT_EXECFN] : "(none)",
	      argv[1]);
	CHECK(at[AT_RANDOM] > (unsigned long)(a + 2), "AT_RANDOM %#lx is not on the stack above the auxv",
	      at[AT_RANDOM]);
	CHECK(!all_zero((void *)at[AT_RANDOM], 16), "AT_RANDOM's 16 bytes are all zero");
	CHECK(getauxval(AT_PAGESZ) == 4096, "getauxval(AT_PAGESZ)");
	CHECK(write(atoi(argv[0]), (void *)at[AT_RANDOM], 16) == 16, "writing AT_RANDOM");
	return 0;
}

static void t_exec_auxv(void)
{
	unsigned char random[2][16];
	int fds[2];

	CHECK_OK(pipe(fds));
	for (int i = 0; i < 2; i++) {
		struct auxv_run r = { fds[1] };

		check_child_ok(run_in_child(exec_auxv_child, &r), "the exec'd program's checks");
		CHECK(read(fds[0], random[i], 16) == 16, "no AT_RANDOM bytes from the exec'd program");
	}
	CHECK(memcmp(random[0], random[1], 16) != 0, "two execs got the same AT_RANDOM bytes");
}

static int helper_exit(int argc, char **argv)
{
	return atoi(argv[0]);
}

struct helper {
	const char *name;
	int (*fn)(int argc, char **argv);   /* argv: the arguments after the report fd */
};

static const struct helper exec_helpers[] = {
	{ "exit", helper_exit },
	{ "exec-state", helper_exec_state },
	{ "exec-mm", helper_exec_mm },
	{ "auxv", helper_auxv },
	{ NULL },
};

/* Keeps the start-up arguments for helper_auxv. */
int run_helper(int argc, char **argv)
{
	main_argc = argc;
	main_argv = argv;
	for (const struct helper *h = exec_helpers; h->name; h++)
		if (!strcmp(argv[1] + 2, h->name)) {
			report_fd = atoi(argv[2]);
			return h->fn(argc - 3, argv + 3);
		}
	dprintf(2, "usertests: no helper %s\n", argv[1]);
	return 127;
}

const struct subtest exec_tests[] = {
	{ "exec_status", t_exec_status, 0 },
	{ "exec_errors", t_exec_errors, 0 },
	{ "exec_keeps_state", t_exec_keeps_state, 0 },
	{ "exec_replaces_mm", t_exec_replaces_mm, T_VM },
	{ "exec_auxv", t_exec_auxv, 0 },
	{ NULL },
};

/*
 * Core dumps: a SIGSEGV with RLIMIT_CORE unlimited writes "core" in the
 * working directory -- an ELF core whose NT_PRSTATUS names the signal and
 * the pid and whose PT_LOADs hold the process's memory -- and the wait
 * status has the core bit.  SIGABRT dumps too, SIGTERM does not.  No
 * core (and no core bit) with RLIMIT_CORE 0 or one too small for the
 * dump, nor through a symbolic link named "core".  waitid and SIGCHLD
 * report a dump as CLD_DUMPED.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ut.h"

#define PAGE 4096
#define ET_CORE 4
#define PT_LOAD 1
#define PT_NOTE 4
#define NT_PRSTATUS 1
#define PRSTATUS_CURSIG 12        /* offsets in i386's struct elf_prstatus */
#define PRSTATUS_PID 24
#define MARKER_SEED 0xc02e
#define CORE_MAX (8 << 20)

struct ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* found again in the core; one page, so in one mapping */
static unsigned marker[PAGE / sizeof(unsigned)] __attribute__((aligned(PAGE)));

static void crash(void *sig)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	fill_pattern(marker, sizeof(marker), MARKER_SEED);
	setrlimit(RLIMIT_CORE, &r);
	if (chdir(scratch_dir()) < 0)
		_exit(1);
	if ((long)sig == SIGSEGV)
		*(volatile int *)0 = 1;
	kill(getpid(), (int)(long)sig);
	_exit(2);
}

static char *read_core(const char *path, size_t *len)
{
	char *buf = malloc(CORE_MAX);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, CORE_MAX);

	if (fd >= 0)
		close(fd);
	CHECK(n > 0, "no core file: %s", errno_name(errno));
	*len = n;
	return buf;
}

/* The core's note and loads: right signal and pid, and marker's bytes at marker's address. */
static void check_core(const char *core, size_t len, int sig, pid_t pid)
{
	const struct ehdr *eh = (const void *)core;
	const struct phdr *ph = (const void *)(core + eh->phoff);
	bool note = false, found = false;

	CHECK(len > sizeof(*eh) && !memcmp(eh->ident, "\177ELF", 4) && eh->type == ET_CORE,
	      "not an ELF core");
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_NOTE) {
			const char *desc = core + ph[i].offset + 20;   /* namesz, descsz, type, "CORE" */

			CHECK(*(const uint32_t *)(core + ph[i].offset + 8) == NT_PRSTATUS,
			      "the first note is not NT_PRSTATUS");
			CHECK(*(const short *)(desc + PRSTATUS_CURSIG) == sig &&
			      *(const int *)(desc + PRSTATUS_PID) == pid,
			      "NT_PRSTATUS: signal %d pid %d, want %d %d",
			      *(const short *)(desc + PRSTATUS_CURSIG), *(const int *)(desc + PRSTATUS_PID),
			      sig, (int)pid);
			note = true;
		}
		if (ph[i].type == PT_LOAD && ph[i].vaddr <= (uintptr_t)marker &&
		    (uintptr_t)marker + sizeof(marker) <= ph[i].vaddr + ph[i].filesz) {
			CHECK(ph[i].offset + ph[i].filesz <= len, "a PT_LOAD past the end of the core");
			CHECK(check_pattern(core + ph[i].offset + ((uintptr_t)marker - ph[i].vaddr),
					    sizeof(marker), MARKER_SEED) < 0,
			      "the core holds other bytes than the process had");
			found = true;
		}
	}
	CHECK(note && found, "no NT_PRSTATUS note (%d) or no PT_LOAD holding the data (%d)",
	      note, found);
}

static void dump_and_check(int sig)
{
	pid_t pid = CHECK_OK(spawn(crash, (void *)(long)sig));
	int status = wait_status(pid, 0);
	size_t len;
	char *core;

	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig && WCOREDUMP(status),
	      "%s: status %#x, want the signal with the core bit", signal_name(sig), status);
	core = read_core(scratch_path("core"), &len);
	check_core(core, len, sig, pid);
	free(core);
	CHECK_OK(unlink(scratch_path("core")));
}

static void t_core_segv(void)
{
	dump_and_check(SIGSEGV);
}

static void t_core_abort(void)
{
	dump_and_check(SIGABRT);
}

/* SIGTERM's default action terminates without a core. */
static void t_core_not_for_sigterm(void)
{
	int status = run_in_child(crash, (void *)(long)SIGTERM);

	CHECK(WIFSIGNALED(status) && !WCOREDUMP(status), "SIGTERM: status %#x", status);
	CHECK_ERR(access(scratch_path("core"), F_OK), ENOENT);
}

static void small_limit(void *limit)
{
	struct rlimit r = { (rlim_t)(long)limit, (rlim_t)(long)limit };

	setrlimit(RLIMIT_CORE, &r);
	if (chdir(scratch_dir()) < 0)
		_exit(1);
	*(volatile int *)0 = 1;
}

static void t_core_limits(void)
{
	int status = run_in_child(small_limit, (void *)0L);

	CHECK(WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status), "RLIMIT_CORE 0: status %#x",
	      status);
	CHECK_ERR(access(scratch_path("core"), F_OK), ENOENT);
	status = run_in_child(small_limit, (void *)(long)PAGE);
	CHECK(WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status),
	      "RLIMIT_CORE of one page: status %#x, the core bit for a cut core", status);
}

#define STUDENT 1000

/* A process whose effective id changed is not dumpable (Linux's suid_dumpable 0), even as root again. */
static void crash_after_seteuid(void *arg)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_CORE, &r);
	if (chdir(scratch_dir()) < 0 || seteuid(STUDENT) < 0 || seteuid(0) < 0)
		_exit(1);
	*(volatile int *)0 = 1;
}

static void t_core_not_after_id_change(void)
{
	int status = run_in_child(crash_after_seteuid, NULL);

	CHECK(WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status), "status %#x", status);
	CHECK_ERR(access(scratch_path("core"), F_OK), ENOENT);
}

static void t_core_not_through_symlink(void)
{
	int status;

	CHECK_OK(symlink("elsewhere", scratch_path("core")));
	status = run_in_child(crash, (void *)(long)SIGSEGV);
	CHECK(WTERMSIG(status) == SIGSEGV && !WCOREDUMP(status), "status %#x", status);
	CHECK_ERR(access(scratch_path("elsewhere"), F_OK), ENOENT);
}

static volatile int sigchld_code;

static void on_sigchld(int sig, siginfo_t *info, void *ctx)
{
	sigchld_code = info->si_code;
}

static void t_core_cld_dumped(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigchld, .sa_flags = SA_SIGINFO | SA_RESTART };
	siginfo_t info;
	pid_t pid;

	CHECK_OK(sigaction(SIGCHLD, &sa, NULL));
	pid = CHECK_OK(spawn(crash, (void *)(long)SIGSEGV));
	CHECK_OK(waitid(P_PID, pid, &info, WEXITED));
	CHECK(info.si_code == CLD_DUMPED && info._sifields.chld.si_status == SIGSEGV,
	      "waitid: si_code %d si_status %d, want CLD_DUMPED and SIGSEGV", info.si_code,
	      info._sifields.chld.si_status);
	CHECK(sigchld_code == CLD_DUMPED, "SIGCHLD's si_code %d, want CLD_DUMPED", sigchld_code);
	CHECK_OK(unlink(scratch_path("core")));
}

const struct subtest core_tests[] = {
	{ "core_segv", t_core_segv, 0 },
	{ "core_abort", t_core_abort, 0 },
	{ "core_not_for_sigterm", t_core_not_for_sigterm, 0 },
	{ "core_limits", t_core_limits, 0 },
	{ "core_not_through_symlink", t_core_not_through_symlink, 0 },
	{ "core_not_after_id_change", t_core_not_after_id_change, 0 },
	{ "core_cld_dumped", t_core_cld_dumped, 0 },
	{ NULL },
};

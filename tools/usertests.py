"""tools/usertests.py: the user-level test suites, run by tools/run-tests.

  user  build/user/tests/usertests booted under anvil: one result per
        "PASS name" / "FAIL name: why" line it prints (Linux semantics,
        checked with anvil's own rmap_verify and free-page count), and
        build/user/bin/rmapcheck.
  diff  every build/user/tests/diff/<name> run on this Linux host and on
        anvil with the same arguments and stdin: standard output and exit
        status must be identical (Linux is the oracle); so is every
        build/user/tests/glibc/<name>, built against Debian's static glibc.
  core  build/user/tests/crashme dies with a core, which the host's GDB
        opens: the faulting line and the stored values.
(The suites of real Debian binaries are in tools/realtests.py.)
"""

import difflib
import os
import re
import subprocess
import tempfile

import anvil_qemu as aq
import linux_oracle

TESTS = os.path.join(aq.BUILD, "user", "tests")
USERTESTS = os.path.join(TESTS, "usertests")
RMAPCHECK = os.path.join(aq.BUILD, "user", "bin", "rmapcheck")
DIFF_DIR = os.path.join(TESTS, "diff")
DIFF_SRC = os.path.join(aq.ROOT, "user", "tests", "diff")
GLIBC_DIR = os.path.join(TESTS, "glibc")
GLIBC_SRC = os.path.join(aq.ROOT, "user", "tests", "glibc")
GLIBC_PREFIX = "glibc-"          # its runs' names: diff/glibc-<name>
EXPECTED_DIR = os.path.join(DIFF_SRC, "expected")   # its README says why these few

# Runs beyond the one with no arguments and no stdin that every program gets:
# (program, arguments, stdin bytes or None)
EXTRA_DIFF_RUNS = [
    ("wait", ["exit", "7"], None),
    ("wait", ["exit", "255"], None),
    ("wait", ["signal", "15"], None),
    ("wait", ["segv"], None),
    ("wait", ["abort"], None),
    ("fileio", [], b"".join(b"line %d of the standard input\n" % i for i in range(3000))),
]

# The same environment on both sides (anvil's init gives run-elf programs this one).
HOST_ENV = {"PATH": "/bin:/sbin", "HOME": "/"}
DIFF_TIMEOUT = 60


def run_on_anvil(program, args=(), stdin_data=None, timeout=120):
    """(ProgramRun, stdout bytes, stderr bytes) of program under anvil."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        run = aq.run_program(program, args, stdin_data=stdin_data, timeout=timeout,
                             stdout_fd=out.fileno(), stderr_fd=err.fileno())
        out.seek(0)
        err.seek(0)
        return run, out.read(), err.read()


def run_on_host(program, args=(), stdin_data=None, timeout=DIFF_TIMEOUT, cwd="/"):
    """(status as anvil reports it: 128+N when killed by signal N, stdout bytes) of program
    run on this host -- natively, or through binfmt_misc where the host cannot."""
    p = subprocess.run([program] + list(args), input=stdin_data if stdin_data is not None else b"",
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=HOST_ENV, cwd=cwd,
                       timeout=timeout)
    return (p.returncode if p.returncode >= 0 else 128 - p.returncode), p.stdout


def run_on_linux(cases, timeout=DIFF_TIMEOUT):
    """[(status or None if it timed out, stdout bytes)] of each (program, args, stdin bytes
    or None, cwd: "/" or None for a fresh directory) on Linux: always Debian's i386 Linux
    6.1 in QEMU (tools/linux_oracle.py), never the host's kernel -- one fixed answer on
    every host, whether or not it runs i386 programs (a newer x86-64 kernel differs at
    edges the diff programs probe: writev's order of checks, fallocate's mode errors)."""
    return linux_oracle.run_cases(cases, timeout)


def log_tail(log, lines=15):
    return " | ".join(log.rstrip("\n").split("\n")[-lines:])


def missing(path):
    return None if os.path.exists(path) else "%s is not built (run make)" % os.path.relpath(path, aq.ROOT)


# ---- user: usertests and rmapcheck under anvil ----

def usertests_results(Result):
    why = missing(USERTESTS)
    if why:
        return [Result("user/run", False, why)]
    run, out, _ = run_on_anvil(USERTESTS, timeout=300)
    text = out.decode(errors="replace")
    results = []
    for line in text.splitlines():
        for word in ("PASS ", "FAIL "):
            if line.startswith(word):
                name, _, detail = line[5:].partition(": ")
                results.append(Result("user/" + name, word == "PASS ", detail))
    failed = any(not r.ok for r in results)
    problems = []
    if run.status is None:
        problems.append("anvil did not finish: %s; kernel log: %s" % (run.problem, log_tail(run.log)))
    elif run.status != (1 if failed else 0):
        problems.append("exit status %d with %s failures" % (run.status, "some" if failed else "no"))
    if not any(line.startswith("usertests: ") and " passed, " in line for line in text.splitlines()):
        problems.append("no summary line (the run stopped early)")
    if not any(r.name == "user/leak_check" for r in results):
        problems.append("no leak check (anvil_drop_caches missing?)")
    results.append(Result("user/run", not problems, "; ".join(problems)))
    return results


def rmapcheck_results(Result):
    why = missing(RMAPCHECK)
    if why:
        return [Result("user/rmapcheck", False, why)]
    results = []
    run, out, _ = run_on_anvil(RMAPCHECK)
    ok = run.status == 0 and out == b"rmap_verify: ok\n"
    results.append(Result("user/rmapcheck", ok, "" if ok else "status %s (%s), output %r"
                          % (run.status, run.problem, out[:200])))
    if aq.RMAP != aq.RMAP_DEFAULT:        # Linux's answer is no scheme's: asked once
        return results
    [(status, out)] = run_on_linux([(RMAPCHECK, [], None, "/")])
    ok = status == 2 and out == b"rmapcheck: not running on anvil\n"
    results.append(Result("user/rmapcheck_on_linux", ok, "" if ok else "status %s, output %r"
                          % (status, out[:200])))
    return results


def suite_user(Result):
    return usertests_results(Result) + rmapcheck_results(Result)


# ---- diff: the same program on Linux and on anvil ----

def diff_runs():
    names = sorted(f[:-2] for f in os.listdir(DIFF_SRC) if f.endswith(".c"))
    names += sorted(GLIBC_PREFIX + f[:-2] for f in os.listdir(GLIBC_SRC) if f.endswith(".c"))
    runs = [(n, [], None) for n in names]
    return runs + [r for r in EXTRA_DIFF_RUNS if r[0] in names]


def run_name(name, args, stdin_data):
    return "diff/" + "-".join([name] + list(args) + (["stdin"] if stdin_data else []))


def diff_program(name):
    if name.startswith(GLIBC_PREFIX):
        return os.path.join(GLIBC_DIR, name[len(GLIBC_PREFIX):])
    return os.path.join(DIFF_DIR, name)


def compare_program(program, args, stdin_data, linux, expect_status=None):
    """'' when program behaves on anvil as it did on Linux -- linux: its (status, stdout)
    there, from run_on_linux -- and, given expect_status, exited with it on Linux; else
    what differs.  On anvil it starts in "/"."""
    host_status, host_out = linux
    if host_status is None:
        return "timed out on Linux after %d s" % DIFF_TIMEOUT
    if expect_status is not None and host_status != expect_status:
        return "exit status %d on Linux, not %d: the test itself is wrong" % (host_status,
                                                                            expect_status)
    run, out, _ = run_on_anvil(program, args, stdin_data, timeout=DIFF_TIMEOUT)
    if run.status is None:
        return "anvil did not finish: %s; kernel log: %s" % (run.problem, log_tail(run.log))
    problems = []
    if run.status != host_status:
        problems.append("exit status: Linux %d, anvil %d" % (host_status, run.status))
    if out != host_out:
        diff = list(difflib.unified_diff(host_out.decode(errors="replace").splitlines(),
                                         out.decode(errors="replace").splitlines(),
                                         "linux", "anvil", n=0, lineterm=""))[2:]
        problems.append("output differs (-linux +anvil): " + " | ".join(
            l for l in diff[:12] if not l.startswith("@@")) + (" | ..." if len(diff) > 12 else ""))
    return "; ".join(problems)


def expected_output(name, args, stdin_data):
    """(0, stdout) kept in expected/ for a run Linux 6.1 on i386 cannot answer, else None."""
    path = os.path.join(EXPECTED_DIR, name + ".out")
    if args or stdin_data is not None or not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return 0, f.read()


def suite_diff(Result):
    runs = diff_runs()
    asked = [i for i, run in enumerate(runs)
             if not missing(diff_program(run[0])) and not expected_output(*run)]
    linux = dict(zip(asked, run_on_linux([(diff_program(runs[i][0]), runs[i][1], runs[i][2], "/")
                                          for i in asked])))
    results = []
    for i, (name, args, stdin_data) in enumerate(runs):
        program = diff_program(name)
        why = missing(program) or compare_program(
            program, args, stdin_data, expected_output(name, args, stdin_data) or linux[i])
        results.append(Result(run_name(name, args, stdin_data), not why, why))
    return results


# ---- core: a core file anvil wrote, opened by the host's GDB ----

CRASHME = os.path.join(TESTS, "crashme")
CRASHME_SRC = os.path.join(aq.ROOT, "user", "tests", "core", "crashme.c")
GDB_TIMEOUT = 60


def faulting_line():
    with open(CRASHME_SRC) as f:
        return next(i for i, line in enumerate(f, 1) if "the faulting line" in line)


def suite_core(Result):
    """crashme's child dies of SIGSEGV with a core; the host's GDB, given the
    program and that core, shows the faulting function and line and the
    values the child had stored."""
    if missing(CRASHME):
        return [Result("core/gdb_reads_the_core", False, missing(CRASHME))]
    run, out, _ = run_on_anvil(CRASHME)
    text = out.decode(errors="replace")
    results = [Result("core/wait_status_has_the_core_bit", "core dumped" in text.split("\n")[0],
                      "status line %r" % text.split("\n")[0])]
    m = re.search(r"core-begin\n(.*)core-end", text, re.S)
    if run.status != 0 or not m:
        return results + [Result("core/gdb_reads_the_core", False, "status %s (%s), output %r"
                                 % (run.status, run.problem, text[:200]))]
    with tempfile.TemporaryDirectory() as tmp:
        core = os.path.join(tmp, "core")
        with open(core, "wb") as f:
            f.write(bytes.fromhex(m.group(1).replace("\n", "")))
        gdb = subprocess.run(["gdb", "-batch", "-nx", "-ex", "bt 1", "-ex", "print answer",
                              "-ex", "print message", CRASHME, core], capture_output=True,
                             text=True, timeout=GDB_TIMEOUT)
    where = "crash_here (p=p@entry=0x0) at user/tests/core/crashme.c:%d" % faulting_line()
    ok = (where in gdb.stdout and "$1 = 42" in gdb.stdout and
          '$2 = "core dumps work"' in gdb.stdout)
    with open(os.path.join(aq.ROOT, "docs", "processes.md")) as f:
        book_ok = where in f.read()
    return results + [Result("core/gdb_reads_the_core", ok, "" if ok else
                             "want %r, 42 and the message; GDB said: %s" %
                             (where, " | ".join((gdb.stdout + gdb.stderr).split("\n")[-12:]))),
                      Result("core/book_quotes_this_frame", book_ok, "" if book_ok else
                             "docs/processes.md does not quote %r" % where)]


def suites(Result):
    return [("user", lambda: suite_user(Result)), ("diff", lambda: suite_diff(Result)),
            ("core", lambda: suite_core(Result))]

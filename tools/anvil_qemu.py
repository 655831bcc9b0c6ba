"""Booting anvil in QEMU for the test runner, the bench runner and run-elf.

One place knows how anvil is started (QEMU command line, accelerator,
isa-debug-exit codes, serial ports), so every tool boots it the same way.
The kernel reports results on its serial console; a run ends when the
kernel writes to isa-debug-exit (see include/anvil/reboot.h), when it
panics, or at the time-out.
"""

import os
import re
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
# ANVIL_RMAP=<scheme> boots the kernel built with `make RMAP=<scheme>`; the
# user programs and the initramfs are the same for every scheme.
RMAP_DEFAULT = "anon_vma"
RMAP_OTHERS = tuple(s for s in ("anon_vma_chain", "anonmm", "pte_chain")
                    if os.path.exists(os.path.join(ROOT, "mm", "rmap_%s.c" % s)))
RMAP = os.environ.get("ANVIL_RMAP", RMAP_DEFAULT)
RMAP_BUILD = BUILD if RMAP == RMAP_DEFAULT else os.path.join(BUILD, "rmap-" + RMAP)
KERNEL = os.path.join(RMAP_BUILD, "kernel.elf")
QEMU = os.environ.get("QEMU", "qemu-system-i386")
ACCEL = os.environ.get("ACCEL", "tcg")
# CPUs of every boot that does not ask for a number (run-tests --smp N, or ANVIL_SMP=N).  A
# student tree (labs/HANDOUT) has the tlb lab's stubs, which flush only this CPU's TLB: one.
STUDENT_TREE = os.path.exists(os.path.join(ROOT, "labs", "HANDOUT"))
DEFAULT_SMP = int(os.environ.get("ANVIL_SMP", "1" if STUDENT_TREE else "2"))

# isa-debug-exit: QEMU exits with (code << 1) | 1 -- include/anvil/reboot.h
EXIT_PASS = 33
EXIT_FAIL = 35
EXIT_PANIC = 37
EXIT_POWEROFF = 39
EXIT_NAMES = {EXIT_PASS: "pass", EXIT_FAIL: "fail", EXIT_PANIC: "panic",
              EXIT_POWEROFF: "poweroff", 0: "triple fault or reset", 124: "time-out"}

# A lockdep report's first line (kernel/lockdep.c): the kernel goes on, the test fails.
LOCKDEP_REPORT = re.compile(r"^lockdep: .*", re.M)


def lockdep_report(log):
    """The first lockdep report's title line in a kernel log, or None."""
    m = LOCKDEP_REPORT.search(log)
    return m.group(0) if m else None


class Run:
    """The outcome of one boot: QEMU's status, the serial log, the time taken."""

    def __init__(self, status, log, elapsed, timed_out):
        self.status = status
        self.log = log
        self.elapsed = elapsed
        self.timed_out = timed_out

    def describe(self):
        if self.timed_out:
            return "timed out after %.0f s" % self.elapsed
        return "QEMU status %d (%s)" % (self.status, EXIT_NAMES.get(self.status, "unexpected"))

    def panicked(self):
        """A panic, or a lockdep report: a kernel bug the kernel went on after."""
        return (self.status == EXIT_PANIC or "Kernel panic" in self.log or
                lockdep_report(self.log) is not None)


def source_files(dirs=(".",), suffixes=(".c", ".h", ".S")):
    """The tree's files under dirs with one of the suffixes, relative to ROOT: git's list in
    a repository, else (a lab hand-out is none) every such file outside build/."""
    if os.path.isdir(os.path.join(ROOT, ".git")):
        out = subprocess.run(["git", "ls-files", "--"] + list(dirs), cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    else:
        out = [os.path.relpath(os.path.join(d, n), ROOT)
               for top in dirs for d, _, names in os.walk(os.path.join(ROOT, top))
               if os.path.relpath(d, ROOT).split(os.sep)[0] != "build" for n in names]
    return sorted(f for f in out if f.endswith(suffixes))


def qemu_command(kernel=None, iso=None, append="", mem=128, initrd=None, serial=None,
                 drives=(), gdb_port=None, wait_for_gdb=False, extra=(), smp=None):
    """The QEMU command line.  serial: list of chardev specs for COM1, COM2, ...
    smp: CPUs (None: DEFAULT_SMP)."""
    smp = DEFAULT_SMP if smp is None else smp
    cmd = [QEMU, "-machine", "pc,accel=%s" % ACCEL, "-m", str(mem), "-no-reboot",
           "-display", "none", "-nodefaults", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if smp != 1:
        cmd += ["-smp", str(smp)]
    if iso:
        cmd += ["-cdrom", iso]
    else:
        cmd += ["-kernel", kernel or KERNEL]
        if append:
            cmd += ["-append", append]
        if initrd:
            cmd += ["-initrd", initrd]
    for spec in serial or ["null"]:
        cmd += ["-serial", spec]
    for d in drives:
        cmd += ["-drive", d]
    if gdb_port:
        cmd += ["-gdb", "tcp:127.0.0.1:%d" % gdb_port]
    if wait_for_gdb:
        cmd += ["-S"]
    return cmd + list(extra)


def boot(name, timeout=60, log_dir=None, **kw):
    """Boot once with COM1 logged to build[/rmap-<scheme>]/logs/<name>.log; return a Run."""
    log_dir = log_dir or os.path.join(RMAP_BUILD, "logs")
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, name.replace("/", "_") + ".log")
    serial = ["file:" + log_path] + list(kw.pop("extra_serial", []))
    cmd = qemu_command(serial=serial, **kw)
    start = time.monotonic()
    timed_out = False
    with open(os.path.join(log_dir, name.replace("/", "_") + ".qemu"), "w") as qerr:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=qerr, stderr=qerr)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            status, timed_out = 124, True
    elapsed = time.monotonic() - start
    with open(log_path, errors="replace") as f:
        log = f.read().replace("\r\n", "\n")
    return Run(status, log, elapsed, timed_out)


def doc_parser(doc):
    """An argparse parser for a tool whose docstring is its manual: -h/--help prints the
    docstring (every flag is described there), and an error quotes its usage line once."""
    import argparse

    class PrintDoc(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            print(doc.strip())
            parser.exit(0)

    usage = doc.split("\n\n")[1]
    ap = argparse.ArgumentParser(usage=usage.split("usage: ", 1)[-1], add_help=False)
    ap.add_argument("-h", "--help", nargs=0, action=PrintDoc)
    return ap


# ---- running one program under anvil (tools/run-elf, differential tests) ----

INITRAMFS = os.path.join(BUILD, "initramfs.cpio")
RUN_DIR_IN_ANVIL = "/run"


class ProgramRun:
    """What a program run under anvil produced.  status: its exit status (128+N when
    killed by signal N), or None when anvil itself did not finish or reported a lock
    bug (see `problem`)."""

    def __init__(self, status, problem, log, qemu_status):
        self.status = status
        self.problem = problem
        self.log = log
        self.qemu_status = qemu_status


def _newc_entry(name, mode, data=b"", mtime=0):
    """One `cpio -H newc` entry (the initramfs format) -- no cpio binary needed."""
    fields = [0, mode, 0, 0, 1, mtime, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name.encode() + b"\0"
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def make_program_cpio(path, program, argv, stdin_data, extra_files=()):
    """The archive that run-elf adds to the initramfs: the program (and any
    extra_files) in /run, its argv in /etc/run-elf (NUL-separated) and, if
    given, its stdin."""
    parts = [_newc_entry("run", 0o40755)]
    for host_path in [program] + list(extra_files):
        with open(host_path, "rb") as f:
            parts.append(_newc_entry("run/" + os.path.basename(host_path), 0o100755, f.read()))
    name = os.path.basename(program)
    parts += [_newc_entry("etc", 0o40755),
             _newc_entry("etc/run-elf", 0o100644,
                         b"".join(a.encode() + b"\0" for a in argv))]
    if stdin_data is not None:
        parts.append(_newc_entry("etc/run-elf.stdin", 0o100644, stdin_data))
    parts.append(_newc_entry("TRAILER!!!", 0))
    with open(path, "wb") as f:
        f.write(b"".join(parts))
    return RUN_DIR_IN_ANVIL + "/" + name


def make_swap_image(path, mb):
    """A fresh swap disk of mb MiB, formatted by mkswap (Linux's swap format)."""
    with open(path, "wb") as f:
        f.truncate(mb << 20)
    os.chmod(path, 0o600)
    mkswap = "mkswap" if subprocess.run(["sh", "-c", "command -v mkswap"],
                                        capture_output=True).returncode == 0 else "/sbin/mkswap"
    subprocess.run([mkswap, path], check=True, capture_output=True)


class _Relay:
    """A pipe whose read end a thread copies to a descriptor of ours, as it arrives."""

    def __init__(self, target_fd):
        import threading
        self.r, self.w = os.pipe()
        self.target = target_fd
        self.thread = threading.Thread(target=self._copy, daemon=True)

    def _copy(self):
        while True:
            data = os.read(self.r, 65536)
            if not data:
                break
            while data:
                data = data[os.write(self.target, data):]

    def start(self):
        os.close(self.w)          # QEMU holds the write end now; EOF when it exits
        self.thread.start()

    def finish(self):
        self.thread.join()
        os.close(self.r)


def run_program(program, args=(), stdin_data=None, mem=128, swap_mb=0, cmdline="",
                timeout=120, stdout_fd=1, stderr_fd=2, workdir=None, gdb_port=None,
                swap_image=None, disk_image=None, extra_files=(), qemu_extra=(), smp=None):
    """Boot anvil with `program` as the only program under init.  Its fd 1 and fd 2
    go to stdout_fd and stderr_fd (raw serial ports, nothing else mixed in); the
    kernel log goes to workdir/kernel.log.  swap_mb attaches a fresh swap disk,
    swap_image a given one (any QEMU file name, e.g. "blkdebug:conf:img").
    disk_image is attached as hdc, the secondary master (an ext2 disk to mount).
    extra_files go into /run beside the program.  qemu_extra: more QEMU options.
    smp: CPUs (None: DEFAULT_SMP).  timeout None: no limit."""
    import tempfile
    own_dir = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="run-elf-")
    try:
        extra = os.path.join(workdir, "program.cpio")
        argv0 = RUN_DIR_IN_ANVIL + "/" + os.path.basename(program)
        make_program_cpio(extra, program, [argv0] + list(args), stdin_data, extra_files)
        log_path = os.path.join(workdir, "kernel.log")
        drives = []
        append = cmdline
        if swap_mb and not swap_image:
            swap_image = os.path.join(workdir, "swap.img")
            make_swap_image(swap_image, swap_mb)
        if swap_image:
            drives.append("file=%s,format=raw,if=ide,index=1" % swap_image)
            append = ("swap=hdb " + append).strip()
        if disk_image:
            drives.append("file=%s,format=raw,if=ide,index=2" % disk_image)
        # QEMU writes each port into a pipe that we relay to stdout_fd/stderr_fd:
        # reopening those through /proc/self/fd would give QEMU its own file
        # offset, and the caller's later writes would overwrite its output
        relays = [_Relay(stdout_fd), _Relay(stderr_fd)]
        cmd = qemu_command(append=append, mem=mem, initrd=INITRAMFS + "," + extra,
                           serial=["file:" + log_path, "chardev:out", "chardev:err"],
                           drives=drives, gdb_port=gdb_port, wait_for_gdb=bool(gdb_port), smp=smp,
                           extra=["-chardev", "file,id=out,path=/proc/self/fd/%d" % relays[0].w,
                                  "-chardev", "file,id=err,path=/proc/self/fd/%d" % relays[1].w]
                           + list(qemu_extra))
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, pass_fds=tuple(r.w for r in relays))
        for r in relays:
            r.start()
        try:
            _, qerr = proc.communicate(timeout=timeout)
            qstatus = proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            _, qerr = proc.communicate()
            qstatus = 124
        finally:
            if proc.poll() is None:       # interrupted (SIGTERM, ^C): QEMU goes too
                proc.kill()
                proc.wait()
        for r in relays:
            r.finish()
        log = open(log_path, errors="replace").read().replace("\r\n", "\n") \
            if os.path.exists(log_path) else ""
        return _program_outcome(log, qstatus, qerr.decode(errors="replace"), timeout)
    finally:
        if own_dir:
            import shutil
            shutil.rmtree(workdir, ignore_errors=True)


def _program_outcome(log, qstatus, qerr, timeout):
    """A lockdep report fails the run as a panic would, whatever the program's status."""
    run = _program_exit(log, qstatus, qerr, timeout)
    if run.problem is None and lockdep_report(log):
        return ProgramRun(None, "kernel bug reported: " + lockdep_report(log), log, qstatus)
    return run


def _program_exit(log, qstatus, qerr, timeout):
    exited = re.search(r"^run-elf: exit (\d+)$", log, re.M)
    signaled = re.search(r"^run-elf: signal (\d+)$", log, re.M)
    execfail = re.search(r"^run-elf: exec failed: (.*)$", log, re.M)
    if qstatus == EXIT_POWEROFF and exited:
        return ProgramRun(int(exited.group(1)), None, log, qstatus)
    if qstatus == EXIT_POWEROFF and signaled:
        return ProgramRun(128 + int(signaled.group(1)), None, log, qstatus)
    if qstatus == EXIT_POWEROFF and execfail:
        return ProgramRun(127, "exec failed: " + execfail.group(1), log, qstatus)
    if qstatus == 124:
        problem = "timed out after %d s" % timeout
    elif qstatus == EXIT_PANIC or "Kernel panic" in log:
        problem = "kernel panic"
    else:
        problem = "QEMU exited with status %d without a result%s" % (
            qstatus, (": " + qerr.strip()) if qerr.strip() else "")
    return ProgramRun(None, problem, log, qstatus)

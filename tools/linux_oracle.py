"""tools/linux_oracle.py: Linux itself answers for the tests that compare anvil with Linux.

The diff, busybox, sash, bash, rmapcheck and shootdown tests run one static i386 program on
Linux and on anvil and compare.  The host's kernel is no fixed reference: some cannot
enter 32-bit code at all (some virtual machines: execve says ENOEXEC), newer ones differ
at edges these tests probe, and qemu-user emulates Linux wrongly there.  So the programs
always run under Debian's own i386 Linux 6.1 (linux-image-686, the kernel `make
bench-linux` boots) in QEMU: one boot per batch of cases, from an initramfs holding
busybox, the programs at their host paths and a script that runs each case as a shell
would (same argv, environment, stdin, a fresh directory or "/"), then sends every case's
output and status back over the second serial port as a base64 tar.  The answers are kept
in build/linux/answers/, named by the program's bytes, its arguments and input, this file
and the kernel: a question asked before costs no boot (`rm -r build/linux/answers` asks
Linux afresh).
"""

import base64
import fcntl
import hashlib
import io
import os
import re
import shlex
import subprocess
import tarfile
import tempfile
import threading

import anvil_qemu as aq

LINUX_ROOT = os.path.join(aq.BUILD, "linux", "root")
ANSWERS = os.path.join(aq.BUILD, "linux", "answers")   # Linux's answers, kept (run_cases)
LINUX_CMDLINE = "console=ttyS0 mitigations=off cryptomgr.notests quiet panic=-1"
HOST_ENV = {"PATH": "/bin:/sbin", "HOME": "/"}   # the same environment on every side
ORACLE_MEM = 256         # MiB: the programs' largest mappings fit easily
ORACLE_SMP = 2           # a multi-CPU Linux, as the host is
BOOT_SECONDS = 120       # a batch's allowance beyond its cases' own time-outs, under load
BEGIN, END = "linux-oracle: results begin", "linux-oracle: results end"

# /init: busybox's applets, then the cases in a child shell (so that a program's parent
# is a shell, as on the host, not pid 1) and the results out on COM2.
INIT = """#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /o /s
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mkdir -p /dev/shm /dev/pts
/bin/busybox mount -t tmpfs shm /dev/shm
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox --install -s /bin
/bin/sh /cases.sh
cd /o && { echo "%s"; tar cf - . | base64; echo "%s"; } > /dev/ttyS1
poweroff -f
""" % (BEGIN, END)

# One case: a watchdog that SIGKILLs the program after its time-out (and says so), the
# program exec'd by a shell that first notes its pid, its stdout and status kept.
CASE = """mkdir -p {dir} && cd {dir}
( sleep {timeout}; [ -f /o/{n}.pid ] && touch /o/{n}.timeout && kill -9 $(cat /o/{n}.pid) ) &
W=$!
env -i {env} sh -c 'echo $$ > /o/{n}.pid; exec "$0" "$@"' {argv} < {stdin} > /o/{n}.out 2>/dev/null
echo $? > /o/{n}.rc
rm -f /o/{n}.pid
kill $W 2>/dev/null
cd /
"""

_fetch_lock = threading.Lock()


def linux_kernel():
    """(vmlinuz path, release) of the Debian kernel `tools/install-deps bench-linux` unpacked."""
    boot = os.path.join(LINUX_ROOT, "boot")
    names = sorted(f for f in os.listdir(boot) if f.startswith("vmlinuz-"))
    return os.path.join(boot, names[-1]), names[-1][len("vmlinuz-"):]


def fetch_linux():
    """'' once Debian's i386 kernel and busybox are in build/linux/, else why not.  One
    fetch at a time: this process's suites and the other schemes' run-tests ask at once."""
    if os.path.exists(os.path.join(aq.BUILD, "linux", ".done")):
        return ""
    os.makedirs(aq.BUILD, exist_ok=True)
    with _fetch_lock, open(os.path.join(aq.BUILD, "linux.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(os.path.join(aq.BUILD, "linux", ".done")):
            return ""
        r = subprocess.run([os.path.join(aq.ROOT, "tools", "install-deps"), "bench-linux"],
                           capture_output=True, text=True)
        return "" if r.returncode == 0 else "tools/install-deps bench-linux: " + r.stderr[-300:]


def initramfs(path, cases, timeout):
    """The newc cpio: busybox, /init, every case's program at its host path, stdins, script."""
    entries = {"init": (0o100755, INIT.encode()),
               "bin/busybox": (0o100755, read(os.path.join(LINUX_ROOT, "bin", "busybox")))}
    script = []
    for n, (program, args, stdin_data, cwd) in enumerate(cases):
        entries[program.lstrip("/")] = (0o100755, read(program))
        stdin = "/dev/null"
        if stdin_data is not None:
            stdin = "/i/%d" % n
            entries[stdin[1:]] = (0o100644, stdin_data)
        script.append(CASE.format(n=n, dir="/" if cwd == "/" else "/s/%d" % n, timeout=timeout,
                                  env=" ".join("%s=%s" % kv for kv in HOST_ENV.items()),
                                  argv=" ".join(shlex.quote(a) for a in [program] + list(args)),
                                  stdin=stdin))
    entries["cases.sh"] = (0o100644, "".join(script).encode())
    dirs = set()
    for name in entries:
        parts = name.split("/")[:-1]
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    parts = [aq._newc_entry(d, 0o40755) for d in sorted(dirs)]
    parts += [aq._newc_entry(name, mode, data) for name, (mode, data) in entries.items()]
    parts.append(aq._newc_entry("TRAILER!!!", 0))
    with open(path, "wb") as f:
        f.write(b"".join(parts))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def digest(data):
    return hashlib.sha256(data).digest()


def answer_path(case, timeout, oracle, programs):
    """Where Linux's answer to case is kept: named by everything the answer depends on --
    the program's bytes, its arguments, stdin and directory, the time-out, and the oracle
    (this file's script each case runs under, and the kernel).  programs: the digests of
    the batch's programs so far (a suite asks one busybox hundreds of questions)."""
    program, args, stdin_data, cwd = case
    if program not in programs:
        programs[program] = digest(read(program))
    h = hashlib.sha256(oracle + programs[program])
    for part in ("\0".join(args).encode(), b"-" if stdin_data is None else b"+" + stdin_data,
                 b"/" if cwd == "/" else b"fresh", str(timeout).encode()):
        h.update(digest(part))
    return os.path.join(ANSWERS, h.hexdigest()[:32])


def keep_answer(path, answer):
    """Written whole or not at all: another run-tests may read the same answers now."""
    os.makedirs(ANSWERS, exist_ok=True)
    tmp = "%s.%d.%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "wb") as f:
        f.write(b"%d\n" % answer[0] + answer[1])
    os.rename(tmp, path)


def kept_answer(path):
    try:
        status, out = read(path).split(b"\n", 1)
    except (OSError, ValueError):
        return None
    return int(status), out


def run_cases(cases, timeout):
    """[(status, stdout bytes)] of each (program, args, stdin bytes or None, cwd "/" or None
    for a fresh directory) under Linux in QEMU; status None: it timed out; raises
    RuntimeError when Linux itself could not run the batch.  Linux's answers are kept in
    build/linux/answers/ (a case it timed out on is asked again): the same question is
    not worth a boot of Linux twice -- the labs' grades ask it again in every make test."""
    why = fetch_linux()
    if why:
        raise RuntimeError(why)
    oracle, programs = digest(read(__file__) + linux_kernel()[1].encode()), {}
    paths = [answer_path(case, timeout, oracle, programs) for case in cases]
    answers = [kept_answer(path) for path in paths]
    asked = [i for i, answer in enumerate(answers) if answer is None]
    if asked:
        for i, answer in zip(asked, boot_cases([cases[i] for i in asked], timeout)):
            answers[i] = answer
            if answer[0] is not None:
                keep_answer(paths[i], answer)
    return answers


def boot_cases(cases, timeout):
    """run_cases' answers from one boot of Linux."""
    vmlinuz, _ = linux_kernel()
    with tempfile.TemporaryDirectory(prefix="anvil-oracle-") as d:
        initrd, klog, out = (os.path.join(d, f) for f in ("initrd.cpio", "linux.log", "out"))
        initramfs(initrd, cases, timeout)
        cmd = aq.qemu_command(kernel=vmlinuz, initrd=initrd, append=LINUX_CMDLINE,
                              mem=ORACLE_MEM, smp=ORACLE_SMP,
                              serial=["file:" + klog, "file:" + out])
        limit = BOOT_SECONDS + timeout * len(cases)
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=limit)
        except subprocess.TimeoutExpired:
            raise RuntimeError("Linux did not finish its %d cases in %d s" % (len(cases), limit))
        text = read(out).decode(errors="replace")
        m = re.search(re.escape(BEGIN) + r"\r?\n(.*?)" + re.escape(END), text, re.S)
        if not m:
            raise RuntimeError("no results from Linux; its log ends: %s"
                               % read(klog).decode(errors="replace")[-600:])
        files = {}
        with tarfile.open(fileobj=io.BytesIO(base64.b64decode(m.group(1)))) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    files[os.path.basename(member.name)] = tar.extractfile(member).read()
    results = []
    for n in range(len(cases)):
        rc = files.get("%d.rc" % n)
        if rc is None or "%d.timeout" % n in files:
            results.append((None, b""))
        else:
            results.append((int(rc), files.get("%d.out" % n, b"")))
    return results

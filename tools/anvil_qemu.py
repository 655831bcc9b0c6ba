"""Booting anvil in QEMU for the test runner, the bench runner and run-elf.

One place knows how anvil is started (QEMU command line, accelerator,
isa-debug-exit codes, serial ports), so every tool boots it the same way.
The kernel reports results on its serial console; a run ends when the
kernel writes to isa-debug-exit (see include/anvil/reboot.h), when it
panics, or at the time-out.
"""

import os
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel.elf")
QEMU = os.environ.get("QEMU", "qemu-system-i386")
ACCEL = os.environ.get("ACCEL", "tcg")

# isa-debug-exit: QEMU exits with (code << 1) | 1 -- include/anvil/reboot.h
EXIT_PASS = 33
EXIT_FAIL = 35
EXIT_PANIC = 37
EXIT_POWEROFF = 39
EXIT_NAMES = {EXIT_PASS: "pass", EXIT_FAIL: "fail", EXIT_PANIC: "panic",
              EXIT_POWEROFF: "poweroff", 0: "triple fault or reset", 124: "time-out"}


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
        return self.status == EXIT_PANIC or "Kernel panic" in self.log


def qemu_command(kernel=KERNEL, iso=None, append="", mem=128, initrd=None, serial=None,
                 drives=(), gdb_port=None, wait_for_gdb=False, extra=()):
    """The QEMU command line.  serial: list of chardev specs for COM1, COM2, ..."""
    cmd = [QEMU, "-machine", "pc,accel=%s" % ACCEL, "-m", str(mem), "-no-reboot",
           "-display", "none", "-nodefaults", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if iso:
        cmd += ["-cdrom", iso]
    else:
        cmd += ["-kernel", kernel]
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
    """Boot once with COM1 logged to build/logs/<name>.log; return a Run."""
    log_dir = log_dir or os.path.join(BUILD, "logs")
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

"""tools/realtests.py: suites of real, unmodified Debian i386 binaries, run by tools/run-tests.

  busybox  busybox-static: its shell, text and file tools (tools/busybox_cases.py),
           each case compared with the same binary run on this Linux host; and
           ps/free/top, which cannot match the host, checked for their structure.
  bash     bash-static running small scripts, compared with the host.
  sash     sash (the stand-alone shell, with built-in file commands), the same way.

Each binary is a static glibc program, downloaded once with `apt-get download`
into build/debs/ (never committed).
"""

import os
import re
import subprocess
import tempfile
import threading

import anvil_qemu as aq
import usertests as ut
from busybox_cases import CASES as BUSYBOX_CASES, sh
from shell_cases import BASH_SCRIPTS, SASH_SCRIPTS

DEBS_DIR = os.path.join(aq.BUILD, "debs")
# package -> the binary's path inside the package
PACKAGES = {"busybox-static": "bin/busybox", "bash-static": "bin/bash-static", "sash": "bin/sash"}
# anvil runs with -m 128: what free and top must report as total memory (KiB), roughly
MEM_KIB_RANGE = (96 * 1024, 128 * 1024)


def binary_path(package):
    return os.path.join(DEBS_DIR, package, os.path.basename(PACKAGES[package]))


FETCH_LOCK = threading.Lock()    # one apt-get at a time: the suites fetch side by side


def fetch(package):
    """Download package:i386 from Debian into build/debs/ once; '' or why not."""
    with FETCH_LOCK:
        return fetch_locked(package)


def fetch_locked(package):
    dest = binary_path(package)
    if os.path.exists(dest):
        return ""
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    with tempfile.TemporaryDirectory() as d:
        def run(*cmd):
            return subprocess.run(list(cmd), cwd=d, capture_output=True, text=True)
        if "i386" not in run("dpkg", "--print-foreign-architectures").stdout.split():
            run(*sudo, "dpkg", "--add-architecture", "i386")
            run(*sudo, "apt-get", "update", "-qq")
        got = run("apt-get", "download", "-qq", package + ":i386")
        if got.returncode:        # a machine laid anew may hold no (or old) i386 lists
            run(*sudo, "apt-get", "update", "-qq")
            got = run("apt-get", "download", "-qq", package + ":i386")
        debs = [f for f in os.listdir(d) if f.endswith(".deb")]
        if not debs:
            return "could not download %s:i386: %s" % (package, (got.stderr or got.stdout)[-300:])
        run("dpkg-deb", "-x", debs[0], "root")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        os.replace(os.path.join(d, "root", PACKAGES[package]), dest)
    return ""


def compare_cases(Result, suite, program, cases):
    """One result per (name, args, stdin, status) case: anvil must match Linux.
    On Linux each case starts in a fresh scratch directory."""
    linux = ut.run_on_linux([(program, args, stdin_data, None) for _, args, stdin_data, _ in cases])
    results = []
    for (name, args, stdin_data, status), host in zip(cases, linux):
        why = ut.compare_program(program, args, stdin_data, host, expect_status=status)
        results.append(Result("%s/%s" % (suite, name), not why, why))
    return results


# ---- ps, free, top: anvil's answer cannot be the host's; their shape must be ----

def check_ps(host, anvil):
    """Same header as on the host; a line for init (pid 1) and one for ps itself."""
    if anvil[:1] != host[:1]:
        return "header %r, host's %r" % (anvil[:1], host[:1])
    if not any(re.match(r"\s*1\s", l) for l in anvil[1:]):
        return "no line for pid 1"
    if not any(re.search(r"\sps$", l) for l in anvil[1:]):
        return "no line for ps itself"
    return ""


def mem_total_ok(value):
    return MEM_KIB_RANGE[0] <= int(value) <= MEM_KIB_RANGE[1]


def check_free(host, anvil):
    """Same header; Mem: total as anvil's RAM, used + free <= total; a Swap: line."""
    if anvil[:1] != host[:1]:
        return "header %r, host's %r" % (anvil[:1], host[:1])
    mem = [l.split() for l in anvil if l.startswith("Mem:")]
    if not mem or len(mem[0]) < 4 or not mem_total_ok(mem[0][1]):
        return "Mem: line %r" % mem
    total, used, free = (int(v) for v in mem[0][1:4])
    if used + free > total:
        return "used %d + free %d > total %d" % (used, free, total)
    if not any(l.startswith("Swap:") for l in anvil):
        return "no Swap: line"
    return ""


def check_top(host, anvil):
    """Mem: and Load average: lines, the host's column header, a line for top itself."""
    mem = [l for l in anvil if l.startswith("Mem:")]
    m = re.match(r"Mem: (\d+)K used, (\d+)K free", mem[0]) if mem else None
    if not m or not mem_total_ok(int(m.group(1)) + int(m.group(2))):
        return "Mem: line %r" % mem
    if not any(l.startswith("Load average:") for l in anvil):
        return "no Load average: line"
    header = [l for l in host if l.lstrip().startswith("PID")]
    if not header or header[0] not in anvil:
        return "column header %r missing" % header
    if not any(re.search(r"\stop -bn1$", l) for l in anvil):
        return "no line for top itself"
    return ""


STRUCTURE_CASES = [("ps", ["ps"], check_ps), ("free", ["free"], check_free),
                   ("top", sh("top -bn1"), check_top)]


def structure_results(Result, program):
    results = []
    linux = ut.run_on_linux([(program, args, None, "/") for _, args, _ in STRUCTURE_CASES])
    for (name, args, check), (host_status, host_out) in zip(STRUCTURE_CASES, linux):
        run, out, _ = ut.run_on_anvil(program, args, timeout=ut.DIFF_TIMEOUT)
        if host_status is None:
            why = "timed out on Linux after %d s" % ut.DIFF_TIMEOUT
        elif run.status is None:
            why = "anvil did not finish: %s; kernel log: %s" % (run.problem, ut.log_tail(run.log))
        elif run.status != 0 or host_status != 0:
            why = "exit status: Linux %d, anvil %d" % (host_status, run.status)
        else:
            why = check(host_out.decode(errors="replace").splitlines(),
                        out.decode(errors="replace").splitlines())
            if why:
                why += "; anvil printed: " + " | ".join(out.decode(errors="replace")
                                                      .splitlines()[:8])
        results.append(Result("busybox/" + name, not why, why))
    return results


def suite_busybox(Result):
    why = fetch("busybox-static")
    if why:
        return [Result("busybox/fetch", False, why)]
    program = binary_path("busybox-static")
    return (compare_cases(Result, "busybox", program, BUSYBOX_CASES) +
            structure_results(Result, program))


def suite_shell(Result, suite, package, cases):
    why = fetch(package)
    if why:
        return [Result(suite + "/fetch", False, why)]
    return compare_cases(Result, suite, binary_path(package), cases)


# bash: each script as -c's argument; sash: the script on its standard input
BASH_CASES = [(name, ["-c", script], None, status) for name, script, status in BASH_SCRIPTS]
SASH_CASES = [(name, [], script.encode(), status) for name, script, status in SASH_SCRIPTS]


def suites(Result):
    return [("busybox", lambda: suite_busybox(Result)),
            ("bash", lambda: suite_shell(Result, "bash", "bash-static", BASH_CASES)),
            ("sash", lambda: suite_shell(Result, "sash", "sash", SASH_CASES))]

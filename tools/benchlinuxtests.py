"""The benchlinux suite of `make test` (loaded by tools/run-tests): the
plumbing of `make bench-linux` (tools/bench-linux, docs/performance.md)
works, on the small rows of `mmbench quick`, in a few seconds.  Linux
itself is not booted here: under TCG its boot alone takes longer than
the whole suite may (the boot row of `make bench-linux` says how long).

benchlinux/host_quick: build/user/bench/mmbench quick runs on this Linux
       host (the same static i386 binary both kernels run), exits 0 and
       prints its rows, each with a number.
benchlinux/anvil_quick: the runner's anvil half (run_anvil, as `make
       bench-linux` runs it: -mem-prealloc, a fresh swap disk) runs
       mmbench quick; it exits 0, prints every row the host printed, and
       the runner sees its first line (the boot row) and makes the table.
"""

import os
import re
import subprocess
import tempfile
from importlib.machinery import SourceFileLoader

import anvil_qemu as aq

MMBENCH = os.path.join(aq.BUILD, "user", "bench", "mmbench")
# tools/bench-linux, as a module: its parser, its anvil half and its table
bl = SourceFileLoader("bench_linux", os.path.join(aq.ROOT, "tools", "bench-linux")).load_module()


def host_rows():
    """({(config, bench, what, unit): value} of mmbench quick on the host, problem or '')."""
    run = subprocess.run([MMBENCH, "quick"], capture_output=True, text=True, timeout=60)
    rows = bl.parse(run.stdout, "host")
    if run.returncode or "kbench: done" not in run.stdout:
        return rows, "status %d: %s" % (run.returncode, (run.stderr or run.stdout)[-300:])
    return rows, "" if rows else "no rows"


def anvil_problem(host):
    """'' if anvil prints every row of the host's run and the runner tabulates it, else why."""
    name, mem, args, cpus, program = bl.QUICK_CONFIGS[0]
    with tempfile.TemporaryDirectory(prefix="benchlinux-") as workdir:
        text, boot, problem = bl.run_anvil(program, mem, cpus, args, workdir, None)
    if problem or "kbench: done" not in text or boot is None:
        return "%s, boot %s:\n%s" % (problem, boot, text[-1500:])
    rows = bl.parse(text, "host")
    missing = [k for k in host if k not in rows]
    if missing:
        return "rows the host printed and anvil did not: %s" % missing[:5]
    results = {"linux": {k: [v] for k, v in host.items()},
               "anvil": {k: [v] for k, v in rows.items()}}
    table = bl.table(results, list(host), "heading")
    lines = [l for l in table.splitlines() if re.match(r"^\| \[host\] ", l)]
    return "" if len(lines) == len(host) else "table:\n" + table


def suite_benchlinux(Result):
    host, why = host_rows()
    results = [Result("benchlinux/host_quick", not why, why)]
    if not why:
        why = anvil_problem(host)
        results.append(Result("benchlinux/anvil_quick", not why, why))
    return results


def suites(Result):
    return [("benchlinux", lambda: suite_benchlinux(Result))]

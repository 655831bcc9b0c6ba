"""The benchlinux suite of `make test` (loaded by tools/run-tests): the
plumbing of `make bench-linux` (tools/bench-linux, docs/performance.md)
works, on the small rows of `mmbench quick`, in a few seconds.

benchlinux/host_quick: build/user/bench/mmbench quick runs on this Linux
       host (the same static i386 binary both kernels run), exits 0 and
       prints every row the runner's table needs, each with a number.
benchlinux/anvil_and_linux_quick: `tools/bench-linux --quick --rounds 1`
       boots Linux 6.1 (fetched by tools/install-deps bench-linux, once)
       and anvil with mmbench quick, exits 0, and its table has a line
       for each of the host's rows and for the boot, every cell a number.
"""

import os
import re
import subprocess

import anvil_qemu as aq

MMBENCH = os.path.join(aq.BUILD, "user", "bench", "mmbench")
RUNNER = os.path.join(aq.ROOT, "tools", "bench-linux")
ROW = re.compile(r"^kbench: (.+?) \| (.+?) \| (-?[0-9.]+) \| (.+)$", re.M)
RUNNER_TIMEOUT = 300     # s: the first run downloads the kernel package
NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"


def host_rows():
    """(rows as (bench, what, unit), problem or '') of mmbench quick on the host."""
    run = subprocess.run([MMBENCH, "quick"], capture_output=True, text=True, timeout=60)
    rows = [(b, w, u) for b, w, _, u in ROW.findall(run.stdout) if b != "mmbench"]
    if run.returncode or "kbench: done" not in run.stdout:
        return rows, "status %d: %s" % (run.returncode, (run.stderr or run.stdout)[-300:])
    return rows, ""


def check_table(table, rows):
    """'' if the table has a line of numbers for each row and for the boot, else why not."""
    lines = {}
    for line in table.splitlines():
        m = re.match(r"^\| \[[^]]+\] ([^:|]+): ([^|]+) \| ([^|]+) \|(.*)\|$", line)
        if m:
            lines[(m.group(1), m.group(2), m.group(3))] = m.group(4)
    for key in rows + [("boot", "QEMU start to mmbench's first line", "s")]:
        cells = lines.get(key)
        if cells is None:
            return "no line for %s" % (key,)
        if not all(re.fullmatch(NUMBER + "|-", c.strip()) for c in cells.split("|")):
            return "line for %s: %r" % (key, cells)
    return ""


def suite_benchlinux(Result):
    rows, why = host_rows()
    results = [Result("benchlinux/host_quick", bool(rows) and not why,
                      why or ("" if rows else "no rows"))]
    if why or not rows:
        return results
    try:
        run = subprocess.run([RUNNER, "--quick", "--rounds", "1"], capture_output=True,
                             text=True, timeout=RUNNER_TIMEOUT)
        why = ("status %d: %s" % (run.returncode, run.stderr[-1500:]) if run.returncode
               else check_table(run.stdout, rows))
    except subprocess.TimeoutExpired:
        why = "timed out after %d s" % RUNNER_TIMEOUT
    results.append(Result("benchlinux/anvil_and_linux_quick", not why, why))
    return results


def suites(Result):
    return [("benchlinux", lambda: suite_benchlinux(Result))]

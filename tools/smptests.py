"""The SMP suites of `make test` (loaded by tools/run-tests): anvil booted with -smp 2 and 4.

smpshootdown: build/user/tests/smp/shootdown on this Linux host (2 cores) and on anvil
          -smp 2 and -smp 4: a thread pinned to CPU 1 reads, writes or increments a page
          while the main thread on CPU 0 mprotects, munmaps or MADV_PAGEOUTs it.  Each
          case's lines must be the host's (the thread faults at once after the call
          returned; no increment or read reaches a frame the page left), the run must
          end "shootdown: ok", the page-outs must really have gone to swap, and the
          kernel log be clean.  One CPU ("needs 2 CPUs") is a failure, never a pass.
smpstress: build/user/stress/smpstress, 4 threads refaulting, forking, mremapping and
          munmapping slices of one VMA larger than RAM while it swaps, under -smp 2 and
          -smp 4: "smpstress: PASS", rmap_verify ran clean, the threads seen on at least
          2 CPUs, real swapping, a clean kernel log; and PASS on the host.  In RMAP_SUITES:
          every rmap scheme runs it.
smpuser:  the user and diff suites again, every boot with -smp 2 (run-tests --smp 2).
"""

import os
import re
import subprocess

import anvil_qemu as aq
import swaptests
import usertests

SHOOTDOWN = os.path.join(aq.BUILD, "user", "tests", "smp", "shootdown")
SMPSTRESS = os.path.join(aq.BUILD, "user", "stress", "smpstress")
CPU_COUNTS = (2, 4)
MEM = 24                   # MiB: smpstress's region is 32 MiB
SWAP_MB = 128
SHOOTDOWN_SWAP_MB = 16
STRESS_THREADS = 4
MIN_SWAPPED = 1000         # pages out and in during smpstress: fewer proves nothing
MIN_PAGEOUTS = 10          # of shootdown's 20 MADV_PAGEOUTs, how many must reach swap
MIN_CPUS = 2
TIMEOUT = 180
SMPUSER_SUITES = ("user", "diff")
SMPUSER_TIMEOUT = 1200
RUN_TESTS = os.path.join(aq.ROOT, "tools", "run-tests")


def cases(text):
    """{case: its lines} of shootdown's output (a case opens with "name:" alone on a line;
    the stderr lines, "pswpout +N", are not compared)."""
    found, name = {}, None
    for line in text.splitlines():
        if re.match(r"^\w+:$", line):
            name = line[:-1]
            found[name] = []
        elif name and not line.startswith(("shootdown: ", "pswpout +")):
            found[name].append(line)
    return found


def suite_shootdown(Result):
    why = usertests.missing(SHOOTDOWN)
    if why:
        return [Result("smpshootdown/run", False, why)]
    host_status, host_out = usertests.run_on_host(SHOOTDOWN)
    host = host_out.decode(errors="replace")
    results = [Result("smpshootdown/linux", host_status == 0 and "shootdown: ok" in host,
                      "status %d: %s" % (host_status, host.strip()[-300:]))]
    for cpus in CPU_COUNTS:
        prefix = "smpshootdown/smp%d" % cpus
        r, out = swaptests.run(SHOOTDOWN, mem=MEM, swap_mb=SHOOTDOWN_SWAP_MB, timeout=TIMEOUT,
                               smp=cpus)
        mine, theirs = cases(out), cases(host)
        for name, lines in theirs.items():
            ok = mine.get(name) == lines
            results.append(Result("%s/%s" % (prefix, name), ok, "" if ok else
                                  "Linux: %s | anvil: %s" % (" / ".join(lines),
                                                            " / ".join(mine.get(name, []))[:400])))
        pageouts = [int(n) for n in re.findall(r"^pswpout \+(-?\d+)$", out, re.M)]
        problems = []
        if r.status != 0 or "shootdown: ok" not in out:
            problems.append("status %s %s: %s" % (r.status, r.problem or "",
                                                  swaptests.first_complaint(out or "no output")))
        if len(pageouts) != 2 or min(pageouts) < MIN_PAGEOUTS:
            problems.append("the page-outs did not reach swap: pswpout %s" % pageouts)
        bad = swaptests.clean_log(r.log)
        if bad:
            problems.append("kernel log: %s | %s" % (bad, swaptests.log_tail(r.log)))
        results.append(Result(prefix + "/run", not problems, "; ".join(problems)))
    return results


def stress_problems(r, text):
    problems = []
    if r.status != 0 or "smpstress: PASS" not in text or "rmap_verify ran" not in text:
        problems.append("status %s %s: %s" % (r.status, r.problem or "",
                                              swaptests.first_complaint(text or "no output")))
    swapped = [int(n) for n in re.findall(r"^smpstress: psw(?:pout|pin) (\d+)$", text, re.M)]
    if len(swapped) != 2 or min(swapped) < MIN_SWAPPED:
        problems.append("too little swapping to prove anything: %s" % swapped)
    cpus = re.search(r"^smpstress: threads ran on (\d+) CPUs$", text, re.M)
    if not cpus or int(cpus.group(1)) < MIN_CPUS:
        problems.append("the threads ran on %s CPUs, not %d or more" % (
            cpus.group(1) if cpus else "?", MIN_CPUS))
    bad = swaptests.clean_log(r.log)
    if bad:
        problems.append("kernel log: %s | %s" % (bad, swaptests.log_tail(r.log)))
    return problems


def suite_stress(Result):
    why = usertests.missing(SMPSTRESS)
    if why:
        return [Result("smpstress/run", False, why)]
    host_status, host_out = usertests.run_on_host(SMPSTRESS, [str(STRESS_THREADS)])
    host = host_out.decode(errors="replace")
    results = [Result("smpstress/linux", host_status == 0 and "smpstress: PASS" in host,
                      "status %d: %s" % (host_status, host.strip()[-300:]))]
    for cpus in CPU_COUNTS:
        r, text = swaptests.run(SMPSTRESS, [str(STRESS_THREADS)], mem=MEM, swap_mb=SWAP_MB,
                                timeout=TIMEOUT, smp=cpus)
        problems = stress_problems(r, text)
        results.append(Result("smpstress/smp%d_%d_threads_one_vma_under_reclaim" % (
            cpus, STRESS_THREADS), not problems, "; ".join(problems)))
    return results


def suite_user(Result, cpus=CPU_COUNTS[0]):
    """SMPUSER_SUITES in a child run-tests whose every boot has -smp cpus."""
    cmd = [RUN_TESTS, "--smp", str(cpus), "--jobs", "1"] + list(SMPUSER_SUITES)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=SMPUSER_TIMEOUT).stdout
    except subprocess.TimeoutExpired:
        return [Result("smp%d:harness" % cpus, False, "timed out after %d s" % SMPUSER_TIMEOUT)]
    results = [Result("smp%d:%s" % (cpus, m.group(2)), m.group(1) == "PASS", m.group(3) or "")
               for m in re.finditer(r"^(PASS|X?FAIL) (\S+)(?:  -- (.*))?$", out, re.M)]
    if not re.search(r"^\d+ passed, \d+ failed$", out, re.M) or not results:
        results.append(Result("smp%d:harness" % cpus, False, out[-300:]))
    return results


def suites(Result):
    return [("smpshootdown", lambda: suite_shootdown(Result)),
            ("smpstress", lambda: suite_stress(Result)),
            ("smpuser", lambda: suite_user(Result))]

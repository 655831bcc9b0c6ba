"""The SMP suites of `make test` (loaded by tools/run-tests): anvil booted with -smp 2 and 4;
and `make smp-stress`, too long for make test: smpstress on every rmap scheme's kernel.

smpshootdown: build/user/tests/smp/shootdown on Linux with 2 CPUs (tools/linux_oracle.py) and on anvil
          -smp 2 and -smp 4: a thread pinned to CPU 1 reads, writes or increments a page
          while the main thread on CPU 0 mprotects, munmaps or MADV_PAGEOUTs it.  Each
          case's lines must be the host's (the thread faults at once after the call
          returned; no increment or read reaches a frame the page left), the run must
          end "shootdown: ok", the page-outs must really have gone to swap, and the
          kernel log be clean.  One CPU ("needs 2 CPUs") is a failure, never a pass.
"""

import os
import re
import sys
import time

import anvil_qemu as aq
import swaptests
import usertests

SHOOTDOWN = os.path.join(aq.BUILD, "user", "tests", "smp", "shootdown")
CPU_COUNTS = (2, 4)
MEM = 24                   # MiB
SHOOTDOWN_SWAP_MB = 16
MIN_PAGEOUTS = 1           # of shootdown's 20 MADV_PAGEOUTs: a page the thread keeps
                           # touching is often found referenced and kept, so at least one
TIMEOUT = 180


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
    [(host_status, host_out)] = usertests.run_on_linux([(SHOOTDOWN, [], None, "/")])
    host = host_out.decode(errors="replace")
    results = [Result("smpshootdown/linux", host_status == 0 and "shootdown: ok" in host,
                      "status %s: %s" % (host_status, host.strip()[-300:]))]
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

SMPSTRESS = os.path.join(aq.BUILD, "user", "stress", "smpstress")
STRESS_CPUS = 4
STRESS_THREADS = 4
STRESS_SWAP_MB = 128
STRESS_TIMEOUT = 900
MIN_SWAPPED = 1000         # pages out and in during smpstress: fewer proves nothing


def stress_problems(r, text):
    """What is wrong with one smpstress run ([] when nothing)."""
    problems = []
    if r.status != 0 or "smpstress: PASS" not in text or "rmap_verify ran" not in text:
        problems.append("status %s %s: %s" % (r.status, r.problem or "",
                                              swaptests.first_complaint(text or "no output")))
    swapped = [int(n) for n in re.findall(r"^smpstress: psw(?:pout|pin) (\d+)$", text, re.M)]
    if len(swapped) != 2 or min(swapped) < MIN_SWAPPED:
        problems.append("too little swapping to prove anything: %s" % swapped)
    cpus = re.search(r"^smpstress: threads ran on (\d+) CPUs$", text, re.M)
    if not cpus or int(cpus.group(1)) < 2:
        problems.append("the threads ran on %s CPUs" % (cpus.group(1) if cpus else "?"))
    bad = swaptests.clean_log(r.log)
    if bad:
        problems.append("kernel log: %s | %s" % (bad, swaptests.log_tail(r.log)))
    return problems


def stress_main():
    """make smp-stress: smpstress (4 threads faulting, forking, mremapping and munmapping
    one VMA larger than RAM) under -smp 4 on this kernel (ANVIL_RMAP picks the scheme)."""
    start = time.monotonic()
    r, text = swaptests.run(SMPSTRESS, [str(STRESS_THREADS)], mem=MEM, swap_mb=STRESS_SWAP_MB,
                            timeout=STRESS_TIMEOUT, smp=STRESS_CPUS)
    problems = stress_problems(r, text)
    print("%s %s:smpstress/smp%d_%d_threads  -- %.0f s%s" % (
        "FAIL" if problems else "PASS", aq.RMAP, STRESS_CPUS, STRESS_THREADS,
        time.monotonic() - start, "; " + "; ".join(problems) if problems else ""))
    return 1 if problems else 0


def suites(Result):
    return [("smpshootdown", lambda: suite_shootdown(Result))]


if __name__ == "__main__":
    if sys.argv[1:] != ["stress"]:
        sys.exit("usage: tools/smptests.py stress   (make smp-stress)")
    sys.exit(stress_main())

"""The SMP suites of `make test` (loaded by tools/run-tests): anvil booted with -smp 2 and 4.

smpshootdown: build/user/tests/smp/shootdown on this Linux host (2 cores) and on anvil
          -smp 2 and -smp 4: a thread pinned to CPU 1 reads, writes or increments a page
          while the main thread on CPU 0 mprotects, munmaps or MADV_PAGEOUTs it.  Each
          case's lines must be the host's (the thread faults at once after the call
          returned; no increment or read reaches a frame the page left), the run must
          end "shootdown: ok", the page-outs must really have gone to swap, and the
          kernel log be clean.  One CPU ("needs 2 CPUs") is a failure, never a pass.
"""

import os
import re

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


def suites(Result):
    return [("smpshootdown", lambda: suite_shootdown(Result))]

"""The swap suites of `make test` (loaded by tools/run-tests).

swap:     the stress (RAM far below the working set; fork, COW, shared memory,
          mremap and munmap under pressure; every page checksummed; exact leak
          check), the same with write errors injected by QEMU's blkdebug,
          swapoff/swapon, the OOM killer with and without swap, against a
          write() into /tmp larger than RAM and against a vfork child (whose
          parent shares its mm), and swap headers that must be refused with
          a clear message.
swapregress: issue 12's use-after-frees (an mremap merge after swap-out,
          swapoff while processes exit); issue 19's pagemap of swapped pages
          and fault counts (a swap-in is a major fault in getrusage, a COW
          write of a swapped page one fault); issue 22's request merging and
          read-ahead (MADV_PAGEOUT's consecutive writes merge in
          /proc/diskstats; a swap-in reads its aligned block of 8 slots in
          one request, mincore shows them; page-cluster 0 reads one), and its
          mremap of spans partly on swap, whole page tables and runs of PTEs.
swapmlock: locked pages stay in RAM under pressure while the rest goes to
          swap, reclaim culls them off the LRU and munlockall gives them
          back; mincore of swapped-out and swap-cached pages, MADV_WILLNEED
          and MADV_PAGEOUT (issue 19).
shmem:    shared anonymous memory and tmpfs files twice RAM go to swap and come back
          (fork, read(), mmap), size= still full with the pages on swap, truncate,
          unlink and the last unmap free the slots, swapoff brings shmem pages back.
swapthreads: four threads of one process (one mm) fault, fork copy-on-write,
          munmap and MADV_DONTNEED slices of one region larger than RAM while it
          swaps; every page checked, rmap_verify clean (user/stress/threadswap.c).
gdbswap:  GDB stops in try_to_unmap_one during the stress and watches a real
          PTE turn into a swap entry (rmap and pgwalk before and after); pageflags
          names the page's bits and rmap-dot draws its reverse map, kept in
          build/figures/rmap-live.svg (build/rmap-<scheme>/figures/ for another scheme).
"""

import glob
import os
import re
import subprocess
import tempfile

import anvil_qemu as aq
import picturetests

STRESS = os.path.join(aq.BUILD, "user", "stress", "swapstress")
OOMTEST = os.path.join(aq.BUILD, "user", "stress", "oomtest")
SWAPCTL = os.path.join(aq.BUILD, "user", "stress", "swapctl")
SWAPREGRESS = os.path.join(aq.BUILD, "user", "stress", "swapregress")
USERTESTS = os.path.join(aq.BUILD, "user", "tests", "usertests")
MLOCKSWAP = os.path.join(aq.BUILD, "user", "stress", "mlockswap")
SHMEMSWAP = os.path.join(aq.BUILD, "user", "stress", "shmemswap")
THREADSWAP = os.path.join(aq.BUILD, "user", "stress", "threadswap")
THREADSWAP_MIN_SWAPPED = 1000   # pages swapped out and in: fewer proves nothing
TRUE = os.path.join(aq.BUILD, "rootfs", "bin", "true")
STRESS_MEM = 24            # MiB of RAM; the stress touches 60 MiB
SHMEM_MEM = 16             # MiB of RAM; shmemswap's objects are twice that
SHMEM_SWAP_MB = 64
SWAP_MB = 128
HEADER_SWAP_MB = 8
FAULTY_SLOTS = range(5, 400, 37)   # write errors injected on these swap slots
SECTORS_PER_SLOT = 8
VFORK_OOM_TIMEOUT = 120    # s; oomtest gives up by itself after 60, the fixed kernel takes 2
ALLOC_FAILURE_SPAM = 10    # more "page allocation failure" lines than this: a livelock
HEADER_INFO = 1024         # version, last_page, nr_badpages, ... in page 0
BADPAGES_AT = 1536         # the bad-page list
MAGIC_AT = 4096 - 10


def run(program, args=(), **kw):
    """run_program with stdout/stderr captured; returns (ProgramRun, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        r = aq.run_program(program, args, stdout_fd=out.fileno(), stderr_fd=err.fileno(), **kw)
        out.seek(0)
        err.seek(0)
        return r, out.read().decode(errors="replace") + err.read().decode(errors="replace")


def counter(text, name):
    m = re.search(r"^swapstress: %s (\d+)$" % name, text, re.M)
    return int(m.group(1)) if m else -1


def clean_log(log):
    """Kernel-side trouble that must never appear."""
    for bad in ("Kernel panic", "Oops", "kernel BUG", "WARNING:", "Bad page state",
                "rmap_verify:"):
        if bad in log:
            return bad
    return None


RERUN = "rerun it whole: tools/run-elf --mem %d --swap %d build/user/stress/swapstress" % (
    STRESS_MEM, SWAP_MB)


def first_complaint(text):
    """The line that names what went wrong: the first that says corrupt, failed or wrong
    (the last line is only the summary), else the last line."""
    lines = text.strip().split("\n")
    return next((line for line in lines if re.search(r"corrupt|fail|wrong|error", line, re.I)),
                lines[-1])


def stress_result(Result, name, run_, text, want_errors):
    problems = []
    if run_.status != 0 or "swapstress: ok" not in text:
        problems.append("status %s %s: %s (%s)" % (run_.status, run_.problem or "",
                                                   first_complaint(text), RERUN))
    if counter(text, "pswpout") < 1000 or counter(text, "pswpin") < 1000:
        problems.append("too little swapping to prove anything: %s" % text)
    if want_errors and counter(text, "swap_write_errors") < len(FAULTY_SLOTS) // 2:
        problems.append("write errors were not injected")
    bad = clean_log(run_.log)
    if bad:
        problems.append("kernel log: " + bad)
    return Result(name, not problems, "; ".join(problems))


def suite_stress(Result):
    r, text = run(STRESS, mem=STRESS_MEM, swap_mb=SWAP_MB, timeout=240)
    return [stress_result(Result, "swap/stress_60MiB_on_24MiB", r, text, False)]


def suite_write_errors(Result):
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(d, "blkdebug.conf")
        with open(conf, "w") as f:
            for slot in FAULTY_SLOTS:
                f.write('[inject-error]\nevent = "write_aio"\nerrno = "5"\nsector = "%d"\n\n'
                        % (slot * SECTORS_PER_SLOT))
        image = os.path.join(d, "swap.img")
        aq.make_swap_image(image, SWAP_MB)
        r, text = run(STRESS, mem=STRESS_MEM, swap_image="blkdebug:%s:%s" % (conf, image),
                      timeout=240)
    res = stress_result(Result, "swap/stress_with_write_errors", r, text, True)
    retired = len(re.findall(r"retired after a write error", r.log))
    return [res, Result("swap/failed_slots_retired", retired >= 1,
                        "%d slots retired" % retired)]


def suite_swapoff(Result):
    r, text = run(SWAPCTL, ["40"], mem=STRESS_MEM, swap_mb=SWAP_MB, timeout=240)
    return [Result("swap/swapoff_refuses_then_brings_back", r.status == 0 and "swapctl: ok" in text
                   and not clean_log(r.log), text.strip()[-300:])]


def suite_regress(Result):
    """Issue 12's use-after-frees, issue 19's pagemap of swapped pages and fault counts, issue
    22's request merging and read-ahead and its mremap of spans partly on swap (a usertests
    subtest), each in its own boot."""
    results = []
    for name, program, arg, done in (
            ("mremap_back_beside_fresh_after_swapout", SWAPREGRESS, "mremap", "swapregress: ok"),
            ("swapoff_while_processes_exit", SWAPREGRESS, "swapoff", "swapregress: ok"),
            ("pagemap_of_swapped_pages", SWAPREGRESS, "pagemap", "swapregress: ok"),
            ("swapin_is_a_major_fault", SWAPREGRESS, "faults", "swapregress: ok"),
            ("writes_merge_and_swapin_reads_ahead", SWAPREGRESS, "readahead",
             "swapregress: ok"),
            ("mremap_table_spans_on_swap", USERTESTS, "mremap_table_spans",
             "usertests: 2 passed, 0 failed")):
        r, text = run(program, [arg], mem=STRESS_MEM, swap_mb=SWAP_MB, timeout=120)
        bad = clean_log(r.log)
        ok = r.status == 0 and done in text and not bad
        results.append(Result("swap/" + name, ok, "" if ok else "%s %s %s | %s" % (
            r.status, r.problem or "", text.strip()[-300:], bad or log_tail(r.log))))
    return results


def suite_mlock(Result):
    """Issue 19: mlock against reclaim, and mincore against swap (user/stress/mlockswap.c)."""
    r, text = run(MLOCKSWAP, mem=STRESS_MEM, swap_mb=SWAP_MB, timeout=180)
    bad = clean_log(r.log)
    ok = r.status == 0 and "mlockswap: ok" in text and not bad
    return [Result("swap/locked_pages_stay_in_ram_under_pressure", ok, "" if ok else "%s %s %s | %s" % (
        r.status, r.problem or "", text.strip()[-400:], bad or log_tail(r.log)))]


def suite_shmem(Result):
    """shmem is swap-backed (user/stress/shmemswap.c).  Not under the "swap"
    prefix, so that make test runs it once, with the default rmap scheme."""
    r, text = run(SHMEMSWAP, mem=SHMEM_MEM, swap_mb=SHMEM_SWAP_MB, timeout=180)
    bad = clean_log(r.log)
    ok = r.status == 0 and "shmemswap: ok" in text and not bad
    return [Result("shmem/shared_anonymous_and_tmpfs_go_to_swap", ok, "" if ok else
                   "%s %s %s | %s" % (r.status, r.problem or "", text.strip()[-400:],
                                      bad or log_tail(r.log)))]


def suite_threads(Result):
    """Threads sharing one mm under reclaim (user/stress/threadswap.c), on the default CPUs.
    Under two, about one run in fifty was OOM-killed (status 137) with swap all but empty:
    the first direct reclaim found every page just faulted in, on the active list, freed
    nothing, and the OOM killer came at once (alloc_pages now waits OOM_RECLAIM_ROUNDS)."""
    r, text = run(THREADSWAP, mem=STRESS_MEM, swap_mb=SWAP_MB, timeout=180)
    bad = clean_log(r.log)
    swapped = [int(n) for n in re.findall(r"^threadswap: psw(?:pout|pin) (\d+)$", text, re.M)]
    problems = []
    if r.status != 0 or "threadswap: ok" not in text:
        problems.append("%s %s %s" % (r.status, r.problem or "", text.strip()[-400:]))
    if len(swapped) != 2 or min(swapped) < THREADSWAP_MIN_SWAPPED:
        problems.append("too little swapping to prove anything: %s" % text.strip()[-200:])
    if bad:
        problems.append("kernel log: %s | %s" % (bad, log_tail(r.log)))
    return [Result("swapthreads/threads_fault_fork_and_unmap_one_region_under_reclaim",
                   not problems, "; ".join(problems))]


def log_tail(log, lines=12):
    return " | ".join(log.rstrip("\n").split("\n")[-lines:])


def suite_oom(Result):
    """The hog, and only the hog, is killed (issue 18: under load the bystander of
    oom_killer_swap_full was killed too, by an allocation whose reclaim overlapped the
    hog's kill and exit).  The ramfs writer's file pages are nobody's RSS, so there the
    bystander may go first."""
    results = []
    for name, swap, args, kills in (("oom_killer_without_swap", 0, [], 1),
                                    ("oom_killer_swap_full", 16, [], 1),
                                    ("oom_killer_stops_a_ramfs_writer", 16, ["write"], None)):
        r, text = run(OOMTEST, args, mem=STRESS_MEM, swap_mb=swap, timeout=240)
        killed = r.log.count("Killed process")
        ok = (r.status == 0 and "oomtest: ok" in text and "Out of memory" in r.log and
              killed >= 1 and kills in (None, killed) and not clean_log(r.log))
        results.append(Result("swap/" + name, ok, "%s %s; %d killed" % (
            r.problem or "", text.strip()[-200:], killed)))
    return results + vfork_oom(Result)


def vfork_oom(Result):
    """Issue 18: a vfork child runs out of memory (no swap) while its parent sleeps in
    vfork, sharing its mm.  One OOM kill must take both, the parent's vfork wait must
    give way to SIGKILL, and no allocation may fail on and on meanwhile.  `vfork-kill`
    SIGKILLs the parent first: it must die before its child leaves the mm."""
    results = []
    for name, mode in (("oom_killer_kills_every_user_of_a_vfork_mm", "vfork"),
                       ("oom_vfork_parent_killed_while_its_child_allocates", "vfork-kill")):
        r, text = run(OOMTEST, [mode], mem=STRESS_MEM, timeout=VFORK_OOM_TIMEOUT)
        pids = re.search(r"vfork parent (\d+), child (\d+)", text)
        killed = re.findall(r"Killed process (\d+)", r.log)
        ooms = r.log.count("Out of memory")
        spam = r.log.count("page allocation failure")
        problems = []
        if r.status != 0 or "oomtest: ok" not in text:
            problems.append("status %s %s: %s" % (r.status, r.problem or "", text.strip()[-200:]))
        if mode == "vfork" and not (pids and ooms == 1 and sorted(killed) == sorted(pids.groups())):
            problems.append("not one OOM kill of parent and child: %d OOMs, killed %s" %
                            (ooms, killed))
        if spam > ALLOC_FAILURE_SPAM:
            problems.append("%d page allocation failures" % spam)
        if clean_log(r.log):
            problems.append("kernel log: " + clean_log(r.log))
        results.append(Result("swap/" + name, not problems, "; ".join(problems)))
    return results


def corrupt(image, offset, data):
    with open(image, "r+b") as f:
        f.seek(offset)
        f.write(data)


def u32(v):
    return v.to_bytes(4, "little")


def set_bad_pages(img, count, pages):
    corrupt(img, HEADER_INFO + 8, u32(count))
    corrupt(img, BADPAGES_AT, b"".join(u32(p) for p in pages))


# name: (how to damage a fresh mkswap image, what the kernel must say)
HEADERS = {
    "no_signature": (lambda img, pages: corrupt(img, MAGIC_AT, b"NOTASWAP!!"),
                     "no \"SWAPSPACE2\" signature"),
    "version_2": (lambda img, pages: corrupt(img, HEADER_INFO, u32(2)),
                  "swap header version 2"),
    "last_page_past_disk": (lambda img, pages: corrupt(img, HEADER_INFO + 4, u32(pages + 100)),
                            "but the disk has"),
    "bad_page_out_of_range": (lambda img, pages: set_bad_pages(img, 1, [pages + 5]),
                              "(page %d) is out of range" % (HEADER_SWAP_MB * 256 + 5)),
    "too_many_bad_pages": (lambda img, pages: corrupt(img, HEADER_INFO + 8, u32(100000)),
                           "bad pages listed"),
    # 638 entries would run into the magic at the end of the page (Linux's limit is 637)
    "bad_pages_into_the_magic": (lambda img, pages: corrupt(img, HEADER_INFO + 8, u32(638)),
                                 "638 bad pages listed, at most 637 fit the header"),
}


def suite_headers(Result):
    """Broken swap headers: a clear message, no swap, and the system runs on."""
    results = []
    pages = HEADER_SWAP_MB * 256
    with tempfile.TemporaryDirectory() as d:
        for name, (damage, message) in HEADERS.items():
            image = os.path.join(d, name + ".img")
            aq.make_swap_image(image, HEADER_SWAP_MB)
            damage(image, pages)
            r, _ = run(TRUE, swap_image=image, timeout=60)
            ok = (r.status == 0 and message in r.log and "running without swap" in r.log and
                  "Adding" not in r.log and not clean_log(r.log))
            results.append(Result("swap/header_" + name, ok, r.problem or message))
        # mkswap's own bad-page list is honoured: those slots are never used
        image = os.path.join(d, "badpages.img")
        aq.make_swap_image(image, HEADER_SWAP_MB)
        set_bad_pages(image, 2, [3, 4])
        r, _ = run(TRUE, swap_image=image, timeout=60)
        want = "Adding %dk swap" % ((pages - 1 - 2) * 4)
        results.append(Result("swap/header_bad_pages_skipped", r.status == 0 and want in r.log,
                              r.problem or want))
    r, _ = run(TRUE, cmdline="swap=hdb", timeout=60)
    results.append(Result("swap/no_disk", r.status == 0 and "swap=hdb: no such disk" in r.log,
                          r.problem or ""))
    return results


# GDB on the swap-out path: stop in try_to_unmap_one until one call replaces a
# present PTE, showing rmap and pgwalk before and after.
GDB_SCRIPT = r"""
set $done = 0
break try_to_unmap_one
while $done == 0
  continue
  set $pg = page
  set $vm = vma
  set $va = $vma_address(page, vma)
  set $pid = $pid_of(vma->vm_mm)
  if $maps_page($pg, $vm) && $pg->flags & (1 << PG_swapcache)
    echo === before ===\n
    rmap $pg
    pageflags $pg
    rmap-dot $pg @DOT@
    pgwalk $va $pid
    finish
    if !$maps_page($pg, $vm)
      printf "=== after: pid %d ===\n", $pid
      pgwalk $va $pid
      rmap $pg
      set $done = 1
    end
  end
end
delete
kill
"""


def gdb_under_run_elf(script, run_elf_args, timeout=240):
    """GDB's output from the checked-in .gdbinit and script, against tools/run-elf
    run_elf_args waiting for it (on aq.KERNEL: ANVIL_RMAP's)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    qemu = subprocess.Popen(
        [os.path.join(aq.ROOT, "tools", "run-elf"), "--gdb-port", str(port), "--timeout", "300"]
        + list(run_elf_args),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, ANVIL_GDBPORT=str(port), ANVIL_KERNEL=aq.KERNEL)
        g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-x",
                            os.path.join(aq.ROOT, ".gdbinit"), "-x", script],
                           cwd=aq.ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        return g.stdout + g.stderr
    finally:
        qemu.terminate()          # run-elf stops its QEMU on SIGTERM
        qemu.wait()


def suite_gdb_swapout(Result):
    # the page's picture is kept: a real reverse map under this scheme, for the book
    dot = os.path.join(aq.RMAP_BUILD, "figures", "rmap-live.dot")
    os.makedirs(os.path.dirname(dot), exist_ok=True)
    for old in glob.glob(dot[:-len(".dot")] + ".*"):
        os.remove(old)
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "swapout.gdb")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT.replace("@DOT@", dot))
        out = gdb_under_run_elf(script, ["--mem", str(STRESS_MEM), "--swap", str(SWAP_MB),
                                         STRESS])
        drawn = picturetests.dot_drawn(dot)
    before = out.split("=== before ===")[-1].split("=== after")[0]
    m = re.search(r"=== after: pid (\d+) ===", out)
    after = out[m.end():] if m else ""
    # the rmap line of the PTE that was unmapped (other sharers may still map the page);
    # a pte_chain holds only the PTEs that map the page, so under pte_chain it is gone
    unmapped = [l for l in after.split("rmap")[-1].splitlines() if m and " pid %s " % m.group(1) in l]
    gone = m and "anonymous: " in after and not unmapped and aq.RMAP == "pte_chain"
    checks = [
        ("stopped in try_to_unmap_one", "Breakpoint 1, try_to_unmap_one" in out),
        ("rmap lists the PTE that maps the page", "<- maps it" in before),
        ("pgwalk shows a present PTE before", re.search(r"pte\[\d+\] = 0x[0-9a-f]+: pfn", before)),
        ("pgwalk shows a swap entry after", re.search(r"pte\[\d+\] = 0x[0-9a-f]+: swap entry", after)),
        ("rmap shows that PTE as a swap entry after", gone or
         len(unmapped) == 1 and "swap entry" in unmapped[0] and "<- maps it" not in unmapped[0]),
        ("pageflags names PG_swapcache", re.search(r"bit +\d+ PG_swapcache +1$", before, re.M)),
        # the scheme's object, and a PTE that maps the page, drawn and rendered by dot
        ("rmap-dot draws the scheme's object and the PTE",
         picturetests.RMAP_OBJECT[aq.RMAP] in drawn[0] and "maps this page" in drawn[0] and
         drawn[1]),
    ]
    return [Result("gdb/swapout_" + re.sub(r"\W+", "_", what), bool(ok),
                   "" if ok else out[-1500:]) for what, ok in checks]


def suites(Result):
    return [("swap", lambda: suite_stress(Result) + suite_swapoff(Result)),
            ("swapregress", lambda: suite_regress(Result)),
            ("swapmlock", lambda: suite_mlock(Result)),
            ("swaperr", lambda: suite_write_errors(Result)),
            ("swapoom", lambda: suite_oom(Result) + suite_headers(Result)),
            ("shmem", lambda: suite_shmem(Result)),
            ("swapthreads", lambda: suite_threads(Result)),
            ("gdbswap", lambda: suite_gdb_swapout(Result))]

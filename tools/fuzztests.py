#!/usr/bin/env python3
"""tools/fuzztests.py: the system-call fuzzer under anvil (build/user/tests/fuzz).

As a suite of `make test` (loaded by tools/run-tests):
  fuzz  the fixed seeds below, FIXED_CALLS calls each (>= 50 000 in all), on
        FUZZ_MEM MiB of RAM with swap: anvil must neither panic, oops nor hang,
        and afterwards rmap_verify holds, free pages are back to their start
        value (slab pages not counted as free), no swap slot is held by no page
        table, every slab cache has as many objects in use as before (the rmap
        scheme's objects, VMAs, mms, inodes ...), and the segment calls' oracles
        found nothing.  The fixed seeds draw the segment and TLS calls and the
        later ABI calls too (FIXED_SEGMENTS; fuzz -s: user/tests/fuzz/seg.c and
        abicalls.c).
  fuzz/replay_*  batches that once found a bug, replayed alone (they pin the call
        table of user/tests/fuzz/calls.c: after changing it, find the batch anew).
  fuzz/ext2_*  a short campaign (EXT2_SEEDS, EXT2_CALLS each) with fuzz -d: the
        scratch directory on an ext2 disk made by mke2fs (1 KiB blocks, so the
        map reaches triple indirect blocks, and small, so it fills up), the file
        calls of abicalls.c's file_calls too (far pwrites and truncates, files
        mapped MAP_SHARED into the arena and written there, msync, fsync); the
        same checks as above, and the host's `e2fsck -fn` finds the disk clean.
  fuzz-threads  fuzz -t THREADS (user/tests/fuzz/threads.c): each batch is THREADS
        threads of one process making memory and process calls at once in one
        arena (mmap, munmap, mprotect, mremap, madvise with MADV_DONTNEED and
        MADV_PAGEOUT, user and kernel page touches, brk, fork, futex waits with
        time-outs and wakes, tgkill between the threads, a thread's exit and a new
        thread in its place, rarely exit_group), THREAD_SEEDS with THREAD_CALLS
        each; every thread runs rmap_verify every 64 of its calls (a violation is a
        finding), and the checks above hold at the end.  Each thread's calls come
        from (seed, batch, slot, generation) alone; their interleaving is the
        scheduler's.
  fuzz-threads/ext2_*  the same on an ext2 disk as fuzz/ext2_* (THREAD_EXT2_SEEDS,
        THREAD_EXT2_CALLS each), where the threads' shared file is written back and
        reclaimed while they fault it in and truncate it; and e2fsck finds the disk clean.
As a script (`make fuzz SEED=... CALLS=... [FUZZ_MEM=MiB] [RMAP=scheme] [SEGMENTS=1]
[EXT2=1] [THREADS=N]`): a longer campaign, with the same checks; --segments (SEGMENTS=1)
adds the segment calls and the later ABI calls, --ext2 (EXT2=1) plays on an ext2 disk as
fuzz/ext2_* does (`make stress` runs a long one), --threads N (THREADS=N) runs the
threaded batches of fuzz-threads, N threads each.

  tools/fuzztests.py [--segments] [--ext2] [--threads N] SEED[,SEED...] CALLS

A failure names the last batch started; `tools/run-elf --mem 16 --swap 64
build/user/tests/fuzz -v -b BATCH SEED CALLS` replays that batch alone, logging
every call before it is made; with -b, CALLS limits the batch to its first CALLS
calls, so a leak or a crash can be bisected to the call that makes it.

A threaded campaign's threads make the same calls in every run, but the scheduler
interleaves them as it goes, and a batch starts from the swap and memory its seed's
earlier batches left: replay a fuzz-threads failure by its seed first,
`tools/fuzztests.py --threads 4 SEED 4000` (`make fuzz THREADS=4 SEED=... CALLS=4000`),
a few times if it passes once; then the batch alone, with -t N added to the command
above (`fuzz -t 4 -v -b BATCH SEED CALLS`), whose log names each call
SEED.BATCH.tSLOT.GENERATION.CALL.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anvil_qemu as aq  # noqa: E402

FUZZ = os.path.join(aq.BUILD, "user", "tests", "fuzz")
FIXED_SEEDS = "1,2,3,4,5"
FIXED_CALLS = 10000          # per seed
# The segment and TLS calls in the fixed campaign (issue 18 items 1-3, 5); with them
# the seeds draw other calls, so REPLAYS run without them.
FIXED_SEGMENTS = True
FUZZ_MEM = 16                # MiB of RAM: the batches' touches overflow it into swap
CAMPAIGN_MEM = int(os.environ.get("FUZZ_MEM", FUZZ_MEM))   # make fuzz FUZZ_MEM=...
SWAP_MB = 64
SUITE_TIMEOUT = 120          # seconds, for one replayed batch
CALLS_PER_SECOND = 200       # a campaign's time-out: the slowest rate seen on a loaded host, halved
BOOT_AND_CHECKS = 60         # seconds a campaign takes besides its calls, at worst
EXT2_SEEDS = "1,2"
EXT2_CALLS = 1000            # per seed: two seconds in all
EXT2_MB = 16                 # the disk: fills up under a campaign's writes
MKE2FS = shutil.which("mke2fs") or "/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
THREAD_SEEDS = "1,2,3"
THREAD_CALLS = 3000          # per seed: about 3 s each under TCG on an idle host
THREAD_EXT2_SEEDS = "1,2"
THREAD_EXT2_CALLS = 1500
THREADS = 4                  # per batch
THREADS_QEMU = {"smp": 2}   # the threads run on two CPUs at once
TROUBLE = ("Kernel panic", "Oops", "kernel BUG", "BUG:", "WARNING:", "Bad page state",
           "rmap_verify:", "lockdep")


def campaign(seeds, calls, timeout, mem=FUZZ_MEM, segments=False, disk=None, threads=0):
    """(ProgramRun, the fuzzer's output) of one boot running the seeds; disk: an ext2
    image to play on (fuzz -d); threads: per batch (fuzz -t), 0 for the call table."""
    with tempfile.TemporaryFile() as out:
        run = aq.run_program(FUZZ, (["-s"] if segments else []) +
                             (["-d", "/dev/hdc"] if disk else []) +
                             (["-t", str(threads)] if threads else []) + [seeds, str(calls)],
                             mem=mem, swap_mb=SWAP_MB, disk_image=disk,
                             timeout=timeout, stdout_fd=out.fileno(), stderr_fd=out.fileno(),
                             **(THREADS_QEMU if threads else {}))
        out.seek(0)
        return run, out.read().decode(errors="replace")


def make_ext2_disk(path):
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", path, "%dM" % EXT2_MB],
                   check=True, capture_output=True)


def disk_checks(text, image):
    """[(name, ok, detail)] of the disk after an ext2 campaign."""
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    umount = line(text, r"umount .*")
    return [("umounted", umount is None, "a seed's umount failed"),
            ("e2fsck_clean", fsck.returncode == 0, "e2fsck -fn: %s" % fsck.stdout[-400:])]


def campaign_timeout(seeds, calls):
    return BOOT_AND_CHECKS + calls * len(seeds.split(",")) // CALLS_PER_SECOND


def line(text, pattern):
    m = re.search(r"^fuzz: " + pattern + r"$", text, re.M)
    return m.groups() if m else None


def checks(run, text, seeds, calls, segments=False, threads=0):
    """[(name, ok, detail)] for one campaign."""
    batches = re.findall(r"^fuzz: batch (\d+\.\d+)$", text, re.M)
    where = "last batch started %s (replay: fuzz -v%s -b BATCH SEED %d)" % (
        batches[-1] if batches else "none", " -s" if segments else "", calls)
    if threads:
        where = ("last batch started %s (replay the seed: tools/fuzztests.py --threads %d SEED "
                 "%d; a batch: fuzz -v -t %d -b BATCH SEED %d)" % (
                     batches[-1] if batches else "none", threads, calls, threads, calls))
    trouble = next((t for t in TROUBLE if t in run.log), None)
    done = line(text, r"(\d+) calls in (\d+) batches, (\d+) ms; pswpout (\d+) pswpin (\d+)")
    want_calls = calls * len(seeds.split(","))
    rmap = line(text, r"rmap_verify: (-?\d+) violations")
    pages = line(text, r"free pages \(free\+swapcache-swap\) (-?\d+) -> (-?\d+)")
    swap = line(text, r"swap in use (-?\d+) kB -> (-?\d+) kB, held by no page table "
                r"(-?\d+) kB -> (-?\d+) kB")
    slabs = line(text, r"slab caches with objects in use changed: (\d+) of (\d+):?(.*)")
    findings = line(text, r"findings: (\d+)(.*)")
    tail = " | ".join(run.log.rstrip("\n").split("\n")[-8:])
    return [
        ("ran_to_the_end", run.status in (0, 1) and done is not None and
         int(done[0]) >= want_calls,
         "%s; %s; kernel log: %s" % (run.problem or "status %s" % run.status, where, tail)),
        ("kernel_log_clean", trouble is None, "%s in the log; %s" % (trouble, where)),
        ("swapped", done is not None and int(done[3]) > 0, "no page was swapped out"),
        ("rmap_verify", rmap is not None and rmap[0] == "0", "%s violations" % (rmap or "?",)),
        ("free_pages_back", pages is not None and pages[0] == pages[1], "%s" % (pages,)),
        ("no_orphan_swap_slots", swap is not None and swap[3] == "0",
         "swap in use %s" % (swap,)),
        ("slab_objects_back", slabs is not None and slabs[0] == "0" and int(slabs[1]) > 0,
         "objects in use before -> after:%s" % (slabs[2] if slabs else " ?",)),
        ("no_findings", findings is not None and findings[0] == "0",
         "%s findings%s" % findings if findings else "no findings line"),
    ]


# (name, seed, batch, MiB of RAM, what the kernel did wrong before the fix).  The first no
# longer fails even with its fix taken out (later allocator and OOM-killer changes stop it
# too); it stays for its checks.
REPLAYS = [
    ("oom_waits_for_an_exiting_victim", 101, 135, 24,
     "the OOM victim (65 MiB swapped out) was still exiting when the next allocation "
     "failed; select_bad_process skipped PF_EXITING tasks and killed the campaign's parent; "
     "later, killed in a 2 GiB getrandom, it went on faulting pages in while other "
     "allocations gave up after MAX_ALLOC_ATTEMPTS"),
    ("dot_names_are_not_entries", 33, 101, 16,
     "symlink(\".\", \".\") in the scratch directory made an entry named \".\"; a tree "
     "walk skips it, so the directory was never removed and its inodes, entries and the "
     "link's target (a kmalloc-16 slab page of its own) leaked"),
]
REPLAY_CALLS = 1000000       # -b's CALLS: the whole batch


def replay_results(Result):
    results = []
    for name, seed, batch, mem, why in REPLAYS:
        with tempfile.TemporaryFile() as out:
            run = aq.run_program(FUZZ, ["-b", str(batch), str(seed), str(REPLAY_CALLS)], mem=mem,
                                 swap_mb=SWAP_MB, timeout=SUITE_TIMEOUT,
                                 stdout_fd=out.fileno(), stderr_fd=out.fileno())
            out.seek(0)
            text = out.read().decode(errors="replace")
        ok = run.status == 0 and line(text, "ok") is not None
        results.append(Result("fuzz/replay_" + name, ok, "" if ok else "%s (%s): %s" % (
            run.problem or "status %s" % run.status, why, text.strip()[-200:])))
    return results


def ext2_results(Result):
    with tempfile.TemporaryDirectory(prefix="fuzz-ext2-") as tmp:
        image = os.path.join(tmp, "disk.img")
        make_ext2_disk(image)
        run, text = campaign(EXT2_SEEDS, EXT2_CALLS, campaign_timeout(EXT2_SEEDS, EXT2_CALLS),
                             segments=True, disk=image)
        found = checks(run, text, EXT2_SEEDS, EXT2_CALLS, True) + disk_checks(text, image)
    return [Result("fuzz/ext2_" + name, bool(ok), "" if ok else detail)
            for name, ok, detail in found if name != "swapped"]


def suite_fuzz(Result):
    if not os.path.exists(FUZZ):
        return [Result("fuzz/run", False, "build/user/tests/fuzz is not built (run make)")]
    run, text = campaign(FIXED_SEEDS, FIXED_CALLS, campaign_timeout(FIXED_SEEDS, FIXED_CALLS),
                         segments=FIXED_SEGMENTS)
    return [Result("fuzz/" + name, bool(ok), "" if ok else detail)
            for name, ok, detail in checks(run, text, FIXED_SEEDS, FIXED_CALLS, FIXED_SEGMENTS)] + \
        replay_results(Result) + ext2_results(Result)


def suite_fuzz_threads(Result):
    if not os.path.exists(FUZZ):
        return [Result("fuzz-threads/run", False, "build/user/tests/fuzz is not built (run make)")]
    run, text = campaign(THREAD_SEEDS, THREAD_CALLS, campaign_timeout(THREAD_SEEDS, THREAD_CALLS),
                         threads=THREADS)
    found = [("fuzz-threads/" + name, ok, detail) for name, ok, detail in
             checks(run, text, THREAD_SEEDS, THREAD_CALLS, threads=THREADS)]
    with tempfile.TemporaryDirectory(prefix="fuzz-ext2-") as tmp:
        image = os.path.join(tmp, "disk.img")
        make_ext2_disk(image)
        run, text = campaign(THREAD_EXT2_SEEDS, THREAD_EXT2_CALLS,
                             campaign_timeout(THREAD_EXT2_SEEDS, THREAD_EXT2_CALLS), disk=image,
                             threads=THREADS)
        found += [("fuzz-threads/ext2_" + name, ok, detail) for name, ok, detail in
                  checks(run, text, THREAD_EXT2_SEEDS, THREAD_EXT2_CALLS, threads=THREADS) +
                  disk_checks(text, image) if name != "swapped"]
    return [Result(name, bool(ok), "" if ok else detail) for name, ok, detail in found]


def suites(Result):
    return [("fuzz", lambda: suite_fuzz(Result)),
            ("fuzz-threads", lambda: suite_fuzz_threads(Result))]


def main(argv):
    args = argv[1:]
    segments = "--segments" in args
    ext2 = "--ext2" in args
    args = [a for a in args if a not in ("--segments", "--ext2")]
    threads = 0
    if "--threads" in args and args.index("--threads") + 1 < len(args):
        at = args.index("--threads")
        threads = int(args[at + 1])
        del args[at:at + 2]
    if len(args) != 2:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    seeds, calls = args[0], int(args[1])
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fuzz-ext2-") as tmp:
        image = os.path.join(tmp, "disk.img") if ext2 else None
        if image:
            make_ext2_disk(image)
        run, text = campaign(seeds, calls, campaign_timeout(seeds, calls), CAMPAIGN_MEM,
                             segments, image, threads)
        found = checks(run, text, seeds, calls, segments, threads) + (
            disk_checks(text, image) if image else [])
        if image:   # file pages, not anonymous ones, fill the RAM: swapping is not sure
            found = [f for f in found if f[0] != "swapped"]
    elapsed = time.monotonic() - start
    print("\n".join(l for l in text.splitlines() if not re.match(r"fuzz: batch \d+\.\d+$", l)))
    failed = 0
    for name, ok, detail in found:
        print("%s fuzz/%s%s" % ("PASS" if ok else "FAIL", name, "" if ok else "  -- " + detail))
        failed += not ok
    print("fuzz campaign: seeds %s, %d calls each%s%s%s, %d MiB of RAM, rmap scheme %s, "
          "%.0f s wall time" % (seeds, calls, ", segment calls" if segments else "",
                                ", on an ext2 disk" if ext2 else "",
                                ", %d threads a batch" % threads if threads else "",
                                CAMPAIGN_MEM, aq.RMAP, elapsed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

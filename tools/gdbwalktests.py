"""The GDB walkthroughs of the book, run by `make test` (loaded by tools/run-tests).

gdbfile: docs/page-cache-walkthrough.md's session, typed the same way after the
chapter's "Setting up" commands (a sparse 32 MiB file on an ext2 disk, written through
MAP_SHARED by a 16 MiB machine): GDB follows one dirty file page from its PTE through
the i_mmap walk, pageout, ext2_writepage and submit_bio to the disk block and the DMA
interrupt that ends its writeback, then lets the program run to its end (init syncs and
powers off).  The host's debugfs must find that block at that index of the file,
holding what the program stored, and e2fsck -fn must find the disk clean.

gdbreadme: the README's GDB example as it is typed there -- `break
try_to_unmap_one`, `continue` -- stops in try_to_unmap_one while /bin/memhog
takes twice the RAM of a README_MEM machine.

gdbsmp: docs/smp.md's session on its two CPUs (the chapter's `export ANVIL_SMP=2`): GDB
shows one thread per CPU; kswapd stops in try_to_unmap_one on one CPU while the page's mm
is loaded on the other, where $current() is the process, halted for the big kernel lock;
kswapd's flush for that CPU is left to it (tlb_flush_deferred, nr_tlb_deferred one up),
and it runs flush_tlb_deferred from lock_kernel when it gets the lock; then a CPU
interrupted in user mode takes kswapd's flush IPI, whose handler clears its bit of
flush_cpumask.  Whichever CPU kswapd runs on.

gdbwalk: docs/swap-walkthrough.md's session, its `(gdb)` lines typed into GDB as the
chapter prints them (tools/transcript.py), on the machine of its run-elf line: GDB must
take every command, stop at each function and file:line the chapter prints and answer
values of the chapter's shapes; kswapd wakes at the line after its sleep, a page mapped
four times loses its four PTEs to one swap entry, and a fault reads it back, major.
"""

import os
import re
import shutil
import socket
import shlex
import subprocess
import sys
import tempfile
import time

import anvil_qemu as aq
import transcript

DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
PAGE = 4096
BLOCK = 4096                    # the disk's block size: one block a page

PAGEWALK = os.path.join(aq.ROOT, "docs", "page-cache-walkthrough.md")
SESSION_TRIES = 3               # sessions, when a run goes otherwise than the chapter's
# s: a session's conditional breakpoints stop the machine hundreds of times, each a GDB
# round trip that a loaded host (two CPU hogs beside make test) makes many times slower
GDB_SESSION_TIMEOUT = 600      # the machine's too: it was 300, and a slow session lost it


def file_checks():
    """(name, ok, detail) of one session of chapter 16, on a disk of its own."""
    with tempfile.TemporaryDirectory(prefix="gdbfile-") as tmp:
        entries, got, err = chapter_session(PAGEWALK, tmp)
        image = os.path.join(tmp, "disk.img")
        step = {n: transcript.section(entries, got, n) for n in range(1, 7)}
        m = re.search(r"^page (0x[0-9a-f]+) index (0x[0-9a-f]+) mapping (0x[0-9a-f]+)", step[1],
                      re.M)
        index = int(m.group(2), 16) if m else -1
        pc_line = r"index +%#x: page %s pfn +0x[0-9a-f]+ mapcount %%d \[uptodate" % (
            index, m.group(1) if m else "?")
        b = re.search(r"^bio sector \d+, \d+ sectors: block (\d+) of 4096 bytes", step[5], re.M)
        block = int(b.group(1)) if b else -1
        bmap = subprocess.run([DEBUGFS, "-R", "bmap /big %d" % index, image],
                              capture_output=True, text=True).stdout.strip()
        with open(image, "rb") as f:
            f.seek(max(block, 0) * BLOCK)
            data = f.read(PAGE)
        want = b"m page %08x\n" % index * (PAGE // 16)
        checks = [
            ("stopped on an ext2 page", m is not None),
            ("i_mmap holds the writer's VMA",
             re.search(r"VMAs in i_mmap\n  vma 0x[0-9a-f]+ pid \d+ \(workingset\)", step[1])),
            ("the page is cached mapped once and dirty in the PTE only",
             re.search(pc_line % 1 + r" locked\]", step[1]) and
             re.search(r"pte\[\d+\] = 0x[0-9a-f]+: pfn 0x[0-9a-f]+ \[P RW U D\]", step[1])),
            ("the unmap moved the dirty bit to the page",
             re.search(r"pte\[\d+\] = 0x0+: none", step[2]) and
             re.search(pc_line % 0 + r" dirty", step[2])),
            ("writepage gets it locked and clean",
             re.search(pc_line % 0 + r" locked", step[4])),
            ("the bio ends from the DMA interrupt", re.search(r"^dma 1$", step[6], re.M)),
            ("the last of the page's writes ends its writeback",
             re.search(pc_line % 0 + r" writeback", step[6])),
            ("debugfs finds the block at the page's index", block > 0 and bmap == str(block)),
            ("the block holds what was stored", data == want),
            ("e2fsck -fn finds the disk clean after the run",
             subprocess.run([E2FSCK, "-fn", image], capture_output=True).returncode == 0),
        ]
    detail = "bmap %r, block %d: %s" % (bmap, block, "".join(got)[-2000:])
    return typed_checks("gdbfile", entries, got, err) + \
        [("gdbfile/" + re.sub(r"\W+", "_", what), ok, detail) for what, ok in checks]


def suite_gdb_file(Result):
    return retried(Result, file_checks)


def retried(Result, session_checks):
    """The checks of a walkthrough's session, run again while one fails, up to
    SESSION_TRIES sessions: a run can go otherwise than the chapter's (a page used again
    at the wrong moment, a read another fault started), and the chapter's reader then
    starts again too.  A chapter gone stale fails every session."""
    for attempt in range(1, SESSION_TRIES + 1):
        start = time.monotonic()
        checks = session_checks()
        failed = [(name, detail) for name, ok, detail in checks if not ok]
        if not failed:
            break
        # said where ANVIL_TIMES is: a retried session is where a loaded run's time goes
        if os.environ.get("ANVIL_TIMES"):
            print("%s: session %d failed after %.0f s: %s" % (
                failed[0][0], attempt, time.monotonic() - start, failed[0][1][-300:]),
                file=sys.stderr)
    return [Result(name, bool(ok), "" if ok else detail) for name, ok, detail in checks]


SWAPWALK = os.path.join(aq.ROOT, "docs", "swap-walkthrough.md")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_on(machine, port, script, machine_env=None):
    """Start machine (a command whose QEMU waits for GDB on port; machine_env: variables
    added to its environment), run script in batch mode with the checked-in .gdbinit;
    GDB's output (stdout and stderr in the order written)."""
    qemu = subprocess.Popen(machine, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ, **(machine_env or {})))
    try:
        env = dict(os.environ, ANVIL_GDBPORT=str(port), ANVIL_KERNEL=aq.KERNEL)
        # a loaded host may take longer than GDB's 15 s to start QEMU's stub
        g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-ex", "set tcp connect-timeout 120",
                            "-x", os.path.join(aq.ROOT, ".gdbinit"), "-x", script],
                           cwd=aq.ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=GDB_SESSION_TIMEOUT)
        return g.stdout
    finally:
        qemu.terminate()          # run-elf stops its QEMU on SIGTERM
        qemu.wait()


def gdb_batch(program, args, script, run_elf_options, machine_env=None):
    """Boot program under run-elf waiting for GDB, run script in batch mode; GDB's output."""
    port = free_port()
    return gdb_on([os.path.join(aq.ROOT, "tools", "run-elf")] + run_elf_options +
                  ["--gdb-port", str(port), "--timeout", str(GDB_SESSION_TIMEOUT), program] +
                  args, port, script, machine_env)


def run_elf_line(text, cwd):
    """(program, args, run-elf options but --gdb-port) of the chapter's first `$ tools/run-elf
    ... &` line, paths made absolute (from the tree, or cwd where the chapter made them)."""
    m = re.search(r"^    \$ tools/run-elf (.*) &$", text, re.M)
    words = shlex.split(m.group(1)) if m else []
    if "--gdb-port" in words:
        i = words.index("--gdb-port")
        del words[i:i + 2]
    words = [os.path.join(cwd, w) if os.path.exists(os.path.join(cwd, w)) else
             os.path.join(aq.ROOT, w) if "/" in w and os.path.exists(os.path.join(aq.ROOT, w))
             else w for w in words]
    opts = []
    while words and words[0].startswith("--"):
        opts += words[:2]
        words = words[2:]
    return (words[0] if words else ""), words[1:], opts


def chapter_session(doc, tmp):
    """Type the chapter's (gdb) lines into GDB on the machine its run-elf line boots:
    (its session, GDB's answer to each command, the error that stopped GDB or None)."""
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    entries = transcript.session(text)
    setup = re.search(r"^## Setting up\n(.*?)^## ", text, re.M | re.S)
    exported = dict(re.findall(r"^    \$ export (ANVIL_\w+)=(\S+)$", setup.group(1) if setup
                               else "", re.M))      # ANVIL_SMP=2: the machine's CPUs
    for line in re.findall(r"^    \$ (.*)$", setup.group(1) if setup else "", re.M):
        if not re.search(r"\bmake\b|tools/run-elf|\bgdb\b", line):   # the files it makes
            subprocess.run(["bash", "-ec", line], cwd=tmp, check=True, capture_output=True,
                           env=dict(os.environ, PATH=os.environ["PATH"] + ":/sbin:/usr/sbin"))
    script = os.path.join(tmp, "chapter.gdb")
    with open(script, "w") as f:
        f.write(transcript.script(entries))
    program, args, opts = run_elf_line(text, tmp)
    return (entries,) + answers(entries, gdb_batch(program, args, script, opts, exported))


def answers(entries, out):
    """GDB's answer to each command of the session, and why GDB stopped early, or None."""
    got, err = transcript.answers(entries, out)
    return got, err or (None if got and got[-1] else "GDB stopped early: " + out[-300:])


def typed_checks(suite, entries, got, err):
    """The checks every chapter session gets: GDB took every command, stopped where the
    chapter says and answered values of the chapter's shapes."""
    locs, vals = transcript.mismatches(entries, got)
    if err and any(err in line for line in entries[-1]["printed"]):
        err = None              # the chapter's session ends that way (the machine powers off)
    return [(suite + "/every_command_is_typeable_as_printed", not err, err or ""),
            (suite + "/gdb_stops_where_the_chapter_says", not locs, "\n".join(locs[:8])),
            (suite + "/every_value_has_the_chapter_s_shape", not vals, "\n".join(vals[:8]))]


def swapwalk_checks(entries, got, err):
    """(name, ok, detail) of one session of chapter 13."""
    with open(SWAPWALK, encoding="utf-8") as f:
        quoted = re.search(r"\(gdb\) break mm/vmscan\.c:(\d+)", f.read())
    with open(os.path.join(aq.ROOT, "mm", "vmscan.c"), encoding="utf-8") as f:
        sleep = next(i for i, line in enumerate(f, 1)
                     if "wait_event_interruptible(kswapd_wait" in line)
    step = {n: transcript.section(entries, got, n) for n in range(1, 10)}
    unmapped = re.findall(r"pte\[\d+\] = 0x[0-9a-f]+: swap entry: type 0 offset (\d+)", step[5])
    # a page mapped at least four times (the stress's four processes; a fork under way may
    # make it five for a moment): its every PTE is listed, then unmapped
    shared = re.search(r"mapcount (\d+), .*\n  anonymous: .*\n((?:.*<- maps it\n)+)", step[4])
    sharers = int(shared.group(1)) if shared else 0
    return typed_checks("gdbwalk", entries, got, err) + [
        ("gdbwalk/the_chapter_breaks_on_the_line_after_kswapd_s_sleep",
         quoted and int(quoted.group(1)) == sleep + 1, "the sleep is at mm/vmscan.c:%d" % sleep),
        ("gdbwalk/a_page_mapped_four_times_gets_a_slot",
         sharers >= 4 and shared.group(2).count("<- maps it") == sharers, step[4][-1500:]),
        ("gdbwalk/four_PTEs_become_the_same_swap_entry",
         sharers >= 4 and len(unmapped) == sharers and len(set(unmapped)) == 1, step[5][-1500:]),
        ("gdbwalk/a_swap_read_completes_and_the_fault_is_major",
         re.search(r"#0 +end_swap_bio_read ", step[9]) and re.search(r"^\$\d+ = 3$", step[9], re.M),
         step[9][-1500:]),
    ]


def suite_gdb_swapwalk(Result):
    def session_checks():
        with tempfile.TemporaryDirectory(prefix="gdbwalk-") as tmp:
            return swapwalk_checks(*chapter_session(SWAPWALK, tmp))
    return retried(Result, session_checks)


SMPWALK = os.path.join(aq.ROOT, "docs", "smp.md")
PAGE_OFFSET = 0xc0000000        # user addresses are below it


def smpwalk_checks(entries, got, err):
    """(name, ok, detail) of one session of chapter 18.  Which CPU kswapd runs on varies:
    every check takes the CPUs from the threads GDB stopped in."""
    said = [(e["cmd"], ans) for e, ans in zip(entries, got)]

    def answer(cmd, n=0):
        """GDB's answer to the chapter's n-th command cmd."""
        found = [a for c, a in said if c.startswith(cmd)]
        return found[n] if n < len(found) else ""

    def number(cmd, n=0):
        m = re.search(r"^\$\d+ = (0x[0-9a-f]+|\d+)$", answer(cmd, n), re.M)
        return int(m.group(1), 0) if m else None

    def stopped(n, func):
        """The GDB thread that hit the n-th `continue`'s breakpoint in func, or None."""
        m = re.search(r"Thread (\d) hit Breakpoint \d+, %s " % func, answer("continue", n))
        return int(m.group(1)) if m else None

    kswapd = stopped(0, "try_to_unmap_one")
    other = 3 - kswapd if kswapd else None          # the other CPU's GDB thread
    other_bit = 1 << (other - 1) if other else 0
    deferred = [number("p nr_tlb_deferred", n) for n in (0, 1)]
    flagged = [answer("p per_cpu__tlb_flush_deferred", n).strip() for n in (0, 1)]
    ipi = stopped(3, "smp_invalidate_interrupt")
    cpumask = [number("p/x flush_cpumask", n) for n in (0, 1)]
    return typed_checks("gdbsmp", entries, got, err) + [
        ("gdbsmp/one_thread_per_CPU",
         re.search(r"Thread 1\.1 \(CPU#0 .*\n.*Thread 1\.2 \(CPU#1 ", answer("info threads")),
         answer("info threads")),
        ("gdbsmp/kswapd_unmaps_a_page_of_an_mm_loaded_on_a_CPU_waiting_for_the_lock",
         kswapd and '"kswapd0' in answer("p $current()->comm") and
         (number("p/x vma->vm_mm->cpu_vm_mask") or 0) & other_bit and
         (number("p/x kernel_lock_wanted") or 0) & other_bit, "".join(got[:8])[-1500:]),
        ("gdbsmp/the_other_CPU_runs_the_process_halted_in_lock_kernel",
         '"smpstress' in answer("p $current($other - 1)->comm") and
         re.search(r"#1 +lock_kernel ", answer("bt 2")), answer("bt 2")),
        ("gdbsmp/kswapd_leaves_the_flush_to_the_waiting_CPU",
         stopped(1, "flush_tlb_others") == kswapd and None not in deferred and
         deferred[1] == deferred[0] + 1 and flagged[0].endswith("= true"),
         answer("continue", 1) + repr(deferred) + flagged[0]),
        ("gdbsmp/the_waiting_CPU_flushes_when_lock_kernel_gets_the_lock",
         other and stopped(2, "flush_tlb_deferred") == other and
         re.search(r"#1 .*lock_kernel ", answer("bt 2", 2)) and
         '"smpstress' in answer("p $current()->comm", 1) and flagged[1].endswith("= false"),
         answer("continue", 2) + answer("bt 2", 2) + flagged[1]),
        ("gdbsmp/a_CPU_in_user_mode_takes_kswapd_s_flush_IPI_and_clears_its_bit",
         ipi and '"smpstress' in answer("p $current()->comm", 2) and
         '"kswapd0' in answer("p $current(2 - $_thread)->comm") and
         number("p flush_mm == $current()->mm") == 1 and
         (number("p/x regs->eip") or PAGE_OFFSET) < PAGE_OFFSET and
         cpumask[0] == 1 << (ipi - 1) and cpumask[1] == 0,
         answer("continue", 3) + repr(cpumask)),
    ]


def suite_gdb_smpwalk(Result):
    def session_checks():
        with tempfile.TemporaryDirectory(prefix="gdbsmp-") as tmp:
            return smpwalk_checks(*chapter_session(SMPWALK, tmp))
    return retried(Result, session_checks)


BOOT_DOCS = ("boot.md", "physical-memory.md")     # their sessions, in boot order
RMAP_DOC = "rmap.md"
SWAP_IMAGE_MB = 16


def typed_results(Result, suite, entries, out):
    return [Result(name, bool(ok), "" if ok else detail)
            for name, ok, detail in typed_checks(suite, entries, *answers(entries, out))]


def suite_gdb_book(Result):
    """The book's short GDB sessions, typed as printed.  boot.md's two and
    physical-memory.md's stop on the way up, one after the other, in one machine that
    waits for GDB from its first instruction (make qemu-gdb's kernel, booted as make test
    boots it); rmap.md's "Try it" on the QEMU command it prints, with a fresh swap disk."""
    results = []
    with tempfile.TemporaryDirectory(prefix="gdbbook-") as tmp:
        entries = []
        for doc in BOOT_DOCS:
            with open(os.path.join(aq.ROOT, "docs", doc), encoding="utf-8") as f:
                entries += transcript.session(f.read())
        script = os.path.join(tmp, "boot.gdb")
        with open(script, "w") as f:
            f.write(transcript.script(entries) + "kill\n")
        port = free_port()
        out = gdb_on(aq.qemu_command(gdb_port=port, wait_for_gdb=True), port, script)
        results += typed_results(Result, "gdbbook/boot", entries, out)

        with open(os.path.join(aq.ROOT, "docs", RMAP_DOC), encoding="utf-8") as f:
            text = f.read()
        entries = transcript.session(text)
        m = re.search(r"^>     \$ (qemu-system-i386 .*?[^\\])$", text, re.M | re.S)
        words = shlex.split(re.sub(r"\\\n>\s*", " ", m.group(1))) if m else ["false"]
        swap = os.path.join(tmp, "swap.img")
        with open(swap, "wb") as f:
            f.truncate(SWAP_IMAGE_MB << 20)
        subprocess.run(["mkswap", swap], capture_output=True,
                       env=dict(os.environ, PATH=os.environ["PATH"] + ":/sbin:/usr/sbin"))
        port = free_port()
        machine = [aq.QEMU if w == "qemu-system-i386" else aq.KERNEL if w == "build/kernel.elf"
                   else "tcp:127.0.0.1:%d" % port if w == "tcp::1234"
                   else w.replace("build/swap.img", swap) for w in words]
        script = os.path.join(tmp, "rmap.gdb")
        with open(script, "w") as f:
            f.write(transcript.script(entries) + "kill\n")
        out = gdb_on(machine, port, script)
        results += typed_results(Result, "gdbbook/rmap", entries, out)
        results.append(Result("gdbbook/rmap/the_chapter_prints_its_QEMU_command",
                              m is not None and "tcp::1234" in words, text[:0]))
    return results


MEMHOG = os.path.join(aq.BUILD, "user", "bin", "memhog")
README_MEM = 24                 # the README's `make qemu-gdb MEM=24`
README_HOG_MB = 48              # and its `memhog 48`
README_SWAP_MB = 64             # make's build/swap.img (SWAP_MB)


def suite_gdb_readme(Result):
    readme = open(os.path.join(aq.ROOT, "README.md")).read()
    example = re.search(r"^    make qemu-gdb MEM=(\d+)\n.*?^    \$ memhog (\d+)$", readme,
                        re.M | re.S)
    typed = re.findall(r"^    \(gdb\) (.*)$", example.group(0) if example else "", re.M)
    with tempfile.TemporaryDirectory(prefix="gdbreadme-") as tmp:
        script = os.path.join(tmp, "readme.gdb")
        with open(script, "w") as f:
            f.write("\n".join(typed + ["bt 3", "delete", "continue"]) + "\n")
        out = gdb_batch(MEMHOG, [str(README_HOG_MB)], script,
                        ["--mem", str(README_MEM), "--swap", str(README_SWAP_MB)])
    checks = [
        ("the README's example is MEM=%d, memhog %d, break and continue" % (README_MEM,
                                                                             README_HOG_MB),
         example and example.group(1) == str(README_MEM) and
         example.group(2) == str(README_HOG_MB) and
         typed == ["break try_to_unmap_one", "continue"]),
        ("GDB stops in try_to_unmap_one",
         re.search(r"Breakpoint 1, try_to_unmap_one \(", out) and
         re.search(r"#0 +try_to_unmap_one ", out)),
    ]
    return [Result("gdbreadme/" + re.sub(r"\W+", "_", what), bool(ok), "" if ok else out[-1500:])
            for what, ok in checks]


def suites(Result):
    return [("gdbreadme", lambda: suite_gdb_readme(Result)),
            ("gdbfile", lambda: suite_gdb_file(Result)),
            ("gdbbook", lambda: suite_gdb_book(Result)),
            ("gdbwalk", lambda: suite_gdb_swapwalk(Result)),
            ("gdbsmp", lambda: suite_gdb_smpwalk(Result))]

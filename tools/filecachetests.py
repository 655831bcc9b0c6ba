"""The filecache suite of `make test` (loaded by tools/run-tests): file pages
under reclaim, on a read-only ext2 disk made by the host's mke2fs.

filecache/working_set_2_5x_ram: a 16 MiB machine reads a 40 MiB file on
       the disk through read() and through a MAP_SHARED mapping; each pass's
       Adler-32 must be the file's (zlib's here).  Only reclaim of file pages
       makes room: /proc/vmstat must show file pages freed (pgsteal_file) for
       at least the file's size less the RAM, mapped ones unmapped through
       i_mmap (rmap_unmapped_file_ptes), and the disk read again (pgpgin).
filecache/text_pages_reclaimed: first, a copy of workingset on the disk
       runs from it; while it reads the file, reclaim drops its own text pages
       not in use (mincore shows fewer resident), and touching them reads
       them back (all resident again).
filecache/private_cow_fork_mremap_swap: the same boot then writes every
       other page of a MAP_PRIVATE mapping of the file (anonymous COW pages
       in a file VMA), moves it with mremap, forks, the child rewrites its
       copies, and memory pressure sends them to swap; parent and child
       each find the written pattern or the file's data in every page, and
       rmap_verify clean.  The disk is unchanged afterwards and `e2fsck -fn`
       finds it clean.
filecache/shared_writes_past_ram_reach_the_disk: a 16 MiB machine mounts a
       disk read-write and writes every page of a 32 MiB sparse file
       through MAP_SHARED (reclaim must unmap the dirty pages, write them
       through ext2's writepage -- allocating their blocks -- and free them:
       nr_vmscan_write, pgrotated), msyncs, then write()s a 16 MiB file
       (balance_dirty_pages throttles the writer), fsyncs and unmounts;
       `e2fsck -fn` finds the disk clean and `debugfs dump` reads back
       exactly what was written.
filecache/readahead_*: build/user/tests/readahead reads files of a disk
       made here cold and counts hdc's requests in /proc/diskstats: a
       sequential read() must take at most one request per 8 pages and a
       MAP_SHARED mapping touched in order one per 4 (read-ahead, fault
       read-around) -- one per 8 after MADV_SEQUENTIAL, one a page after
       MADV_RANDOM --, 64 scattered pages not much more than 64 pages,
       POSIX_FADV_RANDOM one request a page, a read after
       POSIX_FADV_WILLNEED none; each Adler-32 must be the file's.  One
       page of /bad is unreadable (QEMU's blkdebug): read() gives EIO and a
       mapping SIGBUS for that page only, every other page reads back right
       although read-ahead's request over the bad one failed.
"""

import hashlib
import os
import random
import re
import shutil
import subprocess
import tempfile
import zlib

import anvil_qemu as aq

WORKINGSET = os.path.join(aq.BUILD, "user", "tests", "workingset")
READAHEAD = os.path.join(aq.BUILD, "user", "tests", "readahead")
MKE2FS = shutil.which("mke2fs") or "/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"
MEM_MB = 16
SWAP_MB = 32
FILE_MB = 40                    # 2.5 times the RAM
IMAGE_MB = 48
SHARED_MB = 32                  # written through MAP_SHARED: twice the RAM
WRITE_MB = SHARED_MB // 2       # then by write()
WRITTEN_IMAGE_MB = 64
PAGE = 4096
SECTORS_PER_BLOCK = PAGE // 512
RA_FILES = {"seq": 1024, "map": 1024, "mseq": 256, "mrnd": 256, "scatter": 4096, "rnd": 256,
            "need": 256, "bad": 256}
RA_IMAGE_MB = 40
BAD_PAGE = 100                  # inside a read-ahead window, not at its start
SCATTER_READS, SCATTER_STRIDE, SCATTER_FIRST = 64, 977, 13   # as readahead.c's
RA_SLACK_PAGES = 64             # metadata (indirect blocks) and a window past the end


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def counter(out, name):
    m = re.search(r"^%s \+(\d+)$" % name, out, re.M)
    return int(m.group(1)) if m else -1


def run(args, image, swap_mb=0):
    """Boot workingset with args on image: (ProgramRun, its output)."""
    with tempfile.TemporaryFile() as out_f:
        r = aq.run_program(WORKINGSET, args, mem=MEM_MB, swap_mb=swap_mb, disk_image=image,
                           stdout_fd=out_f.fileno(), stderr_fd=out_f.fileno(), timeout=180)
        out_f.seek(0)
        return r, out_f.read().decode(errors="replace")


def boot_problems(r, out, image):
    """What went wrong with the boot, the kernel or the disk (a list of texts)."""
    problems = []
    if r.status != 0 or r.problem:
        problems.append("status %s %s: %r" % (r.status, r.problem or "", out[-300:]))
    for bad in ("Kernel panic", "Oops", "kernel BUG", "Bad page state"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    return problems


def page_text(tag, pages):
    """What workingset's fill_page_text writes: 16-byte lines naming each page."""
    return b"".join((b"%c page %08x\n" % (tag, i)) * (PAGE // 16) for i in range(pages))


def written_result(Result, tmp):
    root = os.path.join(tmp, "wtree")
    os.makedirs(root)
    with open(os.path.join(root, "big"), "wb") as f:
        f.truncate(SHARED_MB << 20)              # sparse: writeback allocates its blocks
    image = os.path.join(tmp, "written.img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(PAGE), "-d", root, image,
                    "%dM" % WRITTEN_IMAGE_MB], check=True, capture_output=True)
    r, out = run(["write", "/dev/hdc"], image)
    problems = boot_problems(r, out, image)
    for line in ("msync 0", "fsync big 0", "fsync new 0", "umount 0"):
        if line not in out.split("\n"):
            problems.append("no %r line" % line)
    if counter(out, "nr_vmscan_write") < ((SHARED_MB - MEM_MB) << 20) // PAGE // 2:
        problems.append("nr_vmscan_write +%d: reclaim did not write dirty file pages"
                        % counter(out, "nr_vmscan_write"))
    if counter(out, "balance_dirty_throttled") <= 0:
        problems.append("the writer was never throttled (balance_dirty_throttled)")
    for name, tag, mb in (("big", b"m"[0], SHARED_MB), ("new", b"w"[0], WRITE_MB)):
        dump = os.path.join(tmp, name + ".dump")
        subprocess.run([DEBUGFS, "-R", "dump /%s %s" % (name, dump), image],
                       capture_output=True)
        if not os.path.exists(dump) or open(dump, "rb").read() != page_text(tag, mb << 8):
            problems.append("debugfs: /%s does not hold what was written" % name)
    return Result("filecache/shared_writes_past_ram_reach_the_disk", not problems,
                  "; ".join(problems))


def ra_lines(out):
    """readahead's pattern lines: {name: (pages, requests, sectors, adler32)}."""
    return {m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5))
            for m in re.finditer(r"^(\w+) pages (\d+) requests (\d+) sectors (\d+) "
                                 r"adler32 ([0-9a-f]{8})$", out, re.M)}


def readahead_results(Result, tmp):
    root = os.path.join(tmp, "ratree")
    os.makedirs(root)
    data = {}
    for name, pages in RA_FILES.items():
        data[name] = random.Random("ra-" + name).randbytes(pages * PAGE)
        with open(os.path.join(root, name), "wb") as f:
            f.write(data[name])
    image = os.path.join(tmp, "ra.img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(PAGE), "-d", root, image,
                    "%dM" % RA_IMAGE_MB], check=True, capture_output=True)
    bmap = subprocess.run([DEBUGFS, "-R", "bmap /bad %d" % BAD_PAGE, image],
                          capture_output=True, text=True).stdout.split()
    conf = os.path.join(tmp, "ra-blkdebug.conf")
    with open(conf, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%d"\n'
                % (int(bmap[-1]) * SECTORS_PER_BLOCK))
    with tempfile.TemporaryFile() as out_f:
        r = aq.run_program(READAHEAD, ["/dev/hdc", str(BAD_PAGE)], mem=64,
                           disk_image="blkdebug:%s:%s" % (conf, image),
                           stdout_fd=out_f.fileno(), stderr_fd=out_f.fileno(), timeout=120)
        out_f.seek(0)
        out = out_f.read().decode(errors="replace")
    common = boot_problems(r, out, image)
    lines = ra_lines(out)
    scatter = data["scatter"]
    picked = b"".join(scatter[p * PAGE:(p + 1) * PAGE] for p in
                      ((SCATTER_FIRST + i * SCATTER_STRIDE) % RA_FILES["scatter"]
                       for i in range(SCATTER_READS)))
    # name, file whose data it read (or the bytes), the test on (pages, requests, sectors)
    checks = [
        ("sequential_read_few_large_requests", "read", data["seq"],
         lambda p, q, s: q * 8 <= p and p * 8 <= s <= (p + RA_SLACK_PAGES) * 8),
        ("mmap_readaround", "mmap", data["map"], lambda p, q, s: q * 4 <= p),
        ("madvise_sequential_reads_ahead", "mmap_sequential", data["mseq"],
         lambda p, q, s: q * 8 <= p),
        ("madvise_random_no_readaround", "mmap_random", data["mrnd"], lambda p, q, s: q >= p),
        ("scattered_reads_read_little_more", "scattered", picked,
         lambda p, q, s: q <= 2 * p and s <= (2 * p + RA_SLACK_PAGES // 2) * 8),
        ("fadvise_random_no_readahead", "random_advice", data["rnd"], lambda p, q, s: q >= p),
        ("fadvise_willneed_reads_before", "willneed", data["need"], lambda p, q, s: q == 0),
    ]
    results = []
    for test, what, expect, ok in checks:
        problems = list(common)
        if what not in lines:
            problems.append("no %r line" % what)
        else:
            pages, requests, sectors, adler = lines[what]
            if adler != "%08x" % zlib.adler32(expect):
                problems.append("%s: Adler-32 %s, the data's is %08x"
                                % (what, adler, zlib.adler32(expect)))
            if not ok(pages, requests, sectors):
                problems.append("%s: %d pages took %d requests, %d sectors"
                                % (what, pages, requests, sectors))
        results.append(Result("filecache/readahead_" + test, not problems, "; ".join(problems)))
    bad = data["bad"]
    good = "%08x" % zlib.adler32(bad[:BAD_PAGE * PAGE] + bad[(BAD_PAGE + 1) * PAGE:])
    problems = list(common)
    for line in ("bad read: %d EIO adler32 %s" % (BAD_PAGE, good),
                 "bad mmap: %d SIGBUS adler32 %s (page %d was to fail)" % (BAD_PAGE, good,
                                                                           BAD_PAGE)):
        if line not in out.split("\n"):
            problems.append("no %r line" % line)
    results.append(Result("filecache/readahead_error_only_for_the_page_asked",
                          not problems, "; ".join(problems)))
    return results


def suite_filecache(Result):
    with tempfile.TemporaryDirectory(prefix="filecache-") as tmp:
        root = os.path.join(tmp, "tree")
        os.makedirs(root)
        data = random.Random("filecache").randbytes(FILE_MB << 20)
        with open(os.path.join(root, "big"), "wb") as f:
            f.write(data)
        shutil.copy(WORKINGSET, os.path.join(root, "workingset"))
        image = os.path.join(tmp, "disk.img")
        subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(PAGE), "-d", root, image,
                        "%dM" % IMAGE_MB], check=True, capture_output=True)
        before = sha256(image)
        r, out = run(["/dev/hdc"], image, swap_mb=SWAP_MB)
        common = boot_problems(r, out, image)
        if sha256(image) != before:
            common.append("the disk changed")

        adler = "%08x" % zlib.adler32(data)
        ws = list(common)
        for how in ("read", "mmap"):
            if not re.search(r"^%s adler32 %s$" % (how, adler), out, re.M):
                ws.append("no %r line (the file's Adler-32 is %s)" % (how, adler))
        beyond_ram = ((FILE_MB - MEM_MB) << 20) // PAGE
        if counter(out, "pgsteal_file") < beyond_ram:
            ws.append("pgsteal_file +%d, fewer than the %d pages the RAM cannot hold"
                      % (counter(out, "pgsteal_file"), beyond_ram))
        if counter(out, "rmap_unmapped_file_ptes") < beyond_ram // 4:
            ws.append("rmap_unmapped_file_ptes +%d: mapped file pages were not unmapped"
                      % counter(out, "rmap_unmapped_file_ptes"))
        if counter(out, "pgpgin") < 2 * FILE_MB * 1024:
            ws.append("pgpgin +%d KiB: the file was not read twice" % counter(out, "pgpgin"))

        text = list(common)
        m = re.search(r"^text (\d+) pages: (\d+) resident, (\d+) after pressure, "
                      r"(\d+) after touching$", out, re.M)
        if not m:
            text.append("no text line: the program on the disk did not run")
        elif not int(m.group(3)) < int(m.group(2)) == int(m.group(1)) == int(m.group(4)):
            text.append("text pages not dropped and read again: %r" % m.group(0))

        cow = list(common)
        for line in ("child: bad page -1, rmap_verify 0",
                     "parent: bad page -1, rmap_verify 0, child exit 0", "rmap_verify 0"):
            if line not in out.split("\n"):
                cow.append("no %r line" % line)
        if counter(out, "pswpout") <= 0:
            cow.append("nothing went to swap")
        return [Result("filecache/working_set_2_5x_ram", not ws, "; ".join(ws)),
                Result("filecache/text_pages_reclaimed", not text, "; ".join(text)),
                Result("filecache/private_cow_fork_mremap_swap", not cow, "; ".join(cow)),
                written_result(Result, tmp)] + readahead_results(Result, tmp)


def suites(Result):
    return [("filecache", lambda: suite_filecache(Result))]

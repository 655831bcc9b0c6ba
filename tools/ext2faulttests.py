"""The ext2fault suite of `make test` (loaded by tools/run-tests): an ext2
disk (hdc) that fails, and one cut in the middle of a write load.  QEMU's
blkdebug driver makes chosen sectors fail ("blkdebug:CONF:IMAGE", as the
swap suite's write errors); build/user/tests/ext2fault runs under anvil
and prints what each call gave, which must be what Linux's ext2 gives.

ext2fault/read_error: the data blocks of one page of "bad" fail to read:
       pread() there is EIO (again on a second try, nothing cached), the
       pages before and after read; read() of the whole file stops short
       at the bad page and the next read() is EIO; a MAP_SHARED or
       MAP_PRIVATE access of the page is SIGBUS, the others are fine;
       "good" is intact; the kernel log names the disk and the sector;
       no oops, and the disk is unchanged.
ext2fault/write_error: writes of one block of "once" and of "msync" fail
       once, of "always" every time.  sync() meets the first and says
       nothing; the next fsync (msync MS_SYNC) is EIO, once, and the one
       after it 0 -- the page stayed dirty and was written again, so the
       host's debugfs finds the new data on the disk.  Every fsync of
       "always" is EIO, its data still in memory; when it leaves memory
       unwritten (its inode evicted, or umount) the kernel says so.
       "other" is written as usual, and `e2fsck -fn` finds the disk
       structurally clean.
ext2fault/metadata_write_error: the inode bitmap, the block bitmap and
       the inode-table block of "victim" fail to write: creat(), an append
       that needs blocks and truncate() of "victim" are EIO, the kernel
       says EXT2-fs error and the superblock is marked with errors
       (EXT2_ERROR_FS, for e2fsck); another file reads back intact.  The
       failed creat left no entry: an inode is on the disk before the
       name that leads to it (also what a cut must not leave).
ext2fault/fifo_and_device_node: a FIFO and a serial port's node made on
       the disk and opened (a FIFO kept its pipe, the serial port its
       port, in the inode's i_private -- ext2's inode there: the ext2 fuzz
       campaign's panic), read and written, unlinked; no oops, e2fsck clean.
ext2fault/crash_after_N_fsyncs_Mms: QEMU is killed (SIGKILL) while
       ext2fault writes files (creating, writing, mapping, fsyncing every
       third, unlinking older ones), M ms after it reported N files
       fsynced; `e2fsck -fy` may
       repair only what ext2 without a journal loses at a cut (bitmaps,
       free counts, unattached inodes, a new directory not yet in its
       parent, link counts), and every file
       reported fsynced reads back exactly with debugfs.
"""

import array
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import anvil_qemu as aq

EXT2FAULT = os.path.join(aq.BUILD, "user", "tests", "ext2fault")
MKE2FS = shutil.which("mke2fs") or "/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"
DUMPE2FS = shutil.which("dumpe2fs") or "/sbin/dumpe2fs"
BLOCK = 1024
SECTOR = 512
PAGE = 4096
IMAGE_MB = 4
READ_SIZE = 64 * 1024           # ext2fault.c's FILE_SIZE
BAD_OFF = 32 * 1024             # its BAD_OFF
BAD_SEED, GOOD_SEED = 1, 2
WRITE_SIZE = 16 * 1024          # its WRITE_SIZE
EIO = 5
TROUBLE = ("Kernel panic", "Oops", "kernel BUG", "Bad page state", "WARNING:")
# (files reported fsynced, then seconds more) before the kill: cuts in different changes
CRASH_POINTS = ((2, 0.0), (5, 0.019), (8, 0.029), (11, 0.041))
CRASH_TIMEOUT = 30              # s for one cut run
# What e2fsck -fy may repair after a cut: what ext2 without a journal loses when
# the metadata writes of an unfinished change stop half-way.
CUT_REPAIRS = (r"Free (blocks|inodes) count wrong", r"Directories count wrong",
               r"(Block|Inode) bitmap differences", r"Padding at end of .* bitmap",
               r"Unattached (zero-length )?inode", r"Connect to /lost\+found",
               # a new directory's inode written before its parent's entry (mkdir is
               # asynchronous in ext2: the load's d0..d3 at its start), reconnected
               r"Unconnected directory inode \d+", r"'\.\.' in .* should be",
               r"Inode \d+ ref count is \d+, should be \d+", r"Deleted inode \d+ has zero dtime",
               r"Inode \d+, i_blocks is \d+, should be \d+")


def pattern(seed, nbytes):
    """ext2fault's fill_pattern(seed): testlib.c's pattern_word for each 32-bit word."""
    words = array.array("I", (((seed * 2654435761) ^ (i * 40503 + 0x9E37)) & 0xFFFFFFFF
                              for i in range(nbytes // 4)))
    return words.tobytes()


def pages(seed, n):
    """testlib.c's fill_pages: page i holds fill_pattern(seed + i)."""
    return b"".join(pattern(seed + i, PAGE) for i in range(n))


def make_disk(tmp, name, files):
    """A 1 KiB-block ext2 image of files {name: bytes}, made by mke2fs -d."""
    root = os.path.join(tmp, name + "-tree")
    os.makedirs(root)
    for rel, data in files.items():
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)
    image = os.path.join(tmp, name + ".img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(BLOCK), "-d", root, image,
                    "%dM" % IMAGE_MB], check=True, capture_output=True)
    return image


def debugfs(image, request):
    return subprocess.run([DEBUGFS, "-R", request, image], capture_output=True,
                          text=True).stdout


def file_blocks(image, path):
    return [int(b) for b in debugfs(image, "blocks " + path).split()]


def inode_table_block(image, path):
    ino = int(re.search(r"Inode: (\d+)", debugfs(image, "stat " + path)).group(1))
    return int(re.search(r"located at block (\d+)", debugfs(image, "imap <%d>" % ino)).group(1))


def group0(image):
    """Group 0's block bitmap and inode bitmap blocks (dumpe2fs)."""
    out = subprocess.run([DUMPE2FS, image], capture_output=True, text=True).stdout
    return (int(re.search(r"Block bitmap at (\d+)", out).group(1)),
            int(re.search(r"Inode bitmap at (\d+)", out).group(1)))


def blkdebug(tmp, image, name, rules):
    """The QEMU file name of image whose block fails (EIO) for each rule (read|write, block,
    once only)."""
    conf = os.path.join(tmp, name + ".conf")
    with open(conf, "w") as f:
        for event, block, once in rules:
            # iotype too: a rule the event made active stays so for later requests
            f.write('[inject-error]\nevent = "%s_aio"\niotype = "%s"\nerrno = "%d"\n'
                    'sector = "%d"\nonce = "%s"\n\n' % (event, event, EIO, block * BLOCK // SECTOR,
                                                       "on" if once else "off"))
    return "blkdebug:%s:%s" % (conf, image)


def run(mode, disk, timeout=60):
    with tempfile.TemporaryFile() as out:
        r = aq.run_program(EXT2FAULT, [mode, "/dev/hdc"], disk_image=disk, timeout=timeout,
                           stdout_fd=out.fileno(), stderr_fd=out.fileno())
        out.seek(0)
        return r, out.read().decode(errors="replace").rstrip("\n").split("\n")


def e2fsck(image, fix=False):
    return subprocess.run([E2FSCK, "-fy" if fix else "-fn", image], capture_output=True,
                          text=True)


def common_problems(r, got, want):
    problems = []
    if r.status != 0 or r.problem:
        problems.append("status %s %s" % (r.status, r.problem or ""))
    if got != want:
        diff = [("-" + w, "+" + g) for w, g in zip(want, got) if w != g][:3]
        problems.append("%d lines, %d wanted; first differences %s; last %r"
                        % (len(got), len(want), diff, got[-2:]))
    for bad in TROUBLE:
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    return problems


READ_WANT = [
    "mount: 0", "pread before the bad block: 4096", "it holds the file's data: yes",
    "pread of the bad block: -1 EIO", "pread of the bad block again: -1 EIO",
    "pread after the bad block: 4096", "it holds the file's data: yes",
    "read of the whole file: %d" % BAD_OFF, "read on at the bad block: -1 EIO",
    "mmap shared: ok", "shared: touch before the bad block: ok",
    "shared: touch the bad block: SIGBUS", "shared: touch after the bad block: ok",
    "mmap private: ok", "private: write the bad block: SIGBUS", "close: 0",
    "good: intact: yes", "umount: 0"]


def read_result(Result, tmp):
    image = make_disk(tmp, "read", {"bad": pages(BAD_SEED, READ_SIZE // PAGE),
                                    "good": pages(GOOD_SEED, READ_SIZE // PAGE)})
    bad_block = file_blocks(image, "/bad")[BAD_OFF // BLOCK + 1]
    with open(image, "rb") as f:
        before = f.read()
    r, got = run("read", blkdebug(tmp, image, "read", [("read", bad_block, False)]))
    problems = common_problems(r, got, READ_WANT)
    sector = bad_block * BLOCK // SECTOR
    named = [l for l in r.log.split("\n") if "I/O error" in l and "hdc" in l and
             any(int(s) <= sector < int(s) + 8 * PAGE // SECTOR
                 for s in re.findall(r"sector (\d+)", l))]
    if not named:
        problems.append("no kernel message names hdc and sector %d" % sector)
    with open(image, "rb") as f:
        if f.read() != before:
            problems.append("the disk changed")
    return Result("ext2fault/read_error", not problems, "; ".join(problems))


WRITE_WANT = [
    "mount: 0", "pwrite: %d" % WRITE_SIZE, "sync: 0", "fsync after the failed writeback: -1 EIO",
    "fsync again: 0", "close: 0",
    "msync MS_ASYNC: 0", "sync: 0", "msync MS_SYNC after the failed writeback: -1 EIO",
    "msync MS_SYNC again: 0", "close: 0",
    "pwrite: %d" % WRITE_SIZE, "fsync always: -1 EIO", "fsync always again: -1 EIO",
    "still the new data in memory: yes", "close: 0",
    "pwrite: %d" % WRITE_SIZE, "fsync other: 0", "close: 0", "umount: 0"]


def write_result(Result, tmp):
    names = ("once", "msync", "always", "other")
    image = make_disk(tmp, "write", {n: pattern(100 + i, WRITE_SIZE) for i, n in enumerate(names)})
    rules = [("write", file_blocks(image, "/once")[0], True),
             ("write", file_blocks(image, "/msync")[0], True),
             ("write", file_blocks(image, "/always")[0], False)]
    r, got = run("write", blkdebug(tmp, image, "write", rules))
    problems = common_problems(r, got, WRITE_WANT)
    for name, seed in (("once", 11), ("msync", 12), ("other", 14)):
        if subprocess.run([DEBUGFS, "-R", "cat /" + name, image],
                          capture_output=True).stdout != pattern(seed, WRITE_SIZE):
            problems.append("debugfs: /%s does not hold what was written" % name)
    if not re.search(r"hdc.*(unmounted with write errors|lost)", r.log):
        problems.append("the kernel did not say that the data of \"always\" was lost")
    fsck = e2fsck(image)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    return Result("ext2fault/write_error", not problems, "; ".join(problems))


META_WANT = ["mount: 0", "creat (inode bitmap): -1 EIO", "append (block bitmap): -1 EIO",
             "close: 0", "truncate up (inode table): -1 EIO", "other: intact: yes", "umount: 0"]


def meta_result(Result, tmp):
    image = make_disk(tmp, "meta", {"grow": pattern(30, 3 * BLOCK),
                                    "other": pattern(22, WRITE_SIZE), "victim": b"v" * 100})
    block_bitmap, inode_bitmap = group0(image)
    rules = [("write", block_bitmap, False), ("write", inode_bitmap, False),
             ("write", inode_table_block(image, "/victim"), False)]
    r, got = run("meta", blkdebug(tmp, image, "meta", rules))
    problems = common_problems(r, got, META_WANT)
    if "EXT2-fs error (device hdc)" not in r.log:
        problems.append("no EXT2-fs error in the kernel log")
    if re.search(r"\bnew\b", debugfs(image, "ls /")):
        problems.append("the failed creat left an entry naming an inode the disk lacks")
    state = subprocess.run([DUMPE2FS, "-h", image], capture_output=True, text=True).stdout
    if not re.search(r"^Filesystem state:.*with errors", state, re.M):
        problems.append("the superblock is not marked with errors: %s"
                        % re.findall(r"^Filesystem state:.*$", state, re.M))
    return Result("ext2fault/metadata_write_error", not problems, "; ".join(problems))


NODES_WANT = ["mount: 0", "mknod fifo: 0", "open fifo O_RDWR: 0", "write fifo: 5", "read fifo: 5",
              "close: 0", "open fifo O_WRONLY|O_NONBLOCK, no reader: -1 ENXIO",
              "mknod serial2: 0", "open serial2: 0", "close: 0", "unlink fifo: 0",
              "unlink serial2: 0", "umount: 0"]


def nodes_result(Result, tmp):
    image = make_disk(tmp, "nodes", {})
    r, got = run("nodes", image)
    problems = common_problems(r, got, NODES_WANT)
    for bad in ("slab error", "EXT2-fs error"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    fsck = e2fsck(image)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    return Result("ext2fault/fifo_and_device_node", not problems, "; ".join(problems))


def cut_run(image, fsynced_before_kill, delay):
    """Boot ext2fault crash on image and SIGKILL QEMU delay seconds after it reported
    that many files fsynced: (the fsynced lines, the kernel log, whether the kill came
    in time, the program's output)."""
    with tempfile.TemporaryDirectory(prefix="ext2cut-") as work:
        cpio = os.path.join(work, "program.cpio")
        aq.make_program_cpio(cpio, EXT2FAULT, ["/run/ext2fault", "crash", "/dev/hdc"], None)
        log_path = os.path.join(work, "kernel.log")
        r, w = os.pipe()
        cmd = aq.qemu_command(initrd=aq.INITRAMFS + "," + cpio,
                              serial=["file:" + log_path, "chardev:out", "null"],
                              drives=["file=%s,format=raw,if=ide,index=2" % image],
                              extra=["-chardev", "file,id=out,path=/proc/self/fd/%d" % w])
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, pass_fds=(w,))
        os.close(w)
        timer = threading.Timer(CRASH_TIMEOUT, proc.kill)
        timer.start()
        fsynced, text = [], b""
        with os.fdopen(r, "rb") as out:
            for raw in out:
                text += raw
                if raw.startswith(b"fsynced "):
                    fsynced.append(raw.decode().split())
                    if len(fsynced) == fsynced_before_kill:
                        break
            time.sleep(delay)                 # the program goes on meanwhile: a cut in a change
            proc.send_signal(signal.SIGKILL)
            fsynced += [l.decode().split() for l in out if l.startswith(b"fsynced ")]
        proc.wait()
        timer.cancel()
        log = open(log_path, errors="replace").read() if os.path.exists(log_path) else ""
        return fsynced, log, len(fsynced) >= fsynced_before_kill, text.decode(errors="replace")


def crash_result(Result, tmp, n, delay):
    image = os.path.join(tmp, "crash-%d.img" % n)
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(BLOCK), image,
                    "%dM" % IMAGE_MB], check=True, capture_output=True)
    fsynced, log, in_time, text = cut_run(image, n, delay)
    problems = []
    if not in_time:
        problems.append("only %d files fsynced before the end: %r" % (len(fsynced), text[-200:]))
    for bad in TROUBLE:
        if bad in log:
            problems.append(bad + " in the kernel log")
    fsck = e2fsck(image, fix=True)
    if fsck.returncode not in (0, 1):
        problems.append("e2fsck -fy status %d: %s" % (fsck.returncode, fsck.stdout[-300:]))
    for line in fsck.stdout.split("\n"):
        if re.match(r"^(Pass \d|e2fsck |/dev|\S+: \*|\S+: \d+/\d+ files|\s*$)", line) or \
                line.startswith(os.path.basename(image)) or image in line:
            continue
        if not any(re.search(p, line) for p in CUT_REPAIRS) and \
                not re.match(r"^([ +\-\d]+|[\w /+]+\? yes)$", line):     # bitmap ranges, answers
            problems.append("e2fsck repaired more than a cut loses: %r" % line)
            break
    for _, path, size, seed in fsynced:
        data = subprocess.run([DEBUGFS, "-R", "cat " + path, image], capture_output=True).stdout
        if data != pattern(int(seed), int(size)):
            problems.append("%s (fsynced, %s bytes) reads back %d bytes, not what was written"
                            % (path, size, len(data)))
            break
    if e2fsck(image).returncode != 0:
        problems.append("e2fsck -fn after -fy is not clean")
    return Result("ext2fault/crash_after_%d_fsyncs_%dms" % (n, delay * 1000), not problems,
                  "; ".join(problems))


def suite_ext2fault(Result):
    with tempfile.TemporaryDirectory(prefix="ext2fault-") as tmp:
        return [read_result(Result, tmp), write_result(Result, tmp), meta_result(Result, tmp),
                nodes_result(Result, tmp)] + \
            [crash_result(Result, tmp, n, delay) for n, delay in CRASH_POINTS]


def suites(Result):
    return [("ext2fault", lambda: suite_ext2fault(Result))]

"""The ext2 suite of `make test` (loaded by tools/run-tests): ext2 disks
made by the host's mke2fs, read (from a tree generated here) and written.

ext2:  for 1 KiB and 4 KiB blocks, build/user/tests/ext2walk mounts the disk
       (hdc) read-only under anvil and lists every file -- mode, owner (ids
       above 65535 too), size, links, sectors, mtime, a symbolic link's
       target, and a CRC-32 of the data read by read(), by MAP_PRIVATE and
       by MAP_SHARED; the listing made here of the source tree (sectors, and
       the root and lost+found, from debugfs) must match it line for line.
       The tree has small files around the block sizes, a file in double
       indirect blocks, sparse files (one reaching triple indirect blocks
       with 1 KiB blocks), a deep directory, one with 400 entries, fast and
       slow symbolic links, hard links and odd permissions and owners; the
       walk also runs a program from the disk, checks statfs, EROFS and
       permissions as another user.  The disk is unchanged afterwards (its
       hash) and `e2fsck -fn` finds it clean.  Disks with a bad magic, an
       unsupported INCOMPAT feature or a corrupt group descriptor are
       refused with a message and EINVAL, the program going on; an unknown
       RO_COMPAT feature mounts read-only and is refused read-write.
       write_1k, write_4k: build/user/tests/ext2write runs a script of file
       operations (sparse writes across the direct/indirect/double/triple
       boundaries, truncates down and up, an unlinked open file, renames of
       files and directories over existing names, mkdir/rmdir, hard links,
       fast and slow symbolic links, chmod/chown/utimes, FIFOs and device
       nodes, a directory of 150 files, a MAP_SHARED store into a hole) on
       the host in a scratch directory and on anvil on an empty disk; both
       print the same results and listing (the listing again after umount
       and mount), `debugfs rdump` finds on the disk the host's tree byte
       for byte, `e2fsck -fn` finds it clean, the superblock says clean with
       the mounts counted.  Then the disk is filled: write() ends in ENOSPC,
       the files before it are intact, and after deleting them the room is
       there again -- and for a user other than root write() is ENOSPC
       while root's reserve is still free; a MAP_SHARED store into a hole
       of the full disk breaks nothing; remount read-only and back.
       bad_dir_entry: a directory block with a bad rec_len gives EIO (lookup
       finds nothing, as Linux) and a message, the rest of the disk works;
       with the entry mended again, `e2fsck -fn` finds the disk clean.
       racers: four processes create, append to one file, rename, unlink,
       truncate and map files in one directory at once: every append is
       in the file, no oops, `e2fsck -fn` clean.
       icache: build/user/tests/icache on a 16 MiB machine: a program run
       from the disk twice and a file read, closed and read again reach
       the disk (pgpgin) only the first time -- the icache keeps an unused
       inode and its pages; /proc/sys/vm/drop_caches = 3 makes the next
       read go to the disk; a file written and closed survives umount
       (EBUSY would mean an unused inode kept the mount busy) and a mount
       again; more small files than the RAM holds read in turn hold their
       data, reclaim pruning unused inodes; `e2fsck -fn` clean and
       `debugfs` reads the written file back.
"""

import hashlib
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile
import zlib

import anvil_qemu as aq

EXT2WALK = os.path.join(aq.BUILD, "user", "tests", "ext2walk")
EXT2WRITE = os.path.join(aq.BUILD, "user", "tests", "ext2write")
ICACHE = os.path.join(aq.BUILD, "user", "tests", "icache")
MKE2FS = shutil.which("mke2fs") or "/sbin/mke2fs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"
IMAGE_MB = 16
WRITE_IMAGE_MB = 3              # small: filling it to ENOSPC must be quick
MTIME = 1700000000              # the tree's files get MTIME + n
WINDOW = 1024 * 1024            # ext2walk checksums a big file's head and tail ...
BIG = 4 * WINDOW                # ... past this size
MANY = 400                      # entries in one directory
DEPTH = 24                      # nested directories
TRIPLE_SIZE = 80 * 1024 * 1024  # past 12 + 256 + 256 * 256 KiB: triple indirect at 1 KiB
HIGH_UID, HIGH_GID = 100000, 70000
NOBODY = 65534
SB = 1024                       # the superblock's offset, and its fields' below
S_MAGIC = SB + 56
S_FEATURE_INCOMPAT = SB + 96
S_FEATURE_RO_COMPAT = SB + 100
INCOMPAT_EXTENTS = 0x40
RO_COMPAT_UNKNOWN = 0x8000
GDT_INODE_TABLE = 8             # bg_inode_table in a group descriptor
DIRENT_REC_LEN = 4              # rec_len in a directory entry
EXT2_DIR_REC_LEN_1 = 12         # the rec_len of ".", the first entry
RW_MOUNTS = 3                   # ext2write's read-write mounts: mount, mount again, remount


def rand_bytes(seed, n):
    return random.Random(seed).randbytes(n)


def make_tree(root, walker):
    """The test tree, the same every time (contents, modes, owners, mtimes)."""
    def write(rel, data, mode=0o644, uid=0, gid=0):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chown(path, uid, gid)
        os.chmod(path, mode)

    def sparse(rel, size, pieces):
        path = os.path.join(root, rel)
        with open(path, "wb") as f:
            f.truncate(size)
            for off, data in pieces:
                f.seek(off)
                f.write(data)

    write("small", b"hello\n")
    write("empty", b"")
    for n in (1, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024, 12 * 1024 + 1, 50000):
        write("sizes/%d" % n, rand_bytes(n, n))
    write("big", rand_bytes("big", 1200 * 1024))          # double indirect at 1 KiB
    sparse("sparse", 200 * 1024, [(0, rand_bytes(1, 3000)), (70 * 1024 + 5, rand_bytes(2, 9000)),
                                  (200 * 1024 - 100, rand_bytes(3, 100))])
    sparse("hole_at_end", 50 * 1024, [(0, rand_bytes(4, 1024))])
    sparse("triple", TRIPLE_SIZE, [(300 * 1024, rand_bytes(5, 5000)),
                                   (TRIPLE_SIZE - 7000, rand_bytes(6, 7000))])
    deep = "/".join("d%02d" % i for i in range(DEPTH))
    write(deep + "/leaf", b"at the bottom\n")
    for i in range(MANY):
        write("many/f%03d_%s" % (i, "x" * (i % 40)), b"%d\n" % i)
    write("n" * 255, b"a long name\n")
    os.symlink("small", os.path.join(root, "fast"))
    os.symlink("s" * 59, os.path.join(root, "fast59"))          # the longest in the inode
    os.symlink("s" * 60, os.path.join(root, "slow60"))          # the shortest in a block
    os.symlink(deep + "/leaf", os.path.join(root, "slow"))
    os.symlink("/nowhere/" + "z" * 300, os.path.join(root, "dangling"))
    os.link(os.path.join(root, "small"), os.path.join(root, "small_link"))
    os.makedirs(os.path.join(root, "perm", "private"))
    write("perm/secret", b"secret\n", 0o600)
    write("perm/public", b"public\n", 0o644)
    write("perm/private/inside", b"inside\n", 0o644)
    os.chmod(os.path.join(root, "perm", "private"), 0o700)
    write("perm/noexec", b"#!/bin/true\n", 0o644)
    write("perm/setuid_high", b"x", 0o4755, HIGH_UID, HIGH_GID)
    write("perm/setgid_nobody", b"y", 0o2710, NOBODY, NOBODY)
    write("perm/nothing", b"z", 0o000)
    os.makedirs(os.path.join(root, "perm", "sticky"))
    os.chmod(os.path.join(root, "perm", "sticky"), 0o1777)
    write("bin/ext2walk", open(walker, "rb").read(), 0o755)
    os.chmod(root, 0o755)
    paths = []
    for d, dirs, files in os.walk(root):
        paths += [os.path.join(d, n) for n in dirs + files]
    for n, p in enumerate(sorted(paths, key=lambda p: -p.count("/"))):   # children first
        os.utime(p, (MTIME + n, MTIME + n), follow_symlinks=False)


def debugfs_stats(image, rels):
    """{rel: dict(mode, uid, gid, links, blocks, mtime, size)} for each path on the disk."""
    with tempfile.NamedTemporaryFile("w", suffix=".cmds") as cmds:
        cmds.write("".join('stat "%s"\n' % (r or "/") for r in rels))
        cmds.flush()
        out = subprocess.run([DEBUGFS, "-f", cmds.name, image], capture_output=True,
                             text=True).stdout
    stats = {}
    for rel, chunk in zip(rels, out.split("debugfs: stat ")[1:]):
        kind = re.search(r"Type: (\w+)", chunk).group(1)
        ifmt = {"regular": 0o100000, "directory": 0o40000, "symlink": 0o120000}[kind]
        stats[rel] = {
            "mode": ifmt | int(re.search(r"Mode:\s+(\d+)", chunk).group(1), 8),
            "uid": int(re.search(r"User:\s+(\d+)", chunk).group(1)),
            "gid": int(re.search(r"Group:\s+(\d+)", chunk).group(1)),
            "links": int(re.search(r"Links: (\d+)", chunk).group(1)),
            "blocks": int(re.search(r"Blockcount: (\d+)", chunk).group(1)),
            "mtime": int(re.search(r"mtime: 0x([0-9a-f]+)", chunk).group(1), 16),
        }
    return stats


def crc_of(path, size):
    """ext2walk's checksum: all of a small file, the head and tail windows of a big one."""
    with open(path, "rb") as f:
        if size <= BIG:
            return zlib.crc32(f.read())
        head = f.read(WINDOW)
        f.seek(size - WINDOW)
        return zlib.crc32(f.read(WINDOW), zlib.crc32(head))


def line(rel, mode, uid, gid, size, nlink, blocks, mtime):
    return "%s %o %d %d %s %d %d %d" % (rel, mode, uid, gid, size, nlink, blocks, mtime)


def expected_listing(root, image):
    """The listing ext2walk must print, made from the source tree (and debugfs)."""
    rels = [""]
    for d, dirs, files in os.walk(root):
        rels += [os.path.relpath(os.path.join(d, n), root) for n in dirs + files]
    rels = ["/" + r if r else "" for r in rels] + ["/lost+found"]
    disk = debugfs_stats(image, rels)
    lines = []
    for rel in rels:
        d = disk[rel]
        if rel in ("", "/lost+found"):                  # made by mke2fs: debugfs says
            lines.append(line(rel or "/", d["mode"], d["uid"], d["gid"], "-", d["links"],
                              d["blocks"], d["mtime"]))
            continue
        path = root + rel
        st = os.lstat(path)
        nlink, size = st.st_nlink, st.st_size
        if os.path.isdir(path) and not os.path.islink(path):
            nlink = 2 + sum(os.path.isdir(os.path.join(path, n)) and
                            not os.path.islink(os.path.join(path, n)) for n in os.listdir(path))
            size = "-"
        text = line(rel, st.st_mode, st.st_uid, st.st_gid, size, nlink, d["blocks"],
                    int(st.st_mtime))
        if os.path.islink(path):
            text += " -> " + os.readlink(path)
        elif os.path.isfile(path):
            crc = crc_of(path, st.st_size)
            text += " read=%08x private=%08x shared=%08x" % (crc, crc, crc)
        lines.append(text)
    return lines


def statfs_line(image):
    """What statfs must say: Linux's ext2_statfs from the superblock and descriptors."""
    with open(image, "rb") as f:
        f.seek(SB)
        sb = f.read(1024)
    (inodes, blocks, r_blocks, free_blocks, free_inodes, first_data, log_bs, _,
     per_group, _, inodes_per_group) = struct.unpack_from("<11I", sb)
    inode_size = struct.unpack_from("<H", sb, 88)[0]
    ro_compat = struct.unpack_from("<I", sb, 100)[0]
    bs = 1024 << log_bs
    groups = -(-(blocks - first_data) // per_group)
    gdb = -(-groups * 32 // bs)
    itb = -(-inodes_per_group * inode_size // bs)

    def power_of(g, b):
        while g % b == 0:
            g //= b
        return g == 1

    def has_super(g):
        return not ro_compat & 1 or g <= 1 or any(power_of(g, b) for b in (3, 5, 7))

    overhead = first_data + sum((1 + gdb if has_super(g) else 0) + 2 + itb
                                for g in range(groups))
    return ("statfs: type ef53 bsize %d blocks %d bfree %d bavail %d files %d ffree %d "
            "namelen 255 rdonly 1" % (bs, blocks - overhead, free_blocks,
                                      max(free_blocks - r_blocks, 0), inodes, free_inodes))


HDC_ST_DEV = "st_dev: 1600"    # 22:0, as Linux's stat64 encodes hdc
WALK_HEAD = ["mount ro: 0", "mount again rw: -1 EBUSY",
             "open for writing: -1 EROFS", "mkdir: -1 EROFS"]
WALK_TAIL = ["atime kept on a read-only mount: yes", "other: open perm/secret: -1 EACCES", "other: open perm/public: 0",
             "other: open perm/private/inside: -1 EACCES",
             "other: exec perm/noexec: -1 EACCES", "other: exit 0",
             "hello from the disk", "exec from the disk: exit 7", "umount: 0",
             "mount again: 0", "umount busy: -1 EBUSY", "chdir: 0", "umount -l: 0",
             "read after umount -l: 1", "access .. after umount -l: 0", "chdir /: 0",
             "mount after: 0", "umount after: 0"]


def run_walker(args, image):
    with tempfile.TemporaryFile() as out:
        r = aq.run_program(EXT2WALK, args, stdout_fd=out.fileno(), stderr_fd=out.fileno(),
                           disk_image=image, timeout=120)
        out.seek(0)
        return r, out.read().decode(errors="replace")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def make_image(path, root, block_size):
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(block_size), "-d", root, path,
                    "%dM" % IMAGE_MB], check=True, capture_output=True,
                   env=dict(os.environ, E2FSPROGS_FAKE_TIME=str(MTIME)))


def walk_result(Result, name, root, image):
    want = WALK_HEAD + [statfs_line(image), HDC_ST_DEV] + sorted(expected_listing(root, image)) + WALK_TAIL
    before = sha256(image)
    r, out = run_walker(["walk", "/dev/hdc"], image)
    got = out.strip("\n").split("\n")
    head, tail = len(WALK_HEAD) + 2, len(got) - len(WALK_TAIL)
    got = got[:head] + sorted(got[head:tail]) + got[tail:]     # the listing in any order
    problems = []
    if r.status != 0 or r.problem:
        problems.append("status %s %s" % (r.status, r.problem or ""))
    if got != want:
        diff = [("-" + w, "+" + g) for w, g in zip(want, got) if w != g][:4]
        problems.append("%d lines, %d wanted; first differences %s" % (len(got), len(want), diff))
    for bad in ("Kernel panic", "Oops", "kernel BUG", "Bad page state"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    if sha256(image) != before:
        problems.append("the disk changed")
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    return Result(name, not problems, "; ".join(problems))


def patched(src, dst, offset, fmt, fn):
    """A copy of the disk with the value at offset (struct fmt) replaced by fn(value)."""
    shutil.copy(src, dst)
    with open(dst, "r+b") as f:
        f.seek(offset)
        v = struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]
        f.seek(offset)
        f.write(struct.pack(fmt, fn(v)))
    return dst


def mount_result(Result, name, image, mode, want, message):
    r, out = run_walker(["mount", "/dev/hdc", mode], image)
    problems = []
    if out != "mount: %s\nstill running\n" % want or r.status != 0:
        problems.append("status %s: %r" % (r.status, out[-200:]))
    if message and message not in r.log:
        problems.append("no %r in the kernel log" % message)
    if "Kernel panic" in r.log or "Oops" in r.log:
        problems.append("the kernel broke")
    return Result(name, not problems, "; ".join(problems))


def run_ext2write(args, image):
    with tempfile.TemporaryFile() as out:
        r = aq.run_program(EXT2WRITE, args, stdout_fd=out.fileno(), stderr_fd=out.fileno(),
                           disk_image=image, timeout=120)
        out.seek(0)
        return r, out.read().decode(errors="replace").rstrip("\n").split("\n")


def sorted_listings(lines):
    """lines with each run of listing lines sorted: readdir's order is the file system's."""
    out, run = [], []
    for line in lines:
        if line.startswith("file "):
            run.append(line)
        else:
            out += sorted(run) + [line]
            run = []
    return out + sorted(run)


def tree(root):
    """What rdump copies of a tree: {path: data} of directories, regular files and links."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[rel] = ("dir", None)
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    found[rel] = ("file", hashlib.sha256(f.read()).hexdigest())
    return found


def superblock_fields(image):
    out = subprocess.run(["dumpe2fs", "-h", image], capture_output=True, text=True).stdout
    return dict(re.findall(r"^([A-Za-z ]+):\s+(.*)$", out, re.M))


FILL_TAIL = ["mkdir pub: 0", "chmod pub: 0", "user fill: write() ended in ENOSPC: yes",
             "user fill: root's reserve left: yes", "user fill: exit 0",
             "fill: write() ended in ENOSPC: yes", "full: truncate holey: 0",
             "full: munmap holey: 0", "full: close holey: 0", "full: unlink holey: 0",
             "fill: statfs shows no free block: yes",
             "unlink pub/user: 0", "rmdir pub: 0",
             "fill: after deleting, a file of 1 MiB: 1048576", "unlink refill: 0",
             "remount ro: 0", "mkdir on ro: -1 EROFS", "remount rw: 0", "umount: 0"]


def host_script(tmp):
    """The script run on the host: its tree and its output."""
    root = os.path.join(tmp, "host-w")
    r = subprocess.run([EXT2WRITE, "script", root], capture_output=True, text=True, timeout=60,
                       cwd=tmp)
    return root, r.stdout.rstrip("\n").split("\n")


def write_result(Result, name, tmp, host_root, host_lines, block_size):
    image = os.path.join(tmp, "write-%d.img" % block_size)
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", str(block_size), image,
                    "%dM" % WRITE_IMAGE_MB], check=True, capture_output=True)
    mounts_before = int(superblock_fields(image)["Mount count"])
    r, got = run_ext2write(["disk", "/dev/hdc"], image)
    at = host_lines.index("listing")
    listing = host_lines[at:]
    want = (["mount rw: 0"] + host_lines + ["chdir /: 0", "mount again: -1 EBUSY", "umount: 0",
            "mount after umount: 0"] + listing + FILL_TAIL)
    problems = []
    if r.status != 0 or r.problem:
        problems.append("status %s %s" % (r.status, r.problem or ""))
    got, want = sorted_listings(got), sorted_listings(want)
    if got != want:
        diff = [("-" + w, "+" + g) for w, g in zip(want, got) if w != g][:3]
        problems.append("%d lines, %d wanted; first differences %s" % (len(got), len(want), diff))
    for bad in ("Kernel panic", "Oops", "kernel BUG", "Bad page state", "EXT2-fs error"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    dump = os.path.join(tmp, "rdump-%d" % block_size)
    os.mkdir(dump)
    subprocess.run([DEBUGFS, "-R", "rdump /w %s" % dump, image], capture_output=True)
    on_disk, on_host = tree(os.path.join(dump, "w")), tree(host_root)
    if on_disk != on_host:
        differ = sorted(k for k in set(on_disk) | set(on_host) if on_disk.get(k) != on_host.get(k))
        problems.append("debugfs rdump differs from the host's tree: %s" % differ[:5])
    shutil.rmtree(dump)
    sb = superblock_fields(image)
    if sb.get("Filesystem state") != "clean":
        problems.append("state after umount: %s" % sb.get("Filesystem state"))
    if int(sb.get("Mount count", -1)) != mounts_before + RW_MOUNTS:
        problems.append("mount count %s, was %d" % (sb.get("Mount count"), mounts_before))
    return Result(name, not problems, "; ".join(problems))


def bad_dir_result(Result, tmp):
    """A directory entry with a rec_len below the minimum: EIO, a message, no panic."""
    root = os.path.join(tmp, "bad-tree")
    os.makedirs(os.path.join(root, "bad"))
    for name in ("f", "g"):
        open(os.path.join(root, "bad", name), "w").close()
    good, image = os.path.join(tmp, "good-dir.img"), os.path.join(tmp, "bad-dir.img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", "-d", root, good, "1M"],
                   check=True, capture_output=True)
    out = subprocess.run([DEBUGFS, "-R", "blocks /bad", good], capture_output=True,
                         text=True).stdout
    offset = int(out.split()[0]) * 1024 + DIRENT_REC_LEN
    patched(good, image, offset, "<H", lambda v: 6)
    r, got = run_ext2write(["baddir", "/dev/hdc"], image)
    want = ["mount rw: 0", "stat bad/f: -1 ENOENT", "create bad/new: -1 EIO",
            "mkdir bad/dir: -1 EIO", "readdir bad: EIO: yes", "rmdir bad: -1 ENOTEMPTY",
            "create good: 5000", "umount: 0"]
    problems = []
    if got != want or r.status != 0:
        problems.append("status %s: %r" % (r.status, got[-8:]))
    if "rec_len is smaller than minimal" not in r.log:
        problems.append("no message in the kernel log")
    if "Kernel panic" in r.log or "Oops" in r.log:
        problems.append("the kernel broke")
    # the entry mended, what anvil wrote (and undid: the failed create and mkdir) is clean
    mended = patched(image, os.path.join(tmp, "mended.img"), offset, "<H",
                     lambda v: EXT2_DIR_REC_LEN_1)
    fsck = subprocess.run([E2FSCK, "-fn", mended], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn with the entry mended: %s" % fsck.stdout[-300:])
    return Result("ext2/bad_dir_entry", not problems, "; ".join(problems))


def race_result(Result, tmp):
    image = os.path.join(tmp, "race.img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", image,
                    "%dM" % WRITE_IMAGE_MB], check=True, capture_output=True)
    r, got = run_ext2write(["race", "/dev/hdc"], image)
    want = ["mount rw: 0", "mkdir d: 0", "racers done: yes", "every append in the shared file: yes",
            "umount: 0"]
    problems = []
    if got != want or r.status != 0:
        problems.append("status %s: %r" % (r.status, got[-6:]))
    for bad in ("Kernel panic", "Oops", "kernel BUG", "slab error", "EXT2-fs error",
                "referenced", "bad entry"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    return Result("ext2/racers", not problems, "; ".join(problems))


ICACHE_MEM_MB = 16
ICACHE_DIRS, ICACHE_FILES = 40, 120     # 4800 one-page files: more than 16 MiB of page cache
ICACHE_DATA_LINES = 5000                # icache.c's DATA_LINES and WRITTEN_LINES
ICACHE_WRITTEN_LINES = 1500


def icache_result(Result, tmp):
    root = os.path.join(tmp, "icache-tree")
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy(ICACHE, os.path.join(root, "bin", "icache"))
    with open(os.path.join(root, "data"), "w") as f:
        f.write("".join("data %05d\n" % i for i in range(ICACHE_DATA_LINES)))
    for d in range(ICACHE_DIRS):
        os.makedirs(os.path.join(root, "many", "d%02d" % d))
        for i in range(ICACHE_FILES):
            with open(os.path.join(root, "many", "d%02d" % d, "f%03d" % i), "w") as f:
                f.write("%05d\n" % (d * ICACHE_FILES + i) * 170)
    image = os.path.join(tmp, "icache.img")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", "-N", "8192", "-d", root,
                    image, "16M"], check=True, capture_output=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        r = aq.run_program(ICACHE, ["/dev/hdc", str(ICACHE_DIRS), str(ICACHE_FILES)],
                           mem=ICACHE_MEM_MB, disk_image=image, stdout_fd=out.fileno(),
                           stderr_fd=err.fileno(), timeout=120)
        out.seek(0)
        err.seek(0)
        got, note = out.read().decode(errors="replace").rstrip("\n").split("\n"), err.read()
    n = ICACHE_DIRS * ICACHE_FILES
    want = ["mount: 0", "first exec: exit 7", "second exec: exit 7",
            "first exec read the disk: yes", "second exec read the disk: 0 KiB",
            "first read: ok", "second read: ok", "first read read the disk: yes",
            "second read read the disk: 0 KiB", "drop_caches 4: -1 EINVAL",
            "drop_caches 0: -1 EINVAL", "drop_caches 3: 0", "read after drop_caches: ok",
            "read after drop_caches read the disk: yes", "write and close: 0", "umount: 0",
            "mount again: 0", "written file after mount again: ok",
            "small files holding their data: %d of %d" % (n, n),
            "unused inodes pruned by reclaim: yes", "drop_caches 2: 0",
            "drop_caches 2 freed the unused inodes: yes", "umount: 0"]
    problems = []
    if got != want or r.status != 0:
        diff = [("-" + w, "+" + g) for w, g in zip(want, got) if w != g][:3]
        problems.append("status %s %s; %d lines, %d wanted; first differences %s; %s" % (
            r.status, r.problem or "", len(got), len(want), diff, note.decode().strip()))
    for bad in ("Kernel panic", "Oops", "kernel BUG", "Bad page state", "EXT2-fs error",
                "Out of memory"):
        if bad in r.log:
            problems.append(bad + " in the kernel log")
    fsck = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        problems.append("e2fsck -fn: %s" % fsck.stdout[-300:])
    dump = os.path.join(tmp, "written.dump")
    subprocess.run([DEBUGFS, "-R", "dump /written %s" % dump, image], capture_output=True)
    written = "".join("written %05d\n" % i for i in range(ICACHE_WRITTEN_LINES)).encode()
    if not os.path.exists(dump) or open(dump, "rb").read() != written:
        problems.append("debugfs: /written does not hold what was written")
    return Result("ext2/icache", not problems, "; ".join(problems))


def suite_ext2(Result):
    results = []
    with tempfile.TemporaryDirectory(prefix="ext2-") as tmp:
        root = os.path.join(tmp, "tree")
        make_tree(root, EXT2WALK)
        for bs in (1024, 4096):
            image = os.path.join(tmp, "ext2-%d.img" % bs)
            make_image(image, root, bs)
            results.append(walk_result(Result, "ext2/walk_%dk" % (bs // 1024), root, image))
        good = os.path.join(tmp, "ext2-1024.img")
        bad = os.path.join(tmp, "bad.img")
        results.append(mount_result(
            Result, "ext2/bad_magic_refused", patched(good, bad, S_MAGIC, "<H", lambda v: 0),
            "ro", "-1 EINVAL", "can't find an ext2 filesystem"))
        results.append(mount_result(
            Result, "ext2/incompat_feature_refused",
            patched(good, bad, S_FEATURE_INCOMPAT, "<I", lambda v: v | INCOMPAT_EXTENTS),
            "ro", "-1 EINVAL", "unsupported optional features (40)"))
        results.append(mount_result(
            Result, "ext2/bad_group_descriptor_refused",
            patched(good, bad, 2 * SB + GDT_INODE_TABLE, "<I", lambda v: 0xfffffff0),
            "ro", "-1 EINVAL", "group descriptors corrupted"))
        unknown_ro = patched(good, bad, S_FEATURE_RO_COMPAT, "<I",
                             lambda v: v | RO_COMPAT_UNKNOWN)
        results.append(mount_result(Result, "ext2/ro_compat_unknown_mounts_ro", unknown_ro,
                                    "ro", "0", None))
        results.append(mount_result(Result, "ext2/ro_compat_unknown_refused_rw", unknown_ro,
                                    "rw", "-1 EINVAL", "couldn't mount RDWR"))
        host_root, host_lines = host_script(tmp)
        for bs in (1024, 4096):
            results.append(write_result(Result, "ext2/write_%dk" % (bs // 1024), tmp, host_root,
                                        host_lines, bs))
        results.append(bad_dir_result(Result, tmp))
        results.append(race_result(Result, tmp))
        results.append(icache_result(Result, tmp))
    return results


def suites(Result):
    return [("ext2", lambda: suite_ext2(Result))]

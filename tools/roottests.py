"""The rootdisk suite of `make test` (loaded by tools/run-tests): root=/dev/hdX at boot.

rootdisk:  a root disk made as `make qemu`'s is (tools/mkrootdisk from the tree the initramfs
           holds) with an /etc/run-elf added, so that its init runs /bin/cat from the disk:
           with root=/dev/hda ro, / is that ext2 in /proc/mounts (and /proc, mounted on one
           of its directories, is listed too), read-only, and a file only
           the disk has is read; with rw, the disk mounts read-write; with ide=nodma, the same by PIO (DMA is the
           default).  A missing root disk or one that is not ext2 leaves the
           initramfs as the root, with a message saying why, never a panic.
           persistence: a file written in one boot (root=/dev/hda rw, by the disk's own
           /bin/sh) is read by the next boot; after each boot the host's e2fsck -fn finds the
           disk clean (init syncs and remounts / read-only before powering off) and debugfs
           reads the file as written.
"""

import os
import re
import shutil
import subprocess
import tempfile

import anvil_qemu as aq

ROOTFS = os.path.join(aq.BUILD, "rootfs")
MKROOTDISK = os.path.join(aq.ROOT, "tools", "mkrootdisk")
CAT = os.path.join(aq.BUILD, "user", "bin", "cat")
DISK_MB = 16
MARKER = "only on the root disk\n"
S_MAGIC = 1024 + 56             # the superblock's magic
DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"
E2FSCK = shutil.which("e2fsck") or "/sbin/e2fsck"
NOTE = "written by the first boot"


def make_root_disk(tmp):
    """A copy of the initramfs tree plus a run-elf request and a marker, as an ext2 disk."""
    tree = os.path.join(tmp, "tree")
    shutil.copytree(ROOTFS, tree, symlinks=True)
    with open(os.path.join(tree, "etc", "run-elf"), "wb") as f:
        f.write(b"/bin/cat\0/proc/mounts\0/etc/marker\0")
    with open(os.path.join(tree, "etc", "marker"), "w") as f:
        f.write(MARKER)
    image = os.path.join(tmp, "root.img")
    subprocess.run([MKROOTDISK, tree, image, str(DISK_MB), "1000:1000"], check=True,
                   capture_output=True)
    return image


def disk_boot_result(Result, name, image, flag, mounted, tmp, transfer="DMA"):
    """Boot with root=/dev/hda <flag>; init and cat come from the disk.  mounted: "ro" or
    "rw" as /proc/mounts must say.  transfer: how the driver must say it moves hda's
    sectors."""
    out = os.path.join(tmp, name + ".out")
    run = aq.boot("rootdisk-" + name, append="root=/dev/hda " + flag,
                  initrd=aq.INITRAMFS, drives=["file=%s,format=raw,if=ide,index=0" % image],
                  extra_serial=["file:" + out], timeout=60)
    text = open(out, errors="replace").read() if os.path.exists(out) else ""
    problems = []
    if run.status != aq.EXIT_POWEROFF or "run-elf: exit 0" not in run.log:
        problems.append(run.describe())
    if not text.startswith("/dev/hda / ext2 %s " % mounted) or not text.endswith(MARKER):
        problems.append("output %r" % text[-200:])
    if not re.search(r"^\S+ /proc proc ", text, re.M):
        problems.append("/proc, mounted on a directory of the disk, is not in /proc/mounts")
    want = "VFS: mounted root (ext2 filesystem) %s from /dev/hda" % (
        "readonly" if mounted == "ro" else "read-write")
    if want not in run.log:
        problems.append("no %r in the log" % want)
    if not re.search(r"^ata: hda: .* LBA28 %s" % transfer, run.log, re.M):
        problems.append("hda not on %s" % transfer)
    if "initramfs: module" in run.log:
        problems.append("the initramfs was unpacked too")
    return Result("rootdisk/" + name, not problems, "; ".join(problems))


def fallback_result(Result, name, root, disk_image, message):
    """root= names a disk that cannot be the root: the initramfs is, and the log says why."""
    with tempfile.TemporaryFile() as out:
        r = aq.run_program(CAT, ["/proc/mounts"], cmdline="root=" + root, stdout_fd=out.fileno(),
                           disk_image=disk_image, timeout=60)
        out.seek(0)
        text = out.read().decode(errors="replace")
    problems = []
    if r.status != 0 or not text.startswith("rootfs / rootfs rw "):
        problems.append("status %s %s: %r" % (r.status, r.problem or "", text[-200:]))
    for want in (message, "the initramfs stays the root"):
        if want not in r.log:
            problems.append("no %r in the log" % want)
    if "Kernel panic" in r.log or "Oops" in r.log:
        problems.append("the kernel broke")
    return Result("rootdisk/" + name, not problems, "; ".join(problems))


def set_run_elf(image, argv):
    """Replace the disk's /etc/run-elf (the program its init runs) from the host."""
    with tempfile.NamedTemporaryFile() as f:
        f.write(b"".join(a.encode() + b"\0" for a in argv))
        f.flush()
        subprocess.run([DEBUGFS, "-w", "-R", "rm /etc/run-elf", image], check=True,
                       capture_output=True)
        subprocess.run([DEBUGFS, "-w", "-R", "write %s /etc/run-elf" % f.name, image],
                       check=True, capture_output=True)


def host_check(image):
    """Problems the host's e2fsck -fn finds on image (none: [])."""
    r = subprocess.run([E2FSCK, "-fn", image], capture_output=True, text=True)
    problems = [] if r.returncode == 0 else ["e2fsck: " + r.stdout[-300:]]
    stats = subprocess.run([DEBUGFS, "-R", "stats", image], capture_output=True,
                           text=True).stdout
    if not re.search(r"^Filesystem state:\s+clean$", stats, re.M):
        problems.append("the superblock is not marked clean")
    return problems


def persistence_result(Result, image, tmp):
    """Boot 1 writes /root/note through the disk's own sh; boot 2 cats it."""
    problems = []
    set_run_elf(image, ["/bin/sh", "-c", "echo %s > /root/note" % NOTE])
    first = aq.boot("rootdisk-write", append="root=/dev/hda rw", initrd=aq.INITRAMFS,
                    drives=["file=%s,format=raw,if=ide,index=0" % image], timeout=60)
    if first.status != aq.EXIT_POWEROFF or "run-elf: exit 0" not in first.log:
        problems.append("first boot: " + first.describe())
    problems += host_check(image)
    dump = subprocess.run([DEBUGFS, "-R", "cat /root/note", image], capture_output=True,
                          text=True).stdout
    if dump != NOTE + "\n":
        problems.append("debugfs reads %r" % dump[-100:])
    set_run_elf(image, ["/bin/cat", "/root/note"])
    out = os.path.join(tmp, "persist.out")
    second = aq.boot("rootdisk-read", append="root=/dev/hda rw", initrd=aq.INITRAMFS,
                     drives=["file=%s,format=raw,if=ide,index=0" % image],
                     extra_serial=["file:" + out], timeout=60)
    text = open(out, errors="replace").read() if os.path.exists(out) else ""
    if second.status != aq.EXIT_POWEROFF or text != NOTE + "\n":
        problems.append("second boot: %s, output %r" % (second.describe(), text[-100:]))
    problems += host_check(image)
    return Result("rootdisk/persistence", not problems, "; ".join(problems))


def suite_rootdisk(Result):
    results = []
    with tempfile.TemporaryDirectory(prefix="rootdisk-") as tmp:
        image = make_root_disk(tmp)
        results.append(disk_boot_result(Result, "ext2_root_ro", image, "ro", "ro", tmp))
        results.append(disk_boot_result(Result, "ext2_root_rw", image, "rw", "rw", tmp))
        results.append(disk_boot_result(Result, "ext2_root_on_pio", image, "ro ide=nodma",
                                        "ro", tmp, transfer="PIO"))
        results.append(persistence_result(Result, image, tmp))
        results.append(fallback_result(Result, "missing_disk_falls_back", "/dev/hda", None,
                                       "root=hda: no such disk"))
        bad = os.path.join(tmp, "bad.img")
        shutil.copy(image, bad)
        with open(bad, "r+b") as f:
            f.seek(S_MAGIC)
            f.write(b"\0\0")
        results.append(fallback_result(Result, "not_ext2_falls_back", "/dev/hdc", bad,
                                       "can't find an ext2 filesystem"))
    return results


def suites(Result):
    return [("rootdisk", lambda: suite_rootdisk(Result))]

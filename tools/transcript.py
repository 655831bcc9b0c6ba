#!/usr/bin/env python3
"""transcript.py CHAPTER.md: print the chapter's GDB session as a batch script.

A chapter's GDB session as the book prints it, and the check that GDB, typed those
commands, answers the way the chapter says (used by tools/gdbwalktests.py and
tools/typedtests.py).

A session is the `(gdb) ` lines of a chapter's indented code blocks, in order, with the
`>` lines GDB prompts for inside `while`/`if`; what a block prints after a command is the
chapter's output for it.  The check types the commands into GDB with trace-commands on,
cuts GDB's answer at each traced command, and compares: every location the chapter prints
(`Breakpoint N, func (...) at file:line`, a backtrace's `#k ... func (...) at file:line`)
must be where GDB is, exactly; every value (`$N = 152`, a PTE decoded as a swap entry, an
rmap line that `<- maps it`, ...) must have the chapter's shape.  Frames after a `?? ()` in
a backtrace are what an interrupt interrupted, which no two runs share: not compared.
"""

import re

BLOCKING = re.compile(r"^(while|if|python|commands|define|document)\b")
LOCATION = re.compile(r"(?:^|[ ,])([A-Za-z_]\w*) \(.*\) at ([\w./-]+):(\d+)$")
FRAME = re.compile(r"^#(\d+)\s")
TRACED = re.compile(r"^\+(?!\+)(.*)$", re.M)
PAGECACHE = re.compile(r"^ *index +0x[0-9a-f]+: page ")       # anvil-pagecache's page line
VALUE = re.compile(r"\$\d+ = |%s" % PAGECACHE.pattern)        # compared number for number

# The shapes of the helpers' and GDB's answers: a line the chapter prints that has one of
# them needs a line of the same shape in GDB's answer to the same command.
SHAPES = [
    ("a PTE holding a swap entry", r"pte\[\d+\] = 0x[0-9a-f]+: swap entry: type \d+ offset \d+$"),
    ("a present PTE", r"pte\[\d+\] = 0x[0-9a-f]+: pfn 0x[0-9a-f]+ \[[A-Z ]+\]"),
    ("an empty PTE", r"pte\[\d+\] = 0x0+: none$"),
    ("pgwalk's directory entry", r"^pid \d+ address 0x[0-9a-f]+: pgd\[\d+\] = 0x[0-9a-f]+$"),
    ("an rmap line that maps the page", r" <- maps it$"),
    ("rmap's page line", r"^page 0x[0-9a-f]+ pfn 0x[0-9a-f]+: _count \d+, mapcount -?\d+, "
     r"index 0x[0-9a-f]+, flags 0x[0-9a-f]+$"),
    ("rmap's anon_vma line", r"^ +anonymous: anon_vma 0x[0-9a-f]+$"),
    ("swapinfo's area", r"^swap type \d+: \S+ prio -?\d+, \d+ slots usable, \d+ in use, "
     r"next \d+, flags 0x[0-9a-f]+$"),
    ("swapinfo's cache", r"^swap cache: \d+ pages$"),
    ("a tasks row", r"^ +\d+ +\d+ [RSDTZ] +(?:-|0x[0-9a-f]+) +\S+"),
    ("vmas' header", r"^pid \d+ \(\S+\) mm 0x[0-9a-f]+, \d+ VMAs, anon_rss \d+, file_rss \d+, "
     r"swap \d+$"),
    ("a vmas row", r"^ +[0-9a-f]{8}-[0-9a-f]{8} [r-][w-][x-][ps] pgoff 0x[0-9a-f]+ (?:anon|file) "
     r"anon_vma 0x[0-9a-f]+ +\(vma 0x[0-9a-f]+\)$"),
    ("an i_mmap VMA", r"^ +vma 0x[0-9a-f]+ pid \d+ \(\S+\) [0-9a-f]+-[0-9a-f]+ "
     r"pages \[0x[0-9a-f]+, 0x[0-9a-f]+\] subtree_last 0x[0-9a-f]+$"),
    ("a memory dump", r"^0x[0-9a-f]+(?: <[^>]*>)?:(?:\s+0x[0-9a-f]+)+$"),
]


def normal(line):
    """line with every number a # and the book's `# remark` dropped: a value's shape.  Of a
    cached page's flags, those that say where reclaim has it (lru, active, referenced) vary
    from run to run with the moment; the others are the chapter's point."""
    line = re.sub(r"\s+#\s.*$", "", line.strip())
    if PAGECACHE.search(line):
        line = re.sub(r" (?:lru|active|referenced)(?=[ \]])", "", line)
    return re.sub(r"\s+", " ", re.sub(r"-?\b(?:0x[0-9a-f]+|\d+)\b", "#", line))


def session(text):
    """The chapter's GDB session: a list of {cmd, body, printed, heading} in order, one per
    `(gdb) ` line; body holds the `>` lines a while or if asks for, printed the lines the
    chapter shows after the command (up to the next command, the block's end or prose)."""
    entries, heading, cur, depth = [], "", None, 0
    for raw in text.split("\n"):
        line = re.sub(r"^> ?", "", raw) if raw.startswith(">") else raw
        if not line.startswith("    "):
            if line.startswith("#"):
                heading = line
            if line.strip():
                cur, depth = None, 0
            continue
        code = line[4:]
        if code.startswith("(gdb) "):
            cur = {"cmd": code[6:].strip(), "body": [], "printed": [], "heading": heading}
            entries.append(cur)
            depth = 1 if BLOCKING.match(cur["cmd"]) else 0
        elif cur is not None and depth and code.lstrip().startswith(">"):
            typed = code.lstrip()[1:].strip()
            cur["body"].append(typed)
            depth += 1 if BLOCKING.match(typed) else -1 if typed == "end" else 0
        elif cur is not None:
            cur["printed"].append(code.rstrip())
    return entries


def script(entries):
    """The GDB script that types the session: its commands, traced."""
    lines = ["set trace-commands on"]
    for e in entries:
        lines += [e["cmd"]] + e["body"]
    return "\n".join(lines) + "\n"


def answers(entries, out):
    """GDB's answer to each entry's command ("" for one it never reached), cut at the
    traced top-level commands; and the error that stopped the session, or None."""
    marks = list(TRACED.finditer(out))
    got = []
    for i, m in enumerate(marks[:len(entries)]):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(out)
        got.append(out[m.end():end])
    got += [""] * (len(entries) - len(got))
    err = re.search(r"Error in sourced command file:\n(.*)", out)
    return got, err.group(1) if err else None


def locations(lines):
    """(frame number or None, func, file:line) of each location lines show, a backtrace's
    frames only up to its first `?? ()` (past it is what an interrupt interrupted)."""
    found, past_trap = [], False
    for line in lines:
        frame = FRAME.match(line)
        if frame and "?? ()" in line:
            past_trap = True
        m = LOCATION.search(line)
        if not m or (frame and past_trap):
            continue
        found.append((int(frame.group(1)) if frame else None, m.group(1),
                      "%s:%s" % (m.group(2), m.group(3))))
    return found


def mismatches(entries, got):
    """Where GDB answered otherwise than the chapter prints: (locations, values), each a
    list of 'command: what' lines."""
    locs, vals = [], []
    for e, ans in zip(entries, got):
        alines = [a for a in ans.split("\n") if not a.startswith("+")]
        where = locations(alines)
        for frame, func, loc in locations(e["printed"]):
            if frame is not None:
                ok = (frame, func, loc) in where
            else:
                ok = any(f is None and (fn, lc) == (func, loc) for f, fn, lc in where)
            if not ok:
                near = [w for w in where if w[1] == func] or where
                locs.append("%s: the chapter says %s%s at %s, GDB %s" % (
                    e["cmd"], "#%d " % frame if frame is not None else "", func, loc,
                    ", ".join("%s at %s" % (w[1], w[2]) for w in near[:3]) or "nothing"))
        values = {normal(a) for a in alines if VALUE.search(a)}
        for p in e["printed"]:
            if VALUE.search(p) and normal(p) not in values:
                vals.append("%s: the chapter prints %r, GDB %s" % (
                    e["cmd"], p.strip(), sorted(values)[:3] or "nothing"))
        for name, shape in SHAPES:
            if any(re.search(shape, p) for p in e["printed"]) and \
                    not any(re.search(shape, a) for a in alines):
                vals.append("%s: the chapter shows %s, GDB does not" % (e["cmd"], name))
    return locs, vals


def section(entries, got, number):
    """GDB's answers to the commands under the chapter's heading `## number.`"""
    return "".join(ans for e, ans in zip(entries, got)
                   if re.match(r"## %s\. " % number, e["heading"]))


if __name__ == "__main__":
    import sys
    usage = "usage: tools/transcript.py CHAPTER.md  (prints its (gdb) lines as a GDB script)"
    if sys.argv[1:] in (["--help"], ["-h"]):
        print(usage)
        sys.exit(0)
    if len(sys.argv) != 2 or sys.argv[1].startswith("-"):
        sys.exit(usage)
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(script(session(f.read())))

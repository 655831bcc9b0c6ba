"""The lab markers (labs/README.md): which labs exist, in which order, and how
a student tree is made from this one (tools/mklab).  A fenced region is

    /* LAB rmap: BEGIN what the student writes */
    ...the solution...
    /* LAB rmap: STUB -- what the stub does meanwhile       (optional)
    ...stub lines, compiled only in the student tree...
    */
    /* LAB rmap: END */

A stub of no lines is one line, "/* LAB rmap: STUB -- what happens meanwhile */".
In the full tree the markers are comments and the stub is inside one.  For
a student tree, regions of labs before the chosen one keep their solution
(markers and stub dropped); the chosen lab's and later labs' regions become
"TODO(lab rmap): ..." and the stub lines.
"""

import os
import re
import subprocess

LABS = ["buddy", "cow", "rmap", "mremap", "reclaim"]

BEGIN = re.compile(r"^(\s*)/\* LAB (\w+): BEGIN (.*?) \*/\s*$")
STUB = re.compile(r"^\s*/\* LAB (\w+): STUB(?: -- (.*?))?(\s*\*/)?\s*$")
STUB_CLOSE = re.compile(r"^\s*\*/\s*$")
END = re.compile(r"^\s*/\* LAB (\w+): END \*/\s*$")
ANY_MARKER = re.compile(r"/\* LAB \w+: (BEGIN|STUB|END)")


class MarkerError(Exception):
    pass


def strip_text(text, path, stripped):
    """text with each region resolved: stripped (a set of lab names) become stubs."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = BEGIN.match(lines[i])
        if not m:
            if ANY_MARKER.search(lines[i]):
                raise MarkerError("%s:%d: marker outside a BEGIN/END pair" % (path, i + 1))
            out.append(lines[i])
            i += 1
            continue
        indent, lab, what = m.groups()
        if lab not in LABS:
            raise MarkerError("%s:%d: unknown lab %r" % (path, i + 1, lab))
        solution, stub, note = [], [], None
        i += 1
        while i < len(lines) and not END.match(lines[i]):
            s = STUB.match(lines[i])
            if s:
                note = s.group(2)
                if not s.group(3):          # not a one-line stub: up to the closing "*/"
                    i += 1
                    while i < len(lines) and not STUB_CLOSE.match(lines[i]):
                        stub.append(lines[i])
                        i += 1
            elif ANY_MARKER.search(lines[i]):
                raise MarkerError("%s:%d: nested marker" % (path, i + 1))
            else:
                solution.append(lines[i])
            i += 1
        if i == len(lines) or END.match(lines[i]).group(1) != lab:
            raise MarkerError("%s: LAB %s region not closed by its END" % (path, lab))
        i += 1
        if lab in stripped:
            todo = what + (" -- " + note if note else "")
            out.append("%s/* TODO(lab %s): %s */" % (indent, lab, todo))
            out += stub
        else:
            out += solution
    return "\n".join(out)


def stripped_labs(lab):
    """The labs a student tree for `lab` leaves unsolved: it and every later one."""
    return set(LABS[LABS.index(lab):])


def tracked_files(root):
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                         check=True).stdout.decode()
    return [f for f in out.split("\0") if f]


def region_lines(root):
    """{lab: non-blank solution lines inside its regions}: what a student writes."""
    counts = dict.fromkeys(LABS, 0)
    for f in tracked_files(root):
        if not f.endswith((".c", ".h")):
            continue
        lab = None
        for line in open(os.path.join(root, f), errors="replace"):
            m, e = BEGIN.match(line), END.match(line)
            if m:
                lab, in_stub = m.group(2), False
            elif e:
                lab = None
            elif lab and STUB.match(line):
                in_stub = not STUB.match(line).group(3)
            elif lab and in_stub and STUB_CLOSE.match(line):
                in_stub = False
            elif lab and not in_stub and line.strip():
                counts[lab] += 1
    return counts

"""The lab markers and stubs (labs/README.md): which labs exist, in which
order, and how a student tree is made from this one (tools/mklab).  In the
kernel's source a region is fenced by two one-line comments,

    /* LAB rmap: BEGIN what the student writes */
    ...the solution...
    /* LAB rmap: END */

and its stub -- what the student tree has in its place -- is an entry of
labs/rmap/stubs.c, named by the file and the function the region is in:

    /* STUB mm/rmap.c page_referenced_one() -- meanwhile no PTE is ever found young */
    <tab>return 0;

(a region at file scope is named by the first function it defines; the
" -- ..." part and the lines are optional).  For a student tree, regions of
labs before the chosen one keep their solution (markers dropped); the chosen
lab's and later labs' regions become "TODO(lab rmap): what -- meanwhile..."
and the stub's lines.  Every region must have its stub and every stub its
region, or nothing is written.

A student tree says so in labs/HANDOUT (its lab), and lists in
labs/expected-failures.txt what `make test` fails in it once that lab is
solved -- the later labs' stubs' doing, which tools/run-tests reports as
XFAIL and does not count.  Neither file exists in this tree; nothing here
needs git in a student tree, which is no repository.
"""

import os
import re
import subprocess
from collections import namedtuple

MAX_COLUMNS = 100               # the kernel's line length (style suite)

LABS = ["buddy", "cow", "rmap", "mremap", "reclaim", "filemap", "tlb"]

BEGIN = re.compile(r"^(\s*)/\* LAB (\w+): BEGIN (.*?) \*/\s*$")
END = re.compile(r"^\s*/\* LAB (\w+): END \*/\s*$")
ANY_MARKER = re.compile(r"/\* LAB \w+:")
STUB = re.compile(r"^/\* STUB (\S+) (\w+)\(\)(?: -- (.*?))? \*/$")
STUBS_FILE = os.path.join("labs", "%s", "stubs.c")
HANDOUT_FILE = os.path.join("labs", "HANDOUT")
EXPECTED_FILE = os.path.join("labs", "expected-failures.txt")
TODO = re.compile(r"/\* TODO\(lab (\w+)\): ")

# C, coarsely: what hides braces and parentheses (comments, literals,
# preprocessor lines), identifiers, and the punctuation that matters.
C_TOKEN = re.compile(r"""/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
                     r"""|^[ \t]*\#(?:\\\n|[^\n])*|[A-Za-z_]\w*|[{}();\n]""", re.S | re.M)
NOT_A_NAME = {"__attribute__", "__typeof__", "typeof", "sizeof"}

Region = namedtuple("Region", "lab path begin end function indent what")
Stub = namedtuple("Stub", "lab path function note lines where")


class MarkerError(Exception):
    pass


def scopes(text):
    """[(brace depth, enclosing function or None)] at the start of each line of C text."""
    out, depth, parens, function, candidate, name = [(0, None)], 0, 0, None, None, None
    for m in C_TOKEN.finditer(text):
        tok = m.group()
        if tok[0].isalpha() or tok[0] == "_":
            name = tok
        elif tok == "(":
            if depth == 0 and parens == 0 and candidate is None and name not in NOT_A_NAME:
                candidate = name          # a function being declared or defined
            parens += 1
        elif tok == ")":
            parens -= 1
        elif tok == ";" and depth == 0:
            candidate = None
        elif tok == "{":
            if depth == 0:
                function = candidate
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth == 0:
                function = candidate = None
        out += [(depth, function)] * tok.count("\n")
    return out


def find_regions(text, path):
    """The regions of one file, each with the function it belongs to."""
    lines, regions, i = text.split("\n"), [], 0
    at = scopes(text)
    while i < len(lines):
        m = BEGIN.match(lines[i])
        if not m:
            if ANY_MARKER.search(lines[i]):
                raise MarkerError("%s:%d: marker outside a BEGIN/END pair" % (path, i + 1))
            i += 1
            continue
        indent, lab, what = m.groups()
        if lab not in LABS:
            raise MarkerError("%s:%d: unknown lab %r" % (path, i + 1, lab))
        j = i + 1
        while j < len(lines) and not ANY_MARKER.search(lines[j]):
            j += 1
        e = END.match(lines[j]) if j < len(lines) else None
        if not e or e.group(1) != lab:
            raise MarkerError("%s:%d: LAB %s region not closed by its END" % (path, i + 1, lab))
        if at[i] != at[j]:
            raise MarkerError("%s:%d: LAB %s region ends in another block or function (%s:%d)"
                              % (path, i + 1, lab, path, j + 1))
        depth, function = at[i]
        if depth == 0:          # at file scope: it defines the function
            function = next((f for d, f in at[i + 1:j] if d), None)
        if not function:
            raise MarkerError("%s:%d: LAB %s region is in no function and defines none"
                              % (path, i + 1, lab))
        regions.append(Region(lab, path, i, j, function, indent, what))
        i = j + 1
    return regions


def read_stubs(root, lab):
    """The entries of labs/LAB/stubs.c, in order."""
    name = STUBS_FILE % lab
    try:
        lines = open(os.path.join(root, name)).read().split("\n")
    except FileNotFoundError:
        return []
    stubs = []
    for n, line in enumerate(lines, 1):
        m = STUB.match(line)
        if m:
            stubs.append(Stub(lab, m.group(1), m.group(2), m.group(3), [], "%s:%d" % (name, n)))
        elif line.startswith("/* STUB"):
            raise MarkerError("%s:%d: want '/* STUB FILE FUNCTION() [-- what happens meanwhile] */'"
                              % (name, n))
        elif stubs:
            stubs[-1].lines.append(line)
    for s in stubs:
        while s.lines and not s.lines[-1].strip():
            s.lines.pop()           # the blank lines between entries
    return stubs


def tracked_files(root):
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                         check=True).stdout.decode()
    return [f for f in out.split("\0") if f]


def marked_files(root):
    """{path: text} of the C files that carry markers (not labs/ itself)."""
    files = {}
    for f in tracked_files(root):
        if f.endswith((".c", ".h")) and not f.startswith("labs/"):
            text = open(os.path.join(root, f), errors="replace").read()
            if "/* LAB " in text:
                files[f] = text
    return files


def stubs_of_regions(root, files):
    """{(path, begin line): stub} for every region, or MarkerError listing each mismatch."""
    regions, stubs = {}, {}
    for path, text in files.items():
        for r in find_regions(text, path):
            regions.setdefault((r.lab, r.path, r.function), []).append(r)
    for lab in LABS:
        for s in read_stubs(root, lab):
            stubs.setdefault((s.lab, s.path, s.function), []).append(s)
    matched, errors = {}, []
    for key in sorted(set(regions) | set(stubs)):
        rs, ss = regions.get(key, []), stubs.get(key, [])
        for r, s in zip(rs, ss):
            matched[(r.path, r.begin)] = s
        for r in rs[len(ss):]:
            errors.append("%s:%d: LAB %s region in %s() has no stub in %s"
                          % (r.path, r.begin + 1, r.lab, r.function, STUBS_FILE % r.lab))
        for s in ss[len(rs):]:
            errors.append("%s: stub for %s %s() has no LAB %s region there"
                          % (s.where, s.path, s.function, s.lab))
    if errors:
        raise MarkerError("markers and stubs do not match:\n  " + "\n  ".join(errors))
    return matched


def todo_comment(indent, lab, what):
    """A stub's "TODO(lab X): what" comment, wrapped to the kernel's MAX_COLUMNS."""
    words, lines = what.split(), ["%s/* TODO(lab %s):" % (indent, lab)]
    for w in words:
        if len((lines[-1] + " " + w + " */").expandtabs(8)) > MAX_COLUMNS:
            lines.append("%s *" % indent)
        lines[-1] += " " + w
    lines[-1] += " */"
    return lines


def strip_text(text, path, stripped, stubs):
    """text with each region resolved: stripped (a set of lab names) become stubs."""
    lines = text.split("\n")
    out, i = [], 0
    for r in find_regions(text, path):
        out += lines[i:r.begin]
        if r.lab in stripped:
            s = stubs[(path, r.begin)]
            out += todo_comment(r.indent, r.lab, r.what + (" -- " + s.note if s.note else ""))
            out += s.lines
        else:
            out += lines[r.begin + 1:r.end]
        i = r.end + 1
    return "\n".join(out + lines[i:])


def stripped_labs(lab):
    """The labs a student tree for `lab` leaves unsolved: it and every later one."""
    return set(LABS[LABS.index(lab):])


def handout_lab(root):
    """The lab a student tree was made for (labs/HANDOUT), or None in this tree."""
    try:
        lines = open(os.path.join(root, HANDOUT_FILE)).read().split("\n")
    except FileNotFoundError:
        return None
    return next((line.strip() for line in lines if line.strip() and not line.startswith("#")),
                None)


def write_handout_files(dest, lab, expected=None):
    """labs/HANDOUT, and labs/expected-failures.txt when expected (test names) is given."""
    stubbed = sorted(stripped_labs(lab), key=LABS.index)
    with open(os.path.join(dest, HANDOUT_FILE), "w") as f:
        f.write("# A student tree for lab %s, written by tools/mklab (labs/README.md):\n"
                "# labs %s are stubs here.\n%s\n" % (lab, ", ".join(stubbed), lab))
    if expected is not None:
        later = stubbed[1:]
        with open(os.path.join(dest, EXPECTED_FILE), "w") as f:
            f.write("# What `make test` fails in this tree once lab %s is solved: the stubs of\n"
                    "# the later labs (%s), and the few tests a student tree cannot pass (no\n"
                    "# git history; line numbers without the solutions).  tools/run-tests\n"
                    "# reports them as XFAIL, not counted.  Recorded by tools/mklab.\n"
                    % (lab, ", ".join(later) or "none"))
            f.write("".join(name + "\n" for name in sorted(expected)))


def expected_failures(root):
    """{test name} that may fail in this student tree (empty elsewhere)."""
    if not handout_lab(root):
        return set()
    try:
        lines = open(os.path.join(root, EXPECTED_FILE)).read().split("\n")
    except FileNotFoundError:
        return set()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def source_files(root):
    """The C files of a tree, found by walking it (a student tree has no git)."""
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".") and
                   os.path.relpath(os.path.join(d, x), root) not in ("build", "labs")]
        out += [os.path.relpath(os.path.join(d, f), root) for f in files
                if f.endswith((".c", ".h"))]
    return sorted(out)


def todo_counts(root):
    """{lab: TODO(lab ...) comments} in a student tree: one per stubbed region."""
    counts = dict.fromkeys(LABS, 0)
    for f in source_files(root):
        for m in TODO.finditer(open(os.path.join(root, f), errors="replace").read()):
            if m.group(1) in counts:
                counts[m.group(1)] += 1
    return counts


def solve(root, tree, lab):
    """Fill lab's regions of the student tree `tree` with the solution from this
    tree (`root`), the later labs' staying stubs: what a student who solved it has."""
    files = marked_files(root)
    stubs = stubs_of_regions(root, files)
    later = stripped_labs(lab) - {lab}
    for path, text in files.items():
        if any(r.lab == lab for r in find_regions(text, path)):
            with open(os.path.join(tree, path), "w") as f:
                f.write(strip_text(text, path, later, stubs))


def region_lines(root):
    """{lab: non-blank solution lines inside its regions}: what a student writes."""
    counts = dict.fromkeys(LABS, 0)
    for path, text in marked_files(root).items():
        lines = text.split("\n")
        for r in find_regions(text, path):
            counts[r.lab] += sum(1 for line in lines[r.begin + 1:r.end] if line.strip())
    return counts

"""The style suite of `make test` (loaded by tools/run-tests): the rules of
the code a student reads that a program can check.  The kernel's sources
(arch/, include/, kernel/, mm/) keep to 100 columns, and no comment in
them or in the tests points at something a student cannot open: the
project's design notes, an issue number, "the seeds" -- a comment names a
chapter of docs/ instead.  Every "chapter N" in the book, the labs' texts and
the README is a link to chapter N (its file opens "# Chapter N: title").  And
the figures the book quotes about the code are today's: the system-call
table's size (docs/syscalls.md),
struct task_struct's (docs/processes.md) and struct vm_area_struct's
(docs/vma.md), the last two read from the kernel's debug information
with GDB.  lockdep's table of the lock order (kernel/lockdep.c) is the
order the comment at the top of mm/rmap.c documents.  Nothing is booted.
"""

import os
import re
import subprocess

import anvil_qemu as aq
from labs import MAX_COLUMNS       # one number, also what a lab stub's TODO wraps at

KERNEL_DIRS = ("arch", "include", "kernel", "mm")
TEST_DIRS = ("user/tests", "user/stress")
UNFOLLOWABLE = re.compile(r"DESIGN\.md|\b[Ii]ssue \d+|\bthe seeds\b")


def tracked(dirs, suffixes=(".c", ".h", ".S")):
    """The tree's files under dirs with one of the suffixes."""
    return aq.source_files(dirs, suffixes)


def offending_lines(files, bad):
    """'file:line' for each line of files for which bad(line) is true."""
    found = []
    for f in files:
        with open(os.path.join(aq.ROOT, f), encoding="utf-8") as fh:
            found += ["%s:%d" % (f, n) for n, line in enumerate(fh, 1) if bad(line.rstrip("\n"))]
    return found


def check(Result, name, found):
    return Result(name, not found, "" if not found else
                  "%d: %s" % (len(found), ", ".join(found[:10])))


def quoted_number(doc, pattern):
    """The number pattern's group 1 matches in doc, or None."""
    with open(os.path.join(aq.ROOT, doc), encoding="utf-8") as fh:
        m = re.search(pattern, fh.read())
    return int(m.group(1)) if m else None


def syscall_entries():
    """How many SYSCALL(...) entries kernel/syscall.c's Linux table has."""
    with open(os.path.join(aq.ROOT, "kernel", "syscall.c"), encoding="utf-8") as fh:
        text = fh.read()
    table = text[text.index("sys_call_table[NR_SYSCALLS]"):text.index("anvil_call_table")]
    return len(re.findall(r"^\tSYSCALL\(", table, re.M))


def sizeof_in_kernel(type_name):
    """sizeof(type_name) in the default kernel, asked of GDB; None if it cannot say."""
    out = subprocess.run(["gdb", "-q", "-batch", "-nx", "-ex", "p sizeof(%s)" % type_name,
                          os.path.join(aq.BUILD, "kernel.elf")],
                         capture_output=True, text=True).stdout
    m = re.search(r"^\$1 = (\d+)$", out, re.M)
    return int(m.group(1)) if m else None


def figure(Result, name, quoted, actual):
    ok = quoted is not None and quoted == actual
    return Result(name, ok, "" if ok else "the book says %s, the code %s" % (quoted, actual))


def uncited_mails():
    """'file: date' for each linux-kernel mail the book or a lab quotes by date that
    docs/sources.md does not list (author, subject, date, archive) on that date."""
    with open(os.path.join(aq.ROOT, "docs", "sources.md"), encoding="utf-8") as fh:
        rows = [line for line in fh if line.startswith("| ") and "lkml.iu.edu" in line]
    found = []
    for f in tracked(["docs", "labs"], (".md",)):
        with open(os.path.join(aq.ROOT, f), encoding="utf-8") as fh:
            text = re.sub(r"\s+", " ", fh.read())
        for date in re.findall(r"linux-kernel, (\d{1,2} \w+ \d{4})", text):
            if not any("| %s |" % date in row for row in rows):
                found.append("%s: %s" % (f, date))
    return found


CHAPTER_HEADING = re.compile(r"# Chapter (\d+): ")
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
# "[12](x.md)" in a list, or a link text that starts "chapter 12" ("[Chapter 12: Reclaim](...)")
LINK_TEXT_NUMBER = re.compile(r"(?i)(?:chapters?\s+(\d+)\b|(\d+)$)")
# in a code block, where a link is not one: "chapter 8, rmap.md"
NAMED_CHAPTER = re.compile(r"(?i)\bchapter\s+(\d+),\s*`?([\w-]+\.md)`?")
# "chapter" and a number, on one line or across one line break (not "## Chapters" and a list)
BARE_CHAPTER = re.compile(r"(?i)\bchapters?(?=\s)[ \t]*\n?[ \t]*(?:\x00+(?:\s*,\s*and\s+|\s*,\s*|"
                          r"\s+and\s+|\s+or\s+|\s+to\s+|\s*–\s*))*\d+")
CONTENTS_ENTRY = re.compile(r"^(\d+)\. \[[^\]]*\]\(([^)\s]*)\)", re.M)


def chapter_numbers():
    """{'docs/NAME.md': N} for each chapter of the book: a file of docs/ that opens
    "# Chapter N: title"."""
    numbers = {}
    for f in tracked(["docs"], (".md",)):
        with open(os.path.join(aq.ROOT, f), encoding="utf-8") as fh:
            m = CHAPTER_HEADING.match(fh.readline())
        if m and os.path.dirname(f) == "docs":
            numbers[f] = int(m.group(1))
    return numbers


def chapter_ref_problems():
    """'file:line: why' for each chapter named by number in the book, the labs' texts or the
    README that is not a link to that chapter ("[chapter 12](reclaim.md)", "chapters
    [10](swap-format.md) and [11](swap-cache.md)"; in a code block "chapter 12, reclaim.md"),
    and for each link so named whose chapter has another number; and the book's table of
    contents (docs/README.md) numbered as the chapters' headings are."""
    numbers = chapter_numbers()
    files = [f for f in tracked(["docs", "labs", "README.md"], (".md",))
             if f == "README.md" or os.path.dirname(f) == "docs" or
             re.fullmatch(r"labs/([^/]+/)?README\.md", f)]
    found = []
    for f in files:
        with open(os.path.join(aq.ROOT, f), encoding="utf-8") as fh:
            text = fh.read()
        here = lambda pos: "%s:%d" % (f, text.count("\n", 0, pos) + 1)  # noqa: E731
        masked = list(text)
        if f in numbers:                        # the chapter's own heading
            masked[:text.index("\n")] = "\0" * text.index("\n")

        def target(path):
            return os.path.normpath(os.path.join(os.path.dirname(f), path.split("#")[0]))

        for m in LINK.finditer(text):
            masked[m.start():m.end()] = "\0" * (m.end() - m.start())
            n = LINK_TEXT_NUMBER.match(m.group(1).strip())
            if not n:
                continue
            doc = target(m.group(2))
            if doc not in numbers:
                found.append("%s: [%s] links %s, not a chapter" % (here(m.start()),
                                                                   m.group(1), m.group(2)))
            elif numbers[doc] != int(n.group(1) or n.group(2)):
                found.append("%s: [%s] links %s, chapter %d" % (here(m.start()), m.group(1),
                                                               m.group(2), numbers[doc]))
        for m in NAMED_CHAPTER.finditer(text):
            masked[m.start():m.end()] = "\0" * (m.end() - m.start())
            doc = "docs/" + m.group(2)
            if numbers.get(doc) != int(m.group(1)):
                found.append("%s: %s, but %s is chapter %s" % (here(m.start()), m.group(0),
                                                               doc, numbers.get(doc)))
        if f == "docs/README.md":
            for m in CONTENTS_ENTRY.finditer(text):
                if numbers.get(target(m.group(2))) != int(m.group(1)):
                    found.append("%s: contents entry %s is chapter %s" % (
                        here(m.start()), m.group(1), numbers.get(target(m.group(2)))))
        for m in BARE_CHAPTER.finditer("".join(masked)):
            found.append("%s: %s without a link" % (here(m.start()),
                                                     " ".join(text[m.start():m.end()].split())))
    return found


def documented_lock_order():
    """[(depth, name)] from the lock order at the top of mm/rmap.c: one per lock named on a
    line (a parenthesis, maybe continued on the next lines, is its note), depth by indent."""
    with open(os.path.join(aq.ROOT, "mm", "rmap.c"), encoding="utf-8") as fh:
        lines = fh.read().split(" * Lock order", 1)[1].split("\n")[2:]
    order, base, parens = [], None, 0
    for line in lines:
        text = line[len(" *"):]
        if not text.strip():
            if order:
                break
            continue
        indent = len(text) - len(text.lstrip())
        if parens == 0 and not text.lstrip().startswith("("):
            base = indent if base is None else base
            names = text.split("(")[0]
            order += [((indent - base) // 2, n.strip()) for n in names.split(",") if n.strip()]
        parens += text.count("(") - text.count(")")
    return order


def lockdep_lock_order():
    """[(depth, name)] of kernel/lockdep.c's lock_order[] table."""
    with open(os.path.join(aq.ROOT, "kernel", "lockdep.c"), encoding="utf-8") as fh:
        table = fh.read().split("lock_order[] = {", 1)[1].split("};", 1)[0]
    return [(int(d), n) for d, n in re.findall(r'\{ (\d+), "([^"]+)", (?:"[^"]*"|NULL) \}', table)]


def lock_order_problems():
    doc, table = documented_lock_order(), lockdep_lock_order()
    return [] if doc == table and doc else ["mm/rmap.c documents %s, kernel/lockdep.c has %s"
                                           % (doc, table)]


def suite_style(Result):
    kernel = tracked(KERNEL_DIRS)
    tests = tracked(TEST_DIRS)
    return [
        check(Result, "style/kernel_lines_fit_100_columns",
              offending_lines(kernel, lambda line: len(line.expandtabs(8)) > MAX_COLUMNS)),
        check(Result, "style/kernel_comments_point_at_docs",
              offending_lines(kernel, UNFOLLOWABLE.search)),
        check(Result, "style/test_comments_point_at_docs",
              offending_lines(tests, UNFOLLOWABLE.search)),
        figure(Result, "style/book_syscall_table_size",
               quoted_number("docs/syscalls.md", r"(\d+) entries are filled in this tree"),
               syscall_entries()),
        figure(Result, "style/book_task_struct_size",
               quoted_number("docs/processes.md", r"`struct task_struct` \(`[^`]*`\), (\d+)\s"),
               sizeof_in_kernel("struct task_struct")),
        check(Result, "style/quoted_mails_are_in_sources", uncited_mails()),
        check(Result, "style/chapter_references_link_their_chapter", chapter_ref_problems()),
        check(Result, "style/lockdep_table_is_the_documented_lock_order", lock_order_problems()),
        figure(Result, "style/book_vm_area_struct_size",
               quoted_number("docs/vma.md", r"`struct vm_area_struct`, (\d+) bytes in the default"),
               sizeof_in_kernel("struct vm_area_struct")),
    ]


def suites(Result):
    return [("style", lambda: suite_style(Result))]

"""The typed suite of `make test` (loaded by tools/run-tests): what the README and the
book tell a reader to type works as printed.  Every shell command of their code blocks
(`$ make ...`, `$ tools/...`, `qemu-system-i386 ...`, a host program) is checked without
running it: a make target is one `make -n` accepts and a make variable one the Makefiles
use; a tool exists and lists each flag given in its --help; a path in the tree exists or
make builds it; a kernel parameter (-append) is one the kernel reads, a test= one a
KTEST starts with; a host program is installed (an anvil program is in /bin).  The cheap
ones -- `tools/run-elf build/rootfs/bin/...`, a second each -- are run and their output
compared with the book's, number for number in shape.  And every location the book and
the labs quote (`func (...) at file:line`, a backtrace, a transcript of another run) lies
inside that function in today's file; every page whose `(gdb)` lines no suite types is
named (tools/gdbwalktests.py types them).
"""

import functools
import glob
import os
import re
import shlex
import shutil
import subprocess

import anvil_qemu as aq
import transcript

SEARCH_PATH = os.environ.get("PATH", "") + ":/sbin:/usr/sbin"
BUILTINS = {"cd", "echo", "ulimit", "export", "true", "false"}
TREE_DIRS = ("build/", "docs/", "tools/", "user/", "mm/", "kernel/", "arch/", "labs/",
             "include/", "boot/")
SOURCE_DIRS = ("arch", "kernel", "mm", "lib")
# The pages whose (gdb) lines tools/gdbwalktests.py types, and its suite for each.
TYPED_SESSIONS = {"README.md": "gdbreadme", "docs/swap-walkthrough.md": "gdbwalk",
                  "docs/page-cache-walkthrough.md": "gdbfile", "docs/boot.md": "gdbbook",
                  "docs/physical-memory.md": "gdbbook", "docs/rmap.md": "gdbbook",
                  "docs/smp.md": "gdbsmp"}
RUN_TIMEOUT = 60


def pages():
    """The README and the book's chapters, relative to the tree."""
    return ["README.md"] + sorted(os.path.relpath(p, aq.ROOT)
                                  for p in glob.glob(os.path.join(aq.ROOT, "docs", "*.md")))


def read(page):
    with open(os.path.join(aq.ROOT, page), encoding="utf-8") as f:
        return f.read()


def shell_commands(text):
    """(line number, command, printed lines) for each shell command a page's indented
    code blocks show: a `$ ` line, or a bare `make`/`tools/` line as the README writes
    them; a command ending in `\\` goes on."""
    found, cur, pending = [], None, None
    for n, raw in enumerate(text.split("\n"), 1):
        line = re.sub(r"^> ?", "", raw) if raw.startswith(">") else raw
        if not line.startswith("    "):
            if line.strip():
                cur = pending = None
            continue
        code = line[4:].rstrip()
        if pending is not None:
            pending[1] += " " + code.strip().rstrip("\\")
            if not code.endswith("\\"):
                pending = None
            continue
        m = re.match(r"^\$ (.*)$|^((?:make|tools/)\S*(?: .*)?)$", code)
        if m and not code.startswith("(gdb)"):
            cur = [n, (m.group(1) or m.group(2)).rstrip("\\").strip(), []]
            found.append(cur)
            if code.endswith("\\"):
                pending = cur
        elif cur is not None:
            cur[2].append(code)
    return [tuple(c) for c in found]


def simple_commands(command):
    """The simple commands of a command line (split at ;, &&, || and |), as word lists
    without the shell's comment, redirections and leading VAR=value assignments."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    try:
        words = list(lexer)
    except ValueError:
        return [command.split()]
    out, cur, skip = [], [], False
    for w in words + [";"]:
        if skip:
            skip = False
        elif w in (";", "&&", "||", "|", "&"):
            while cur and re.match(r"^[A-Z_]+=", cur[0]):
                cur.pop(0)
            if cur:
                out.append(cur)
            cur = []
        elif re.match(r"^[<>]", w):
            if cur and re.match(r"^\d$", cur[-1]):
                cur.pop()                                      # 2>file: the 2 is no argument
            skip = re.match(r"^[<>]+$", w) is not None          # the file is the next word
        else:
            cur.append(w)
    return out


@functools.lru_cache(maxsize=None)
def make_dry_run(args):
    r = subprocess.run(["make", "-n", "-s"] + list(args), cwd=aq.ROOT, capture_output=True,
                       text=True, timeout=120)
    return r.returncode == 0, (r.stderr or r.stdout)[-300:]


@functools.lru_cache(maxsize=None)
def make_variables():
    text = "".join(read(f) for f in ["Makefile"] + [os.path.relpath(p, aq.ROOT) for p in
                                                    glob.glob(os.path.join(aq.ROOT, "*.mk")) +
                                                    glob.glob(os.path.join(aq.ROOT, "*/*.mk"))])
    return set(re.findall(r"\$\(([A-Z_]+)\)", text)) | set(re.findall(r"^([A-Z_]+) *[?:]?=", text,
                                                                        re.M))


@functools.lru_cache(maxsize=None)
def tool_help(tool):
    r = subprocess.run([os.path.join(aq.ROOT, tool), "--help"], cwd=aq.ROOT,
                       capture_output=True, text=True, timeout=60)
    return r.stdout + r.stderr


@functools.lru_cache(maxsize=None)
def kernel_sources():
    return "".join(read(os.path.relpath(p, aq.ROOT)) for d in SOURCE_DIRS
                   for p in glob.glob(os.path.join(aq.ROOT, d, "**", "*.c"), recursive=True))


def in_tree(path):
    """A path of the tree exists, or make builds it."""
    return os.path.exists(os.path.join(aq.ROOT, path)) or \
        (path.startswith("build/") and make_dry_run((path,))[0])


def kernel_parameter_problems(append):
    bad = []
    for param in append.split():
        key, _, value = param.partition("=")
        if not re.search(r'(?:kernel_param|cmdline_get\w*)\([^")]*"%s"' % re.escape(key),
                         kernel_sources()):
            bad.append("the kernel reads no parameter %s" % key)
        elif key == "test" and not any(re.search(r"\bKTEST\(%s" % re.escape(t), kernel_sources())
                                       for t in value.split(",")):
            bad.append("no KTEST is named %s..." % value)
    return bad


def problems(words):
    """Why a simple command would not work as the book prints it (a list, empty if none)."""
    prog, args = words[0], words[1:]
    bad = []
    paths = [a for a in args if a.startswith(TREE_DIRS) and "<" not in a and "..." not in a]
    if prog == "make":
        for a in args:
            if "=" in a and a.split("=")[0] not in make_variables():
                bad.append("make uses no variable %s" % a.split("=")[0])
        ok, why = make_dry_run(tuple(args))
        if not ok:
            bad.append("make -n %s fails: %s" % (" ".join(args), why.strip()))
        paths = []
    elif prog.startswith("tools/"):
        if not os.access(os.path.join(aq.ROOT, prog), os.X_OK):
            return ["no tool %s" % prog]
        flags = [f for a in args for f in re.findall(r"(?<![\w-])--[\w-]+", a)]
        bad += ["%s --help lists no %s" % (prog, f) for f in flags if f != "--help" and
                not re.search(r"(?<![\w-])%s\b" % re.escape(f), tool_help(prog))]
    elif prog == "qemu-system-i386":
        if "-append" in args and args.index("-append") + 1 < len(args):
            bad += kernel_parameter_problems(args[args.index("-append") + 1])
        paths = [p.split(",")[0].split("=")[-1] for p in paths + [
            a for a in args if a.startswith("file=")]]
        paths = [p for p in paths if p.startswith(TREE_DIRS)]
    elif prog not in BUILTINS and not prog.startswith("./") and \
            not shutil.which(prog, path=SEARCH_PATH) and \
            not os.path.exists(os.path.join(aq.BUILD, "rootfs", "bin", prog)):
        bad.append("%s is neither installed on the host nor in anvil's /bin" % prog)
    bad += ["%s is neither in the tree nor built by make" % p for p in paths if not in_tree(p)]
    return bad


def runnable(words):
    """A command cheap enough to run: a program of anvil's /bin under run-elf (its CPU
    count given or not)."""
    if words[1:3] and words[1] == "--smp":
        words = words[:1] + words[3:]
    return words[:1] == ["tools/run-elf"] and len(words) > 1 and \
        words[1].startswith("build/rootfs/bin/")


def output_mismatch(printed, actual):
    """None if actual is printed line for line, numbers aside; else the first difference."""
    want = [transcript.normal(p) for p in printed if p.strip()]
    got = [transcript.normal(a) for a in actual.split("\n") if a.strip()]
    if want == got:
        return None
    i = next((i for i, (w, g) in enumerate(zip(want, got)) if w != g), min(len(want), len(got)))
    return "line %d: the book %r, now %r" % (i + 1, want[i] if i < len(want) else None,
                                              got[i] if i < len(got) else None)


def inline_commands(text):
    """(line number, command) for each `make ...` or `tools/...` the page's prose names in
    backquotes: a command when it has words after the program, else a file of the tree.
    A placeholder (<scheme>, SCHEME, ..., [--flag]) leaves the command to the reader."""
    found = []
    for m in re.finditer(r"`((?:make(?= |`)|tools/)[^`\n]*)`", text):
        if not re.search(r"[<\[]|\.\.\.|\b[A-Z]{3,}\b(?!=)", m.group(1)):
            found.append((text.count("\n", 0, m.start()) + 1, m.group(1)))
    return found


def command_checks():
    """(page:line command, what is wrong) for the README's and the book's shell commands."""
    wrong, ran = [], []
    for page in pages():
        last_status = None
        for n, command, printed in shell_commands(read(page)):
            where = "%s:%d `%s`" % (page, n, command)
            simple = simple_commands(command)
            for words in simple:
                wrong += [(where, why) for why in problems(words)]
            if len(simple) == 1 and runnable(simple[0]) and printed:
                r = subprocess.run(simple[0], cwd=aq.ROOT, capture_output=True, text=True,
                                   timeout=RUN_TIMEOUT)
                last_status = r.returncode
                ran.append(where)
                why = output_mismatch(printed, r.stdout)
                if why:
                    wrong.append((where, why))
            elif command == "echo $?" and last_status is not None:
                if printed != [str(last_status)]:
                    wrong.append((where, "the status is %d" % last_status))
        for n, command in inline_commands(read(page)):
            where = "%s:%d `%s`" % (page, n, command)
            if " " not in command and command.startswith("tools/"):
                if not os.path.exists(os.path.join(aq.ROOT, command)):
                    wrong.append((where, "no such file"))
                continue
            for words in simple_commands(command):
                wrong += [(where, why) for why in problems(words)]
    return wrong, ran


def stale_locations():
    """'page: func at file:line' for each location the book or a lab quotes that does not
    lie inside func in today's file (the function's first line to its closing brace)."""
    stale = []
    for page in pages() + sorted(os.path.relpath(p, aq.ROOT) for p in
                                 glob.glob(os.path.join(aq.ROOT, "labs", "*", "README.md"))):
        for m in re.finditer(r"\b([A-Za-z_]\w*) \([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\) at "
                             r"((?:%s)/[\w/.-]+\.[ch]):(\d+)" % "|".join(SOURCE_DIRS), read(page)):
            func, path, line = m.group(1), m.group(2), int(m.group(3))
            full = os.path.join(aq.ROOT, path)
            src = read(path).split("\n") if os.path.exists(full) else []
            inside = False
            for start, text in enumerate(src):
                if re.match(r"^[A-Za-z_].*\b%s\(" % re.escape(func), text) and \
                        not text.rstrip().endswith(";"):
                    end = next((j for j in range(start, len(src)) if src[j].startswith("}")),
                               len(src) - 1)
                    inside = inside or start + 1 <= line <= end + 1
            if not inside:
                stale.append("%s: %s at %s:%d" % (page, func, path, line))
    return stale


def untyped_sessions():
    """Pages with (gdb) lines that no suite types."""
    return [p for p in pages() if transcript.session(read(p)) and p not in TYPED_SESSIONS]


def suite_typed(Result):
    wrong, ran = command_checks()
    stale = stale_locations()
    untyped = untyped_sessions()
    return [
        Result("typed/every_shell_command_the_book_shows_works_as_printed", not wrong,
               "\n".join("%s: %s" % w for w in wrong[:12])),
        Result("typed/the_cheap_commands_run_and_print_what_the_book_shows",
               len(ran) >= 4 and not any(w[0] in ran for w in wrong),
               "ran %d: %s" % (len(ran), ", ".join(ran))),
        Result("typed/every_quoted_location_is_inside_its_function_today", not stale,
               "\n".join(stale[:12])),
        Result("typed/every_gdb_session_of_the_book_is_typed_by_a_suite", not untyped,
               ", ".join(untyped)),
    ]


def suites(Result):
    return [("typed", lambda: suite_typed(Result))]

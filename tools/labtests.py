"""The labs suite of `make test` (loaded by tools/run-tests): the lab markers
still do their job as the kernel changes.  Every LAB region has its stub in
labs/LAB/stubs.c and every stub its region, and tools/labs.py refuses a
mismatch (checked on a small made-up tree).  For each lab, tools/mklab writes
its student tree (which must build warning-free and boot) and the lab's
in-kernel tests must score below full there -- the stubs fail them -- and
its whole grade, every row of labs/LAB/grade.txt with its suites, full in
the next lab's tree, where it is solved and the later labs are still stubs:
no row is out of reach in a hand-out.  The last lab's rows are this tree's.
The lines a student writes, as labs/README.md's table and each lab's text
quote them, are what the regions hold.  In a student tree (labs/HANDOUT),
which has no solutions and no git, the suite checks what it can: one TODO
per stub of the later labs, and the marker rules on the made-up tree.

The gdblab-LAB suites type each lab's GDB exercise into GDB as the lab's
text prints it.
"""

import os
import re
import subprocess
import tempfile

import anvil_qemu as aq
import labs


def score(output):
    m = re.search(r"^score: (\d+)/(\d+)$", output, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


def student_env():
    """The environment a student tree runs in: its own CPU count (anvil_qemu.DEFAULT_SMP:
    one, under the tlb lab's stubs), whatever `run-tests --smp N` asked of this tree."""
    return {k: v for k, v in os.environ.items() if k != "ANVIL_SMP"}


def grade(tree, lab):
    out = subprocess.run([os.path.join(tree, "tools", "grade"), lab, "--quick"], cwd=tree,
                         capture_output=True, text=True, env=student_env()).stdout
    return score(out), out


def full_marks(Result, name, s, out):
    ok = s is not None and s[0] == s[1] > 0
    return Result(name, ok, "" if ok else "score %s: %s" % (s, out[-300:]))


def solved_then_graded(Result, tree, lab):
    """A student tree's regions of `lab` filled in with the solution after its build,
    then graded with no make in between: tools/grade must build first, or it would
    score the stubs' kernel (and a broken solution the last good build's)."""
    labs.solve(aq.ROOT, tree, lab)
    return full_marks(Result, "labs/%s/graded_after_solving_without_make" % lab,
                      *grade(tree, lab))


def whole_grade(tree, lab):
    """tools/grade LAB with every row, suites included."""
    out = subprocess.run([os.path.join(tree, "tools", "grade"), lab], cwd=tree,
                         capture_output=True, text=True, env=student_env()).stdout
    return score(out), out


def grade_rows_exist(Result):
    """Every ktest row of a grade.txt names a KTEST, every suite row a suite."""
    ktests = set()
    for d, _, files in os.walk(aq.ROOT):
        if os.sep + "build" in d[len(aq.ROOT):] or os.sep + "." in d[len(aq.ROOT):]:
            continue
        for f in files:
            if f.endswith("_test.c"):
                ktests |= set(re.findall(r"^KTEST\((\w+)\)", open(os.path.join(d, f)).read(),
                                         re.M))
    help_out = subprocess.run([os.path.join(aq.ROOT, "tools", "run-tests"), "--help"],
                              capture_output=True, text=True).stdout
    suites_named = help_out.rsplit("suites:", 1)[-1].split()
    problems = []
    for lab in labs.LABS:
        for line in open(os.path.join(aq.ROOT, "labs", lab, "grade.txt")):
            row = line.split("#")[0].split()
            if row and row[0] == "ktest" and row[1] not in ktests:
                problems.append("labs/%s/grade.txt: no KTEST(%s)" % (lab, row[1]))
            if row and row[0] == "suite" and not any(n.startswith(row[1]) for n in suites_named):
                problems.append("labs/%s/grade.txt: no suite %s" % (lab, row[1]))
    return Result("labs/grade_rows_exist", not problems, "; ".join(problems))


def handout_checks(Result, lab):
    """In a student tree: one TODO per stub of each later lab (the student's own
    lab's TODOs go as the student writes the code)."""
    todos = labs.todo_counts(aq.ROOT)
    later = sorted(labs.stripped_labs(lab) - {lab}, key=labs.LABS.index)
    problems = ["%d TODO(lab %s) comments, %d stubs in %s" % (todos[l], l, len(stubs),
                                                               labs.STUBS_FILE % l)
                for l in later for stubs in [labs.read_stubs(aq.ROOT, l)]
                if todos[l] != len(stubs)]
    return [Result("labs/handout_has_a_todo_per_stub", not problems, "; ".join(problems))]


def expected_failures_read(Result):
    """labs/expected-failures.txt counts in a student tree only."""
    with tempfile.TemporaryDirectory() as tree:
        os.makedirs(os.path.join(tree, "labs"))
        labs.write_handout_files(tree, "rmap", {"ktest/x", "rmap-anonmm:swap/y"})
        inside = labs.expected_failures(tree)
        os.remove(os.path.join(tree, labs.HANDOUT_FILE))
        outside = labs.expected_failures(tree)
    ok = inside == {"ktest/x", "rmap-anonmm:swap/y"} and outside == set()
    return Result("labs/expected_failures_only_in_a_student_tree", ok,
                  "in %s, out %s" % (inside, outside))


# A made-up tree for the marker checks: one region in f(), its stub, and
# broken variants of either, each of which tools/labs.py must refuse.
TOY_C = """static int f(void)
{
\t/* LAB rmap: BEGIN return one */
\treturn 1;
\t/* LAB rmap: END */
}

static int g(void)
{
\treturn 2;
}
"""
TOY_STUBS = "/* the rmap stubs */\n\n/* STUB mm/toy.c f() -- meanwhile zero */\n\treturn 0;\n"
TOY_REGION = "\t/* LAB rmap: BEGIN return one */\n\treturn 1;\n\t/* LAB rmap: END */"
TOY_STRIPPED = TOY_C.replace(TOY_REGION, "\t/* TODO(lab rmap): return one -- meanwhile zero */"
                                         "\n\treturn 0;")
TOY_IN_G = (TOY_C.replace(TOY_REGION, "\treturn 1;")
            .replace("\treturn 2;", "\t/* LAB rmap: BEGIN two */\n\treturn 2;"
                                    "\n\t/* LAB rmap: END */"))
TOY_END_IN_G = (TOY_C.replace("\t/* LAB rmap: END */\n", "")
                .replace("\treturn 2;", "\treturn 2;\n\t/* LAB rmap: END */"))
TOY_BROKEN = {
    "region_moved_to_another_function": (TOY_IN_G, TOY_STUBS),
    "region_without_stub": (TOY_C, "/* the rmap stubs */\n"),
    "stub_without_region": (TOY_C, TOY_STUBS + "\n/* STUB mm/toy.c g() */\n"),
    "end_in_another_function": (TOY_END_IN_G, TOY_STUBS),
    "malformed_stub": (TOY_C, TOY_STUBS.replace("f()", "f")),
}


def toy_strip(c_text, stubs_text):
    """The student tree's mm/toy.c for lab rmap, or MarkerError."""
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "labs", "rmap"))
        with open(os.path.join(root, labs.STUBS_FILE % "rmap"), "w") as f:
            f.write(stubs_text)
        files = {"mm/toy.c": c_text}
        stubs = labs.stubs_of_regions(root, files)
        return labs.strip_text(c_text, "mm/toy.c", {"rmap"}, stubs)


def marker_checks(Result, toy_only=False):
    results = []
    try:
        if not toy_only:
            labs.stubs_of_regions(aq.ROOT, labs.marked_files(aq.ROOT))
            results.append(Result("labs/markers_match_stubs", True))
    except labs.MarkerError as e:
        results.append(Result("labs/markers_match_stubs", False, str(e)))
    out = toy_strip(TOY_C, TOY_STUBS)
    results.append(Result("labs/stub_replaces_region", out == TOY_STRIPPED, out))
    for name, (c_text, stubs_text) in TOY_BROKEN.items():
        try:
            out = toy_strip(c_text, stubs_text)
            results.append(Result("labs/refuses_" + name, False, "stripped to:\n" + out))
        except labs.MarkerError:
            results.append(Result("labs/refuses_" + name, True))
    return results


def readme_line_counts(Result):
    """The lines a student writes, as labs/README.md's table and each lab's text
    ("About N lines") quote them, are what the regions hold."""
    counts = labs.region_lines(aq.ROOT)
    table = open(os.path.join(aq.ROOT, "labs", "README.md")).read()
    problems = []
    for lab, n in counts.items():
        row = re.search(r"^\| \d+ \| \[`%s`\].*?\| (\d+) \|" % lab, table, re.M)
        if not row or int(row.group(1)) != n:
            problems.append("labs/README.md's %s row says %s, the regions hold %d"
                            % (lab, row and row.group(1), n))
        text = open(os.path.join(aq.ROOT, "labs", lab, "README.md")).read()
        about = re.search(r"^About (\d+) lines", text, re.M)
        if not about or int(about.group(1)) != n:
            problems.append("labs/%s/README.md says about %s lines, the regions hold %d"
                            % (lab, about and about.group(1), n))
    return [Result("labs/readme_line_counts", not problems, "; ".join(problems))]


def suite_labs(Result):
    lab = labs.handout_lab(aq.ROOT)
    if lab:
        return marker_checks(Result, toy_only=True) + handout_checks(Result, lab)
    results = marker_checks(Result) + readme_line_counts(Result)
    results += [grade_rows_exist(Result), expected_failures_read(Result)]
    with tempfile.TemporaryDirectory() as tmp:
        for i, lab in enumerate(labs.LABS):
            tree = os.path.join(tmp, lab)
            mk = subprocess.run([os.path.join(aq.ROOT, "tools", "mklab"), lab, tree,
                                 "--quick-check", "--reuse-build"], capture_output=True, text=True,
                                env=student_env())
            s = score(mk.stdout)
            # below full, and each failing test's own message printed under the table
            ok = (mk.returncode == 0 and s is not None and s[0] < s[1] and
                  re.search(r"^why .*\n  ktest \w+: (?!did not run).+", mk.stdout, re.M) and
                  re.search(r"^mklab: stripped: in-kernel tests %d/%d " % s, mk.stdout, re.M))
            results.append(Result("labs/%s/stripped_below_full" % lab, ok,
                                  "" if ok else "mklab status %d, score %s: %s"
                                  % (mk.returncode, s, (mk.stdout + mk.stderr)[-300:])))
            if mk.returncode:
                continue
            if i == 0:
                # a student tree is no repository: its labs suite works without git
                r = subprocess.run([os.path.join(tree, "tools", "run-tests"), "--jobs", "1",
                                    "labs"], cwd=tree, capture_output=True, text=True,
                                   env=student_env())
                ok = r.returncode == 0 and "PASS labs/handout_has_a_todo_per_stub" in r.stdout
                results.append(Result("labs/%s/student_tree_labs_suite" % lab, ok,
                                      "" if ok else (r.stdout + r.stderr)[-500:]))
                results.append(solved_then_graded(Result, tree, lab))
            else:
                prev = labs.LABS[i - 1]
                results.append(full_marks(Result, "labs/%s/whole_grade_solved_under_%s_stubs"
                                          % (prev, lab), *whole_grade(tree, prev)))
    last = labs.LABS[-1]          # solved, it is this tree: its suites run in make test
    results.append(full_marks(Result, "labs/%s/full_tree" % last, *grade(aq.ROOT, last)))
    return results


# ---- each lab's GDB exercise, typed as its text prints it -------------------

GDB_ERROR = re.compile(r"Error in sourced command file|No symbol|Cannot access memory|"
                       r"not defined|Undefined command|syntax error|No frame selected|"
                       r"Cannot insert|Argument required|Junk at end|^\$\d+ = <optimized out>|"
                       r"value has been optimized out", re.M)
EXERCISE_TIMEOUT = 180
EXERCISE_CPUS = {"tlb": 2}      # labs whose exercise boots ANVIL_SMP=N CPUs, as their text says


def exercise_commands(root, lab):
    """The (gdb) lines of labs/LAB/README.md's "GDB exercise", in order."""
    text = open(os.path.join(root, "labs", lab, "README.md")).read()
    section = text.split("\n## GDB exercise\n", 1)[-1].split("\n## ", 1)[0]
    return re.findall(r"^    \(gdb\) (.*)$", section, re.M)


def port_listening(port):
    """Is a socket listening on 127.0.0.1:port (QEMU's GDB stub up)?  Read, not
    probed: a connection that closes would let the waiting QEMU run."""
    want = ":%04X " % port
    with open("/proc/net/tcp") as f:
        return any(want in line.split(None, 3)[1] + " " and line.split()[3] == "0A"
                   for line in list(f)[1:])


def run_exercise(root, lab, commands):
    """[(command, GDB's output for it)]: `tools/grade LAB --quick --gdb` in root,
    then GDB with root's .gdbinit typing the commands, as a student does in two
    terminals.  A marker echoed before each command cuts the output."""
    import socket
    import time
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, GDBPORT=str(port))
    if lab in EXERCISE_CPUS:
        env["ANVIL_SMP"] = str(EXERCISE_CPUS[lab])
    grade_proc = subprocess.Popen([os.path.join(root, "tools", "grade"), lab, "--quick", "--gdb"],
                                  cwd=root, env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + EXERCISE_TIMEOUT
        while not port_listening(port):
            if grade_proc.poll() is not None or time.monotonic() > deadline:
                return [("(boot)", "tools/grade %s --quick --gdb never waited for GDB" % lab)]
            time.sleep(0.2)
        with tempfile.TemporaryDirectory(prefix="gdblab-") as tmp:
            script = os.path.join(tmp, "exercise.gdb")
            with open(script, "w") as f:
                for n, cmd in enumerate(commands):
                    f.write("echo \\n@@@ %d\\n\n%s\n" % (n, cmd))
                f.write("echo \\n@@@ end\\n\n")
            g = subprocess.run(["gdb", "-q", "-batch", "-nx", "-iex",
                                "set auto-load safe-path " + root, "-x",
                                os.path.join(root, ".gdbinit"), "-x", script],
                               cwd=root, env=dict(env, ANVIL_GDBPORT=str(port)),
                               capture_output=True, text=True, timeout=EXERCISE_TIMEOUT)
        out = g.stdout + g.stderr
    finally:
        try:
            grade_proc.wait(timeout=60)   # GDB detached: the tests run to their end
        except subprocess.TimeoutExpired:
            os.killpg(grade_proc.pid, 15)
            grade_proc.wait()
    parts = re.split(r"^@@@ (\d+|end)$", out, flags=re.M)
    typed = {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)
             if parts[i] != "end"}
    return [(cmd, typed.get(n)) for n, cmd in enumerate(commands)] + \
        ([] if "@@@ end" in out else [("(end)", out[-1500:])])


def value(output):
    m = re.search(r"^\$\d+ = (.*)$", output or "", re.M)
    return m and m.group(1)


def exercise_problems(commands, typed):
    """What did not work as typed: a command GDB did not take, a `continue` that
    stopped elsewhere than the breakpoint just set, an optimized-out value."""
    problems, last_break = [], None
    for cmd, out in typed:
        if out is None or cmd.startswith("("):
            problems.append("%s: never ran (GDB stopped before it)%s"
                            % (cmd, "" if out is None else ": " + out))
            break
        if GDB_ERROR.search(out):
            problems.append("%s: %s" % (cmd, out.strip()[-300:]))
        if cmd.startswith("break "):
            last_break = cmd.split()[1]
        elif cmd == "delete":
            last_break = None
        elif cmd == "continue":
            stop = re.search(r"^(?:Thread \d+ hit )?Breakpoint \d+, (?:0x[0-9a-f]+ in )?(\w+) \(",
                             out, re.M)
            if not stop:
                problems.append("continue: did not stop at a breakpoint: %s" % out.strip()[-300:])
            elif last_break and stop.group(1) != last_break:
                problems.append("continue after break %s stopped in %s (an old breakpoint?)"
                                % (last_break, stop.group(1)))
            last_break = None
    return problems


def lab_exercise_checks(lab, typed):
    """The facts each lab's exercise asks the student to check, checked."""
    outs = {}
    for cmd, out in typed:
        outs.setdefault(cmd, []).append(out)
    if lab == "rmap":
        address, computed = outs.get("p/x address", [None])[0], outs.get(
            "p/x $vma_address(page, vma)", [None])[0]
        return [("address is $vma_address(page, vma)",
                 value(address) is not None and value(address) == value(computed))]
    if lab == "reclaim":
        slot = value(outs.get("p/x page->private", [None])[0])
        pte = value(outs.get("p/x orig_pte", [None])[0])
        unmapped = value(outs.get("p/x address", [None, None])[0])
        faulted = value(outs.get("p/x address", [None, None])[-1])
        return [("the swap-in is of the page unmapped", unmapped and unmapped == faulted),
                ("one slot in both places: page->private is orig_pte",
                 slot and pte and pte == "{pte = %s}" % slot)]
    if lab == "tlb":
        masks = [value(o) for o in outs.get("p/x flush_cpumask", [])]
        threads = outs.get("info threads", [""])[0] or ""
        return [("this CPU's bit set in the request, clear once answered",
                 masks == ["0x1", "0x0"]),
                ("one GDB thread per CPU, the second halted",
                 "Thread 1.2" in threads and "halted" in threads)]
    return []


def suite_gdb_exercise(Result, lab):
    commands = exercise_commands(aq.ROOT, lab)
    typed = run_exercise(aq.ROOT, lab, commands)
    transcript = "\n".join("(gdb) %s\n%s" % (c, (o or "").strip()) for c, o in typed)[-2500:]
    problems = exercise_problems(commands, typed)
    results = [Result("gdblab-%s/exercise_works_as_typed" % lab, bool(commands) and not problems,
                      "; ".join(problems) + "\n" + transcript)]
    for what, ok in lab_exercise_checks(lab, typed):
        results.append(Result("gdblab-%s/%s" % (lab, re.sub(r"\W+", "_", what)), bool(ok),
                              "" if ok else transcript))
    return results


def suites(Result):
    return [("labs", lambda: suite_labs(Result))] + [
        ("gdblab-" + lab, lambda lab=lab: suite_gdb_exercise(Result, lab)) for lab in labs.LABS]

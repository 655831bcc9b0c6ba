"""tools/shelltests.py: anvil's interactive shell and its tools, run by tools/run-tests.

  shell      one boot: keys typed at the console shell over the serial line
             as a terminal sends them (tools/shell_cases.py: arrows, Home/End,
             Backspace/Delete, ^A ^E ^K ^U ^W ^R ^C, history, `kill %1`), then
             ^D (the shell exits, init starts a new one), typing ahead while a
             command runs, the terminal back in canonical mode with echo while
             a command reads it, and clear, free -h and ps aux as a Linux
             user sees them (the host's clear, procps' free -h and ps aux
             headers and units; /bin/free -h run on this host agrees with
             procps' free -h).
  coreutils  one boot: head, tail, wc, grep and cp run on the same files on
             this host (coreutils, GNU grep) and under anvil (/bin's own);
             the output and exit statuses must be identical.
"""

import collections
import os
import re
import subprocess
import tempfile
import threading
import time

import anvil_qemu as aq
import usertests as ut
from shell_cases import (LINE_EDITING, COREUTILS_CASES, coreutils_script, ctrl,
                         grep_unsupported_cases, HOME, END)

SH = os.path.join(aq.BUILD, "user", "bin", "sh")
FREE = os.path.join(aq.BUILD, "user", "bin", "free")
STEP_TIMEOUT = 30
BOOT_TIMEOUT = 60
# the console shell's prompt, at the start of a line: "$ " (redrawn by the line editor: "\r$ \e[K")
PROMPT = re.compile(rb"\n\r?\$ (\x1b\[K)?$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Console:
    """anvil booted with its console shell on a pipe: type keys, wait for output."""

    def __init__(self):
        cmd = aq.qemu_command(initrd=aq.INITRAMFS, serial=["stdio"])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.out = bytearray()
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            data = os.read(self.proc.stdout.fileno(), 4096)
            with self.cond:
                if not data:
                    self.cond.notify_all()
                    return
                self.out += data
                self.cond.notify_all()

    def wait(self, pattern, start, timeout=STEP_TIMEOUT):
        """Wait until out[start:] matches pattern; the match or None."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = pattern.search(bytes(self.out[start:]))
                left = deadline - time.monotonic()
                if m or left <= 0 or self.proc.poll() is not None:
                    return m
                self.cond.wait(left)

    def type(self, keys):
        self.proc.stdin.write(keys.encode("latin-1"))
        self.proc.stdin.flush()

    def step(self, keys, until=PROMPT):
        """Type keys; wait for until (the next prompt); the output meanwhile and whether it came."""
        start = len(self.out)
        self.type(keys)
        ok = self.wait(until, start) is not None
        return bytes(self.out[start:]).decode("latin-1"), ok

    def close(self):
        try:
            self.type("poweroff\r")
            self.proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def lines(text):
    return [ANSI.sub("", l.rstrip("\r").split("\r")[-1]) for l in text.split("\n")]


def run_steps(con, steps):
    """Type each step and wait for its prompt; (all output, '' or what went wrong)."""
    text = ""
    for keys in steps:
        out, ok = con.step(keys)
        text += out
        if not ok:
            return text, "no prompt after typing %r" % keys
    return text, ""


def line_editing_result(Result, con, name, steps, want, forbid):
    text, why = run_steps(con, steps)
    got = collections.Counter(lines(text))
    if not why:
        missing = [l for l, n in collections.Counter(want).items() if got[l] < n]
        present = [l for l in forbid if got[l]]
        why = "; ".join(([("missing lines %r" % missing)] if missing else []) +
                        ([("lines that must not be there %r" % present)] if present else []))
    return Result("shell/" + name, not why, why and "%s; output %r" % (why, text[-600:]))


def ctrl_d_result(Result, con):
    """^D on an empty line ends the shell: init starts another (a new $$)."""
    before, ok1 = con.step("echo pid$$\r")
    after, ok2 = con.step(ctrl("d"))
    again, ok3 = con.step("echo pid$$\r")
    pids = [re.findall(r"^pid(\d+)$", "\n".join(lines(t)), re.M) for t in (before, again)]
    ok = ok1 and ok2 and ok3 and all(pids) and pids[0] != pids[1]
    return Result("shell/ctrl_d_exits", ok, "" if ok else "pids %r; output %r" %
                  (pids, (before + after + again)[-600:]))


TYPEAHEAD_SLEEPS = (1, 3, 9)


def typeahead_result(Result, con):
    """A line typed while a command runs is run next; then a command reading the
    terminal finds it in canonical mode, with echo (the editor's raw mode undone).
    The line counts as typed ahead only if the kernel echoed it before the next
    prompt; on a machine too loaded for that, again with a longer command."""
    start = len(con.out)
    for n, secs in enumerate(TYPEAHEAD_SLEEPS):
        mark = len(con.out)
        con.type("echo go$((%d)); sleep %d\r" % (n, secs))
        ok = con.wait(re.compile(rb"\ngo%d\r?\n" % n), mark) is not None
        # wait for its output and the prompt after it: the prompt drawn before the
        # editor reads the line typed ahead is not the end
        out, ok2 = con.step("echo ta$((%d+2))\r" % n,
                            until=re.compile(rb"\nta%d\r?\n\r?\$ (\x1b\[K)?$" % (n + 2)))
        after_go = con.out[mark:].decode("latin-1").split("go%d" % n, 1)[-1]
        early = "echo ta$((%d+2))" % n in after_go.split("$ ", 1)[0]
        if not (ok and ok2) or early:
            break
    text = con.out[start:].decode("latin-1")
    results = [Result("shell/typeahead_runs_next", ok and ok2 and early,
                      "" if ok and ok2 and early else "typed ahead in time %s; output %r"
                      % (early, text[-600:]))]
    results.append(terminal_sane_result(Result, con, "terminal_restored_for_commands"))
    return results


def terminal_sane_result(Result, con, name):
    """A command reading the terminal finds it canonical, echoing what is typed."""
    out3, ok3 = con.step("echo ready$((1)); read v; echo r$v\r",
                         until=re.compile(rb"\nready1\r?\n"))
    out4, ok4 = con.step("typed\r")
    got = lines(out3 + out4)
    ok = ok3 and ok4 and "typed" in got and "rtyped" in got
    return Result("shell/" + name, ok, "" if ok else "want the echoed 'typed' and 'rtyped'; "
                  "output %r" % (out3 + out4)[-600:])


def shell_pid(con):
    out, ok = con.step("echo pid$$\r")
    pids = re.findall(r"^pid(\d+)$", "\n".join(lines(out)), re.M)
    return pids[0] if ok and pids else None


KILL_POLLS = 10


def killed_shell_results(Result, con):
    """SIGTERM is ignored, as by bash; a shell killed at its prompt anyway
    (SIGKILL) leaves the terminal raw, and the next one must not keep that."""
    before = shell_pid(con)
    out, ok = con.step("kill $$; echo alive$((1))\r")
    after = shell_pid(con)
    ok = ok and "alive1" in lines(out) and before is not None and before == after
    results = [Result("shell/sigterm_ignored", ok, "" if ok else "shell pid %s, then %s; "
                      "output %r" % (before, after, out[-300:]))]
    con.step("(sleep 1; kill -9 $$) &\r")
    for _ in range(KILL_POLLS):          # the old shell answers until it is killed
        again = shell_pid(con)           # None: the kill came while it read this line
        if again is not None and again != after:
            break
        time.sleep(1)
    ok = again is not None and again != after
    results.append(Result("shell/killed_at_prompt_new_shell", ok,
                          "" if ok else "shell pid %s, then %s" % (after, again)))
    results.append(terminal_sane_result(Result, con, "terminal_sane_after_a_killed_shell"))
    return results


class Screen:
    """A VT100 as wide as anvil's console says (80 columns): the rows written and the cursor."""

    COLS = 80
    CSI = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])")

    def __init__(self, col):
        self.rows, self.row, self.col, self.pending = [[" "] * self.COLS], 0, col, False

    def put(self, ch):
        if self.pending:        # autowrap: the character after the last column goes below
            self.row, self.col, self.pending = self.row + 1, 0, False
        while len(self.rows) <= self.row:
            self.rows.append([" "] * self.COLS)
        self.rows[self.row][self.col] = ch
        if self.col == self.COLS - 1:
            self.pending = True
        else:
            self.col += 1

    def feed(self, text):
        i = 0
        while i < len(text):
            m = self.CSI.match(text, i)
            if m:
                n = int(m.group(1) or 1) if m.group(1).isdigit() else 1
                if m.group(2) == "D":
                    self.col = max(0, self.col - n)
                elif m.group(2) == "C":
                    self.col = min(self.COLS - 1, self.col + n)
                elif m.group(2) == "K":
                    self.rows[self.row][self.col:] = [" "] * (self.COLS - self.col)
                self.pending = False
                i = m.end()
                continue
            if text[i] == "\r":
                self.col, self.pending = 0, False
            elif text[i] == "\b":
                self.col, self.pending = max(0, self.col - 1), False
            elif text[i] >= " ":
                self.put(text[i])
            i += 1

    def text(self):
        return ["".join(r).rstrip() for r in self.rows]


def long_line_results(Result, con):
    """A line wider than the terminal scrolls sideways in one row (readline's
    horizontal-scroll mode), and a pasted line costs output in proportion to it."""
    results = []
    cmd = "echo wl$((5+5))" + "z" * 80           # 95 characters
    start = len(con.out)
    out, ok = con.step(cmd + HOME + "\x1b[C" * 3 + END + "\r")
    screen = Screen(col=2)                        # just after the prompt "$ "
    screen.feed(out.split("\r\n", 1)[0])         # up to the newline Enter writes
    rows = screen.text()
    ok = ok and "wl10" + "z" * 80 in lines(out) and len(rows) == 1 and \
        rows[0] in ("$ " + cmd) and screen.col == len(rows[0])
    results.append(Result("shell/long_line_one_row", ok, "" if ok else
                          "rows %r, cursor column %d; output %r"
                          % (rows, screen.col, con.out[start:][:600])))
    paste = "echo pl$((6*7))" + "y" * 1000
    out, ok = con.step(paste + "\r")
    ok = ok and "pl42" + "y" * 1000 in lines(out) and len(out) < 10 * len(paste)
    results.append(Result("shell/paste_output_linear", ok, "%d bytes written for a %d-byte "
                          "line (want < %d)" % (len(out), len(paste), 10 * len(paste))))
    return results


def host_output(argv, env=None):
    try:
        return subprocess.run(argv, capture_output=True, env=env, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return b""


HUMAN = re.compile(r"^(\d+B|\d\.\d[KMGT]i|\d{1,3}[KMGT]i)$")


FREE_SLACK = 0.1                 # the share a used/free/cache value may move between two runs
UNITS = {"B": 1, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40}


def human_bytes(value):
    m = re.match(r"^([\d.]+)(B|Ki|Mi|Gi|Ti)$", value)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def free_outputs_agree(mine, procps):
    """The same header, rows and totals, and every other value equal or within FREE_SLACK:
    the two runs of `free -h` are moments apart on a machine whose memory moves."""
    a, b = mine.decode().splitlines(), procps.decode().splitlines()
    if not a or len(a) != len(b) or a[0] != b[0]:
        return False
    for row_a, row_b in zip(a[1:], b[1:]):
        x, y = row_a.split(), row_b.split()
        if len(x) != len(y) or x[:2] != y[:2]:
            return False
        for u, v in zip(x[2:], y[2:]):
            bu, bv = human_bytes(u), human_bytes(v)
            if u != v and (bu is None or bv is None or abs(bu - bv) > FREE_SLACK * max(bu, bv)):
                return False
    return True


def tools_results(Result, con):
    results = []
    # clear: what the host's ncurses clear writes for an xterm
    want = host_output(["clear"], env=dict(os.environ, TERM="xterm")).decode() or \
        "\x1b[H\x1b[2J\x1b[3J"
    out, ok = con.step("clear\r", until=re.compile(re.escape(want.encode()) + rb"\r?\$ "))
    results.append(Result("shell/clear_clears_the_screen", ok and want in out,
                          "want %r in %r" % (want, out[-200:])))
    # free -h: procps' header and units; a 128 MiB machine's total in Mi
    out, ok = con.step("free -h\r")
    got = lines(out)
    host_header = host_output(["free", "-h"]).decode().split("\n")[0]
    mem = next((l.split() for l in got if l.startswith("Mem:")), [])
    ok = (ok and host_header in got and len(mem) == 7 and all(HUMAN.match(v) for v in mem[1:])
          and mem[1].endswith("Mi") and 96 <= float(mem[1][:-2]) <= 128)
    results.append(Result("shell/free_h_units", ok, "" if ok else "output %r" % out[-600:]))
    # the same program on this host says what procps says (values move between the two
    # runs on a busy host: a few tries, and the moving columns within FREE_SLACK)
    agree = any(free_outputs_agree(host_output([FREE, "-h"]), host_output(["free", "-h"]))
                for _ in range(3))
    results.append(Result("shell/free_h_as_procps_on_linux", agree,
                          "" if agree else "%r vs %r" % (host_output([FREE, "-h"]),
                                                          host_output(["free", "-h"]))))
    # ps aux: procps' header; init and ps itself as BSD-style lines
    out, ok = con.step("ps aux\r")
    got = lines(out)
    host_header = host_output(["ps", "aux"]).decode().split("\n")[0]
    row = r"^root +%s +\d+\.\d +\d+\.\d +\d+ +\d+ +%s +%s +\d\d:\d\d +\d+:\d\d %s$"
    init = any(re.match(row % (1, r"\S+", r"S\S*", r"\S*init"), l) for l in got)
    itself = any(re.match(row % (r"\d+", "console", r"R\+", "ps aux"), l) for l in got)
    ok = ok and host_header in got and init and itself
    results.append(Result("shell/ps_aux_columns", ok, "" if ok else
                          "header %s, init %s, ps %s; output %r" % (host_header in got, init,
                                                                    itself, out[-800:])))
    return results


def suite_shell(Result):
    why = ut.missing(aq.INITRAMFS)
    if why:
        return [Result("shell/boot", False, why)]
    con = Console()
    try:
        booted = con.wait(PROMPT, 0, BOOT_TIMEOUT) is not None
        results = [Result("shell/boot", booted, "" if booted else
                          "no prompt: %r" % bytes(con.out[-600:]))]
        if not booted:
            return results
        for name, steps, want, forbid in LINE_EDITING:
            results.append(line_editing_result(Result, con, name, steps, want, forbid))
        results += long_line_results(Result, con)
        results += typeahead_result(Result, con)
        results += tools_results(Result, con)
        results += killed_shell_results(Result, con)
        results.append(ctrl_d_result(Result, con))
        return results
    finally:
        con.close()


def suite_coreutils(Result):
    """One script (anvil's sh on both sides) runs every case; the host's output
    is coreutils' and GNU grep's, anvil's is /bin's.  A difference is shown
    under the name of each case it falls in."""
    why = ut.missing(SH)
    if why:
        return [Result("coreutils/run", False, why)]
    with tempfile.TemporaryDirectory(prefix="anvil-coreutils-") as host_cwd:
        host_status, host_out = ut.run_on_host(SH, ["-c", coreutils_script()], cwd=host_cwd)
    unsupported = grep_unsupported_cases()
    run, out, _ = ut.run_on_anvil(SH, ["-c", coreutils_script(COREUTILS_CASES + unsupported)],
                                  timeout=ut.DIFF_TIMEOUT)
    if run.status is None:
        return [Result("coreutils/run", False, "anvil did not finish: %s; kernel log: %s"
                       % (run.problem, ut.log_tail(run.log)))]

    def sections(text):
        parts = re.split(r"^== (\S+)\n", text.decode(errors="replace"), flags=re.M)
        return dict(zip(parts[1::2], parts[2::2]))
    host, anvil = sections(host_out), sections(out)
    results = [Result("coreutils/run", run.status == host_status == 0,
                      "exit status: Linux %d, anvil %d" % (host_status, run.status))]
    for name, cmd in COREUTILS_CASES:
        ok = name in host and host.get(name) == anvil.get(name)
        results.append(Result("coreutils/" + name, ok, "" if ok else
                              "%s: Linux %r, anvil %r" % (cmd, host.get(name), anvil.get(name))))
    for name, cmd in unsupported:
        got = anvil.get(name, "")
        ok = got.startswith("grep: unsupported ") and got.endswith("\nstatus 2\n")
        results.append(Result("coreutils/" + name, ok, "" if ok else "%s: anvil %r" % (cmd, got)))
    return results


def suites(Result):
    return [("shell", lambda: suite_shell(Result)),
            ("coreutils", lambda: suite_coreutils(Result))]

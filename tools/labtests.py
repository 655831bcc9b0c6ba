"""The labs suite of `make test` (loaded by tools/run-tests): the lab markers
still do their job as the kernel changes.  For each lab, tools/mklab writes
its student tree (which must build warning-free and boot) and the lab's
in-kernel tests must score below full there -- the stubs fail them -- and
full in the next lab's tree, where it is solved and the later labs are
still stubs; in this tree every lab scores full.
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


def grade(tree, lab):
    out = subprocess.run([os.path.join(tree, "tools", "grade"), lab, "--quick"], cwd=tree,
                         capture_output=True, text=True).stdout
    return score(out), out


def full_marks(Result, name, s, out):
    ok = s is not None and s[0] == s[1] > 0
    return Result(name, ok, "" if ok else "score %s: %s" % (s, out[-300:]))


def suite_labs(Result):
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, lab in enumerate(labs.LABS):
            tree = os.path.join(tmp, lab)
            mk = subprocess.run([os.path.join(aq.ROOT, "tools", "mklab"), lab, tree,
                                 "--reuse-build"], capture_output=True, text=True)
            s = score(mk.stdout)
            ok = mk.returncode == 0 and s is not None and s[0] < s[1]
            results.append(Result("labs/%s/stripped_below_full" % lab, ok,
                                  "" if ok else "mklab status %d, score %s: %s"
                                  % (mk.returncode, s, (mk.stdout + mk.stderr)[-300:])))
            if i and mk.returncode == 0:
                prev = labs.LABS[i - 1]
                results.append(full_marks(Result, "labs/%s/solved_under_%s_stubs" % (prev, lab),
                                          *grade(tree, prev)))
    for lab in labs.LABS:
        results.append(full_marks(Result, "labs/%s/full_tree" % lab, *grade(aq.ROOT, lab)))
    return results


def suites(Result):
    return [("labs", lambda: suite_labs(Result))]

"""The benchtables suite of `make test` (loaded by tools/run-tests): what the
benchmark tables say besides their numbers, checked on small fake tables
(nothing is booted, nothing is measured).

benchtables/rmap_summary_matches_rows: each line under `make bench-rmap`'s
       table (tools/rmapbench.py) states the same ratio, in the same
       direction (scheme / anon_vma), as the row of the "relative to
       anon_vma" section it names.
benchtables/every_bench_has_a_chapter: every bench that a KBENCH()
       function, a user-level bench program or tools/run-bench prints
       rows for has a rule in tools/benchchapters.py for all its rows.
benchtables/bench_chapters_name_their_rows: each rule's file is a chapter
       (it opens "# Chapter N: title") and names the code path the rule
       says its rows exercise.
benchtables/tables_name_chapters: the tables of make bench, make
       bench-linux and make bench-rmap, made from fake rows, give each row
       the number of its chapter.
"""

import os
import re
from importlib.machinery import SourceFileLoader

import anvil_qemu as aq
import benchchapters
import rmapbench

# the runners, as modules: their tables
run_bench = SourceFileLoader("run_bench", os.path.join(aq.ROOT, "tools", "run-bench")).load_module()
bench_linux = SourceFileLoader("bench_linux",
                               os.path.join(aq.ROOT, "tools", "bench-linux")).load_module()


def fake_rmap_results():
    """Rows for every scheme of make bench-rmap, with ratios far from 1 both ways (anon_vma
    visits 101 VMAs where anon_vma_chain visits 1)."""
    deep = rmapbench.chain_key(rmapbench.DEPTHS[-1], rmapbench.CHILD, rmapbench.UNMAP_VMAS)
    bytes_ = rmapbench.sharers_key(rmapbench.SHARERS[-1], "rmap bytes (slab + fields)")
    ptes = rmapbench.sharers_key(rmapbench.SHARERS[-1], "mapped PTEs")
    results = {}
    for i, (scheme, visits, rmap_bytes) in enumerate(
            (("anon_vma", 101, 1000), ("anon_vma_chain", 1, 6000),
             ("anonmm", 101, 2000), ("pte_chain", 1, 100000))):
        results[scheme] = {deep: visits, bytes_: rmap_bytes, ptes: 1000,
                           rmapbench.FORK: 1000 * (i + 1), rmapbench.EXIT: 500,
                           rmapbench.MREMAP_TIME: 100 * (i + 1) ** 3,
                           rmapbench.STRESS_MS: 1000 + i}
    return results


def rmap_summary_problems():
    """'' if every summary line of a fake make bench-rmap table repeats its row's cell."""
    results = fake_rmap_results()
    text = rmapbench.markdown(results, [])
    schemes = list(rmapbench.SCHEMES)
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == len(schemes) + 2:     # + the chapter
            rows[cells[0]] = dict(zip(schemes, cells[1:]))
    summary = re.findall(r"^- (\S+) / (\S+), (.+): (\S+)$", text, re.M)
    problems = []
    if not summary:
        problems.append("no summary lines under the table")
    for num, den, label, value in summary:
        if den != rmapbench.aq.RMAP_DEFAULT:
            problems.append("%s: %s / %s, but the rows are scheme / %s" % (
                label, num, den, rmapbench.aq.RMAP_DEFAULT))
        elif label not in rows:
            problems.append("%s: no row of that name" % label)
        elif rows[label][num] != value:
            problems.append("%s / %s, %s: the summary says %s, the row %s" % (
                num, den, label, value, rows[label][num]))
    # the walk that anon_vma_chain shortens: 1/101, not rounded to 0.01 nor turned over
    label = "VMAs visited, d=%d, %s" % (rmapbench.DEPTHS[-1], rmapbench.CHILD)
    deep = rows.get(label, {}).get("anon_vma_chain")
    if deep != "0.0099":
        problems.append("%s, anon_vma_chain: %s, want 0.0099" % (label, deep))
    return "; ".join(problems) if problems else ""


def printed_benches():
    """{bench: file} for every bench whose rows the sources print: kbench_row() and
    kbench_ratio() with a literal bench, KBENCH(name), and the rows tools/run-bench makes
    itself.  mmbench's "start" row marks the boot's end and is in no table."""
    files = aq.source_files(suffixes=(".c",))
    found = {}
    for f in files + ["tools/run-bench"]:
        with open(os.path.join(aq.ROOT, f), encoding="utf-8") as fh:
            text = fh.read()
        for rx in (r'kbench_(?:row|ratio)\(\s*"(\w+)"', r"^KBENCH\((\w+)\)",
                   r'(?:append\(|return \[)\("(\w+)",'):
            for bench in re.findall(rx, text, re.M):
                found.setdefault(bench, f)
    found.pop("mmbench", None)
    return found


def unexplained_benches():
    """'bench (file)' for each printed bench without a rule for every row."""
    defaults = {r[0] for r in benchchapters.ROW_CHAPTERS if r[1] is None}
    return ["%s (%s)" % (b, f) for b, f in sorted(printed_benches().items())
            if b not in defaults]


def rule_problems():
    """Each rule whose file is not a chapter or does not name the rule's code path."""
    found = []
    rules = ([(r[2], r[3], "%s/%s" % (r[0], r[1])) for r in benchchapters.ROW_CHAPTERS] +
             [(r[1], r[2], "bench-rmap/%s" % r[0]) for r in benchchapters.RMAP_CHAPTERS])
    for doc, path, rule in rules:
        if benchchapters.chapter_number(doc) is None:
            found.append("%s: docs/%s is no chapter" % (rule, doc))
            continue
        with open(os.path.join(aq.ROOT, "docs", doc), encoding="utf-8") as fh:
            if path not in fh.read():
                found.append("%s: docs/%s never names %s" % (rule, doc, path))
    return found


# (bench, what, the chapter that explains it): rows as the benches print them
FAKE_ROWS = [
    ("allocators", "buddy order-0 alloc+free", "physical-memory.md"),
    ("page_ops", "memcpy / copy_page", "faults-and-cow.md"),
    ("rmap_walk", "k=16: VMAs visited by try_to_unmap", "rmap.md"),
    ("rmap_scheme", "mremap of 256 shared pages: new anonymous pages (copies)", "mremap.md"),
    ("rmap_scheme", "depth 10, parent's page: VMAs visited by page_referenced", "rmap.md"),
    ("swap", "swap-out through reclaim (rmap walk, unmap, write)", "reclaim.md"),
    ("swap", "swap-in per page, faulting sequentially with readahead", "swap-cache.md"),
    ("swap", "stress run time: swapping / enough RAM", "reclaim.md"),
    ("swap", "checksum pass, 80 MiB working set", "swap-cache.md"),
    ("disk", "raw sequential read, 4 KiB bios, DMA", "swap-format.md"),
    ("process", "getppid round trip", "syscalls.md"),
    ("process", "fork+exec(/bin/true)+exit+wait", "exec.md"),
    ("process", "fork+exit+wait (small process)", "processes.md"),
    ("fork", "eager copy / copy-on-write", "faults-and-cow.md"),
    ("mremap", "copy / mremap move", "mremap.md"),
    ("vma", "one-page mmap, n = 1000 mappings", "vma.md"),
    ("file", "mmap of a 64 MiB file read through, cold cache", "page-cache.md"),
    ("boot", "ISO / -kernel", "boot.md"),
]


def table_problems():
    """Each fake row that a runner's table does not give its chapter's number."""
    want = {(b, w): str(benchchapters.chapter_number(doc)) for b, w, doc in FAKE_ROWS}
    found = []
    text = run_bench.table([(b, w, "1", "us") for b, w, _ in FAKE_ROWS])
    for b, w, _ in FAKE_ROWS:
        line = next((l for l in text.splitlines() if l.startswith(b + " ") and w in l), "")
        if line.split()[-1:] != [want[(b, w)]]:
            found.append("make bench, %s | %s: %r, want chapter %s" % (b, w, line, want[(b, w)]))
    keys = [("256 MiB", b, w, "us") for b, w, _ in FAKE_ROWS]
    text = bench_linux.table({"linux": {k: [2.0] for k in keys},
                              "anvil": {k: [1.0] for k in keys}}, keys, "heading")
    for b, w, _ in FAKE_ROWS:
        line = next((l for l in text.splitlines() if "] %s: %s |" % (b, w) in l), "")
        if not line.endswith("| %s |" % want[(b, w)]):
            found.append("make bench-linux, %s: %s: %r, want chapter %s" % (
                b, w, line, want[(b, w)]))
    chapters = {str(n) for n in map(benchchapters.chapter_number,
                                    (r[1] for r in benchchapters.RMAP_CHAPTERS))}
    for line in rmapbench.markdown(fake_rmap_results(), []).splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if (line.startswith("| ") and not cells[0].startswith("**") and cells[0] and
                cells[-1] not in chapters):
            found.append("make bench-rmap, %s: chapter %r" % (cells[0], cells[-1]))
    for label in ("mremap, us", "pages copied (new anonymous pages)"):
        line = next((l for l in rmapbench.markdown(fake_rmap_results(), []).splitlines()
                     if l.startswith("| %s " % label)), "")
        if not re.search(r"\|\s*%d \|$" % benchchapters.chapter_number("mremap.md"), line):
            found.append("make bench-rmap, %s: %r, want mremap's chapter" % (label, line))
    return found


def result(Result, name, why):
    if isinstance(why, list):
        why = "; ".join(why)
    return Result("benchtables/" + name, not why, why + "\n" if why else "")


def suite_benchtables(Result):
    return [result(Result, "rmap_summary_matches_rows", rmap_summary_problems()),
            result(Result, "every_bench_has_a_chapter", unexplained_benches()),
            result(Result, "bench_chapters_name_their_rows", rule_problems()),
            result(Result, "tables_name_chapters", table_problems())]


def suites(Result):
    return [("benchtables", lambda: suite_benchtables(Result))]

#!/usr/bin/env python3
"""tools/rmapbench.py: the four rmap schemes measured side by side (issue 10).

As a script (`make bench-rmap`): each scheme's kernel (build/kernel.elf for
anon_vma, build/rmap-<scheme>/kernel.elf for the others) boots once with
bench=rmap_scheme (mm/rmap_scheme_bench.c) and once under the swap stress;
one table, a column per scheme and one for the chapter of the book that
explains each row (tools/benchchapters.py), goes to stdout and to
build/bench-rmap.md (markdown, for docs/rmap-schemes.md), and each section of
it as a bar chart to build/bench-rmap/NN-<section>.svg.  A scheme whose kernel is not built
shows "not built".  Absolute times depend on the host and on TCG; compare
the columns of one run.
As a suite of `make test` (loaded by tools/run-tests):
  benchrmap  bench=rmap_scheme runs on this kernel, prints every row the
             table needs, and its counts are sane.
"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anvil_qemu as aq  # noqa: E402
import benchchapters  # noqa: E402
import swaptests  # noqa: E402

SCHEMES = (aq.RMAP_DEFAULT,) + ("anon_vma_chain", "anonmm", "pte_chain")
TABLE = os.path.join(aq.BUILD, "bench-rmap.md")
BENCH = "rmap_scheme"
BENCH_SWAP_MB = 16           # the walks give a slot to each page they unmap
BOOT_TIMEOUT = 120
STRESS_TIMEOUT = 240
ROUNDS = 3                   # each scheme in turn, ROUNDS times: the fastest time counts
JSON_MARK = "rmapbench: "
ROW = r"^kbench: %s \| (.+?) \| (\d+) \| .+$" % BENCH

# the workloads of mm/rmap_scheme_bench.c
SHARERS = (1, 16, 128)
SHARED_PAGES = 256
DEPTHS = (1, 10, 100)
MREMAP_PAGES = 256
FORK_PAGES = 256
FORK_VMAS = 16


def sharers_key(k, what):
    return "k=%d sharers: %s" % (k, what)


def chain_key(d, page, what):
    return "depth %d, %s: %s" % (d, page, what)


FORK = "fork (dup_mm) of %d anon pages in %d VMAs" % (FORK_PAGES, FORK_VMAS)
EXIT = "exit (last mmput) of %d anon pages in %d VMAs" % (FORK_PAGES, FORK_VMAS)
MREMAP_TIME = "mremap of %d pages shared with the parent, by the child" % MREMAP_PAGES
MREMAP_COPIES = "mremap of %d shared pages: new anonymous pages (copies)" % MREMAP_PAGES
MREMAP_EVENT = "mremap of %d shared pages: the scheme's copy event" % MREMAP_PAGES
VERIFY = "rmap_verify violations"
STRESS_MS, STRESS_WALL = "swap stress ms", "swap stress wall s"
CHILD, PARENT = "deepest child's page", "parent's page"
UNMAP_VMAS, UNMAP_PTES = "VMAs visited by try_to_unmap", "PTEs examined by try_to_unmap"
REF_VMAS = "VMAs visited by page_referenced"
SIZES = ("sizeof(struct vm_area_struct)", "rmap fields in vm_area_struct",
         "sizeof(struct mm_struct)", "rmap fields in mm_struct")

# every row the kernel must print (MREMAP_EVENT only where the scheme has the event)
KERNEL_KEYS = (list(SIZES) +
               [sharers_key(k, w) for k in SHARERS
                for w in ("rmap bytes (slab + fields)", "mapped PTEs", "VMAs")] +
               [chain_key(d, p, w) for d in DEPTHS
                for p, w in ((CHILD, UNMAP_VMAS), (CHILD, UNMAP_PTES), (PARENT, UNMAP_VMAS),
                             (PARENT, UNMAP_PTES), (PARENT, REF_VMAS))] +
               [FORK, EXIT, MREMAP_TIME, MREMAP_COPIES, VERIFY])


# ---- measuring one scheme (a child process, ANVIL_RMAP=<scheme>) ----------

def kernel_rows():
    """Boot bench=rmap_scheme on aq.KERNEL: ({what: value}, problem or None)."""
    with tempfile.TemporaryDirectory() as d:
        swap = os.path.join(d, "swap.img")
        aq.make_swap_image(swap, BENCH_SWAP_MB)
        run = aq.boot("bench-rmap", append="bench=%s slab_debug=0 nolockdep swap=hdb" % BENCH,
                      timeout=BOOT_TIMEOUT, drives=["file=%s,format=raw,if=ide,index=1" % swap])
    rows = {m.group(1): int(m.group(2)) for m in re.finditer(ROW, run.log, re.M)}
    bad = swaptests.clean_log(run.log)
    if run.status != aq.EXIT_PASS or "kbench: done" not in run.log or bad:
        return rows, "bench boot: %s%s" % (run.describe(), "; " + bad if bad else "")
    return rows, None


def stress_rows():
    """The swap stress as the swap suite runs it: its own run time and the boot's wall time."""
    start = time.monotonic()
    run, text = swaptests.run(swaptests.STRESS, mem=swaptests.STRESS_MEM,
                              swap_mb=swaptests.SWAP_MB, cmdline="slab_debug=0 nolockdep",
                              timeout=STRESS_TIMEOUT)
    wall = time.monotonic() - start
    m = re.search(r"the stress ran (\d+) ms", text)
    if run.status != 0 or not m or "swapstress: ok" not in text:
        return {}, "swap stress: status %s %s %s" % (run.status, run.problem or "",
                                                    text.strip()[-200:])
    return {STRESS_MS: int(m.group(1)), STRESS_WALL: wall}, None


def measure_this_scheme():
    rows, problem = kernel_rows()
    if not problem:
        more, problem = stress_rows()
        rows.update(more)
    print(JSON_MARK + json.dumps({"rows": rows, "problem": problem}))
    return 0


def measure(scheme):
    """Run measure_this_scheme in a child whose anvil_qemu boots scheme's kernel."""
    env = dict(os.environ, ANVIL_RMAP=scheme)
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--this-scheme"], env=env,
                           capture_output=True, text=True)
    for line in child.stdout.splitlines():
        if line.startswith(JSON_MARK):
            got = json.loads(line[len(JSON_MARK):])
            return got["rows"], got["problem"]
    return {}, "no result: " + (child.stdout + child.stderr)[-300:]


TIMES = (FORK, EXIT, MREMAP_TIME, STRESS_MS, STRESS_WALL)


def merge(rows, more):
    """Another round's rows into rows: the fastest of each time; a count that changed is a
    problem (the workloads are deterministic)."""
    changed = [k for k in more if k in rows and k not in TIMES and more[k] != rows[k]]
    for k, v in more.items():
        rows[k] = min(rows[k], v) if k in TIMES and k in rows else v
    return "counts differ between rounds: %s" % changed if changed else None


def kernel_of(scheme):
    build = aq.BUILD if scheme == aq.RMAP_DEFAULT else os.path.join(aq.BUILD, "rmap-" + scheme)
    return os.path.join(build, "kernel.elf")


def built(scheme):
    """Its source is in the tree (aq.RMAP_OTHERS) and its kernel is built."""
    return ((scheme == aq.RMAP_DEFAULT or scheme in aq.RMAP_OTHERS) and
            os.path.exists(kernel_of(scheme)))


# ---- the table ---------------------------------------------------------------

def value(key):
    return lambda r: r.get(key)


def rmap_bytes(k, per):
    """The rmap bytes of k sharers per mapped PTE or per VMA."""
    def f(r):
        total, n = r.get(sharers_key(k, "rmap bytes (slab + fields)")), r.get(sharers_key(k, per))
        return total / n if total is not None and n else None
    return f


def total(*keys):
    return lambda r: sum(r[k] for k in keys) if all(k in r for k in keys) else None


def us(key):
    return lambda r: r[key] / 1000 if key in r else None


FORK_EXIT = total(FORK, EXIT)
STRESS = value(STRESS_MS)
DEEP_CHILD_VMAS = value(chain_key(DEPTHS[-1], CHILD, UNMAP_VMAS))
BYTES_PER_PAGE = rmap_bytes(SHARERS[-1], "mapped PTEs")

RELATIVE = "relative to %s (this column / the %s column)" % (aq.RMAP_DEFAULT, aq.RMAP_DEFAULT)
REL_BYTES = "rmap bytes per mapped page, %d sharers" % SHARERS[-1]
REL_DEEP_VMAS = "VMAs visited, d=%d, %s" % (DEPTHS[-1], CHILD)
REL_FORK_EXIT = "fork + exit time"
REL_MREMAP = "mremap time"


def ratio(x):
    """A ratio with two decimals; one below 0.1 with two significant digits, so that 1/101
    reads 0.0099, not 0.01."""
    return "%.2f" % x if x == 0 or abs(x) >= 0.1 else "%.2g" % x


# (label, f(rows) -> number or None, format: a %-format or a function); a label alone
# starts a section
ROWS = ([("memory: rmap bytes, from slab usage and struct sizes",)] +
        [(w + ", B", value(w), "%d") for w in SIZES] +
        [r for k in SHARERS for r in (
            ("%d sharer%s: rmap bytes per mapped page" % (k, "s" if k > 1 else ""),
             rmap_bytes(k, "mapped PTEs"), "%.2f"),
            ("%d sharer%s: rmap bytes per VMA" % (k, "s" if k > 1 else ""),
             rmap_bytes(k, "VMAs"), "%.1f"))] +
        [("walks after a fork chain of depth d (each child writes its own copy)",)] +
        [("d=%d, %s: %s" % (d, p, w), value(chain_key(d, p, w)), "%d") for d in DEPTHS
         for p, w in ((CHILD, UNMAP_VMAS), (CHILD, UNMAP_PTES), (PARENT, UNMAP_VMAS),
                      (PARENT, UNMAP_PTES), (PARENT, REF_VMAS))] +
        [("fork and exit of a process with %d anonymous pages in %d VMAs" % (
            FORK_PAGES, FORK_VMAS),),
         ("fork (dup_mm), us", us(FORK), "%.1f"),
         ("exit (last mmput), us", us(EXIT), "%.1f"),
         ("fork + exit, us", lambda r: FORK_EXIT(r) / 1000 if FORK_EXIT(r) else None, "%.1f"),
         ("mremap by a forked child of the %d pages it shares with its parent" % MREMAP_PAGES,),
         ("mremap, us", us(MREMAP_TIME), "%.1f"),
         ("pages copied (new anonymous pages)", value(MREMAP_COPIES), "%d"),
         ("pages copied (the scheme's event)", value(MREMAP_EVENT), "%d"),
         ("swap stress: 60 MiB touched on %d MiB RAM + %d MiB swap" % (
             swaptests.STRESS_MEM, swaptests.SWAP_MB),),
         ("stress run time, ms", STRESS, "%d"),
         ("boot to power-off (host wall time), s", value(STRESS_WALL), "%.1f"),
         ("check",),
         ("rmap_verify violations after the bench", value(VERIFY), "%d"),
         (RELATIVE,),
         (REL_BYTES, ("rel", BYTES_PER_PAGE), ratio),
         (REL_DEEP_VMAS, ("rel", DEEP_CHILD_VMAS), ratio),
         (REL_FORK_EXIT, ("rel", FORK_EXIT), ratio),
         (REL_MREMAP, ("rel", value(MREMAP_TIME)), ratio),
         ("swap stress run time", ("rel", STRESS), ratio)])

# The summary under the table: (scheme, label of a row of the RELATIVE section).  Each line
# repeats that row's cell, so it states the same ratio in the same direction (scheme /
# anon_vma).
SUMMARY = [
    ("anon_vma_chain", REL_DEEP_VMAS),
    ("pte_chain", REL_BYTES),
    ("anonmm", REL_MREMAP),
    ("anon_vma_chain", REL_FORK_EXIT),
]

NOTES = """\
How each number is measured (mm/rmap_scheme_bench.c, tools/rmapbench.py):
- rmap bytes = the rise in anon_rmap_slab_bytes() (the scheme's slab objects: active objects x
  slab stride) + new VMAs x rmap fields per VMA + new mms x rmap fields per mm, while a process
  maps %(pages)d anonymous pages in one VMA, touches them all and forks k-1 children; per mapped
  page divides by the PTEs mapping them (%(pages)d x k), per VMA by the VMAs created (k; the
  counts from /proc/slabinfo's vm_area_struct and mm_struct caches).  rmap fields are the bytes
  between vm_area_struct's shared and vm_ops and after mm_struct's nr_ptes, where
  anvil/mm_types.h puts each scheme's fields; sizeof is the slab cache's object size, and the
  rest of each struct is checked to be the same size in every kernel measured.
- Walks: the rise in /proc/vmstat's rmap_walk_vmas (one per VMA a walk visits) and rmap_walk_ptes
  (one per page table looked into) across one call.  The chain: a process touches a page, forks;
  each child writes its own copy and forks the next, d forks in all.  The deepest child's page
  is the copy the last child wrote; the parent's page is the original, which no child maps any
  more.  try_to_unmap stops once the last PTE is gone; page_referenced (which reclaim calls
  first) walks everything.
- Every kernel boots %(rounds)d times, the schemes in turn; a time is the fastest seen (a busy
  host only adds time), a count must be the same every time.
- fork and exit: dup_mm of a process with %(fork)d touched anonymous pages in %(vmas)d VMAs and the
  last mmput of the copy, the fastest of 32 in each boot, TSC in ns.
- mremap: a process touches %(mremap)d pages and forks; the child moves the whole region
  (MREMAP_MAYMOVE|MREMAP_FIXED), the fastest of 8 in each boot.  Pages copied = the rise in
  nr_anon_pages during the call, and the scheme's own event (anonmm_mremap_copies) where the
  kernel has one.
- Swap stress: user/stress/swapstress as the swap suite runs it (%(mem)d MiB RAM, %(swap)d MiB
  swap, slab_debug=0), once per round; its run time is its own CLOCK_MONOTONIC from fork to
  wait, the wall time the host's from QEMU's start to its exit.
""" % {"pages": SHARED_PAGES, "fork": FORK_PAGES, "vmas": FORK_VMAS, "mremap": MREMAP_PAGES,
       "mem": swaptests.STRESS_MEM, "swap": swaptests.SWAP_MB, "rounds": ROUNDS}


def number(spec, rows, results):
    """A row's value for one scheme as a number, or None (not built, not measured)."""
    label, f, fmt = spec
    if rows is None:
        return None
    if isinstance(f, tuple):
        base = results.get(aq.RMAP_DEFAULT)
        num, den = f[1](rows), f[1](base) if base else None
        return num / den if num is not None and den else None
    return f(rows)


def shown(spec, v):
    """v as the row's format shows it (a %-format or a function)."""
    return spec[2](v) if callable(spec[2]) else spec[2] % v


def cell(spec, rows, scheme, results):
    if rows is None:
        return "not built"
    v = number(spec, rows, results)
    return "-" if v is None else shown(spec, v)


def summary_lines(results):
    """The lines under the table, each the cell of a RELATIVE row it names."""
    specs = {spec[0]: spec for spec in ROWS}
    lines = []
    for scheme, label in SUMMARY:
        text = cell(specs[label], results.get(scheme), scheme, results)
        if text in ("-", "not built"):
            text = "(needs both kernels)"
        lines.append("- %s / %s, %s: %s" % (scheme, aq.RMAP_DEFAULT, label, text))
    return lines


def layout_problem(results):
    """The non-rmap part of each struct must be the same size in every kernel."""
    for struct, fields in ((SIZES[0], SIZES[1]), (SIZES[2], SIZES[3])):
        rest = {s: r[struct] - r[fields] for s, r in results.items()
                if r and struct in r and fields in r}
        if len(set(rest.values())) > 1:
            return "%s without its rmap fields differs between kernels: %s" % (struct, rest)
    return None


def markdown(results, problems):
    """The table, a column per scheme and the chapter that explains each row, then
    SUMMARY and NOTES."""
    header = [""] + list(SCHEMES) + ["chapter"]
    lines = [header]
    section = ""
    for spec in ROWS:
        if len(spec) == 1:
            section = spec[0]
            lines.append(["**%s**" % spec[0]] + [""] * (len(SCHEMES) + 1))
        else:
            lines.append([spec[0]] + [cell(spec, results.get(s), s, results) for s in SCHEMES] +
                         [benchchapters.rmap_chapter(section, spec[0])])
    widths = [max(len(l[i]) for l in lines) for i in range(len(header))]
    out = ["| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(l, widths))) + " |" for l in lines]
    out.insert(1, "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":")
                                 for i, w in enumerate(widths)) + "|")
    rev = subprocess.run(["git", "-C", aq.ROOT, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip() or "unknown"
    text = ["`make bench-rmap`, one run: git %s, %s, QEMU accel=%s." % (
        rev, datetime.date.today().isoformat(), aq.ACCEL), ""] + out + [""]
    text += summary_lines(results)
    text += [""] + NOTES.splitlines()
    text += ["", "Problems:"] + ["- " + p for p in problems] if problems else []
    return "\n".join(text) + "\n"


# ---- the charts: one SVG per section of the table --------------------------------

CHARTS = os.path.join(aq.BUILD, "bench-rmap")
SCHEME_COLOURS = {"anon_vma": "#4e79a7", "anon_vma_chain": "#f28e2b", "anonmm": "#59a14f",
                  "pte_chain": "#e15759"}
CHART_WIDTH, LABEL_WIDTH, BAR_WIDTH = 900, 420, 380   # px: the row labels, then the bars
BAR_HEIGHT, ROW_GAP, TOP = 14, 12, 60
MARGIN, LEGEND_STEP, LEGEND_Y, SWATCH = 10, 170, 32, 12     # px: the legend above the rows
CHART_NAME_WORDS = 4


def sections():
    """[(title, [row spec])] of ROWS, in order."""
    out = []
    for spec in ROWS:
        if len(spec) == 1:
            out.append((spec[0], []))
        else:
            out[-1][1].append(spec)
    return out


def xml_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart_svg(title, specs, results):
    """One section as a horizontal bar chart: a group of bars per row, one per scheme, each
    row scaled to its own largest value (rows measure different things), the value printed."""
    schemes = [s for s in SCHEMES if results.get(s) is not None]
    group = len(schemes) * BAR_HEIGHT + ROW_GAP
    height = TOP + len(specs) * group + 2 * MARGIN
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="monospace" font-size="11">' % (CHART_WIDTH, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text class="title" x="%d" y="%d" font-size="13" font-weight="bold">%s</text>'
           % (MARGIN, 2 * MARGIN, xml_text(title))]
    for i, s in enumerate(schemes):
        x = MARGIN + i * LEGEND_STEP
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>'
                   '<text x="%d" y="%d">%s</text>' % (x, LEGEND_Y, SWATCH, SWATCH,
                                                      SCHEME_COLOURS[s], x + SWATCH + 4,
                                                      LEGEND_Y + SWATCH - 2, s))
    for r, spec in enumerate(specs):
        y = TOP + r * group
        values = {s: number(spec, results[s], results) for s in schemes}
        top = max([abs(v) for v in values.values() if v is not None] + [0])
        out.append('<text class="row" x="%d" y="%d">%s</text>' % (
            MARGIN, y + len(schemes) * BAR_HEIGHT // 2 + 4, xml_text(spec[0])))
        for i, s in enumerate(schemes):
            v, by = values[s], y + i * BAR_HEIGHT
            width = BAR_WIDTH * abs(v) / top if v is not None and top else 0
            if v is not None:
                out.append('<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" fill="%s">'
                           '<title>%s: %s</title></rect>' % (
                               LABEL_WIDTH, by, width, BAR_HEIGHT - 2, SCHEME_COLOURS[s], s,
                               shown(spec, v)))
            out.append('<text x="%.1f" y="%d" font-size="10">%s</text>' % (
                LABEL_WIDTH + width + 4, by + BAR_HEIGHT - 4,
                shown(spec, v) if v is not None else "-"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def slug(title):
    """A file name from a section's title: its first words before any colon or bracket."""
    words = re.findall(r"[a-z0-9]+", re.split(r"[:(]", title.lower())[0])
    return "-".join(words[:CHART_NAME_WORDS])


def charts(results, directory=CHARTS):
    """Write one SVG per section of the table into directory; return their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for n, (title, specs) in enumerate(sections()):
        path = os.path.join(directory, "%02d-%s.svg" % (n + 1, slug(title)))
        with open(path, "w") as f:
            f.write(chart_svg(title, specs, results))
        paths.append(path)
    return paths


def main(argv):
    if argv[1:] == ["--this-scheme"]:
        return measure_this_scheme()
    results = {s: {} if built(s) else None for s in SCHEMES}
    problems = []
    for s in SCHEMES:
        if results[s] is None:
            print("%s: not built (make RMAP=%s)" % (s, s), file=sys.stderr)
    # round-robin, so that a busy spell on the host does not fall on one scheme alone
    for round_ in range(ROUNDS):
        for scheme in (s for s in SCHEMES if results[s] is not None):
            start = time.monotonic()
            rows, problem = measure(scheme)
            problem = problem or merge(results[scheme], rows)
            print("%s: round %d in %.0f s" % (scheme, round_ + 1, time.monotonic() - start),
                  file=sys.stderr)
            if problem:
                problems.append("%s, round %d: %s" % (scheme, round_ + 1, problem))
    layout = layout_problem(results)
    if layout:
        problems.append(layout)
    text = markdown(results, problems)
    with open(TABLE, "w") as f:
        f.write(text)
    print(text, end="")
    charts(results)
    print("(written to %s; a chart per section in %s/)" % (
        os.path.relpath(TABLE, aq.ROOT), os.path.relpath(CHARTS, aq.ROOT)), file=sys.stderr)
    return 1 if problems else 0


# ---- the make test suite -------------------------------------------------------

def sanity(rows):
    """[(check, ok, detail)] on one kernel's rows."""
    checks = [("rows_present", all(k in rows for k in KERNEL_KEYS),
               "missing: %s" % [k for k in KERNEL_KEYS if k not in rows])]
    get = lambda k: rows.get(k, -1)  # noqa: E731
    checks.append(("sharers_counted", all(
        get(sharers_key(k, "mapped PTEs")) == k * SHARED_PAGES and
        get(sharers_key(k, "VMAs")) == k for k in SHARERS), str(rows)))
    checks.append(("rmap_bytes_grow_with_sharers",
                   get(sharers_key(SHARERS[-1], "rmap bytes (slab + fields)")) >
                   max(0, get(sharers_key(SHARERS[0], "rmap bytes (slab + fields)"))), str(rows)))
    # anon_vma's list holds every VMA of the chain; any scheme visits at least the one mapping
    want = (lambda d: d + 1) if aq.RMAP == "anon_vma" else (lambda d: 1)
    checks.append(("walks_visit_the_chain", all(
        get(chain_key(d, CHILD, UNMAP_VMAS)) >= want(d) and
        get(chain_key(d, PARENT, REF_VMAS)) >= want(d) and
        get(chain_key(d, CHILD, UNMAP_PTES)) >= 1 for d in DEPTHS), str(rows)))
    checks.append(("times_measured", all(get(k) > 0 for k in (FORK, EXIT, MREMAP_TIME)),
                   str(rows)))
    checks.append(("mremap_copies_at_most_the_region",
                   0 <= get(MREMAP_COPIES) <= MREMAP_PAGES and
                   (aq.RMAP != "anon_vma" or get(MREMAP_COPIES) == 0), str(rows)))
    checks.append(("rmap_verify_clean", get(VERIFY) == 0, str(rows)))
    return checks


def suite_benchrmap(Result):
    rows, problem = kernel_rows()
    results = [Result("benchrmap/boot", problem is None, problem or "")]
    return results + [Result("benchrmap/" + name, bool(ok), "" if ok else detail[-500:])
                      for name, ok, detail in sanity(rows)]


def suites(Result):
    return [("benchrmap", lambda: suite_benchrmap(Result))]


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The benchtables suite of `make test` (loaded by tools/run-tests): what the
benchmark tables say besides their numbers, checked on small fake tables
(nothing is booted, nothing is measured).

benchtables/rmap_summary_matches_rows: each line under `make bench-rmap`'s
       table (tools/rmapbench.py) states the same ratio, in the same
       direction (scheme / anon_vma), as the row of the "relative to
       anon_vma" section it names.
"""

import re

import rmapbench


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
        if line.startswith("|") and len(cells) == len(schemes) + 1:
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


def suite_benchtables(Result):
    why = rmap_summary_problems()
    return [Result("benchtables/rmap_summary_matches_rows", not why, why + "\n" if why else "")]


def suites(Result):
    return [("benchtables", lambda: suite_benchtables(Result))]

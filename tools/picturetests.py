"""The pictures suite of `make test` (loaded by tools/run-tests): issue 23's drawings.

pictures:  `make figures` renders every docs/figures/*.dot without a complaint from
           Graphviz and draws a live fork family with /bin/rmapdot on anvil (one
           boot: the page, three VMAs in three processes, three PTEs); each figure is
           linked from the chapter it names; what a figure says of the source -- field,
           function and struct names, PG_ bit numbers and flags values, the swap entry's
           bit ranges -- is checked against the source, so it cannot go stale; and
           GDB's rmap-dot draws a file page (a program's text, through i_mmap); and
           tools/rmapbench.py draws a chart per section of a small made-up table.
GDB's rmap-dot and pageflags are tested on an anonymous page under each rmap scheme by
the gdbswap suite (tools/swaptests.py), with RMAP_OBJECT and dot_drawn below.
"""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import anvil_qemu as aq

FIGURES = os.path.join(aq.ROOT, "docs", "figures")
FIGURES_OUT = os.path.join(aq.BUILD, "figures")
LIVE = os.path.join(FIGURES_OUT, "fork-family-live")
LIVE_CHILDREN = 2                  # the Makefile's rmapdot --fork 2
SOURCE_DIRS = ("include", "mm", "kernel", "arch", "lib")

# what GDB's rmap-dot draws between a page and its VMAs under each scheme
RMAP_OBJECT = {"anon_vma": "struct anon_vma ", "anon_vma_chain": "struct anon_vma_chain ",
               "anonmm": "struct anonmm ", "pte_chain": "pte_chain"}


def dot_drawn(path):
    """(the DOT text at path, whether Graphviz renders it to SVG without complaint)."""
    if not os.path.exists(path):
        return "", False
    with open(path) as f:
        text = f.read()
    if not shutil.which("dot"):
        return text, False          # tools/install-deps installs graphviz
    r = subprocess.run(["dot", "-Tsvg", "-o", os.devnull, path], capture_output=True, text=True)
    return text, r.returncode == 0 and not r.stderr.strip()


def source_words():
    """(every identifier of the kernel's C sources, every struct they define)."""
    words, structs = set(), set()
    for d in SOURCE_DIRS:
        for path in glob.glob(os.path.join(aq.ROOT, d, "**", "*.[ch]"), recursive=True):
            with open(path, errors="replace") as f:
                text = f.read()
            words.update(re.findall(r"\b\w+\b", text))
            structs.update(re.findall(r"\bstruct (\w+) \{", text))
    return words, structs


def header_define(header, name):
    with open(os.path.join(aq.ROOT, header)) as f:
        return int(re.search(r"^#define %s (\d+)" % name, f.read(), re.M).group(1))


def page_flag_bits():
    """{"locked": 0, ...}: enum pageflags in include/anvil/page-flags.h, in order."""
    with open(os.path.join(aq.ROOT, "include", "anvil", "page-flags.h")) as f:
        enum = re.search(r"enum pageflags \{(.*?)\};", f.read(), re.S).group(1)
    return {n: i for i, n in enumerate(re.findall(r"^\s*PG_(\w+),", enum, re.M))}


def labels(dot):
    """The text a figure shows: its label="..." strings and <...> HTML labels, tags removed."""
    quoted = re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)
    html = [re.sub(r"<[^>]*>", " ", h) for h in re.findall(r"label=<(.*?)>\];", dot, re.S)]
    return "\n".join(quoted + html).replace("&gt;", ">").replace("&lt;", "<").replace("\\n", "\n")


def stale_facts(text, words, structs, bits):
    """What a figure's text says that the source does not."""
    wrong = ["%s: not in the source" % w for w in sorted(set(re.findall(r"\b\w*_\w*\b", text)))
             if not w.strip("_").isdigit() and w not in words]
    wrong += ["struct %s: not defined" % s for s in set(re.findall(r"\bstruct (\w+)", text))
              if s not in structs]
    wrong += ["PG_%s is bit %s, not %s" % (n, bits.get(n), b)
              for n, b in re.findall(r"\bPG_(\w+) \(bit (\d+)\)", text) if bits.get(n) != int(b)]
    for value, names in re.findall(r"\b(0x[0-9a-f]+): ([a-z][a-z ]*[a-z])", text):
        want = sum(1 << bits[n] for n in names.split() if n in bits)
        if any(n not in bits for n in names.split()) or int(value, 16) != want:
            wrong.append("flags %s: %s is %#x" % (value, names, want))
    swap_h = "include/anvil/swap.h"
    type_shift, type_bits = (header_define(swap_h, "SWP_TYPE_SHIFT"),
                             header_define(swap_h, "SWP_TYPE_BITS"))
    offset_shift = header_define(swap_h, "SWP_OFFSET_SHIFT")
    for field, lo, hi in re.findall(r"\b(offset|type) \(bits (\d+)-(\d+)\)", text):
        want = ((offset_shift, 31) if field == "offset" else
                (type_shift, type_shift + type_bits - 1))
        if (int(lo), int(hi)) != want:
            wrong.append("%s is bits %d-%d" % (field, want[0], want[1]))
    for shift, mask in re.findall(r"swp_type\(e\) = \(e\.val >> (\d+)\) & (0x[0-9a-f]+)", text):
        if (int(shift), int(mask, 16)) != (type_shift, (1 << type_bits) - 1):
            wrong.append("swp_type's shift or mask")
    for shift in re.findall(r"swp_offset\(e\) = e\.val >> (\d+)", text):
        if int(shift) != offset_shift:
            wrong.append("swp_offset's shift")
    return wrong


def chapter_links(name, dot):
    """Problems with how the chapter a figure names (its first line: // docs/X.md) links it."""
    m = re.match(r"// (docs/[\w-]+\.md)", dot)
    if not m:
        return ["its first line names no chapter (// docs/X.md)"]
    with open(os.path.join(aq.ROOT, m.group(1))) as f:
        chapter = f.read()
    link = "](figures/%s.dot)" % name
    return [] if link in chapter else ["%s has no link %s" % (m.group(1), link)]


def suite_figures(Result):
    # what make figures draws, made anew (gdbswap keeps its rmap-live.* beside them)
    for path in glob.glob(os.path.join(FIGURES_OUT, "*")):
        if not os.path.basename(path).startswith("rmap-live."):
            os.remove(path)
    make = subprocess.run(["make", "-s", "-C", aq.ROOT, "figures"], capture_output=True,
                          text=True, timeout=180)
    results = [Result("pictures/make_figures", make.returncode == 0,
                      (make.stdout + make.stderr)[-800:])]
    words, structs = source_words()
    bits = page_flag_bits()
    for path in sorted(glob.glob(os.path.join(FIGURES, "*.dot"))):
        name = os.path.basename(path)[:-4]
        dot, renders = dot_drawn(path)
        svg = os.path.join(FIGURES_OUT, name + ".svg")
        results.append(Result("pictures/%s_renders" % name, renders and os.path.exists(svg),
                              "dot complains, or make figures made no %s" % svg))
        problems = chapter_links(name, dot)
        results.append(Result("pictures/%s_linked_from_its_chapter" % name, not problems,
                              "; ".join(problems)))
        wrong = stale_facts(labels(dot), words, structs, bits)
        results.append(Result("pictures/%s_says_what_the_source_says" % name, not wrong,
                              "; ".join(wrong)))
    # the live fork family: rmapdot --fork 2 on anvil, a page and its three mappings
    live, renders = dot_drawn(LIVE + ".dot")
    ptes = re.findall(r"^  (pte_\d+_[0-9a-f]+) \[", live, re.M)
    mms = set(re.findall(r"^  (mm_\d+) \[", live, re.M))
    ok = (renders and os.path.exists(LIVE + ".svg") and len(ptes) == LIVE_CHILDREN + 1 and
          len(mms) == LIVE_CHILDREN + 1 and "kpagecount %d" % (LIVE_CHILDREN + 1) in live and
          "KPF_ANON" in live and live.count("page -> vma_") == LIVE_CHILDREN + 1)
    results.append(Result("pictures/rmapdot_draws_a_live_fork_family", ok, live[-800:]))
    return results


# GDB's rmap-dot on a file page: the text page of a program as it exits, reached from the
# page through its address_space's i_mmap (the same in every scheme)
FILE_PAGE_SCRIPT = r"""
break do_exit
continue
python
import anvil
VM_EXEC = 0x4
vma = anvil.current_task()["mm"]["mmap"]
while not (anvil.u32(vma["vm_file"]) and int(vma["vm_flags"]) & VM_EXEC):
    vma = vma["vm_next"]
_, pte = anvil.pte_of(anvil.current_task()["mm"], anvil.u32(vma["vm_start"]))
gdb.execute("rmap-dot %d @DOT@" % (pte >> anvil.PAGE_SHIFT))
end
kill
"""
TRUE = os.path.join(aq.BUILD, "rootfs", "bin", "true")


def suite_gdb_file_page(Result):
    import swaptests       # not at the top: swaptests imports this module
    with tempfile.TemporaryDirectory() as d:
        script, dot = os.path.join(d, "file.gdb"), os.path.join(d, "file.dot")
        with open(script, "w") as f:
            f.write(FILE_PAGE_SCRIPT.replace("@DOT@", dot))
        out = swaptests.gdb_under_run_elf(script, [TRUE], timeout=120)
        text, renders = dot_drawn(dot)
    ok = (renders and "struct address_space" in text and '[label="i_mmap"]' in text and
          "maps this page" in text)
    return [Result("pictures/gdb_rmap_dot_draws_a_file_page", ok, (text or out)[-800:])]


def fake_results():
    """A made-up bench-rmap table: every row measured for three schemes, one not built."""
    import rmapbench
    rows = {k: 1000 + 37 * i for i, k in enumerate(rmapbench.KERNEL_KEYS)}
    rows.update({rmapbench.STRESS_MS: 4000, rmapbench.STRESS_WALL: 20.5, rmapbench.VERIFY: 0})
    results = {s: {k: v * (1 + n) for k, v in rows.items()}
               for n, s in enumerate(rmapbench.SCHEMES)}
    results[rmapbench.SCHEMES[-1]] = None
    return rmapbench, results


def suite_charts(Result):
    """tools/rmapbench.py's charts, drawn from a small made-up table (no boot)."""
    rmapbench, results = fake_results()
    sections = rmapbench.sections()
    built = [s for s in rmapbench.SCHEMES if results[s] is not None]
    problems = []
    with tempfile.TemporaryDirectory() as d:
        paths = rmapbench.charts(results, d)
        if len(paths) != len(sections):
            problems.append("%d charts for %d sections" % (len(paths), len(sections)))
        for path, (title, specs) in zip(paths, sections):
            try:
                svg = ET.parse(path).getroot()
            except ET.ParseError as e:
                problems.append("%s: %s" % (path, e))
                continue
            ns = "{http://www.w3.org/2000/svg}"
            texts = [t.text for t in svg.iter(ns + "text")]
            bars = [r for r in svg.iter(ns + "rect") if r.get("class") == "bar"]
            if svg.tag != ns + "svg" or title not in texts:
                problems.append("%s: not an SVG titled %r" % (os.path.basename(path), title))
            measured = sum(1 for spec in specs for sch in built
                           if rmapbench.number(spec, results[sch], results) is not None)
            if not measured or len(bars) != measured:
                problems.append("%s: %d bars for %d values" % (
                    os.path.basename(path), len(bars), measured))
            if any(s in texts for s in rmapbench.SCHEMES if s not in built):
                problems.append("%s: a scheme not built has a legend" % os.path.basename(path))
    return [Result("pictures/bench_rmap_chart_per_section", not problems, "; ".join(problems))]


def suites(Result):
    return [("pictures", lambda: suite_figures(Result) + suite_gdb_file_page(Result) +
             suite_charts(Result))]

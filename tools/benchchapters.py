"""tools/benchchapters.py: the chapter of the book that explains each benchmark row.

A row of `make bench` (tools/run-bench) or `make bench-linux` (tools/bench-linux) is
"bench | what | value | unit"; a row of `make bench-rmap` (tools/rmapbench.py) is a label
under a section heading.  Each table has a chapter column, from the rules below: the
first rule whose bench (or section) and pattern match gives the chapter's file in docs/,
and the number is read from that file's heading ("# Chapter N: title"), so it cannot go
stale.  Each rule also names the code path the row exercises; the benchtables suite
checks that the chapter names it, and that every bench the sources print has a rule.
"""

import os
import re

import anvil_qemu as aq

# (bench, pattern searched in what or None for the bench's other rows, chapter file,
#  the code path the chapter names)
ROW_CHAPTERS = [
    ("allocators", None, "physical-memory.md", "mm/alloc_bench.c"),
    ("page_ops", "copy", "faults-and-cow.md", "do_wp_page"),     # copy_page: COW's copy
    ("page_ops", None, "faults-and-cow.md", "__GFP_ZERO"),       # clear_page: a zeroed page
    ("rmap_walk", None, "rmap.md", "mm/rmap_bench.c"),
    ("rmap_file_walk", None, "rmap.md", "mm/rmap_bench.c"),
    ("rmap_scheme", "mremap", "mremap.md", "move_page_tables"),  # make bench-rmap's rows
    ("rmap_scheme", None, "rmap.md", "try_to_unmap"),
    ("swap", "swap-in|read back|checksum", "swap-cache.md", "do_swap_page"),
    ("swap", "stress", "reclaim.md", "swapstress"),
    ("swap", None, "reclaim.md", "shrink_page_list"),
    ("disk", None, "swap-format.md", "kernel/block_bench.c"),
    ("process", "getppid", "syscalls.md", "getppid"),
    ("process", "exec", "exec.md", "user/bench/vmbench.c"),
    ("process", None, "processes.md", "dup_mm"),
    ("fork", None, "faults-and-cow.md", "copy_page_range"),
    ("cow", None, "faults-and-cow.md", "do_wp_page"),
    ("fault", None, "faults-and-cow.md", "do_anonymous_page"),
    ("smp", "mprotect|shootdown", "faults-and-cow.md", "flush_tlb_range"),
    ("smp", None, "faults-and-cow.md", "do_anonymous_page"),
    ("mremap", None, "mremap.md", "move_page_tables"),
    ("vma", None, "vma.md", "get_unmapped_area"),
    ("file", "mmap|MAP_SHARED", "page-cache.md", "i_mmap"),
    ("file", "write", "page-cache.md", "fsync"),
    ("file", None, "page-cache.md", "generic_file_read"),
    ("boot", None, "boot.md", "GRUB"),
]

# make bench-rmap: (pattern searched in "section: label", chapter file, code path); the
# first that matches
RMAP_CHAPTERS = [
    ("mremap", "mremap.md", "move_page_tables"),
    ("stress", "reclaim.md", "swapstress"),
    ("rmap_verify", "rmap.md", "rmap_verify"),
    ("walks|VMAs visited|PTEs examined", "rmap.md", "try_to_unmap"),
    ("fork|exit", "rmap.md", "anon_vma_link"),
    ("", "rmap.md", "vm_area_struct"),            # memory: rmap bytes and struct sizes
]


def chapter_number(doc):
    """N of docs/doc's heading "# Chapter N: title", or None."""
    try:
        with open(os.path.join(aq.ROOT, "docs", doc), encoding="utf-8") as fh:
            m = re.match(r"# Chapter (\d+): ", fh.readline())
    except OSError:
        return None
    return int(m.group(1)) if m else None


def row_rule(bench, what):
    """The rule of ROW_CHAPTERS for a row, or None."""
    return next((r for r in ROW_CHAPTERS if r[0] == bench and
                 (r[1] is None or re.search(r[1], what))), None)


def row_chapter(bench, what):
    """The chapter column of a make bench or make bench-linux row: its number, or "?"."""
    rule = row_rule(bench, what)
    n = chapter_number(rule[2]) if rule else None
    return "?" if n is None else str(n)


def rmap_rule(section, label):
    text = "%s: %s" % (section, label)
    return next(r for r in RMAP_CHAPTERS if re.search(r[0], text))


def rmap_chapter(section, label):
    """The chapter column of a make bench-rmap row."""
    n = chapter_number(rmap_rule(section, label)[1])
    return "?" if n is None else str(n)

"""The anon_vma scheme's half of the GDB `rmap` command (tools/gdb/anvil.py,
mm/rmap_anon_vma.c): an anonymous page's mapping points, with bit 0 set, to
its anon_vma, whose head lists every VMA that may map the page; each maps it,
if at all, at vma_address()."""

PAGE_MAPPING_ANON = 1
VMA_EDGE = "head: anon_vma_node"     # rmap-dot's label of the step to a VMA


def anon_vma(page, h):
    return h.val("(struct anon_vma *)%#x" % (h.u32(page["mapping"]) & ~PAGE_MAPPING_ANON))


def describe(page, h):
    return "anon_vma %#x" % h.u32(anon_vma(page, h))


def candidates(page, h):
    """The VMAs on the anon_vma's list, in rmap_walk_anon's order, each with its address."""
    return [(vma, h.vma_address(page, vma) or None)
            for vma in h.list_entries(anon_vma(page, h)["head"], "struct vm_area_struct",
                                      "anon_vma_node")]


def graph(page, h):
    """For rmap-dot: each candidate with the rmap objects on the way from the page to it."""
    av = anon_vma(page, h)
    obj = [(h.u32(av), "struct anon_vma %#x" % h.u32(av), "mapping & ~1")]
    return [(obj, vma, addr) for vma, addr in candidates(page, h)]

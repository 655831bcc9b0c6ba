"""The `rmap` GDB command's half for the anon_vma_chain scheme (mm/rmap_anon_vma_chain.c).

An anonymous page's mapping is its anon_vma | PAGE_MAPPING_ANON; the anon_vma's
head lists struct anon_vma_chain links (same_anon_vma), each naming a VMA that may
map the page at vma_address().  tools/gdb/anvil.py imports this module by the
kernel's rmap_scheme string and passes the helper object h.
"""

PAGE_MAPPING_ANON = 1
VMA_EDGE = "vma"                     # rmap-dot's label of the step to a VMA


def _anon_vma(page, h):
    return h.val("(struct anon_vma *)%#x" % (h.u32(page["mapping"]) & ~PAGE_MAPPING_ANON))


def _links(anon_vma, h):
    return list(h.list_entries(anon_vma["head"], "struct anon_vma_chain", "same_anon_vma"))


def describe(page, h):
    """One line: the page's anon_vma, its family's root, and how many VMAs it lists."""
    anon_vma = _anon_vma(page, h)
    root = h.u32(anon_vma["root"])
    what = "the root" if root == h.u32(anon_vma) else "root %#x" % root
    return "anonymous: anon_vma %#x (%s), %d anon_vma_chain link(s)" % (
        h.u32(anon_vma), what, len(_links(anon_vma, h)))


def candidates(page, h):
    """What rmap_walk_anon(page) visits, in order: each link's VMA and its address."""
    result = []
    for avc in _links(_anon_vma(page, h), h):
        vma = avc["vma"]
        result.append((vma, h.vma_address(page, vma) or None))
    return result


def graph(page, h):
    """For rmap-dot: page -> anon_vma -> one anon_vma_chain link per VMA."""
    anon_vma = _anon_vma(page, h)
    root = h.u32(anon_vma["root"])
    av = (h.u32(anon_vma), "struct anon_vma %#x\\n%s" % (
        h.u32(anon_vma), "root (itself)" if root == h.u32(anon_vma) else "root %#x" % root),
        "mapping & ~1")
    return [([av, (h.u32(avc), "struct anon_vma_chain %#x" % h.u32(avc), "head")],
             avc["vma"], h.vma_address(page, avc["vma"]) or None)
            for avc in _links(anon_vma, h)]

"""The `rmap` GDB command's half for RMAP=pte_chain (mm/rmap_pte_chain.c).

An anonymous page's index is its only PTE's address with bit 0 set (direct),
or the head of a chain of struct pte_chain blocks (NRPTE PTE pointers and
next; the head block's slots [0, first) are empty).  A PTE pointer leads
back to (mm, address) through its page table's struct page: mapping = the
mm, index = the first address the table maps.  rmap_walk_anon visits the
head block from its first used slot up, then each block after it.
tools/gdb/anvil.py imports this module by the kernel's rmap_scheme string
and passes `h`.
"""

PAGE_SHIFT = 12
PAGE_OFFSET = 0xC0000000
PTE_CHAIN_DIRECT = 1
PTE_SIZE = 4
VMA_EDGE = "ptes[]: table's page -> mm, find_vma"   # rmap-dot's label of the step to a VMA


def _blocks(page, h):
    """The chain's blocks, head first (none for a direct or unmapped page)."""
    index = h.u32(page["index"])
    blocks = []
    while index and not index & PTE_CHAIN_DIRECT:
        pc = h.val("(struct pte_chain *)%#x" % index)
        blocks.append(pc)
        index = h.u32(pc["next"])
    return blocks


def _ptes(page, h):
    """The PTE addresses the page's record holds, in the walk's order."""
    index = h.u32(page["index"])
    if index & PTE_CHAIN_DIRECT:
        return [index & ~PTE_CHAIN_DIRECT]
    ptes = []
    for pc in _blocks(page, h):
        slots = pc["ptes"]
        lo, hi = slots.type.range()
        ptes += [h.u32(slots[i]) for i in range(lo, hi + 1) if h.u32(slots[i])]
    return ptes


def _owner(ptep, h):
    """(mm, address) of the PTE at ptep, from its page table's struct page."""
    table = h.val("&mem_map[%d]" % ((ptep - PAGE_OFFSET) >> PAGE_SHIFT))
    mm = h.val("(struct mm_struct *)%#x" % h.u32(table["mapping"]))
    slot = (ptep & ((1 << PAGE_SHIFT) - 1)) // PTE_SIZE
    return mm, h.u32(table["index"]) + (slot << PAGE_SHIFT)


def describe(page, h):
    index = h.u32(page["index"])
    if index & PTE_CHAIN_DIRECT:
        ptep = index & ~PTE_CHAIN_DIRECT
        mm, address = _owner(ptep, h)
        return "anonymous: pte_chain direct, PTE %#x (mm %#x address %#010x)" % (
            ptep, h.u32(mm), address)
    if not index:
        return "anonymous: pte_chain records no PTE (not mapped)"
    return "anonymous: pte_chain at %#x, %d PTEs in %d blocks" % (
        index, len(_ptes(page, h)), len(_blocks(page, h)))


def candidates(page, h):
    found = []
    for ptep in _ptes(page, h):
        mm, address = _owner(ptep, h)
        vma = h.find_vma(mm, address)
        if vma is None or h.u32(vma["vm_start"]) > address:
            continue            # a PTE outside every VMA: the kernel's walk BUGs here
        found.append((vma, address))
    return found


def graph(page, h):
    """For rmap-dot: page -> the pte_chain block holding each PTE pointer (or the direct
    pointer in page->index) -> the VMA that PTE belongs to."""
    index = h.u32(page["index"])
    if index & PTE_CHAIN_DIRECT:
        where = [(index, "pte_chain direct: page->index = PTE %#x | 1" % (
            index & ~PTE_CHAIN_DIRECT), "index")]
        holders = [(where, index & ~PTE_CHAIN_DIRECT)]
    else:
        holders, path = [], []
        for n, pc in enumerate(_blocks(page, h)):
            path = path + [(h.u32(pc), "struct pte_chain %#x\\n(block %d)" % (h.u32(pc), n),
                            "index" if n == 0 else "next")]
            slots = pc["ptes"]
            lo, hi = slots.type.range()
            holders += [(path, h.u32(slots[i])) for i in range(lo, hi + 1) if h.u32(slots[i])]
    result = []
    for path, ptep in holders:
        mm, address = _owner(ptep, h)
        vma = h.find_vma(mm, address)
        if vma is not None and h.u32(vma["vm_start"]) <= address:
            result.append((path, vma, address))
    return result

"""The `rmap` GDB command's half for the pte_chain scheme (mm/rmap_pte_chain.c).

An anonymous page's index is its only PTE's address with bit 0 set (direct),
or the head of a chain of struct pte_chain blocks (NRPTE PTE pointers and
next; the head block's slots [0, first) are empty).  A PTE pointer leads
back to (mm, address) through its page table's struct page: mapping = the
mm, index = the first address the table maps.  The walk visits the chain in
order: head block from its first used slot up, then each block after it.
"""

import gdb

PAGE_SHIFT = 12
PAGE_OFFSET = 0xC0000000
PTE_CHAIN_DIRECT = 1
PTE_SIZE = 4


def _ptes(page, h):
    """The PTE addresses the page's record holds, in the walk's order."""
    index = h.u32(page["index"])
    if index & PTE_CHAIN_DIRECT:
        return [index & ~PTE_CHAIN_DIRECT]
    ptes = []
    pc = gdb.Value(index).cast(gdb.lookup_type("struct pte_chain").pointer())
    while index:
        slots = pc["ptes"]
        lo, hi = slots.type.range()
        ptes += [h.u32(slots[i]) for i in range(lo, hi + 1) if h.u32(slots[i])]
        pc = pc["next"]
        index = h.u32(pc)
    return ptes


def _owner(ptep, h):
    """(mm gdb.Value, address) of the PTE at ptep, from its page table's struct page."""
    table = h.val("mem_map")[(ptep - PAGE_OFFSET) >> PAGE_SHIFT]
    mm = table["mapping"].cast(gdb.lookup_type("struct mm_struct").pointer())
    address = h.u32(table["index"]) + (((ptep & ((1 << PAGE_SHIFT) - 1)) // PTE_SIZE) << PAGE_SHIFT)
    return mm, address


def describe(page, h):
    index = h.u32(page["index"])
    ptes = _ptes(page, h)
    if index & PTE_CHAIN_DIRECT:
        mm, address = _owner(ptes[0], h)
        return "pte_chain: direct, PTE %#x (mm %#x address %#010x)" % (ptes[0], h.u32(mm), address)
    if not index:
        return "pte_chain: no PTE recorded (not mapped)"
    blocks = 0
    pc = gdb.Value(index).cast(gdb.lookup_type("struct pte_chain").pointer())
    while h.u32(pc):
        blocks += 1
        pc = pc["next"]
    return "pte_chain: chain at %#x, %d PTEs in %d blocks" % (index, len(ptes), blocks)


def candidates(page, h):
    result = []
    for ptep in _ptes(page, h):
        mm, address = _owner(ptep, h)
        vma = h.find_vma(mm, address)
        if vma is not None:        # the kernel BUGs on a PTE outside every VMA
            result.append((vma, address))
    return result

"""The `rmap` GDB command's half for RMAP=anonmm (mm/rmap_anonmm.c).

An anonymous page's mapping is its fork group's head anonmm; its index is
its virtual page number.  rmap_walk_anon visits, for the head's mm and then
each member's, the one private VMA covering that address.  tools/gdb/anvil.py
imports this module by the kernel's rmap_scheme string and passes `h`.
"""

PAGE_SHIFT = 12
PAGE_MAPPING_ANON = 1
VM_SHARED = 0x00000008
VMA_EDGE = "mm: find_vma(index << 12)"   # rmap-dot's label of the step to a VMA


def _head(page, h):
    return h.val("(struct anonmm *)%#x" % (h.u32(page["mapping"]) & ~PAGE_MAPPING_ANON))


def _group(head, h):
    """The head, then its members in the order they joined: the walk's order."""
    return [head] + list(h.list_entries(head["list"], "struct anonmm", "list"))


def describe(page, h):
    head = _head(page, h)
    group = _group(head, h)
    live = sum(1 for anonmm in group if h.u32(anonmm["mm"]))
    return "anonymous: anonmm group head %#x (%d anonmms, %d with a live mm%s), address %#010x" % (
        h.u32(head), len(group), live, "" if h.u32(head["mm"]) else "; the head's mm has exited",
        h.u32(page["index"]) << PAGE_SHIFT)


def candidates(page, h):
    address = h.u32(page["index"]) << PAGE_SHIFT
    found = []
    for anonmm in _group(_head(page, h), h):
        mm = anonmm["mm"]
        if not h.u32(mm):
            continue
        vma = h.find_vma(mm, address)
        if vma is None or h.u32(vma["vm_start"]) > address or h.u32(vma["vm_flags"]) & VM_SHARED:
            continue
        found.append((vma, address))
    return found


def graph(page, h):
    """For rmap-dot: page -> the group's head anonmm -> each member -> its mm's VMA."""
    head = _head(page, h)
    head_node = (h.u32(head), "struct anonmm %#x (head)\\nmm %#x" % (
        h.u32(head), h.u32(head["mm"])), "mapping & ~1")
    address = h.u32(page["index"]) << PAGE_SHIFT
    found = {h.u32(vma["vm_mm"]): (vma, addr) for vma, addr in candidates(page, h)}
    result = []
    for anonmm in _group(head, h):
        if h.u32(anonmm["mm"]) not in found:
            continue
        path = [head_node]
        if h.u32(anonmm) != h.u32(head):
            path.append((h.u32(anonmm), "struct anonmm %#x\\nmm %#x" % (
                h.u32(anonmm), h.u32(anonmm["mm"])), "list"))
        vma, addr = found[h.u32(anonmm["mm"])]
        result.append((path, vma, addr))
    return result

"""GDB helpers for anvil, loaded by the checked-in .gdbinit.

  anvil-connect [PORT]   attach to the QEMU of `make qemu-gdb` ($ANVIL_GDBPORT, the
                         gdb-port file beside the kernel loaded, else 1234)
  tasks                  every task: pid, state, name, mm
  vmas [PID]             the VMAs of a process (default: the current one)
  pgwalk ADDR [PID]      page-directory and page-table entries for a user address,
                         decoding a present PTE or a swap entry
  rmap PAGE              every PTE mapping a page (a struct page * or a pfn), found
                         as the kernel would: through its address_space, or for an
                         anonymous page through the kernel's rmap scheme
                         (rmap_<scheme>.py beside this file)
  rmap-dot PAGE [FILE]   the same reverse map drawn as a Graphviz graph: page -> the
                         scheme's object(s) (anon_vma, anon_vma_chain, anonmm,
                         pte_chain; a file page's address_space) -> VMAs -> mm (pid)
                         -> PTE and its flags; FILE default build/rmap-pfn<PFN>.dot
                         beside the kernel, and .svg and .png beside it when Graphviz
                         is installed
  pageflags PAGE-OR-FLAGS  page->flags bit by bit, named from the kernel's own enum
                         pageflags (its debug info): a struct page * or a flags value
  swapinfo               the swap areas and their use
  anvil-pagecache MAPPING [FIRST [COUNT]]
                         a file's cached pages (MAPPING: a struct address_space * or
                         struct inode *), from its radix tree in index order: index,
                         page, pfn, flags (uptodate, dirty, writeback, locked, lru,
                         active), mapcount; FIRST/COUNT limit the indexes shown
  anvil-immap MAPPING    the VMAs of the file's i_mmap interval tree, in tree order:
                         owner, range, file pages [vm_pgoff, last], subtree maximum
  $vma_address(PAGE, VMA)  where VMA maps PAGE (0 if it does not cover the page; an
                         anonymous page's address comes from the rmap scheme)
  $pid_of(MM)            the pid of the process using MM (0 if none)
  $current([CPU])        the struct task_struct * running on CPU (default: the
                         selected thread's; GDB thread N is CPU N-1), as the
                         kernel's `current` finds it
  $maps_page(PAGE, VMA)  1 if VMA has a present PTE mapping PAGE, else 0

They read kernel memory only; nothing is changed.
"""

import importlib
import os
import shutil
import subprocess
import sys
import types

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # the rmap_<scheme> modules

PAGE_SHIFT = 12
PAGE_SIZE = 1 << PAGE_SHIFT
PAGE_OFFSET = 0xC0000000
PGDIR_SHIFT = 22
PTRS_PER_PTE = 1024             # arch/i386/include/asm/page.h
VM_READ, VM_WRITE, VM_EXEC, VM_MAYSHARE = 0x1, 0x2, 0x4, 0x80     # include/anvil/mm_types.h
RADIX_TREE_MAP_SHIFT = 6       # include/anvil/radix-tree.h
PAGE_MAPPING_ANON = 1
PTE_BITS = [(0x001, "P"), (0x002, "RW"), (0x004, "U"), (0x008, "PWT"), (0x010, "PCD"),
            (0x020, "A"), (0x040, "D"), (0x080, "PS"), (0x100, "G")]
_PAGE_PROTNONE = 0x080
TASK_STATES = {0: "R", 1: "S", 2: "D", 4: "T", 16: "Z", 32: "X"}


def val(expr):
    return gdb.parse_and_eval(expr)


def u32(v):
    return int(v) & 0xFFFFFFFF


def read_u32(addr):
    return u32(gdb.parse_and_eval("*(unsigned int *)%d" % addr))


def container(ptr, typename, member):
    """container_of: the struct holding the list node at ptr."""
    t = gdb.lookup_type(typename)
    off = int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (typename, member)))
    return gdb.Value(u32(ptr) - off).cast(t.pointer())


def list_entries(head, typename, member):
    """Walk a struct list_head (given as a gdb.Value of the head itself)."""
    head_addr = u32(head.address)
    node = head["next"]
    while u32(node) != head_addr:
        yield container(node, typename, member)
        node = node["next"]


def find_vma(mm, addr):
    """The VMA of mm that contains addr, or None."""
    vma = mm["mmap"]
    while u32(vma):
        if u32(vma["vm_start"]) <= addr < u32(vma["vm_end"]):
            return vma
        vma = vma["vm_next"]
    return None


def cpu_of(thread):
    """The CPU a GDB thread is: QEMU's gdbstub numbers vCPU i thread i+1, and anvil
    numbers its CPUs in the MADT's order, which is QEMU's."""
    return (thread.ptid[1] or thread.num) - 1


def cpu_mode_and_sp():
    """(in kernel mode, %esp) of the selected thread's CPU, whichever frame is selected."""
    newest = gdb.newest_frame()
    return u32(newest.read_register("cs")) & 3 == 0, u32(newest.read_register("esp"))


def current_task(cpu=None):
    """The task running on cpu (default: the selected thread's), found as the kernel's
    `current` finds it (a macro GDB cannot evaluate): the thread_info at the bottom of
    the THREAD_SIZE-aligned kernel stack.  In kernel mode that stack is %esp's; in user
    mode it is the one the CPU's TSS would switch to, esp0 (its top)."""
    selected = gdb.selected_thread()
    thread = selected
    if cpu is not None and cpu != cpu_of(selected):
        thread = next((t for t in gdb.selected_inferior().threads() if cpu_of(t) == cpu),
                      None)
        if thread is None:
            raise gdb.GdbError("no CPU %d (info threads)" % cpu)
    if thread == selected:
        kernel_mode, sp = cpu_mode_and_sp()
    else:
        frame = gdb.selected_frame()
        thread.switch()
        try:
            kernel_mode, sp = cpu_mode_and_sp()
        finally:
            selected.switch()
            frame.select()
    if not kernel_mode:
        sp = u32(val("per_cpu__init_tss[%d].esp0" % cpu_of(thread))) - 1
    thread_size = gdb.lookup_type("union thread_union").sizeof
    info = gdb.Value(sp & ~(thread_size - 1)).cast(
        gdb.lookup_type("struct thread_info").pointer())
    return info["task"]


def tasks():
    yield gdb.parse_and_eval("&init_task")
    for t in list_entries(val("task_list"), "struct task_struct", "tasks"):
        if u32(t) != u32(gdb.parse_and_eval("&init_task")):
            yield t


def task_by_pid(pid):
    for t in tasks():
        if int(t["pid"]) == pid:
            return t
    raise gdb.GdbError("no task with pid %d" % pid)


def task_arg(arg):
    """A PID given as a number or any GDB expression ($pid, a variable)."""
    return task_by_pid(int(gdb.parse_and_eval(arg))) if arg.strip() else current_task()


def mm_owner(mm):
    for t in tasks():
        if u32(t["mm"]) == u32(mm):
            return t
    return None


def owner_name(mm):
    """'pid N (comm)' of the task using mm, or 'no task'."""
    owner = mm_owner(mm)
    return "pid %d (%s)" % (int(owner["pid"]), owner["comm"].string()) if owner else "no task"


def decode_pte(pte):
    if pte == 0:
        return "none"
    if pte & 1 or pte & _PAGE_PROTNONE:
        flags = " ".join(n for bit, n in PTE_BITS if pte & bit)
        return "pfn %#x [%s]%s" % (pte >> PAGE_SHIFT, flags,
                                  " PROT_NONE" if not pte & 1 else "")
    return "swap entry: type %d offset %d" % ((pte >> 1) & 0x1F, pte >> 8)


def pte_of(mm, addr):
    """(pgd entry, pte value or None) for a user address in mm."""
    pgd = u32(mm["pgd"])
    pde = read_u32(pgd + (addr >> PGDIR_SHIFT) * 4)
    if not pde & 1:
        return pde, None
    table = (pde & ~0xFFF) + PAGE_OFFSET
    return pde, read_u32(table + ((addr >> PAGE_SHIFT) % PTRS_PER_PTE) * 4)


class Tasks(gdb.Command):
    """List every task: tasks"""

    def __init__(self):
        super().__init__("tasks", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        print("  PID  PPID S  MM         COMMAND")
        current = current_task()
        for t in tasks():
            state = TASK_STATES.get(int(t["state"]), "?")
            parent = t["parent"]
            print("%5d %5d %s  %-10s %s%s%s" % (
                int(t["pid"]), int(parent["pid"]) if u32(parent) else 0, state,
                "%#x" % u32(t["mm"]) if u32(t["mm"]) else "-", t["comm"].string(),
                "   (wait status %#x)" % int(t["exit_code"]) if state == "Z" else "",
                "   <- current" if u32(t) == u32(current) else ""))


class Vmas(gdb.Command):
    """List a process's VMAs: vmas [PID]"""

    def __init__(self):
        super().__init__("vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        t = task_arg(arg)
        mm = t["mm"]
        if not u32(mm):
            raise gdb.GdbError("pid %d has no address space" % int(t["pid"]))
        print("pid %d (%s) mm %#x, %d VMAs, anon_rss %d, file_rss %d, swap %d" % (
            int(t["pid"]), t["comm"].string(), u32(mm), int(mm["map_count"]),
            int(mm["anon_rss"]), int(mm["file_rss"]), int(mm["swap_ents"])))
        # the scheme's per-VMA object, in the schemes that have one (anon_vma, anon_vma_chain)
        has_anon_vma = any(f.name == "anon_vma"
                           for f in gdb.lookup_type("struct vm_area_struct").fields())
        vma = mm["mmap"]
        while u32(vma):
            perms = vma_perms(vma)
            kind = "file" if u32(vma["vm_file"]) else "anon"
            rmap = " anon_vma %#x" % u32(vma["anon_vma"]) if has_anon_vma else ""
            print("  %08x-%08x %s pgoff %#x %s%s  (vma %#x)" % (
                u32(vma["vm_start"]), u32(vma["vm_end"]), perms, u32(vma["vm_pgoff"]), kind,
                rmap, u32(vma)))
            vma = vma["vm_next"]


class Pgwalk(gdb.Command):
    """Walk the page tables for a user address: pgwalk ADDR [PID]"""

    def __init__(self):
        super().__init__("pgwalk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: pgwalk ADDR [PID]")
        addr = u32(gdb.parse_and_eval(args[0]))
        t = task_arg(args[1] if len(args) > 1 else "")
        mm = t["mm"]
        if not u32(mm):
            raise gdb.GdbError("pid %d has no address space" % int(t["pid"]))
        pde, pte = pte_of(mm, addr)
        print("pid %d address %#010x: pgd[%d] = %#010x" % (int(t["pid"]), addr,
                                                           addr >> PGDIR_SHIFT, pde))
        if pte is None:
            print("  no page table")
            return
        print("  pte[%d] = %#010x: %s" % ((addr >> PAGE_SHIFT) % PTRS_PER_PTE, pte, decode_pte(pte)))


class Rmap(gdb.Command):
    """Every PTE that maps a page, found by the reverse mapping: rmap PAGE-OR-PFN

An anonymous page's candidates come from the scheme's module: describe(page, h)
names its rmap object(s), candidates(page, h) lists the (vma, address or None)
pairs rmap_walk_anon would visit."""

    def __init__(self):
        super().__init__("rmap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        page = page_arg(arg)
        pfn = page_to_pfn(page)
        mapping = u32(page["mapping"])
        index = u32(page["index"])
        mapcount = int(page["_mapcount"]["counter"]) + 1
        print("page %#x pfn %#x: _count %d, mapcount %d, index %#x, flags %#x" % (
            u32(page), pfn, int(page["_count"]["counter"]), mapcount, index,
            u32(page["flags"])))
        if mapcount <= 0:
            print("  not mapped (an anonymous page's rmap object is only trusted while mapped;"
                  " showing where it pointed)")
        if mapping & PAGE_MAPPING_ANON:
            scheme = rmap_scheme()
            # a scheme's line may or may not begin with "anonymous: " itself
            print("  anonymous: " + scheme.describe(page, HELPERS).removeprefix("anonymous: "))
            candidates = scheme.candidates(page, HELPERS)
        elif mapping:
            as_ = gdb.Value(mapping).cast(gdb.lookup_type("struct address_space").pointer())
            print("  file/shared: address_space %#x" % mapping)
            candidates = [(vma, vma_address(page, vma) or None) for vma in i_mmap_vmas(as_)]
        else:
            print("  no mapping")
            return
        for vma, addr in candidates:
            start, end = u32(vma["vm_start"]), u32(vma["vm_end"])
            mm = vma["vm_mm"]
            who = owner_name(mm)
            if addr is None:
                print("  mm %#x %s: vma %08x-%08x does not cover the page" % (
                    u32(mm), who, start, end))
                continue
            _, pte = pte_of(mm, addr)
            state = "no page table" if pte is None else "pte %#010x: %s" % (pte, decode_pte(pte))
            mark = " <- maps it" if pte_maps(pte, pfn) else ""
            print("  mm %#x %s vma %08x-%08x address %#010x %s%s" % (
                u32(mm), who, start, end, addr, state, mark))


def page_arg(arg):
    """A struct page * from a page pointer or a pfn expression."""
    v = gdb.parse_and_eval(arg)
    page_t = gdb.lookup_type("struct page").pointer()
    if v.type.code == gdb.TYPE_CODE_PTR:
        return v.cast(page_t)
    return gdb.Value(u32(val("mem_map")) + int(v) * page_size()).cast(page_t)


def pageflag_bits():
    """[(bit, "PG_name")] of the kernel's enum pageflags, from its debug info."""
    return sorted((f.enumval, f.name) for f in gdb.lookup_type("enum pageflags").fields()
                  if f.name != "NR_PAGEFLAGS")


def decode_page_flags(flags):
    """'PG_locked PG_lru ...' for a flags value; a bit the enum does not name as bitN."""
    named = dict(pageflag_bits())
    return " ".join(named.get(b, "bit%d" % b) for b in range(32) if flags >> b & 1) or "none"


class PageFlags(gdb.Command):
    """page->flags bit by bit: pageflags PAGE-OR-FLAGS

A struct page * shows that page's flags; a number is taken as a flags value.
The names come from the kernel's enum pageflags (include/anvil/page-flags.h),
read from the ELF's debug info."""

    def __init__(self):
        super().__init__("pageflags", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: pageflags PAGE-OR-FLAGS")
        v = gdb.parse_and_eval(arg)
        flags = u32(page_arg(arg)["flags"]) if v.type.code == gdb.TYPE_CODE_PTR else u32(v)
        print("flags %#x: %s" % (flags, decode_page_flags(flags)))
        for bit, name in pageflag_bits():
            print("  bit %2d %-14s %d" % (bit, name, flags >> bit & 1))


def dot_quote(text):
    return '"%s"' % text.replace('"', '\\"')


def vma_perms(vma):
    """"rw-p" as /proc/<pid>/maps prints a VMA's flags."""
    fl = int(vma["vm_flags"])
    return "".join(c if fl & b else "-" for b, c in ((VM_READ, "r"), (VM_WRITE, "w"),
                                                     (VM_EXEC, "x"))) + (
        "s" if fl & VM_MAYSHARE else "p")


def rmap_paths(page):
    """([(objects, vma, address or None)], how the last object names a VMA): each VMA the
    walk visits, after the rmap objects on the way to it from the page ([(key, label,
    label of the edge into it)])."""
    mapping = u32(page["mapping"])
    if mapping & PAGE_MAPPING_ANON:
        return rmap_scheme().graph(page, HELPERS), rmap_scheme().VMA_EDGE
    as_ = gdb.Value(mapping).cast(gdb.lookup_type("struct address_space").pointer())
    host = as_["host"]
    obj = (mapping, "struct address_space %#x\\ninode %s, i_mmap" % (
        mapping, int(host["i_ino"]) if u32(host) else "-"), "mapping")
    return [([obj], vma, vma_address(page, vma) or None) for vma in i_mmap_vmas(as_)], "i_mmap"


def rmap_dot(page):
    """The page's reverse map as a Graphviz digraph (text)."""
    pfn = page_to_pfn(page)
    flags = u32(page["flags"])
    anon = u32(page["mapping"]) & PAGE_MAPPING_ANON
    scheme = val("(const char *)rmap_scheme").string() if anon else "file"
    lines = ["digraph rmap {",
             '  label=%s; labelloc=t;' % dot_quote("reverse map of pfn %#x (%s)" % (pfn, scheme)),
             '  rankdir=LR; node [shape=box, fontname="monospace", fontsize=10];',
             '  edge [fontname="monospace", fontsize=9];',
             "  page [style=bold, label=%s];" % dot_quote(
                 "struct page %#x\\npfn %#x\\nflags %#x\\n%s\\n_count %d, mapcount %d\\n"
                 "mapping %#x\\nindex %#x" % (
                     u32(page), pfn, flags, decode_page_flags(flags).replace(" ", "\\n"),
                     int(page["_count"]["counter"]), int(page["_mapcount"]["counter"]) + 1,
                     u32(page["mapping"]), u32(page["index"])))]
    if not u32(page["mapping"]):
        lines.append("}")
        return "\n".join(lines) + "\n"
    nodes, edges = {}, []

    def node(name, label, extra=""):
        if name not in nodes:
            nodes[name] = "  %s [label=%s%s];" % (name, dot_quote(label), extra)
        return name

    def edge(a, b, label, extra=""):
        e = "  %s -> %s [label=%s%s];" % (a, b, dot_quote(label), extra)
        if e not in edges:
            edges.append(e)

    paths, vma_edge = rmap_paths(page)
    for objects, vma, addr in paths:
        prev = "page"
        for key, label, how in objects:
            name = node("obj_%x" % key, label, ", style=filled, fillcolor=lightyellow")
            edge(prev, name, how)
            prev = name
        start, end = u32(vma["vm_start"]), u32(vma["vm_end"])
        v = node("vma_%x" % u32(vma), "struct vm_area_struct %#x\\n%08x-%08x %s\\n"
                 "vm_pgoff %#x%s" % (
            u32(vma), start, end, vma_perms(vma), u32(vma["vm_pgoff"]),
            "" if addr else "\\ndoes not cover the page"), "" if addr else ", style=dashed")
        edge(prev, v, vma_edge)
        mm = vma["vm_mm"]
        m = node("mm_%x" % u32(mm), "struct mm_struct %#x\\n%s" % (u32(mm), owner_name(mm)),
                 ", shape=ellipse")
        edge(v, m, "vm_mm")
        if addr is None:
            continue
        _, pte = pte_of(mm, addr)
        maps = pte_maps(pte, pfn)
        p = node("pte_%x_%x" % (u32(mm), addr), "PTE for %#010x\\n%s\\n%s" % (
            addr, "no page table" if pte is None else "%#010x\\n%s" % (pte, decode_pte(pte)),
            "maps this page" if maps else "does not map this page"),
            ", color=darkgreen, penwidth=2" if maps else ", color=red, style=dashed")
        edge(m, p, "pgd[%d] pte[%d]" % (addr >> PGDIR_SHIFT, (addr >> PAGE_SHIFT) % PTRS_PER_PTE))
    lines += list(nodes.values()) + edges + ["}"]
    return "\n".join(lines) + "\n"


class RmapDot(gdb.Command):
    """A page's reverse map as a Graphviz picture: rmap-dot PAGE-OR-PFN [FILE.dot]

Writes FILE (default build/rmap-pfn<PFN>.dot beside the kernel) and, when
Graphviz's dot is installed, FILE's .svg and .png."""

    def __init__(self):
        super().__init__("rmap-dot", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: rmap-dot PAGE-OR-PFN [FILE.dot]")
        page = page_arg(args[0])
        path = args[1] if len(args) > 1 else os.path.join(
            os.path.dirname(gdb.current_progspace().filename),
            "rmap-pfn%x.dot" % page_to_pfn(page))
        with open(path, "w") as f:
            f.write(rmap_dot(page))
        written = [path]
        if shutil.which("dot"):
            for fmt in ("svg", "png"):
                out = os.path.splitext(path)[0] + "." + fmt
                subprocess.run(["dot", "-T" + fmt, "-o", out, path], check=True)
                written.append(out)
        print("rmap-dot: wrote " + ", ".join(written))


def page_size():
    return int(gdb.parse_and_eval("sizeof(struct page)"))


def page_to_pfn(page):
    return (u32(page) - u32(val("mem_map"))) // page_size()


def pte_maps(pte, pfn):
    """Whether a PTE value (None: no page table) maps page frame pfn."""
    return pte is not None and bool(pte & 1 or pte & _PAGE_PROTNONE) and pte >> PAGE_SHIFT == pfn


def vma_address(page, vma):
    """Where vma maps page by its linear index (a file page; anon_vma's), or 0."""
    index, pgoff = u32(page["index"]), u32(vma["vm_pgoff"])
    start, end = u32(vma["vm_start"]), u32(vma["vm_end"])
    addr = start + ((index - pgoff) << PAGE_SHIFT)
    return addr if index >= pgoff and start <= addr < end else 0


# What a scheme's module (tools/gdb/rmap_<scheme>.py) may use, passed to it as h.
HELPERS = types.SimpleNamespace(val=val, u32=u32, container=container, list_entries=list_entries,
                                vma_address=vma_address, find_vma=find_vma)


def rmap_scheme():
    """The module for the kernel's anonymous rmap scheme, named by its rmap_scheme string."""
    # as a pointer: a frame in a file that only declares `extern const char rmap_scheme[]`
    # sees an array of unknown size, whose .string() is empty
    name = "rmap_" + val("(const char *)rmap_scheme").string()
    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise gdb.GdbError("no GDB module for this kernel's rmap scheme (%s.py): %s" % (name, e))


def page_address_in(page, vma):
    """Where vma maps page, or 0.  An anonymous page asks its scheme: under pte_chain and
    anonmm page->index is no linear index."""
    if not u32(page["mapping"]) & PAGE_MAPPING_ANON:
        return vma_address(page, vma)
    return next((addr or 0 for v, addr in rmap_scheme().candidates(page, HELPERS)
                 if u32(v) == u32(vma)), 0)


class VmaAddress(gdb.Function):
    """$vma_address(page, vma): the user address at which vma maps page, or 0."""

    def __init__(self):
        super().__init__("vma_address")

    def invoke(self, page, vma):
        return page_address_in(page, vma)


class MapsPage(gdb.Function):
    """$maps_page(page, vma): 1 if vma has a PTE that maps page right now, else 0.
    (vma being on the page's rmap list only says it might.)"""

    def __init__(self):
        super().__init__("maps_page")

    def invoke(self, page, vma):
        addr = page_address_in(page, vma)
        if not addr:
            return 0
        return int(pte_maps(pte_of(vma["vm_mm"], addr)[1], page_to_pfn(page)))


class PidOf(gdb.Function):
    """$pid_of(mm): the pid of the process whose address space is mm, or 0."""

    def __init__(self):
        super().__init__("pid_of")

    def invoke(self, mm):
        t = mm_owner(mm)
        return int(t["pid"]) if t else 0


class Current(gdb.Function):
    """$current([CPU]): the struct task_struct * running on CPU (default: the selected
    thread's; GDB's thread N is CPU N-1: `info threads`, `thread N`), what the kernel's
    `current` is there (Linux's $lx_current)."""

    def __init__(self):
        super().__init__("current")

    def invoke(self, cpu=None):
        return current_task(None if cpu is None else int(cpu))


class Swapinfo(gdb.Command):
    """The swap areas: swapinfo"""

    def __init__(self):
        super().__init__("swapinfo", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        n = int(gdb.parse_and_eval("sizeof(swap_info)/sizeof(swap_info[0])"))
        found = False
        for i in range(n):
            si = val("swap_info[%d]" % i)
            if not int(si["flags"]):
                continue
            found = True
            print("swap type %d: %s prio %d, %d slots usable, %d in use, next %d, flags %#x" % (
                i, si["name"].string(), int(si["prio"]), int(si["pages"]),
                int(si["inuse_pages"]), int(si["cluster_next"]), int(si["flags"])))
        print("swap cache: %d pages" % int(val("swapper_space.nrpages")))
        if not found:
            print("no swap area active")


def rb_inorder(node):
    """The nodes of a red-black tree (struct rb_node *) in order."""
    stack = []
    while stack or u32(node):
        while u32(node):
            stack.append(node)
            node = node["rb_left"]
        node = stack.pop()
        yield node
        node = node["rb_right"]


def i_mmap_vmas(mapping):
    """The VMAs of mapping's i_mmap interval tree (mm/interval_tree.c), in tree order."""
    return [container(n, "struct vm_area_struct", "shared.rb")
            for n in rb_inorder(mapping["i_mmap"]["rb_node"])]


def mapping_arg(arg):
    """A struct address_space * from an address_space or inode pointer expression."""
    v = gdb.parse_and_eval(arg)
    if v.type.code == gdb.TYPE_CODE_PTR and str(v.type.target().strip_typedefs()) == "struct inode":
        return v["i_mapping"]
    return v.cast(gdb.lookup_type("struct address_space").pointer())


def radix_items(root):
    """(index, item) of a struct radix_tree_root, in index order (lib/radix-tree.c)."""
    shift = RADIX_TREE_MAP_SHIFT
    height, rnode = int(root["height"]), u32(root["rnode"])
    if not rnode:
        return
    if height == 0:
        yield 0, rnode
        return
    node_t = gdb.lookup_type("struct radix_tree_node").pointer()

    def walk(node, level, base):
        slots = gdb.Value(node).cast(node_t)["slots"]
        for i in range(1 << shift):
            item = u32(slots[i])
            if not item:
                continue
            index = base | (i << (level * shift))
            if level == 0:
                yield index, item
            else:
                yield from walk(item, level - 1, index)
    yield from walk(rnode, height - 1, 0)


PAGE_FLAG_NAMES = [("PG_uptodate", "uptodate"), ("PG_dirty", "dirty"),
                   ("PG_writeback", "writeback"), ("PG_locked", "locked"), ("PG_lru", "lru"),
                   ("PG_active", "active"), ("PG_reclaim", "reclaim"),
                   ("PG_swapcache", "swapcache"), ("PG_error", "error")]


def page_flag_names(page):
    flags = u32(page["flags"])
    return " ".join(name for enum, name in PAGE_FLAG_NAMES if flags & (1 << int(val(enum))))


class PageCache(gdb.Command):
    """A file's cached pages: anvil-pagecache MAPPING [FIRST [COUNT]]

MAPPING is a struct address_space * or a struct inode *.  One line per page of
its radix tree (page_tree), in index order, from index FIRST (default 0), at most
COUNT of them (default all)."""

    def __init__(self):
        super().__init__("anvil-pagecache", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: anvil-pagecache MAPPING [FIRST [COUNT]]")
        mapping = mapping_arg(args[0])
        first = int(gdb.parse_and_eval(args[1])) if len(args) > 1 else 0
        count = int(gdb.parse_and_eval(args[2])) if len(args) > 2 else None
        host = mapping["host"]
        print("address_space %#x: inode %s, %d pages, %d dirty, flags %#x" % (
            u32(mapping), int(host["i_ino"]) if u32(host) else "-", u32(mapping["nrpages"]),
            u32(mapping["nrdirty"]), u32(mapping["flags"])))
        page_t = gdb.lookup_type("struct page").pointer()
        shown = 0
        for index, item in radix_items(mapping["page_tree"]):
            if index < first:
                continue
            if count is not None and shown >= count:
                break
            page = gdb.Value(item).cast(page_t)
            print("  index %#7x: page %#x pfn %#7x mapcount %d [%s]" % (
                index, item, page_to_pfn(page), int(page["_mapcount"]["counter"]) + 1,
                page_flag_names(page)))
            shown += 1


class IMmap(gdb.Command):
    """The VMAs that may map a file's pages: anvil-immap MAPPING

MAPPING is a struct address_space * or a struct inode *.  The VMAs of its i_mmap
interval tree in tree order (by vm_pgoff): the process, the range, the file pages
[vm_pgoff, last] it maps and rb_subtree_last, the largest last page below it."""

    def __init__(self):
        super().__init__("anvil-immap", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        mapping = mapping_arg(arg)
        vmas = i_mmap_vmas(mapping)
        print("address_space %#x: %d VMAs in i_mmap" % (u32(mapping), len(vmas)))
        for vma in vmas:
            start, end = u32(vma["vm_start"]), u32(vma["vm_end"])
            pgoff = u32(vma["vm_pgoff"])
            who = owner_name(vma["vm_mm"])
            print("  vma %#x %s %08x-%08x pages [%#x, %#x] subtree_last %#x" % (
                u32(vma), who, start, end, pgoff, pgoff + ((end - start) >> PAGE_SHIFT) - 1,
                u32(vma["shared"]["rb_subtree_last"])))


class AnvilConnect(gdb.Command):
    """Connect to anvil's QEMU gdbstub: anvil-connect [PORT]"""

    def __init__(self):
        super().__init__("anvil-connect", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        port = arg.strip() or os.environ.get("ANVIL_GDBPORT")
        # make qemu-gdb writes it into the kernel's build directory (build/rmap-<scheme>)
        port_file = os.path.join(os.path.dirname(gdb.current_progspace().filename), "gdb-port")
        if not port and os.path.exists(port_file):
            with open(port_file) as f:
                port = f.read().strip()
        gdb.execute("target remote localhost:%s" % (port or "1234"))


for command in (Tasks, Vmas, Pgwalk, Rmap, RmapDot, PageFlags, Swapinfo, PageCache, IMmap,
                AnvilConnect, VmaAddress, MapsPage, PidOf, Current):
    command()

# `current` in kernel mode, as a GDB macro of what the kernel's macro computes: GDB
# evaluates it natively, so `break f if current == kswapd_task` costs no Python per hit
# ($current() also answers for a CPU in user mode).
THREAD_SIZE_GUESS = 8192
try:
    THREAD_SIZE_NOW = gdb.lookup_type("union thread_union").sizeof
except gdb.error:       # no symbols loaded yet: anvil's THREAD_SIZE
    THREAD_SIZE_NOW = THREAD_SIZE_GUESS
gdb.execute("macro define current (((struct thread_info *)((unsigned long)$esp & ~%dUL))->task)"
            % (THREAD_SIZE_NOW - 1))

/*
 * Core dumps.  A process killed by a signal whose default action is
 * "core" writes its registers and memory to a file named by core_pattern
 * ("core" in its working directory unless /proc/sys/kernel/core_pattern
 * says otherwise) when RLIMIT_CORE allows, in the ELF layout of Linux's
 * elf_core_dump, which GDB reads; its wait status then has the core bit.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/elf.h>
#include <anvil/slab.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/resource.h>
#include <anvil/coredump.h>
#include <abi/errno.h>

#define NT_PRSTATUS 1
#define NT_PRPSINFO 3
#define NOTE_NAME "CORE"
#define NOTE_NAME_SIZE 8                 /* "CORE\0" padded to 4 */
#define ELF_NGREG 17
#define CORE_NAME_MAX 128
#define MAX_CORE_VMAS 256                /* more mappings than this are left out */
#define PSARGS_LEN 80

struct elf_siginfo {
	int si_signo, si_code, si_errno;
};

/* i386's struct elf_prstatus (144 bytes): pr_reg is user_regs_struct's order */
struct elf_prstatus {
	struct elf_siginfo pr_info;
	short pr_cursig;
	unsigned long pr_sigpend, pr_sighold;
	int pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct abi_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	unsigned long pr_reg[ELF_NGREG];
	int pr_fpvalid;
};

/* i386's struct elf_prpsinfo (124 bytes; 16-bit uid and gid) */
struct elf_prpsinfo {
	char pr_state, pr_sname, pr_zomb, pr_nice;
	unsigned long pr_flag;
	unsigned short pr_uid, pr_gid;
	int pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[PSARGS_LEN];
};

struct elf_note {
	u32 n_namesz, n_descsz, n_type;
	char name[NOTE_NAME_SIZE];
};

BUILD_BUG_ON(sizeof(struct elf_prstatus) != 144);
BUILD_BUG_ON(sizeof(struct elf_prpsinfo) != 124);

/* One mapping as it will be written: its PT_LOAD header's figures. */
struct core_vma {
	unsigned long start, end, flags, dump_size;
	bool check_header;        /* dump_size is a page if an ELF header starts it */
};

/* Where the dump stands: what has been written, against RLIMIT_CORE. */
struct coredump_params {
	struct file *file;
	loff_t pos;
	unsigned long limit;
};

/* Write len bytes at the dump's end; false once the limit or the file says no. */
static bool dump_emit(struct coredump_params *cprm, const void *buf, size_t len)
{
	if (cprm->pos + (loff_t)len > (loff_t)cprm->limit)
		return false;
	if (kernel_write(cprm->file, cprm->pos, buf, len) != (ssize_t)len)
		return false;
	cprm->pos += len;
	return true;
}

static bool dump_note(struct coredump_params *cprm, u32 type, const void *desc, size_t size)
{
	struct elf_note note = { sizeof(NOTE_NAME), size, type, NOTE_NAME };

	return dump_emit(cprm, &note, sizeof(note)) && dump_emit(cprm, desc, size);
}

/*
 * Which bytes of a mapping go in the core, by Linux's default
 * coredump_filter: anonymous memory, private or shared, whole; a private
 * file mapping that may have been written (data, bss) whole; of one only
 * read, just an ELF header page at its start (GDB finds the rest in the
 * program: *check_header, read once mmap_sem is dropped); shared file
 * mappings and unreadable ones not at all.
 */
static unsigned long vma_dump_size(struct vm_area_struct *vma, bool *check_header)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	*check_header = false;
	if (!(vma->vm_flags & VM_READ))
		return 0;
	if (!vma->vm_file || vma->vm_file->f_inode->i_mapping->swap_backed)
		return size;                     /* anonymous, private or shared */
	if (vma->vm_flags & VM_SHARED)
		return 0;
	if (vma->vm_flags & VM_WRITE)
		return size;
	*check_header = vma->vm_pgoff == 0;
	return 0;
}

static bool starts_with_elf_header(unsigned long addr)
{
	char magic[SELFMAG];

	return !copy_from_user(magic, (void *)addr, SELFMAG) && !memcmp(magic, ELFMAG, SELFMAG);
}

/*
 * The mappings, copied out under mmap_sem: writing them faults pages in,
 * and so does reading a header -- after up_read, as a fault under it takes
 * mmap_sem again, which waits behind a queued writer (lockdep's "possible
 * recursive locking").
 */
static int collect_vmas(struct mm_struct *mm, struct core_vma *v)
{
	struct vm_area_struct *vma;
	int n = 0;

	down_read(&mm->mmap_sem);
	for (vma = mm->mmap; vma && n < MAX_CORE_VMAS; vma = vma->vm_next, n++) {
		v[n].start = vma->vm_start;
		v[n].end = vma->vm_end;
		v[n].flags = vma->vm_flags;
		v[n].dump_size = vma_dump_size(vma, &v[n].check_header);
	}
	up_read(&mm->mmap_sem);
	for (int i = 0; i < n; i++)
		if (v[i].check_header && starts_with_elf_header(v[i].start))
			v[i].dump_size = PAGE_SIZE;
	return n;
}

static void fill_prstatus(struct elf_prstatus *st, int sig, const struct pt_regs *regs)
{
	struct task_struct *t = current;
	const unsigned long r[ELF_NGREG] = {
		regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi, regs->ebp, regs->eax,
		regs->ds, regs->es, regs->fs, regs->gs, (unsigned long)t->syscall_nr,
		regs->eip, regs->cs, regs->eflags, regs->esp, regs->ss,
	};

	memset(st, 0, sizeof(*st));
	st->pr_info.si_signo = st->pr_cursig = sig;
	st->pr_sigpend = t->pending.sig[0];
	st->pr_sighold = t->blocked.sig[0];
	st->pr_pid = t->pid;
	st->pr_ppid = t->parent ? t->parent->tgid : 0;
	st->pr_pgrp = t->pgrp;
	st->pr_sid = t->session;
	st->pr_utime = jiffies_to_timeval(t->utime);
	st->pr_stime = jiffies_to_timeval(t->stime);
	st->pr_cutime = jiffies_to_timeval(t->cutime);
	st->pr_cstime = jiffies_to_timeval(t->cstime);
	memcpy(st->pr_reg, r, sizeof(r));
}

/* pr_psargs: the command line, NULs as spaces, from the stack where exec left it. */
static void fill_prpsinfo(struct elf_prpsinfo *ps)
{
	struct task_struct *t = current;
	struct mm_struct *mm = t->mm;
	size_t len = min((size_t)(mm->arg_end - mm->arg_start), sizeof(ps->pr_psargs) - 1);

	memset(ps, 0, sizeof(*ps));
	ps->pr_state = 0;
	ps->pr_sname = 'R';
	ps->pr_pid = t->pid;
	ps->pr_ppid = t->parent ? t->parent->tgid : 0;
	ps->pr_pgrp = t->pgrp;
	ps->pr_sid = t->session;
	memcpy(ps->pr_fname, t->comm, min(sizeof(ps->pr_fname), sizeof(t->comm)));
	if (copy_from_user(ps->pr_psargs, (void *)mm->arg_start, len))
		len = 0;
	for (size_t i = 0; i < len; i++)
		if (!ps->pr_psargs[i])
			ps->pr_psargs[i] = ' ';
	ps->pr_psargs[len] = '\0';
}

/* A page of the process at addr, or zeros where it cannot be read (Linux's dump_skip). */
static bool dump_user_page(struct coredump_params *cprm, unsigned long addr, void *bounce)
{
	if (copy_from_user(bounce, (void *)addr, PAGE_SIZE))
		memset(bounce, 0, PAGE_SIZE);
	return dump_emit(cprm, bounce, PAGE_SIZE);
}

static size_t notes_size(void)
{
	return 2 * sizeof(struct elf_note) + sizeof(struct elf_prstatus) +
	       sizeof(struct elf_prpsinfo);
}

/*
 * Linux's layout: the ELF header, a PT_NOTE and one PT_LOAD per mapping,
 * the notes (NT_PRSTATUS, NT_PRPSINFO), then each mapping's bytes from
 * the next page boundary on.  True only if all of it was written.
 */
static bool elf_core_dump(struct coredump_params *cprm, int sig, const struct pt_regs *regs,
			  struct core_vma *v, int nvma, void *bounce)
{
	Elf32_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_386, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
			  .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = (u16)(nvma + 1) };
	Elf32_Phdr ph = { .p_type = PT_NOTE, .p_offset = sizeof(eh) + (nvma + 1) * sizeof(ph),
			  .p_filesz = notes_size() };
	u32 offset = ALIGN_UP(ph.p_offset + ph.p_filesz, PAGE_SIZE);
	struct elf_prstatus *st = bounce;
	struct elf_prpsinfo *ps = (void *)((char *)bounce + sizeof(*st));

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	if (!dump_emit(cprm, &eh, sizeof(eh)) || !dump_emit(cprm, &ph, sizeof(ph)))
		return false;
	for (int i = 0; i < nvma; i++) {
		Elf32_Phdr load = { .p_type = PT_LOAD, .p_offset = offset, .p_vaddr = v[i].start,
				    .p_filesz = v[i].dump_size, .p_memsz = v[i].end - v[i].start,
				    .p_align = PAGE_SIZE };

		load.p_flags = (v[i].flags & VM_READ ? PF_R : 0) |
			       (v[i].flags & VM_WRITE ? PF_W : 0) |
			       (v[i].flags & VM_EXEC ? PF_X : 0);
		offset += v[i].dump_size;
		if (!dump_emit(cprm, &load, sizeof(load)))
			return false;
	}
	fill_prstatus(st, sig, regs);
	fill_prpsinfo(ps);
	if (!dump_note(cprm, NT_PRSTATUS, st, sizeof(*st)) ||
	    !dump_note(cprm, NT_PRPSINFO, ps, sizeof(*ps)))
		return false;
	memset(bounce, 0, PAGE_SIZE);
	if (!dump_emit(cprm, bounce, ALIGN_UP(cprm->pos, PAGE_SIZE) - cprm->pos))
		return false;
	for (int i = 0; i < nvma; i++)
		for (unsigned long a = v[i].start; a < v[i].start + v[i].dump_size; a += PAGE_SIZE)
			if (fatal_signal_pending(current) || !dump_user_page(cprm, a, bounce))
				return false;
	return true;
}

static char core_pattern_buf[CORE_PATTERN_MAX] = "core";

const char *core_pattern(void)
{
	return core_pattern_buf;
}

/* A new pattern (at most CORE_PATTERN_MAX - 1 bytes, trailing newline dropped). */
int set_core_pattern(const char *s, size_t len)
{
	if (len && s[len - 1] == '\n')
		len--;
	if (len >= CORE_PATTERN_MAX)
		return -EINVAL;
	memcpy(core_pattern_buf, s, len);
	core_pattern_buf[len] = '\0';
	return 0;
}

/* core_pattern with %p (pid), %e (command), %s (signal), %t (time), %% expanded. */
static void core_name(char *buf, size_t size, int sig)
{
	const char *p = core_pattern();
	size_t n = 0;

	for (; *p && n + 1 < size; p++) {
		if (*p != '%' || !p[1]) {
			buf[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'p':
			n += snprintf(buf + n, size - n, "%d", current->tgid);
			break;
		case 'e':
			n += snprintf(buf + n, size - n, "%s", current->comm);
			break;
		case 's':
			n += snprintf(buf + n, size - n, "%d", sig);
			break;
		case 't':
			n += snprintf(buf + n, size - n, "%lu", (unsigned long)current_time_sec());
			break;
		case '%':
			buf[n++] = '%';
			break;
		default:                          /* unknown: dropped, as Linux */
			break;
		}
		n = min(n, size - 1);
	}
	buf[n] = '\0';
}

/*
 * Dump current's core for signal sig, if the process is dumpable (not
 * after a set-id exec or a change of ids) and RLIMIT_CORE and core_pattern
 * allow (a pipe, "|program", is not supported: no core).  The file is
 * made 0600, never through a symbolic link, and never over one that is
 * not a regular file of one name; true if a whole core was written.
 */
bool do_coredump(int sig, const struct pt_regs *regs)
{
	struct coredump_params cprm = { .limit = rlimit(RLIMIT_CORE) };
	struct core_vma *v;
	char name[CORE_NAME_MAX];
	void *bounce;
	bool dumped = false;
	int err, nvma;

	if (!current->mm || current->mm->dumpable == SUID_DUMP_DISABLE || cprm.limit < PAGE_SIZE ||
	    core_pattern()[0] == '|')
		return false;
	core_name(name, sizeof(name), sig);
	cprm.file = file_open_path(name, O_CREAT | O_WRONLY | O_NOFOLLOW, 0600, &err);
	if (!cprm.file) {
		printk(KERN_INFO "%s[%d]: cannot write core %s (error %d)\n", current->comm,
		       current->pid, name, err);
		return false;
	}
	v = kmalloc(MAX_CORE_VMAS * sizeof(*v), GFP_KERNEL);
	bounce = (void *)__get_free_page(GFP_KERNEL);
	if (v && bounce && S_ISREG(cprm.file->f_inode->i_mode) &&
	    cprm.file->f_inode->i_nlink == 1 &&
	    !cprm.file->f_inode->i_op->truncate(cprm.file->f_inode, 0)) {
		nvma = collect_vmas(current->mm, v);
		dumped = elf_core_dump(&cprm, sig, regs, v, nvma, bounce);
	}
	if (bounce)
		free_page((unsigned long)bounce);
	kfree(v);
	fput(cprm.file);
	return dumped;
}

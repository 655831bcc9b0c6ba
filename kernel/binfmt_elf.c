/*
 * Loading static ELF32 i386 executables.  Everything about the file is
 * checked before anything is mapped; then each PT_LOAD segment becomes a
 * private file mapping (its pages come from the page cache on demand,
 * copied on first write) plus anonymous memory for its .bss; the heap
 * starts after the last segment; the stack gets argv, envp and the
 * auxiliary vector laid out exactly as Linux does, so a Linux-built
 * static binary's start-up code finds them:
 *
 *   sp -> argc | argv[0..argc-1] | NULL | envp[..] | NULL | auxv pairs | AT_NULL |
 *         random bytes | "i686" | (alignment) | arg strings | env strings | execfn |
 *         NULL word | STACK_TOP
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/binfmts.h>
#include <anvil/elf.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/uaccess.h>
#include <anvil/slab.h>
#include <anvil/switch.h>
#include <anvil/random.h>
#include <abi/errno.h>
#include <abi/mman.h>
#include <abi/misc.h>

#define MAX_PHNUM 64
#define ELF_ET_DYN_BASE 0x00400000UL   /* where a static-pie (ET_DYN) is loaded */
#define ELF_PLATFORM "i686"
#define AT_RANDOM_BYTES 16
#define STACK_ALIGN 16
#define MAX_AUXV_PAIRS 20

struct elf_layout {
	unsigned long bias;                  /* added to every p_vaddr (ET_DYN) */
	unsigned long entry, phdr_addr;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long elf_bss, elf_brk;      /* end of file data / end of memory */
	bool exec_stack;
};

static int check_header(const Elf32_Ehdr *eh, loff_t file_size)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if ((eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_386)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf32_Phdr) || !eh->e_phnum || eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	if (eh->e_phoff > file_size || file_size - eh->e_phoff < eh->e_phnum * sizeof(Elf32_Phdr))
		return -ENOEXEC;
	return 0;
}

/* Every segment must fit the file, user space and the page-offset rule. */
static int check_segments(const Elf32_Ehdr *eh, const Elf32_Phdr *ph, loff_t file_size,
			  unsigned long bias)
{
	int loads = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf32_Phdr *p = &ph[i];
		unsigned long start = bias + p->p_vaddr;

		if (p->p_type == PT_INTERP) {
			printk(KERN_INFO "exec: dynamically linked programs are not supported\n");
			return -ENOEXEC;
		}
		if (p->p_type != PT_LOAD)
			continue;
		loads++;
		if (p->p_filesz > p->p_memsz || p->p_offset > file_size ||
		    file_size - p->p_offset < p->p_filesz)
			return -ENOEXEC;
		if (start < bias || start >= TASK_SIZE || p->p_memsz > TASK_SIZE - start ||
		    start < MMAP_MIN_ADDR)
			return -ENOEXEC;
		if ((p->p_vaddr & ~PAGE_MASK) != (p->p_offset & ~PAGE_MASK))
			return -ENOEXEC;
	}
	if (!loads || bias + eh->e_entry >= TASK_SIZE)
		return -ENOEXEC;
	return 0;
}

static unsigned long prot_of(const Elf32_Phdr *p)
{
	return ((p->p_flags & PF_R) ? PROT_READ : 0) | ((p->p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((p->p_flags & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD: file pages, then zero the rest of its last page, then .bss. */
static int map_segment(struct file *file, const Elf32_Phdr *p, struct elf_layout *l)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = l->bias + p->p_vaddr;
	unsigned long file_end = start + p->p_filesz, mem_end = start + p->p_memsz;
	unsigned long addr = start & PAGE_MASK;
	unsigned long ret;

	down_write(&mm->mmap_sem);
	if (p->p_filesz) {
		ret = do_mmap_pgoff(file, addr, PAGE_ALIGN(file_end) - addr, prot_of(p),
				    MAP_PRIVATE | MAP_FIXED,
				    (p->p_offset & PAGE_MASK) >> PAGE_SHIFT);
		if (ret != addr) {
			up_write(&mm->mmap_sem);
			return IS_ERR_VALUE(ret) ? (int)ret : -ENOMEM;
		}
	} else {
		file_end = addr;
	}
	if (PAGE_ALIGN(mem_end) > PAGE_ALIGN(file_end)) {
		ret = do_mmap_pgoff(NULL, PAGE_ALIGN(file_end),
				    PAGE_ALIGN(mem_end) - PAGE_ALIGN(file_end),
				    prot_of(p), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (ret != PAGE_ALIGN(file_end)) {
			up_write(&mm->mmap_sem);
			return IS_ERR_VALUE(ret) ? (int)ret : -ENOMEM;
		}
	}
	up_write(&mm->mmap_sem);
	/* the file's next bytes share .bss's first page: they must read as zero */
	if (p->p_memsz > p->p_filesz && (file_end & ~PAGE_MASK) && (p->p_flags & PF_W) &&
	    clear_user((void *)file_end, PAGE_SIZE - (file_end & ~PAGE_MASK)))
		return -EFAULT;

	if (p->p_flags & PF_X) {
		if (!l->start_code || start < l->start_code)
			l->start_code = start;
		if (file_end > l->end_code)
			l->end_code = file_end;
	} else {
		if (!l->start_data || start < l->start_data)
			l->start_data = start;
		if (file_end > l->end_data)
			l->end_data = file_end;
	}
	if (file_end > l->elf_bss)
		l->elf_bss = file_end;
	if (mem_end > l->elf_brk)
		l->elf_brk = mem_end;
	return 0;
}

/* Where the program headers are in memory (AT_PHDR), 0 if not loaded. */
static unsigned long phdr_address(const Elf32_Ehdr *eh, const Elf32_Phdr *ph, unsigned long bias)
{
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			return bias + ph[i].p_vaddr;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset <= eh->e_phoff &&
		    eh->e_phoff < ph[i].p_offset + ph[i].p_filesz)
			return bias + ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
	return 0;
}

static u32 cpu_hwcap(void)
{
	u32 eax, ebx, ecx, edx;

	cpuid(1, &eax, &ebx, &ecx, &edx);
	return edx;
}

/* The stack VMA: the arguments' pages plus room to grow into, growing down further on faults. */
static int setup_stack(unsigned long sp, bool exec)
{
	struct mm_struct *mm = current->mm;
	unsigned long size = PAGE_ALIGN(STACK_TOP - sp) + STACK_INIT_EXTRA;
	unsigned long prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0);
	unsigned long ret;

	down_write(&mm->mmap_sem);
	ret = do_mmap_pgoff(NULL, STACK_TOP - size, size, prot,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, 0);
	up_write(&mm->mmap_sem);
	mm->start_stack = STACK_TOP;
	return ret == STACK_TOP - size ? 0 : -ENOMEM;
}

/* Write the pointers to count strings from *pos on, then a NULL; *pos ends past the last. */
static int put_string_pointers(struct linux_binprm *bprm, u32 **sp, unsigned long *pos, int count)
{
	for (int i = 0; i < count; i++) {
		if (put_user(*pos, (*sp)++))
			return -EFAULT;
		*pos = arg_string_end(bprm, *pos);
	}
	return put_user(0, (*sp)++);
}

/*
 * Below the strings (binfmts.h) the platform string and the random bytes,
 * then, 16-byte aligned, argc, the pointers and the auxiliary vector.
 * Map the stack that holds it all and write it, a piece at a time.
 * Returns the new stack pointer, or an error.
 */
static long create_elf_tables(struct linux_binprm *bprm, const Elf32_Ehdr *eh,
			      const struct elf_layout *l)
{
	struct mm_struct *mm = current->mm;
	unsigned long platform = (bprm->p & ~(STACK_ALIGN - 1UL)) - sizeof(ELF_PLATFORM);
	unsigned long random = platform - AT_RANDOM_BYTES, pos = bprm->p;
	u32 auxv[2 * MAX_AUXV_PAIRS], *a = auxv, *sp, *u;
	u8 random_bytes[AT_RANDOM_BYTES];
	size_t nauxv, items;
	int err;

#define AUX(type, val) do { *a++ = (type); *a++ = (val); } while (0)
	AUX(AT_HWCAP, cpu_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, HZ);
	AUX(AT_PHDR, l->phdr_addr);
	AUX(AT_PHENT, sizeof(Elf32_Phdr));
	AUX(AT_PHNUM, eh->e_phnum);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, l->entry);
	AUX(AT_UID, current->uid);
	AUX(AT_EUID, bprm->euid);
	AUX(AT_GID, current->gid);
	AUX(AT_EGID, bprm->egid);
	AUX(AT_SECURE, bprm->secureexec);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, bprm->exec);
	AUX(AT_PLATFORM, platform);
	AUX(AT_NULL, 0);
#undef AUX
	nauxv = a - auxv;
	BUG_ON(nauxv > ARRAY_SIZE(auxv));
	items = 1 + bprm->argc + 1 + bprm->envc + 1 + nauxv;
	sp = (u32 *)((random - items * sizeof(u32)) & ~(STACK_ALIGN - 1UL));

	err = setup_stack((unsigned long)sp, l->exec_stack);
	if (err)
		return err;
	err = copy_arg_pages_to_user(bprm);
	if (err)
		return err;
	get_random_bytes(random_bytes, AT_RANDOM_BYTES);	/* seeds stack canaries */
	if (copy_to_user((void *)platform, ELF_PLATFORM, sizeof(ELF_PLATFORM)) ||
	    copy_to_user((void *)random, random_bytes, AT_RANDOM_BYTES) ||
	    put_user(bprm->argc, sp))
		return -EFAULT;
	u = sp + 1;
	mm->arg_start = pos;
	err = put_string_pointers(bprm, &u, &pos, bprm->argc);
	mm->arg_end = mm->env_start = pos;
	if (!err)
		err = put_string_pointers(bprm, &u, &pos, bprm->envc);
	mm->env_end = pos;
	if (err)
		return err;
	if (copy_to_user(u, auxv, nauxv * sizeof(u32)))
		return -EFAULT;
	return (long)sp;
}

/* Map everything into the (new, current) mm; returns the stack pointer or an error. */
static long build_image(struct linux_binprm *bprm, const Elf32_Ehdr *eh, const Elf32_Phdr *ph,
			struct elf_layout *l)
{
	struct mm_struct *mm = current->mm;
	int err;

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_GNU_STACK)
			l->exec_stack = ph[i].p_flags & PF_X;
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = map_segment(bprm->file, &ph[i], l);
		if (err)
			return err;
	}
	mm->start_code = l->start_code;
	mm->end_code = l->end_code;
	mm->start_data = l->start_data;
	mm->end_data = l->end_data;
	mm->start_brk = mm->brk = PAGE_ALIGN(l->elf_brk);
	return create_elf_tables(bprm, eh, l);
}

int load_elf_binary(struct linux_binprm *bprm, struct pt_regs *regs)
{
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)bprm->buf;
	loff_t size = bprm->file->f_inode->i_size;
	struct mm_struct *old_mm = current->mm, *mm;
	struct elf_layout l = { .exec_stack = true };
	Elf32_Phdr *ph;
	long sp;
	int err;

	err = check_header(eh, size);
	if (err)
		return err;
	ph = kmalloc(eh->e_phnum * sizeof(*ph), GFP_KERNEL);
	if (!ph)
		return -ENOMEM;
	err = -ENOEXEC;
	if (kernel_read(bprm->file, eh->e_phoff, ph, eh->e_phnum * sizeof(*ph)) !=
	    (ssize_t)(eh->e_phnum * sizeof(*ph)))
		goto out;
	if (eh->e_type == ET_DYN)
		l.bias = ELF_ET_DYN_BASE;
	err = check_segments(eh, ph, size, l.bias);
	if (err)
		goto out;
	l.entry = l.bias + eh->e_entry;
	l.phdr_addr = phdr_address(eh, ph, l.bias);

	/* build the new image in a fresh mm, the old one set aside */
	err = -ENOMEM;
	mm = mm_alloc();
	if (!mm)
		goto out;
	current->mm = current->active_mm = mm;
	switch_mm(mm);
	sp = build_image(bprm, eh, ph, &l);
	/* a stack address above 2 GiB is negative as a long */
	if (IS_ERR_VALUE(sp)) {
		err = sp;
		current->mm = current->active_mm = old_mm;
		if (old_mm)
			switch_mm(old_mm);
		else
			leave_mm();
		mmput(mm);
		goto out;
	}
	/* the point of no return */
	exec_commit(bprm, old_mm);
	start_thread(regs, l.entry, sp);
	err = 0;
out:
	kfree(ph);
	return err;
}

/*
 * rmapdot: one page's reverse map as Graphviz DOT on stdout (render with
 * `dot -Tsvg`): the page (frame, /proc/kpageflags, /proc/kpagecount) ->
 * each VMA mapping it -> its process -> the PTE (/proc/<pid>/pagemap bits),
 * found by scanning every pagemap for the same frame or swap entry.  The
 * kernel's rmap objects are GDB's `rmap-dot`; frame numbers need root.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <abi/kernel-page-flags.h>

#define PAGE_SIZE 4096UL
#define PM_WHERE (PM_PRESENT | PM_SWAP | PM_PFRAME_MASK)   /* the frame or swap entry */
#define SCAN_WORDS 512                                      /* pagemap words per read */

static const struct {
	int bit;
	const char *name;
} kpf_names[] = {
#define KPF(name) { KPF_##name, #name }
	KPF(LOCKED), KPF(ERROR), KPF(REFERENCED), KPF(UPTODATE), KPF(DIRTY), KPF(LRU),
	KPF(ACTIVE), KPF(SLAB), KPF(WRITEBACK), KPF(RECLAIM), KPF(BUDDY), KPF(MMAP),
	KPF(ANON), KPF(SWAPCACHE), KPF(SWAPBACKED), KPF(UNEVICTABLE), KPF(ZERO_PAGE),
	KPF(PGTABLE), KPF(RESERVED), KPF(MLOCKED),
#undef KPF
};

/* The 64-bit word at index of a /proc array file (pagemap, kpageflags, kpagecount). */
static int read_word(const char *path, unsigned long index, unsigned long long *word)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = pread(fd, word, sizeof(*word), (off_t)(index * sizeof(*word)));
	close(fd);
	return n == sizeof(*word) ? 0 : -1;
}

static void comm_of(int pid, char *comm, size_t size)
{
	char path[32];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(comm, size, "?");
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, size, f) && !strncmp(comm, "Name:\t", 6)) {
		memmove(comm, comm + 6, strlen(comm + 6) + 1);
		comm[strcspn(comm, "\n")] = '\0';
	}
	fclose(f);
}

/* The names of a pagemap entry's flag bits. */
static void pm_flags(unsigned long long w, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s", w & PM_PRESENT ? "present" : "swapped",
		 w & PM_MMAP_EXCLUSIVE ? " exclusive" : "", w & PM_FILE ? " file" : "",
		 w & PM_SOFT_DIRTY ? " soft-dirty" : "");
}

/* Every PTE of process pid, in each VMA of its maps, whose word names the same place. */
static int draw_vmas_of(int pid, unsigned long long where)
{
	char path[40], line[256], comm[64], flags[64];
	static unsigned long long words[SCAN_WORDS];
	unsigned long start, end;
	int fd, found = 0;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (!maps || fd < 0) {
		if (maps)
			fclose(maps);
		return 0;                  /* gone meanwhile, or a kernel thread */
	}
	comm_of(pid, comm, sizeof(comm));
	while (fgets(line, sizeof(line), maps)) {
		char *p, *perms;
		int vma_drawn = 0;

		/* "08048000-08052000 r-xp 00000000 03:00 12 /bin/sh" */
		start = strtoul(line, &p, 16);
		if (*p != '-')
			continue;
		end = strtoul(p + 1, &p, 16);
		line[strcspn(line, "\n")] = '\0';
		perms = p + strspn(p, " ");
		perms[strcspn(perms, " ")] = '\0';
		p = perms + strlen(perms) + 1;
		for (int field = 0; field < 3; field++) {       /* offset, device, inode */
			p += strspn(p, " ");
			p += strcspn(p, " ");
		}
		p += strspn(p, " ");
		if (!*p)
			p = "anonymous";
		for (unsigned long page = start; page < end; page += SCAN_WORDS * PAGE_SIZE) {
			size_t want = (end - page) / PAGE_SIZE;
			ssize_t got;

			if (want > SCAN_WORDS)
				want = SCAN_WORDS;
			got = pread(fd, words, want * sizeof(words[0]),
				    (off_t)(page / PAGE_SIZE * sizeof(words[0])));
			for (ssize_t i = 0; i < got / (ssize_t)sizeof(words[0]); i++) {
				unsigned long addr = page + i * PAGE_SIZE;

				if ((words[i] & PM_WHERE) != where)
					continue;
				if (!vma_drawn++) {
					printf("  vma_%d_%lx [label=\"VMA %08lx-%08lx %s\\n%s\"];\n",
					       pid, start, start, end, perms, p);
					printf("  page -> vma_%d_%lx;\n", pid, start);
					printf("  vma_%d_%lx -> mm_%d [label=\"vm_mm\"];\n", pid, start, pid);
				}
				pm_flags(words[i], flags, sizeof(flags));
				printf("  pte_%d_%lx [color=darkgreen, penwidth=2, label=\"PTE for %#010lx\\n"
				       "pagemap %#llx\\n%s\"];\n", pid, addr, addr, words[i], flags);
				printf("  mm_%d -> pte_%d_%lx;\n", pid, pid, addr);
				found++;
			}
		}
	}
	if (found)
		printf("  mm_%d [shape=ellipse, label=\"mm of pid %d (%s)\"];\n", pid, pid, comm);
	fclose(maps);
	close(fd);
	return found;
}

/* The graph of the page pid maps at addr; 0, or 1 with a message if there is none. */
static int draw(int pid, unsigned long addr)
{
	char path[40];
	unsigned long long w, kflags = 0, kcount = 0;
	unsigned long pfn;
	struct dirent *e;
	DIR *proc;
	int ptes = 0;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	if (read_word(path, addr / PAGE_SIZE, &w) < 0) {
		fprintf(stderr, "rmapdot: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!(w & (PM_PRESENT | PM_SWAP))) {
		fprintf(stderr, "rmapdot: pid %d maps no page at %#lx\n", pid, addr);
		return 1;
	}
	pfn = w & PM_PFRAME_MASK;
	if ((w & PM_PRESENT) && !pfn) {
		fprintf(stderr, "rmapdot: frame numbers are for root only (CAP_SYS_ADMIN)\n");
		return 1;
	}
	printf("digraph rmap {\n  rankdir=LR; node [shape=box, fontname=\"monospace\", fontsize=10];\n");
	printf("  label=\"reverse map of the page pid %d maps at %#lx (from /proc: every "
	       "process's pagemap)\"; labelloc=t;\n", pid, addr);
	if (w & PM_PRESENT) {
		read_word("/proc/kpageflags", pfn, &kflags);
		read_word("/proc/kpagecount", pfn, &kcount);
		printf("  page [style=bold, label=\"page frame %#lx\\nkpagecount %llu\\nkpageflags %#llx",
		       pfn, kcount, kflags);
		for (unsigned int i = 0; i < sizeof(kpf_names) / sizeof(kpf_names[0]); i++)
			if (kflags >> kpf_names[i].bit & 1)
				printf("\\nKPF_%s", kpf_names[i].name);
		printf("\"];\n");
	} else {
		printf("  page [style=bold, label=\"on swap: type %lu offset %lu\"];\n",
		       pfn & ((1 << PM_SWAP_TYPE_BITS) - 1), pfn >> PM_SWAP_TYPE_BITS);
	}
	proc = opendir("/proc");
	if (!proc) {
		fprintf(stderr, "rmapdot: /proc: %s\n", strerror(errno));
		return 1;
	}
	while ((e = readdir(proc)))
		if (isdigit((unsigned char)e->d_name[0]))
			ptes += draw_vmas_of(atoi(e->d_name), w & PM_WHERE);
	closedir(proc);
	printf("}\n");
	fprintf(stderr, "rmapdot: %d PTEs map it\n", ptes);
	return 0;
}

/*
 * A page of its own, written once and shared (copy-on-write) with
 * children that never touch it, drawn while they live: a fork family.
 */
static int draw_fork_family(int children)
{
	int gate[2], status = 0;
	char *page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED || pipe(gate) < 0) {
		perror("rmapdot");
		return 1;
	}
	page[0] = 1;
	for (int i = 0; i < children; i++) {
		pid_t pid = fork();
		char byte;

		if (pid < 0) {
			perror("rmapdot: fork");
			break;
		}
		if (pid == 0) {            /* wait for the parent's drawing: the pipe's EOF */
			close(gate[1]);
			read(gate[0], &byte, 1);
			_exit(0);
		}
	}
	close(gate[0]);
	status = draw(getpid(), (unsigned long)page);
	close(gate[1]);
	while (wait(NULL) > 0)
		;
	return status;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--fork"))
		return draw_fork_family(atoi(argv[2]));
	if (argc != 3) {
		fprintf(stderr, "usage: rmapdot PID ADDRESS   the page PID maps at ADDRESS (hex)\n"
			"       rmapdot --fork N      a page of its own shared with N forked children\n"
			"prints a Graphviz graph; render it on the host: dot -Tsvg -o rmap.svg\n");
		return 2;
	}
	return draw(atoi(argv[1]), strtoul(argv[2], NULL, 16));
}

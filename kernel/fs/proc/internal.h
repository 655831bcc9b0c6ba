/*
 * What the files of /proc share: the entry tables that describe a
 * directory's names, the inode a lookup makes for one, the text helpers,
 * and what each file of kernel/fs/proc/ offers the others.
 */
#ifndef PROC_INTERNAL_H
#define PROC_INTERNAL_H

#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>

struct task_struct;

/*
 * One name in a /proc directory; its mode says which kind it is:
 *   text file  show writes the whole text, made at open (proc_text_operations)
 *   file       its own fops: read at any offset (pagemap), or writable (core_pattern)
 *   link       show writes the target, made at lookup
 *   directory  iops and fops; a table directory lists subdir
 * A per-process entry's show gets the process; a global one gets NULL.
 */
struct proc_entry {
	const char *name;
	umode_t mode;
	size_t (*show)(char *buf, size_t size, struct task_struct *t);
	const struct file_operations *fops;
	const struct inode_operations *iops;
	const struct proc_entry *subdir;
	unsigned int nr_subdir;
};

#define PROC_TEXT(NAME, SHOW) { .name = NAME, .mode = S_IFREG | 0444, .show = SHOW }
#define PROC_FILE(NAME, PERM, FOPS) { .name = NAME, .mode = S_IFREG | (PERM), .fops = &FOPS }
#define PROC_LINK(NAME, SHOW) { .name = NAME, .mode = S_IFLNK | 0777, .show = SHOW }
#define PROC_DIR(NAME, PERM, IOPS, FOPS) \
	{ .name = NAME, .mode = S_IFDIR | (PERM), .iops = &IOPS, .fops = &FOPS }
#define PROC_TABLE_DIR(NAME, TABLE)                                                      \
	{ .name = NAME, .mode = S_IFDIR | 0555, .iops = &proc_table_inode_operations,     \
	  .fops = &proc_table_operations, .subdir = TABLE, .nr_subdir = ARRAY_SIZE(TABLE) }

/* What a /proc inode stands for: its i_private. */
struct proc_inode {
	const struct proc_entry *entry;     /* NULL for a /proc/<pid>/fd/<n> link */
	pid_t pid;                          /* the process it belongs to; 0 for global ones */
	char name[];                        /* what it was looked up by, for its path */
};

static inline struct proc_inode *PROC_I(const struct inode *inode)
{
	return inode->i_private;
}

/* inode.c: inodes, text files, links and table directories */
extern const struct file_operations proc_text_operations;
extern const struct inode_operations proc_table_inode_operations;
extern const struct file_operations proc_table_operations;
extern struct super_block proc_sb;
struct inode *proc_new_inode(struct inode *dir, const char *name, size_t len, umode_t mode,
			     const struct proc_entry *entry, pid_t pid);
struct inode *proc_new_link(struct inode *dir, const char *name, size_t len, umode_t mode,
			    pid_t pid, char *target, size_t target_len);
struct inode *proc_lookup_entry(struct inode *dir, const char *name, size_t len,
				const struct proc_entry *entries, unsigned int nr);
bool proc_fill(struct file *f, void *ctx, filldir_t filldir, loff_t pos, const char *name,
	       unsigned long ino, umode_t mode);
bool proc_fill_table(struct file *f, void *ctx, filldir_t filldir,
		     const struct proc_entry *entries, unsigned int nr);
size_t proc_format_len(size_t n, size_t size);
ssize_t proc_no_write(struct file *f, const char *ubuf, size_t count, loff_t *pos);
ssize_t proc_read_words(char *ubuf, size_t count, loff_t *pos, unsigned long nr_words,
			void (*fill)(void *arg, u64 *words, unsigned long first, size_t nr),
			void *arg);
size_t __printf(4, 5) add(char *buf, size_t size, size_t n, const char *fmt, ...);

/* root.c */
extern struct inode *proc_root;
/* The pid a /proc name stands for (decimal, no leading zero), or 0. */
pid_t proc_parse_pid(const char *name, size_t len);

/* base.c: the /proc/<pid> directories */
struct inode *proc_pid_dir(struct inode *dir, const char *name, size_t len, pid_t pid);

/* array.c */
size_t show_pid_stat(char *buf, size_t size, struct task_struct *p);
size_t show_pid_statm(char *buf, size_t size, struct task_struct *p);
size_t show_pid_status(char *buf, size_t size, struct task_struct *p);

/* task_mmu.c */
extern const struct file_operations proc_maps_operations;
extern const struct file_operations proc_pagemap_operations;

/* fd.c */
extern const struct inode_operations proc_fd_inode_operations;
extern const struct file_operations proc_fd_operations;

/* page.c */
extern const struct file_operations proc_kpagecount_operations;
extern const struct file_operations proc_kpageflags_operations;

/* proc_sysctl.c */
extern const struct inode_operations proc_sys_inode_operations;
extern const struct file_operations proc_sys_operations;

/* proc_misc.c: the global text files */
size_t show_meminfo(char *buf, size_t size, struct task_struct *t);
size_t show_vmstat(char *buf, size_t size, struct task_struct *t);
size_t show_slabinfo(char *buf, size_t size, struct task_struct *t);
size_t show_buddyinfo(char *buf, size_t size, struct task_struct *t);
size_t show_uptime(char *buf, size_t size, struct task_struct *t);
size_t show_stat(char *buf, size_t size, struct task_struct *t);
size_t show_loadavg(char *buf, size_t size, struct task_struct *t);
size_t show_version(char *buf, size_t size, struct task_struct *t);
size_t show_cmdline(char *buf, size_t size, struct task_struct *t);
size_t show_swaps(char *buf, size_t size, struct task_struct *t);
size_t show_diskstats(char *buf, size_t size, struct task_struct *t);
size_t show_cpuinfo(char *buf, size_t size, struct task_struct *t);
size_t show_interrupts(char *buf, size_t size, struct task_struct *t);
size_t show_kallsyms(char *buf, size_t size, struct task_struct *t);

/* kernel/profile.c: /proc/profile */
extern const struct file_operations proc_profile_operations;

#endif

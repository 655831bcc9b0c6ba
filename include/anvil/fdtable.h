/*
 * Per-process descriptor tables.  fork copies the table (each open file
 * gains a reference); exec closes the close-on-exec descriptors.
 */
#ifndef ANVIL_FDTABLE_H
#define ANVIL_FDTABLE_H

#include <anvil/fs.h>

struct files_struct {
	atomic_t count;
	struct file *fd[NR_OPEN_DEFAULT];
	unsigned long close_on_exec[NR_OPEN_DEFAULT / (8 * sizeof(unsigned long))];
};

void files_init(void);
struct files_struct *files_alloc(void);
struct files_struct *dup_files(struct files_struct *old);
void put_files_struct(struct files_struct *files);
void close_on_exec(struct files_struct *files);
int close_fd(unsigned int fd);
bool fd_is_cloexec(const struct files_struct *files, unsigned int fd);
void set_cloexec(struct files_struct *files, unsigned int fd, bool on);
/* Install f at fd (which must be free in files): dup2 and the kernel's own opens. */
void fd_install(struct files_struct *files, unsigned int fd, struct file *f);

#endif

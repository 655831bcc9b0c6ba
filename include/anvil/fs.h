/*
 * The VFS-lite: file systems (super_block), inodes, the address_space
 * holding a file's pages, open files and their operations.  The root is a
 * ramfs filled from the initramfs; tmpfs mounts, device nodes, pipes and
 * /proc plug in through the operations tables.  Names follow Linux.
 */
#ifndef ANVIL_FS_H
#define ANVIL_FS_H

#include <anvil/types.h>
#include <anvil/list.h>
#include <anvil/rbtree.h>
#include <anvil/atomic.h>
#include <anvil/spinlock.h>
#include <anvil/radix-tree.h>
#include <anvil/time.h>
#include <anvil/cred.h>
#include <abi/stat.h>
#include <abi/fcntl.h>
#include <abi/mount.h>

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAX_NESTED_LINKS 8       /* symbolic links followed within one another */
#define MAXSYMLINKS 40           /* symbolic links followed by one lookup */
#define LOOKUP_FOLLOW 0x0001     /* path_lookup: follow a link in the last component */
#define LOOKUP_EMPTY 0x0002      /* user_path_at: "" names dirfd itself */
#define NR_OPEN_DEFAULT 256      /* descriptors per process */
#define MAX_LFS_FILESIZE 0x7fffffffLL

/* inode_permission's mask: the rwx bits' values (and R_OK/W_OK/X_OK's) */
#define MAY_EXEC 0x0001
#define MAY_WRITE 0x0002
#define MAY_READ 0x0004
#define S_IRWXUGO 00777
#define S_IRUGO 00444
#define S_IXUGO 00111

struct inode;
struct file;
struct super_block;
struct page;
struct vm_area_struct;
struct poll_table;
struct block_device;
struct writeback_control;
struct address_space;

/*
 * How a file system fills its files' pages and writes them back.
 * readpage reads page (locked, in the page cache, not up to date) from
 * the disk, marks it up to date unless the read failed (PG_error) and
 * unlocks it.  writepage is given a locked page whose dirty bit the
 * caller has cleared (clear_page_dirty_for_io); it sets PG_writeback,
 * unlocks the page, starts the write -- whose completion calls
 * end_page_writeback -- and counts wbc->nr_to_write down.  A write that
 * fails, or cannot start, makes the page dirty again (set_page_dirty,
 * never SetPageDirty: nr_dirty counts) and records the error
 * (mapping_set_error).
 * Returns 0 or -errno (the page unlocked either way), or
 * AOP_WRITEPAGE_ACTIVATE: the page could not go (shmem with no swap
 * slot) and is still locked and dirty; reclaim keeps it active.
 * prepare_write and commit_write (Linux 2.6.11's) bracket write()'s copy
 * of bytes [from, to) into a locked page-cache page: prepare_write reads
 * the page if it is not up to date and allocates its blocks on the disk
 * (so a full disk is -ENOSPC before anything is copied); commit_write
 * marks it dirty and moves i_size.  Without them (ramfs, tmpfs) write()
 * fills the page cache alone.
 * readpages (optional; read-ahead's, mm/readahead.c) starts the reads of
 * nr pages, each as readpage is given one, in ascending index order:
 * unlike Linux's, which takes a list of pages it adds to the cache
 * itself, they are already in the cache.  A page whose read fails is
 * left not up to date, unlocked, and reports nothing: whoever wants it
 * reads it again.
 */
#define AOP_WRITEPAGE_ACTIVATE 0x80000
struct address_space_operations {
	int (*readpage)(struct file *file, struct page *page);
	void (*readpages)(struct file *file, struct address_space *mapping, struct page **pages,
			  unsigned int nr);
	int (*writepage)(struct page *page, struct writeback_control *wbc);
	int (*prepare_write)(struct file *file, struct page *page, unsigned int from,
			     unsigned int to);
	int (*commit_write)(struct file *file, struct page *page, unsigned int from,
			    unsigned int to);
};

/*
 * What a file (or shared anonymous object) has in memory: its pages in a
 * radix tree by page index, and the VMAs mapping it in i_mmap, an
 * interval tree by file page range (mm/interval_tree.c) -- the reverse
 * mapping of file pages (mm/rmap.c walks it).
 */
struct address_space {
	struct inode *host;
	struct radix_tree_root page_tree;
	spinlock_t tree_lock;
	unsigned long nrpages;
	struct rb_root i_mmap;             /* vm_area_structs, via vma->shared.rb */
	spinlock_t i_mmap_lock;
	unsigned long flags;               /* AS_EIO, AS_ENOSPC (anvil/writeback.h) */
	unsigned long nrdirty;             /* of nrpages, dirty ones counted in nr_dirty */
	unsigned long writeback_index;     /* where the next background writeback starts */
	unsigned long truncate_count;      /* unmap_mapping_range's: a fault that slept in
					      nopage checks it did not pass one (do_no_page) */
	bool swap_backed;                  /* shmem: anonymous memory behind a file, which
					      reclaim swaps out (mm/shmem_swap.c) */
	const struct address_space_operations *a_ops;   /* NULL: pages only in memory */
};

struct inode_operations {
	/* directories */
	struct inode *(*lookup)(struct inode *dir, const char *name, size_t len);
	int (*create)(struct inode *dir, const char *name, size_t len, umode_t mode,
		      dev_t rdev, struct inode **res);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len);
	int (*rename)(struct inode *old_dir, const char *old_name, size_t old_len,
		      struct inode *new_dir, const char *new_name, size_t new_len);
	int (*link)(struct inode *inode, struct inode *dir, const char *name, size_t len);
	int (*symlink)(struct inode *dir, const char *name, size_t len, const char *target,
		       size_t target_len);
	/* "magic" symbolic links (/proc/<pid>/fd/N): following one reaches this inode (with a
	   reference) instead of a lookup of the link's text; NULL and *err when it is gone */
	struct inode *(*get_link)(struct inode *link, int *err);
	/* all: replaces inode_permission's mode check when set (/proc/sys) */
	int (*permission)(struct inode *inode, int mask);
	/* regular files */
	int (*truncate)(struct inode *inode, loff_t size);
};

/* filldir: one directory entry for getdents64; returns false when the buffer is full */
typedef bool (*filldir_t)(void *ctx, const char *name, size_t len, loff_t next_pos,
			  unsigned long ino, unsigned int type);

struct file_operations {
	ssize_t (*read)(struct file *f, char *ubuf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *f, const char *ubuf, size_t count, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t offset, int whence);
	int (*readdir)(struct file *f, void *ctx, filldir_t filldir);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	/* POLL* bits ready now; first poll_wait() on every queue a change would be woken on */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	long (*fallocate)(struct file *f, int mode, loff_t offset, loff_t len);
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct inode *inode, struct file *f);
};

/* A change of owner, group or mode, for notify_change (attr.c); Linux's ATTR_ values. */
#define ATTR_MODE (1U << 0)
#define ATTR_UID (1U << 1)
#define ATTR_GID (1U << 2)
#define ATTR_CTIME (1U << 6)
#define ATTR_FORCE (1U << 9)          /* the kernel's own change: no permission checks */
#define ATTR_KILL_SUID (1U << 11)     /* clear S_ISUID ... */
#define ATTR_KILL_SGID (1U << 12)     /* ... and S_ISGID, if set */

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	uid_t ia_uid;
	gid_t ia_gid;
};

/* What statfs reports of a file system, before the 32- or 64-bit user layout. */
struct kstatfs {
	unsigned long f_type, f_bsize, f_namelen, f_frsize, f_flags;
	unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
};

struct super_operations {
	int (*statfs)(struct super_block *sb, struct kstatfs *buf);
	/* what /proc/<pid>/fd shows for an inode in no ramfs directory ("pipe:[ino]") */
	int (*dname)(struct inode *inode, char *buf, size_t size);
	/* mount(MS_REMOUNT)'s new MS_* flags and options (data may be NULL); 0 or -errno,
	   nothing changed */
	int (*remount_fs)(struct super_block *sb, unsigned long flags, const char *data);
	/* the last user of a file system made by mount(2) is gone: free it (tmpfs) */
	void (*kill_sb)(struct super_block *sb);
	/* sync, syncfs, umount: write the file system's own metadata (after its files'
	   pages: sync_filesystem); wait for the disk if wait; 0 or -errno */
	int (*sync_fs)(struct super_block *sb, int wait);
	/* the last reference to an inode is gone (Linux 2.6's): keep it in the icache, unused
	   (inode_add_lru), or let it go now (generic_delete_inode).  NULL: it goes */
	void (*drop_inode)(struct inode *inode);
};

/*
 * One file system instance.  Each inode points at its own (i_sb).  The
 * built-in ones are static; each tmpfs mount has its own, whose page
 * cache pages count against s_max_blocks (0: no limit).  A file system
 * is mounted once at most (no bind mounts), so the mount's flags -- and
 * the counts Linux keeps on the vfsmount, its users and its writers --
 * live here.
 */
struct super_block {
	unsigned long s_magic;              /* statfs's f_type (abi/statfs.h) */
	unsigned long s_blocksize;
	unsigned long s_flags;              /* MS_* mount flags (abi/mount.h) */
	const struct super_operations *s_op;
	struct inode *s_root;               /* mount(2)'s: the root directory, held */
	atomic_t s_active;                  /* users: its mount, open files, cwds, mounts on it */
	unsigned long s_writers;            /* mnt_want_write holders: files open for writing */
	bool s_expiry_mark;                 /* umount2(MNT_EXPIRE) asked once, nobody came since */
	unsigned long s_max_blocks, s_blocks;   /* pages, in memory or (tmpfs) on swap: the
						   limit, in use */
	unsigned long s_max_inodes, s_inodes;   /* inodes: the limit (0: none), in use */
	struct block_device *s_bdev;        /* a disk file system's disk; NULL in memory */
	void *s_fs_info;                    /* the file system's own (ext2_sb_info) */
};

/* ramfs directory entry: a name in a directory's list */
struct dir_entry {
	struct list_head list;
	struct inode *inode;
	size_t len;
	char name[];
};

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	uid_t i_uid;                        /* the owner, and the group (anvil/cred.h) */
	gid_t i_gid;
	unsigned int i_nlink;
	loff_t i_size;
	unsigned long i_blocks;             /* on a disk: 512-byte sectors it uses */
	dev_t i_rdev;                       /* device nodes */
	u32 i_atime, i_mtime, i_ctime;      /* seconds since the epoch */
	struct super_block *i_sb;           /* the file system it is in */
	atomic_t i_count;                   /* references (open files, cwd, lookups) */
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct address_space *i_mapping;    /* usually &i_data */
	struct address_space i_data;
	struct inode *i_parent;             /* directories: for ".."; files: the directory
					       of their latest name, for inode_path */
	struct list_head i_entries;         /* directories: struct dir_entry list */
	struct inode *i_mount;              /* a file system mounted on this directory */
	char *i_link;                       /* symbolic links: the target (i_size bytes + NUL) */
	void *i_private;                    /* per-file-system data (/proc entry, ext2 inode) */
	struct pipe_inode_info *i_pipe;     /* a pipe's or a FIFO's, on any file system */
	void (*i_evict)(struct inode *inode);   /* free i_private when the inode goes */
	unsigned long i_state;              /* I_NEW, I_FREEING */
	struct list_head i_lru;             /* unused (i_count 0) and cached: on inode_unused */
	struct list_head i_wb_list;         /* on the dirty inode list (mm/page-writeback.c) */
	unsigned long dirtied_when;         /* jiffies: when its oldest dirty page became so */
};

/*
 * A file's read-ahead window (Linux 2.6.11's, mm/readahead.c): the
 * pages last read ahead, [start, start + size), and the next window
 * already asked for, [ahead_start, ahead_start + ahead_size), which a
 * sequential reader's entry starts the one after; prev_page tells
 * sequential reads from random ones.
 */
struct file_ra_state {
	unsigned long start, size;
	unsigned long ahead_start, ahead_size;
	unsigned long prev_page;
	unsigned long ra_pages;             /* the largest window; 0: no read-ahead */
};

struct file {
	const struct file_operations *f_op;
	struct inode *f_inode;
	loff_t f_pos;
	struct file_ra_state f_ra;
	unsigned int f_flags;               /* O_ flags given to open */
	unsigned int f_mode;                /* FMODE_WRITER: it holds mnt_want_write */
	unsigned int f_pipe;                /* pipe read ends: the writers' opens seen at open */
	atomic_t f_count;
	void *private_data;
};

#define FMODE_WRITER 0x1

static inline bool file_readable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_WRONLY;
}

static inline bool file_writable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_RDONLY;
}

/* char devices: major/minor in one dev_t, as Linux's old 8:8 encoding */
#define MKDEV(ma, mi) (((ma) << 8) | (mi))
#define MAJOR(dev) ((dev) >> 8)
#define MINOR(dev) ((dev) & 0xff)

/* inode.i_state (Linux's): a file system's icache lookups wait while either is set */
#define I_NEW 0x1                 /* being read from the disk */
#define I_FREEING 0x2             /* being evicted: read it afresh once it is gone */

/* inode.c */
void inode_cache_init(void);
struct inode *new_inode(struct super_block *sb, umode_t mode);    /* owned by root */
void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);
void inode_add_lru(struct inode *inode);
void generic_delete_inode(struct inode *inode);
void invalidate_inodes(struct super_block *sb);
void shrink_icache_memory(unsigned long nr_scanned, gfp_t gfp);    /* reclaim's */
void drop_pagecache(void);
void drop_unused_inodes(void);
void address_space_init(struct address_space *mapping, struct inode *host);

/* file.c: open files and descriptor tables */
struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fop);
struct file *get_file(struct file *f);
void fput(struct file *f);
struct file *fget(unsigned int fd);     /* with a reference, or NULL */
struct file *fget_raw(unsigned int fd); /* O_PATH files too */
int fd_install_new(struct file *f, int min_fd, bool cloexec);   /* new fd or -EMFILE */
struct file *file_open_path(const char *path, unsigned int flags, umode_t mode, int *err);
struct file *file_open_exec(const char *path, int *err);   /* MAY_EXEC, not read */

/* attr.c */
bool inode_owner_or_capable(const struct inode *inode);
unsigned int setattr_should_drop_sgid(const struct inode *inode);
int notify_change(struct inode *inode, struct iattr *attr);
void file_remove_privs(struct inode *inode);

/* namei.c: permissions (the caller's fs ids) */
int inode_permission(struct inode *inode, int mask);    /* 0 or -EACCES */
int may_create(struct inode *dir, const char *name, size_t len);
int may_delete(struct inode *dir, struct inode *victim, bool isdir);
int vfs_remove(struct inode *dir, const char *name, size_t len, bool isdir);
int vfs_link(struct inode *inode, struct inode *dir, const char *name, size_t len);
int vfs_rename(struct inode *old_dir, const char *old_name, size_t old_len,
	       struct inode *new_dir, const char *new_name, size_t new_len);
/* namei.c: path lookup (kernel strings); results carry a reference */
struct inode *path_lookup(struct inode *base, const char *path, unsigned int flags, int *err);
struct inode *path_parent(struct inode *base, const char *path, const char **last,
			  size_t *last_len, int *err);
bool last_is_norm(const char *last, size_t len);
struct inode *root_inode(void);
void set_root_inode(struct inode *root);
int vfs_create(struct inode *dir, const char *last, size_t len, umode_t mode, dev_t rdev,
	       struct inode **res);
int vfs_mkdir(struct inode *base, const char *path, umode_t mode);
int vfs_mknod(struct inode *base, const char *path, umode_t mode, dev_t rdev);
/* The path of inode, from "/", into buf (kernel); returns the length or -errno. */
int inode_path(struct inode *inode, char *buf, size_t size);
struct inode *mount_covered(struct inode *root);
char *getname(const char *upath, int *err);
/* Resolve a user path relative to dirfd (AT_FDCWD or a directory fd). */
struct inode *user_path_at(int dirfd, const char *upath, unsigned int flags, int *err);
struct inode *user_path_parent_at(int dirfd, const char *upath, char **kpath,
				  const char **last, size_t *last_len, int *err);

/* statfs.c: a file system that counts no blocks or files (Linux's simple_statfs) */
extern const struct super_operations simple_super_operations;
int simple_statfs(struct super_block *sb, struct kstatfs *buf);

/* namespace.c: the mount table */
/* Device nodes, FIFOs and sockets: written through even on a read-only mount. */
static inline bool special_file(umode_t mode)
{
	return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

static inline bool sb_rdonly(const struct super_block *sb)
{
	return sb->s_flags & MS_RDONLY;
}

/* Is inode on a read-only mount?  (Linux asks the vfsmount; here the mount is the sb.) */
static inline bool __mnt_is_readonly(const struct inode *inode)
{
	return sb_rdonly(inode->i_sb);
}

/* May nothing be executed or mapped executable from inode's mount (MS_NOEXEC)? */
static inline bool path_noexec(const struct inode *inode)
{
	return inode->i_sb->s_flags & MS_NOEXEC;
}

int mnt_want_write(struct inode *inode);    /* 0, or -EROFS on a read-only mount */
void mnt_drop_write(struct inode *inode);
void activate_super(struct super_block *sb);   /* one user more (Linux's mntget) */
void deactivate_super(struct super_block *sb); /* one fewer; the last frees a detached tmpfs */
struct inode *path_get(struct inode *dir);  /* a cwd: the inode and its file system held */
void path_put(struct inode *dir);
void mnt_init(struct inode *root);
int mnt_set_root(const char *devname, const char *fstype, struct inode *root,
		 unsigned long flags);
int vfs_mount(const char *path, const char *devname, const char *fstype, struct inode *root);
/* fn for each mount, oldest first (mountpoint: the directory covered, or the root) */
void iterate_mounts(void (*fn)(void *ctx, const char *devname, struct inode *mountpoint,
			       const char *fstype, unsigned long flags), void *ctx);

/* tmpfs.c */
struct inode *tmpfs_mount(const char *data, unsigned long flags, int *err);
void tmpfs_init(void);

/* ext2/super.c */
struct inode *ext2_mount(const char *devname, unsigned long flags, int *err);

/* symlink.c */
int vfs_symlink(struct inode *dir, const char *last, size_t len, const char *target,
		size_t target_len);

/* ramfs.c */
struct inode *ramfs_new_root(void);
struct inode *ramfs_fill_root(struct super_block *sb, umode_t mode);
void ramfs_kill_tree(struct inode *dir);
struct inode *ramfs_create_child(struct inode *dir, const char *name, size_t len,
				 umode_t mode, dev_t rdev, int *err);
extern const struct inode_operations ramfs_dir_inode_operations;
int simple_dir_add(struct inode *dir, const char *name, size_t len, struct inode *inode);

/* devices.c */
const struct file_operations *chrdev_fops(dev_t rdev);
void devices_init(void);

/* pipe.c */
#define PIPE_MAX_SIZE (1024 * 1024)      /* pipe_max_size at boot (Linux's 1 MiB) */
extern unsigned int pipe_max_size;      /* F_SETPIPE_SZ's limit without CAP_SYS_RESOURCE:
					   /proc/sys/fs/pipe-max-size */
unsigned int round_pipe_size(unsigned long size);
extern const struct file_operations fifo_fops;
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

/* read_write.c */
ssize_t kernel_read(struct file *f, loff_t pos, void *buf, size_t count);
ssize_t kernel_write(struct file *f, loff_t pos, const void *buf, size_t count);
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence);

/* initramfs.c */
void populate_rootfs(void);
void free_initrd_mem(void);            /* the archives' memory, unpacked or not */

/* do_mounts.c */
void prepare_namespace(void);          /* the root (root= or the initramfs), /proc, /dev/shm */

/* proc/root.c */
void proc_root_init(void);

#endif

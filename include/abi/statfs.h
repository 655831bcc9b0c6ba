/*
 * statfs(2): struct statfs (the 32-bit call, 64 bytes) and struct statfs64
 * (84 bytes, packed to 4 as Linux i386 has it), the f_flags bits and the
 * f_type magic numbers of the file systems anvil has.
 */
#ifndef ABI_STATFS_H
#define ABI_STATFS_H

/* f_type */
#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define EXT2_SUPER_MAGIC 0xef53          /* also s_magic on the disk (abi/ext2_fs.h) */
#define PIPEFS_MAGIC 0x50495045

/* f_flags: ST_VALID says the field is filled in (Linux 2.6.36 on) */
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008
#define ST_VALID 0x0020
#define ST_RELATIME 0x1000

typedef struct {
	int val[2];
} abi_fsid_t;

struct statfs {
	unsigned long f_type;
	unsigned long f_bsize;
	unsigned long f_blocks;
	unsigned long f_bfree;
	unsigned long f_bavail;
	unsigned long f_files;
	unsigned long f_ffree;
	abi_fsid_t f_fsid;
	unsigned long f_namelen;
	unsigned long f_frsize;
	unsigned long f_flags;
	unsigned long f_spare[4];
};

struct statfs64 {
	unsigned long f_type;
	unsigned long f_bsize;
	unsigned long long f_blocks;
	unsigned long long f_bfree;
	unsigned long long f_bavail;
	unsigned long long f_files;
	unsigned long long f_ffree;
	abi_fsid_t f_fsid;
	unsigned long f_namelen;
	unsigned long f_frsize;
	unsigned long f_flags;
	unsigned long f_spare[4];
} __attribute__((packed, aligned(4)));

#endif

/*
 * The ext2 on-disk format (revision 1, as mke2fs makes it): the
 * superblock at byte 1024, the group descriptors in the block after it,
 * the inode and the linked-list directory entry, with the feature bits
 * Linux 2.6's include/linux/ext2_fs.h names.  All little-endian, as i386.
 */
#ifndef ABI_EXT2_FS_H
#define ABI_EXT2_FS_H

#include <abi/statfs.h>                     /* EXT2_SUPER_MAGIC */

#define EXT2_SUPER_OFFSET 1024              /* bytes from the start of the disk */
#define EXT2_MIN_BLOCK_LOG_SIZE 10          /* s_log_block_size 0: 1 KiB blocks */
#define EXT2_MIN_BLOCK_SIZE (1 << EXT2_MIN_BLOCK_LOG_SIZE)
#define EXT2_MAX_BLOCK_LOG_SIZE 16          /* 64 KiB, the largest Linux accepts */
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_ROOT_INO 2

/* s_state */
#define EXT2_VALID_FS 0x0001                /* unmounted cleanly */
#define EXT2_ERROR_FS 0x0002                /* errors detected */

/* s_feature_compat: anything goes */
#define EXT2_FEATURE_COMPAT_DIR_PREALLOC 0x0001
#define EXT2_FEATURE_COMPAT_EXT_ATTR 0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INO 0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
/* s_feature_ro_compat: an unknown one allows a read-only mount only */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR 0x0004
/* s_feature_incompat: an unknown one forbids any mount */
#define EXT2_FEATURE_INCOMPAT_COMPRESSION 0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT3_FEATURE_INCOMPAT_RECOVER 0x0004
#define EXT3_FEATURE_INCOMPAT_JOURNAL_DEV 0x0008
#define EXT2_FEATURE_INCOMPAT_META_BG 0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS 0x0040

struct ext2_super_block {
	unsigned int s_inodes_count;
	unsigned int s_blocks_count;
	unsigned int s_r_blocks_count;      /* reserved for root */
	unsigned int s_free_blocks_count;
	unsigned int s_free_inodes_count;
	unsigned int s_first_data_block;    /* 1 with 1 KiB blocks, else 0 */
	unsigned int s_log_block_size;      /* block size = 1024 << this */
	int s_log_frag_size;
	unsigned int s_blocks_per_group;
	unsigned int s_frags_per_group;
	unsigned int s_inodes_per_group;
	unsigned int s_mtime, s_wtime;
	unsigned short s_mnt_count;
	short s_max_mnt_count;
	unsigned short s_magic;
	unsigned short s_state;
	unsigned short s_errors;
	unsigned short s_minor_rev_level;
	unsigned int s_lastcheck, s_checkinterval;
	unsigned int s_creator_os;
	unsigned int s_rev_level;
	unsigned short s_def_resuid, s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	unsigned int s_first_ino;           /* first inode a file may use */
	unsigned short s_inode_size;
	unsigned short s_block_group_nr;    /* of this copy */
	unsigned int s_feature_compat;
	unsigned int s_feature_incompat;
	unsigned int s_feature_ro_compat;
	unsigned char s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	unsigned int s_algorithm_usage_bitmap;
	unsigned char s_prealloc_blocks, s_prealloc_dir_blocks;
	unsigned short s_padding1;
	unsigned int s_reserved[204];       /* journal, hash seed, ...: to 1024 bytes */
};

struct ext2_group_desc {
	unsigned int bg_block_bitmap;
	unsigned int bg_inode_bitmap;
	unsigned int bg_inode_table;        /* its first block */
	unsigned short bg_free_blocks_count;
	unsigned short bg_free_inodes_count;
	unsigned short bg_used_dirs_count;
	unsigned short bg_pad;
	unsigned int bg_reserved[3];
};

/* i_block[]: 12 direct blocks, then one indirect, one double, one triple */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK EXT2_NDIR_BLOCKS
#define EXT2_DIND_BLOCK (EXT2_IND_BLOCK + 1)
#define EXT2_TIND_BLOCK (EXT2_DIND_BLOCK + 1)
#define EXT2_N_BLOCKS (EXT2_TIND_BLOCK + 1)

/* i_flags */
#define EXT2_INDEX_FL 0x00001000            /* an htree directory: its blocks read as plain ones */

struct ext2_inode {
	unsigned short i_mode;
	unsigned short i_uid;               /* low 16 bits */
	unsigned int i_size;
	unsigned int i_atime, i_ctime, i_mtime, i_dtime;
	unsigned short i_gid;               /* low 16 bits */
	unsigned short i_links_count;
	unsigned int i_blocks;              /* 512-byte sectors, metadata blocks included */
	unsigned int i_flags;
	unsigned int l_i_reserved1;
	unsigned int i_block[EXT2_N_BLOCKS]; /* block numbers, or a fast symlink's text */
	unsigned int i_generation;
	unsigned int i_file_acl;
	unsigned int i_size_high;           /* i_dir_acl: regular files' size >> 32 */
	unsigned int i_faddr;
	unsigned char l_i_frag, l_i_fsize;
	unsigned short i_pad1;
	unsigned short l_i_uid_high;
	unsigned short l_i_gid_high;
	unsigned int l_i_reserved2;
};

/* A directory entry (EXT2_FEATURE_INCOMPAT_FILETYPE's layout); rec_len reaches the next. */
#define EXT2_NAME_LEN 255
struct ext2_dir_entry_2 {
	unsigned int inode;                 /* 0: an unused entry */
	unsigned short rec_len;
	unsigned char name_len;
	unsigned char file_type;            /* EXT2_FT_* */
	char name[EXT2_NAME_LEN];
};
#define EXT2_DIR_ENTRY_HEADER 8             /* the bytes before name */
#define EXT2_DIR_ROUND 4                    /* entries start 4-byte aligned */

enum {
	EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV, EXT2_FT_BLKDEV,
	EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX
};

#endif

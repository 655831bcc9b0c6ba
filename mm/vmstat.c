/*
 * The memory counters (anvil/vmstat.h) and their /proc/vmstat text, in
 * Linux's "name value" format with Linux's names where one exists.
 */
#include <anvil/kernel.h>
#include <anvil/vmstat.h>
#include <anvil/mm.h>

long vm_stat[NR_VM_STAT_ITEMS];
unsigned long vm_events[NR_VM_EVENT_ITEMS];

static const char *const vm_stat_names[NR_VM_STAT_ITEMS] = {
	[NR_MAPPED] = "nr_mapped",
	[NR_ANON_PAGES] = "nr_anon_pages",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_SHMEM] = "nr_shmem",
	[NR_SWAPCACHE] = "nr_swapcached",
	[NR_ACTIVE] = "nr_active",
	[NR_INACTIVE] = "nr_inactive",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_WRITEBACK] = "nr_writeback",
	[NR_MLOCK] = "nr_mlock",
};

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGSCAN] = "pgscan",
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PGSTEAL] = "pgsteal",
	[PGSTEAL_ANON] = "pgsteal_anon",
	[PGSTEAL_FILE] = "pgsteal_file",
	[PGROTATED] = "pgrotated",
	[NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[BALANCE_DIRTY_THROTTLED] = "balance_dirty_throttled",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGREFILL] = "pgrefill",
	[PGFREE_RECLAIM] = "pgfree_reclaim",
	[KSWAPD_WAKEUPS] = "kswapd_wakeups",
	[ALLOCSTALL] = "allocstall",
	[OOM_KILL] = "oom_kill",
	[RMAP_WALKS] = "rmap_walks",
	[RMAP_WALK_VMAS] = "rmap_walk_vmas",
	[RMAP_WALK_PTES] = "rmap_walk_ptes",
	[RMAP_UNMAPPED_PTES] = "rmap_unmapped_ptes",
	[RMAP_UNMAPPED_FILE_PTES] = "rmap_unmapped_file_ptes",
	[NOPAGE_TRUNCATE_RETRIES] = "nopage_truncate_retries",
	[NR_ANON_VMA_ALLOC] = "anon_vma_alloc",
	[NR_ANON_VMA_FREE] = "anon_vma_free",
	[ANONMM_MREMAP_COPIES] = "anonmm_mremap_copies",
	[SWAP_WRITE_ERRORS] = "swap_write_errors",
	[UNEVICTABLE_PGCULLED] = "unevictable_pgs_culled",
	[UNEVICTABLE_PGRESCUED] = "unevictable_pgs_rescued",
};

size_t vmstat_format(char *buf, size_t size)
{
	size_t n = snprintf(buf, size, "nr_free_pages %lu\n", nr_free_pages());

	for (int i = 0; i < NR_VM_STAT_ITEMS && n < size; i++)
		n += snprintf(buf + n, size - n, "%s %ld\n", vm_stat_names[i], vm_stat[i]);
	for (int i = 0; i < NR_VM_EVENT_ITEMS && n < size; i++)
		n += snprintf(buf + n, size - n, "%s %lu\n", vm_event_names[i], vm_events[i]);
	return n < size ? n : size;
}

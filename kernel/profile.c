/*
 * The kernel profiler, as Linux 2.6's `profile=` and /proc/profile: when
 * the kernel is booted with `profile` (or `profile=N`), a clock interrupt
 * samples the instruction pointer it interrupted and counts a hit in one
 * bucket of 2^N bytes of kernel text.  readprofile (user/bin/readprofile.c)
 * turns the buckets into a table of functions; tools/profile and
 * `make profile` run a program under it (docs/performance.md).
 */
#include <anvil/kernel.h>
#include <anvil/cmdline.h>
#include <anvil/fs.h>
#include <anvil/gfp.h>
#include <anvil/profile.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <asm/ptrace.h>
#include <abi/errno.h>

/*
 * Samples a second.  Linux counts on its timer tick (HZ 250-1000);
 * anvil's is HZ 100, too coarse to see a function that takes a few
 * per cent, so the RTC's periodic interrupt is the clock here.  Like
 * any interrupt-driven profiler it cannot see code that runs with
 * interrupts off: handlers, and the short _irqsave sections.
 */
#define PROFILE_HZ 1024
#define PROFILE_DEFAULT_SHIFT 2   /* a bare `profile`: one bucket per 4 bytes */
#define PROFILE_MAX_SHIFT 16

extern const char _text[], _etext[];

static u32 *prof_buffer;          /* hits per bucket of kernel text */
static unsigned long prof_len;    /* buckets */
static unsigned int prof_shift;
static unsigned int prof_order;   /* of the pages prof_buffer lives in */

/* One sample: a hit for the kernel text it interrupted; user time is not counted. */
static void profile_tick(struct pt_regs *regs)
{
	unsigned long pc;

	if (!regs || user_mode(regs))
		return;
	pc = (regs->eip - (unsigned long)_text) >> prof_shift;
	prof_buffer[min(pc, prof_len - 1)]++;    /* outside the text: the last bucket, as Linux */
}

void profile_init(void)
{
	const char *arg = kernel_param("profile");
	unsigned long bytes;
	unsigned int hz;

	if (!arg)
		return;
	prof_shift = *arg ? (unsigned int)cmdline_get_long(&kernel_cmdline, "profile", -1) :
			    PROFILE_DEFAULT_SHIFT;
	if (prof_shift > PROFILE_MAX_SHIFT) {
		printk(KERN_WARNING "profile: profile=%s is no shift (0 to %d): not profiling\n",
		       arg, PROFILE_MAX_SHIFT);
		return;
	}
	prof_len = (((unsigned long)(_etext - _text)) >> prof_shift) + 1;
	bytes = prof_len * sizeof(*prof_buffer);
	while ((PAGE_SIZE << prof_order) < bytes)
		prof_order++;
	prof_buffer = (u32 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, prof_order);
	if (!prof_buffer) {
		printk(KERN_WARNING "profile: no memory for %lu buckets; no profiling\n", prof_len);
		return;
	}
	hz = rtc_start_periodic(PROFILE_HZ, profile_tick);
	printk(KERN_NOTICE "profile: %lu buckets of %u bytes, %u samples a second\n", prof_len,
	       1U << prof_shift, hz);
}

/*
 * /proc/profile, in Linux's layout: one word giving the bucket size in
 * bytes, then one word of hits per bucket.  Empty when not profiling.
 */
static ssize_t profile_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	u32 step = 1U << prof_shift;
	size_t total = prof_buffer ? (prof_len + 1) * sizeof(u32) : 0;
	size_t done = 0;

	if (*pos >= (loff_t)total)
		return 0;
	count = min(count, total - (size_t)*pos);
	if (*pos < (loff_t)sizeof(step)) {
		done = min(count, sizeof(step) - (size_t)*pos);
		if (copy_to_user(ubuf, (char *)&step + *pos, done))
			return -EFAULT;
	}
	if (count > done &&
	    copy_to_user(ubuf + done, (char *)prof_buffer + (*pos + done - sizeof(step)),
			 count - done))
		return -EFAULT;
	*pos += count;
	return count;
}

/* Any write starts the count again (readprofile -r). */
static ssize_t profile_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	if (!prof_buffer)
		return -EINVAL;
	memset(prof_buffer, 0, prof_len * sizeof(*prof_buffer));
	return count;
}

const struct file_operations proc_profile_operations = {
	.read = profile_read,
	.write = profile_write,
	.llseek = generic_file_llseek,
};

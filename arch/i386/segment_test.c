/*
 * Tests of the segment registers on the trap path (arch/i386/entry.asm):
 * an interrupt must survive a %gs that names a TLS slot which has since
 * been cleared, as after a switch to a task without that slot.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/time.h>
#include <asm/desc.h>
#include <asm/processor.h>

#define TLS_TEST_SELECTOR (GDT_ENTRY_TLS_MIN * 8 + 3)
#define TICKS_TO_WAIT 2

static inline u16 read_gs(void)
{
	u16 sel;

	__asm__ __volatile__("movw %%gs, %0" : "=r"(sel));
	return sel;
}

static inline void write_gs(u16 sel)
{
	__asm__ __volatile__("movw %0, %%gs" : : "r"(sel) : "memory");
}

/*
 * The busybox/dd flake: a task with glibc's TLS in %gs slept; the next
 * task had no TLS; a timer tick in the kernel saved the stale selector,
 * failed to pop it, and every nested fault saved it again until the
 * stack overflowed into a triple fault.
 */
KTEST(segment_interrupt_with_stale_gs)
{
	struct user_desc flat = { .entry_number = GDT_ENTRY_TLS_MIN, .limit = 0xfffff,
				  .seg_32bit = 1, .limit_in_pages = 1 };
	unsigned long start;
	u64 desc;

	KT_EQ(t, tls_desc_from_user(&flat, &desc), 0);
	set_tls_desc(GDT_ENTRY_TLS_MIN, desc);
	write_gs(TLS_TEST_SELECTOR);
	KT_EQ(t, read_gs(), TLS_TEST_SELECTOR);
	set_tls_desc(GDT_ENTRY_TLS_MIN, 0);        /* the selector is stale now */

	local_irq_enable();
	start = jiffies;
	while (jiffies - start < TICKS_TO_WAIT)
		safe_halt();
	/* the tick's return fixed the pop up to the null selector */
	KT_EQ(t, read_gs(), 0);
}

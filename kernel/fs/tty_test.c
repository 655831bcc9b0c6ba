/*
 * Tests of the console line discipline's mode switches (kernel/fs/tty.c) on
 * a private tty_struct with echo off, so the real console is untouched:
 * input typed ahead survives a raw/canonical round trip, and a full ring
 * plus a full unfinished line cannot write past the tty's buffers.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/slab.h>
#include <anvil/tty.h>
#include <lib/string.h>

#define GUARD_BYTES 64
#define GUARD_FILL 0x5a

/* A tty with a guard zone behind it, in canonical mode without echo. */
static struct tty_struct *test_tty(void)
{
	struct tty_struct *tty = kzalloc(sizeof(*tty) + GUARD_BYTES, GFP_KERNEL);

	if (!tty)
		return NULL;
	memset(tty + 1, GUARD_FILL, GUARD_BYTES);
	init_waitqueue_head(&tty->read_wait);
	tty->termios.c_lflag = ICANON;
	tty->termios.c_cc[VEOF] = 'D' & 0x1f;
	tty->termios.c_cc[VMIN] = 1;
	return tty;
}

static bool guard_intact(const struct tty_struct *tty)
{
	const unsigned char *g = (const unsigned char *)(tty + 1);

	for (int i = 0; i < GUARD_BYTES; i++)
		if (g[i] != GUARD_FILL)
			return false;
	return true;
}

static void type(struct tty_struct *tty, const char *s)
{
	while (*s)
		tty_receive_char(tty, *s++);
}

static void set_canonical(struct tty_struct *tty, bool on)
{
	struct termios t = tty->termios;

	t.c_lflag = on ? t.c_lflag | ICANON : t.c_lflag & ~ICANON;
	tty_set_termios(tty, &t, false);
}

KTEST(tty_typed_ahead_survives_raw_and_back)
{
	struct tty_struct *tty = test_tty();

	KT_ASSERT(t, tty);
	type(tty, "ls\nec");
	set_canonical(tty, false);
	KT_EQ(t, tty->read_head - tty->read_tail, 5);   /* "ls\n" and "ec", plain bytes */
	set_canonical(tty, true);
	KT_EQ(t, tty->line_head - tty->line_tail, 1);   /* "ls\n" a line again */
	KT_EQ(t, tty->lines[tty->line_tail % TTY_MAX_LINES], 3);
	KT_EQ(t, tty->line_len, 2);                     /* "ec" being edited */
	KT_ASSERT(t, !memcmp(tty->line, "ec", 2));
	kfree(tty);
}

/* A user at the keyboard can fill both buffers; the switches must stay inside them. */
KTEST(tty_mode_switch_with_full_buffers_stays_in_bounds)
{
	struct tty_struct *tty = test_tty();
	char eof[2] = { tty ? (char)tty->termios.c_cc[VEOF] : 0, 0 };

	KT_ASSERT(t, tty);
	for (int i = 0; i < N_TTY_BUF_SIZE - 1; i++)
		tty_receive_char(tty, 'a');
	type(tty, eof);                               /* a 4095-byte line without its newline */
	for (int i = 0; i < N_TTY_BUF_SIZE - 1; i++)
		tty_receive_char(tty, 'b');
	set_canonical(tty, false);
	KT_ASSERT(t, tty->read_head - tty->read_tail <= N_TTY_BUF_SIZE);
	set_canonical(tty, true);
	KT_ASSERT(t, guard_intact(tty));
	KT_ASSERT(t, tty->line_len < N_TTY_BUF_SIZE);
	KT_ASSERT(t, tty->read_head - tty->read_tail <= N_TTY_BUF_SIZE);
	tty_receive_char(tty, '\n');                  /* Enter still ends a line */
	KT_ASSERT(t, tty->line_len == 0);
	kfree(tty);
}

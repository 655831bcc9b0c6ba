/*
 * The console tty: the line discipline between the COM1 UART and the
 * processes reading and writing /dev/console.  Input arrives in the
 * UART's interrupt handler (tty_receive); in canonical mode it is edited
 * in `line` (backspace, ^U) and moved to read_buf whole when Enter or ^D
 * ends it; ^C, ^\ and ^Z signal the foreground process group.  Output
 * turns "\n" into "\r\n" (OPOST|ONLCR).  termios and process-group
 * ioctls use Linux's numbers and structures, so isatty(), tcsetpgrp()
 * and raw mode work as programs expect.
 */
#include <anvil/kernel.h>
#include <anvil/tty.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/serial.h>
#include <anvil/uaccess.h>
#include <anvil/errno.h>
#include <anvil/poll.h>

#define CTRL(c) ((c) & 0x1f)
#define TTY_DEFAULT_ROWS 24
#define TTY_DEFAULT_COLS 80
#define TTY_WRITE_CHUNK 256
#define ASCII_DEL 0x7f

struct tty_struct console_tty = { .name = "console" };

static bool lflag(const struct tty_struct *tty, unsigned int f)
{
	return tty->termios.c_lflag & f;
}

static void tty_put_raw(struct tty_struct *tty, const char *s, size_t n)
{
	serial_write(tty->uart, s, n);
}

/* Output processing: "\n" becomes "\r\n" under OPOST|ONLCR. */
static void tty_output(struct tty_struct *tty, const char *s, size_t n)
{
	bool onlcr = (tty->termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (onlcr && s[i] == '\n') {
			tty_put_raw(tty, s + start, i - start);
			tty_put_raw(tty, "\r\n", 2);
			start = i + 1;
		}
	}
	tty_put_raw(tty, s + start, n - start);
}

static void echo(struct tty_struct *tty, char c)
{
	if (!lflag(tty, ECHO))
		return;
	if (c != '\n' && c != '\t' && (unsigned char)c < ' ') {
		char caret[2] = { '^', c + '@' };      /* control characters echo as ^X */

		tty_output(tty, caret, 2);
	} else {
		tty_output(tty, &c, 1);
	}
}

static unsigned int read_avail(const struct tty_struct *tty)
{
	return tty->read_head - tty->read_tail;
}

/* Move the edited line to the read queue (canonical mode). */
static void commit_line(struct tty_struct *tty, bool newline)
{
	unsigned int len = tty->line_len + (newline ? 1 : 0);

	if (tty->line_head - tty->line_tail >= TTY_MAX_LINES ||
	    read_avail(tty) + len > N_TTY_BUF_SIZE)
		return;                           /* nobody is reading: drop it */
	for (unsigned int i = 0; i < tty->line_len; i++)
		tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = tty->line[i];
	if (newline)
		tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = '\n';
	tty->lines[tty->line_head++ % TTY_MAX_LINES] = len;
	tty->line_len = 0;
	wake_up(&tty->read_wait);
}

static void flush_input(struct tty_struct *tty)
{
	tty->read_tail = tty->read_head;
	tty->line_tail = tty->line_head;
	tty->line_len = 0;
}

static void erase_char(struct tty_struct *tty)
{
	if (!tty->line_len)
		return;
	tty->line_len--;
	if (lflag(tty, ECHO) && lflag(tty, ECHOE))
		tty_output(tty, "\b \b", 3);
}

/* One input character, in interrupt context (or from a test, interrupts off). */
void tty_receive_char(struct tty_struct *tty, char c)
{
	const unsigned char *cc = tty->termios.c_cc;

	if (c == '\r' && (tty->termios.c_iflag & IGNCR))
		return;
	if (c == '\r' && (tty->termios.c_iflag & ICRNL))
		c = '\n';
	if (lflag(tty, ISIG) && (c == cc[VINTR] || c == cc[VQUIT] || c == cc[VSUSP])) {
		int sig = c == cc[VINTR] ? SIGINT : c == cc[VQUIT] ? SIGQUIT : SIGTSTP;

		echo(tty, c);             /* "^C", as Linux: the shell prints the new line */
		flush_input(tty);
		if (tty->pgrp)
			kill_pgrp(tty->pgrp, sig, 0);
		return;
	}
	if (!lflag(tty, ICANON)) {
		if (read_avail(tty) < N_TTY_BUF_SIZE)
			tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = c;
		echo(tty, c);
		wake_up(&tty->read_wait);
		return;
	}
	if (c == cc[VERASE] || c == '\b') {
		erase_char(tty);
	} else if (c == cc[VKILL]) {
		while (tty->line_len)
			erase_char(tty);
	} else if (c == cc[VEOF]) {
		commit_line(tty, false);          /* ^D on an empty line: a zero-length read, EOF */
	} else if (c == '\n') {
		echo(tty, c);
		commit_line(tty, true);
	} else if (tty->line_len < N_TTY_BUF_SIZE - 1) {
		tty->line[tty->line_len++] = c;
		echo(tty, c);
	}
}

static void tty_receive(struct uart *u)
{
	int c;

	while ((c = serial_read_byte(u)) >= 0)
		tty_receive_char(&console_tty, (char)c);
}

static bool input_ready(const struct tty_struct *tty)
{
	if (lflag(tty, ICANON))
		return tty->line_head != tty->line_tail;
	return read_avail(tty) > 0;
}

static ssize_t tty_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct tty_struct *tty = &console_tty;
	unsigned long flags;
	size_t done = 0;
	char kbuf[TTY_WRITE_CHUNK];

	if (!count)
		return 0;
	while (!input_ready(tty)) {
		if ((f->f_flags & O_NONBLOCK) || (!lflag(tty, ICANON) && !tty->termios.c_cc[VMIN]))
			return (f->f_flags & O_NONBLOCK) ? -EAGAIN : 0;
		if (wait_event_interruptible(tty->read_wait, input_ready(tty)))
			return -ERESTARTSYS;
	}
	local_irq_save(flags);
	if (lflag(tty, ICANON)) {
		/* at most the rest of the first line */
		unsigned int *len = &tty->lines[tty->line_tail % TTY_MAX_LINES];

		done = min(min(count, (size_t)*len), sizeof(kbuf));
		for (size_t i = 0; i < done; i++)
			kbuf[i] = tty->read_buf[tty->read_tail++ % N_TTY_BUF_SIZE];
		*len -= done;
		if (!*len)
			tty->line_tail++;
	} else {
		done = min(min(count, (size_t)read_avail(tty)), sizeof(kbuf));
		for (size_t i = 0; i < done; i++)
			kbuf[i] = tty->read_buf[tty->read_tail++ % N_TTY_BUF_SIZE];
	}
	local_irq_restore(flags);
	if (copy_to_user(ubuf, kbuf, done))
		return -EFAULT;
	return done;
}

static ssize_t tty_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	char kbuf[TTY_WRITE_CHUNK];
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, sizeof(kbuf));

		if (copy_from_user(kbuf, ubuf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		tty_output(&console_tty, kbuf, n);
		done += n;
	}
	return done;
}

/*
 * Leaving canonical mode (a shell's line editor going raw): the queued
 * lines and what was typed of the next one become plain bytes to read,
 * as much of the unfinished line as the ring still has room for.
 */
static void leave_canonical(struct tty_struct *tty)
{
	for (unsigned int i = 0; i < tty->line_len && read_avail(tty) < N_TTY_BUF_SIZE; i++)
		tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = tty->line[i];
	tty->line_len = 0;
	tty->line_tail = tty->line_head;
}

/*
 * Entering canonical mode (the editor done, a command about to run): bytes
 * typed ahead in raw mode are cut into lines again at each newline, and an
 * unfinished last line goes back to being edited, as if typed now -- cut
 * to what `line` holds, the limit tty_receive_char() keeps while typing.
 */
static void enter_canonical(struct tty_struct *tty)
{
	unsigned int start = tty->read_tail;

	tty->line_tail = tty->line_head;
	for (unsigned int i = tty->read_tail; i != tty->read_head; i++) {
		if (tty->read_buf[i % N_TTY_BUF_SIZE] != '\n' ||
		    tty->line_head - tty->line_tail == TTY_MAX_LINES)
			continue;
		tty->lines[tty->line_head++ % TTY_MAX_LINES] = i + 1 - start;
		start = i + 1;
	}
	tty->line_len = 0;
	for (unsigned int i = start; i != tty->read_head && tty->line_len < N_TTY_BUF_SIZE - 1; i++)
		tty->line[tty->line_len++] = tty->read_buf[i % N_TTY_BUF_SIZE];
	tty->read_head = start;
}

/*
 * TCSETS and friends: a switch between canonical and raw mode carries the
 * input across (above); a reader asleep in the old mode re-checks in the new.
 * Called with interrupts off, as tty_receive_char() runs in the UART interrupt.
 */
void tty_set_termios(struct tty_struct *tty, const struct termios *t, bool flush)
{
	if (flush)
		flush_input(tty);
	if ((tty->termios.c_lflag & ICANON) && !(t->c_lflag & ICANON))
		leave_canonical(tty);
	else if (!(tty->termios.c_lflag & ICANON) && (t->c_lflag & ICANON))
		enter_canonical(tty);
	tty->termios = *t;
	wake_up(&tty->read_wait);
}

static bool pgrp_in_session(pid_t pgrp, pid_t session)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pgrp == pgrp && p->session == session)
			return true;
	return false;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tty_struct *tty = &console_tty;
	void *uarg = (void *)arg;
	pid_t pgrp;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(uarg, &tty->termios, sizeof(tty->termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct termios t;
		unsigned long flags;

		if (copy_from_user(&t, uarg, sizeof(t)))
			return -EFAULT;
		local_irq_save(flags);
		tty_set_termios(tty, &t, cmd == TCSETSF);
		local_irq_restore(flags);
		return 0;
	}
	case TIOCGWINSZ:
		return copy_to_user(uarg, &tty->winsize, sizeof(tty->winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return copy_from_user(&tty->winsize, uarg, sizeof(tty->winsize)) ? -EFAULT : 0;
	case FIONREAD:
		return put_user((int)read_avail(tty), (int *)uarg);
	case TIOCGPGRP:
		if (current->tty != tty)
			return -ENOTTY;
		return put_user(tty->pgrp, (pid_t *)uarg);
	case TIOCSPGRP:
		if (current->tty != tty || tty->session != current->session)
			return -ENOTTY;
		if (get_user(pgrp, (pid_t *)uarg))
			return -EFAULT;
		if (pgrp <= 0)
			return -EINVAL;
		if (!pgrp_in_session(pgrp, current->session))
			return -EPERM;
		tty->pgrp = pgrp;
		return 0;
	case TIOCSCTTY:
		if (current->session != current->tgid || (current->tty && current->tty != tty))
			return -EPERM;
		tty_set_controlling(current, tty);
		return 0;
	case TIOCNOTTY:
		if (current->tty != tty)
			return -ENOTTY;
		current->tty = NULL;
		return 0;
	default:
		return -ENOTTY;
	}
}

/* Opening the console as a session leader without a terminal makes it ours. */
static int tty_open(struct inode *inode, struct file *f)
{
	if (!(f->f_flags & O_NOCTTY) && current->session == current->tgid && !current->tty &&
	    !console_tty.session)
		tty_set_controlling(current, &console_tty);
	return 0;
}

/* Output never blocks for long: always writable; readable when read() would not sleep. */
static unsigned int tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty_struct *tty = &console_tty;

	poll_wait(f, &tty->read_wait, pt);
	return POLLOUT | POLLWRNORM | (input_ready(tty) ? POLLIN | POLLRDNORM : 0);
}

const struct file_operations tty_fops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.open = tty_open,
};

/* /dev/tty: the caller's controlling terminal. */
static int tty_current_open(struct inode *inode, struct file *f)
{
	if (!current->tty)
		return -ENXIO;
	f->f_op = &tty_fops;
	return 0;
}

const struct file_operations tty_current_fops = {
	.open = tty_current_open,
};

void tty_set_controlling(struct task_struct *tsk, struct tty_struct *tty)
{
	tsk->tty = tty;
	tty->session = tsk->session;
	tty->pgrp = tsk->pgrp;
}

/* A session leader leaving hangs up its terminal's foreground, as on Linux. */
void tty_exit_task(struct task_struct *tsk)
{
	struct tty_struct *tty = tsk->tty;

	if (!tty || tsk->session != tsk->tgid || tty->session != tsk->session)
		return;
	if (tty->pgrp) {
		kill_pgrp(tty->pgrp, SIGHUP, 0);
		kill_pgrp(tty->pgrp, SIGCONT, 0);
	}
	tty->session = 0;
	tty->pgrp = 0;
	tsk->tty = NULL;
}

void tty_init(void)
{
	struct tty_struct *tty = &console_tty;
	static const unsigned char default_cc[NCCS] = {
		[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = ASCII_DEL,
		[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VMIN] = 1, [VSUSP] = CTRL('Z'),
	};

	tty->uart = &serial_ports[0];
	tty->termios.c_iflag = ICRNL;
	tty->termios.c_oflag = OPOST | ONLCR;
	tty->termios.c_cflag = B38400 | CS8 | CREAD;
	tty->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
	memcpy(tty->termios.c_cc, default_cc, sizeof(default_cc));
	tty->winsize.ws_row = TTY_DEFAULT_ROWS;
	tty->winsize.ws_col = TTY_DEFAULT_COLS;
	init_waitqueue_head(&tty->read_wait);
	tty->uart->rx_notify = tty_receive;
}

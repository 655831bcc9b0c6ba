/*
 * sh: where commands come from (a -c string, a script, or stdin), one
 * character at a time, with the prompts of an interactive shell: $PS1
 * ("$ ") before a command, $PS2 ("> ") before its continuation lines.
 * At a terminal each line is read whole by the line editor (lineedit.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

volatile int got_sigint;

static const char *str;          /* -c: the command string */
static int fd = -1;
static int one_byte;             /* read(fd) one byte at a time */
static char buf[4096];
static int pos, len;
static int pushed[2], npushed;   /* in_ungetc */
static int at_line_start = 1;
static int want_ps1 = 1;

void input_from_string(const char *s)
{
	str = s;
	npushed = 0;
}

void input_from_fd(int f, int one_byte_reads)
{
	fd = f;
	one_byte = one_byte_reads;
}

void input_new_command(void) { want_ps1 = 1; }

static const char *prompt(void)
{
	const char *p = var_get(want_ps1 ? "PS1" : "PS2");

	if (!p)
		p = want_ps1 ? "$ " : "> ";
	want_ps1 = 0;
	fflush(stdout);
	return p;
}

/* ^C while reading: drop the command typed so far and start over at the prompt. */
static void interrupted(void)
{
	got_sigint = 0;
	pos = len = npushed = 0;
	at_line_start = 1;
	write(2, "\n", 1);
	last_status = 130;
	longjmp(toplevel, 1);
}

/* Fill buf: one edited line at a terminal, else what read() gives; 0 at the end. */
static ssize_t fill(void)
{
	ssize_t n;

	got_sigint = 0;
	if (interactive && at_line_start) {
		const char *p = prompt();

		n = lineedit_read(fd, p, buf, sizeof(buf));
		if (n == LINEEDIT_INTERRUPTED)
			interrupted();
		if (n != LINEEDIT_NO_TTY)
			return n;
		write(2, p, strlen(p));
	}
	for (;;) {
		got_sigint = 0;
		n = read(fd, buf, one_byte ? 1 : sizeof(buf));
		if (n >= 0)
			return n;
		if (errno != EINTR)
			return 0;
		if (interactive && got_sigint)
			interrupted();
	}
}

static int next_char(void)
{
	ssize_t n;

	if (str)
		return *str ? (unsigned char)*str++ : EOF;
	if (pos < len)
		return (unsigned char)buf[pos++];
	n = fill();
	if (n == 0)
		return EOF;
	pos = 1;
	len = n;
	return (unsigned char)buf[0];
}

int in_getc(void)
{
	int c = npushed ? pushed[--npushed] : next_char();

	at_line_start = c == '\n';
	return c;
}

void in_ungetc(int c)
{
	pushed[npushed++] = c;
	at_line_start = 0;
}

void input_skip_line(void)
{
	int c;

	if (at_line_start)
		return;
	do
		c = in_getc();
	while (c != '\n' && c != EOF);
}

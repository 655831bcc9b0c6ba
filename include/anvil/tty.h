/*
 * The console terminal (kernel/fs/tty.c): a line discipline on the COM1
 * UART -- echo, line editing, ^C/^\/^Z signals to the foreground process
 * group, ^D end of file -- with Linux's termios ioctls.
 */
#ifndef ANVIL_TTY_H
#define ANVIL_TTY_H

#include <anvil/types.h>
#include <anvil/wait.h>
#include <abi/termios.h>

#define N_TTY_BUF_SIZE 4096
#define TTY_MAX_LINES 64

struct uart;
struct task_struct;
struct file_operations;

struct tty_struct {
	const char *name;
	struct uart *uart;
	struct termios termios;
	struct winsize winsize;
	pid_t pgrp;                        /* foreground process group */
	pid_t session;                     /* the session it controls, 0 if none */
	/* cooked input ready for read(): a ring, and the lengths of its lines */
	char read_buf[N_TTY_BUF_SIZE];
	unsigned int read_head, read_tail;
	unsigned int lines[TTY_MAX_LINES]; /* canonical mode: line lengths (0 = EOF) */
	unsigned int line_head, line_tail;
	/* the line being edited */
	char line[N_TTY_BUF_SIZE];
	unsigned int line_len;
	wait_queue_head_t read_wait;
};

extern struct tty_struct console_tty;

void tty_receive_char(struct tty_struct *tty, char c);
void tty_set_termios(struct tty_struct *tty, const struct termios *t, bool flush);
extern const struct file_operations tty_fops;
extern const struct file_operations tty_current_fops;

void tty_init(void);
/* init's controlling terminal: the console, for session sid */
void tty_set_controlling(struct task_struct *tsk, struct tty_struct *tty);
void tty_exit_task(struct task_struct *tsk);

#endif

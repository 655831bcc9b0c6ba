/*
 * printk: the kernel log.  Messages go into a ring buffer (read back by
 * dmesg through syslog(2)) and to every registered console whose
 * threshold the level passes.  Levels are Linux's "<0>".."<7>" prefixes.
 */
#ifndef ANVIL_PRINTK_H
#define ANVIL_PRINTK_H

#include <anvil/compiler.h>
#include <anvil/list.h>
#include <anvil/types.h>

#define KERN_EMERG "<0>"
#define KERN_ALERT "<1>"
#define KERN_CRIT "<2>"
#define KERN_ERR "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE "<5>"
#define KERN_INFO "<6>"
#define KERN_DEBUG "<7>"
#define LOGLEVEL_DEFAULT 4 /* a message without a prefix (Linux's default) */
#define CONSOLE_LOGLEVEL_DEFAULT 7 /* print levels 0-6: everything but debug */
#define CONSOLE_LOGLEVEL_QUIET 4   /* "quiet": levels 0-3, errors and worse */

#define LOG_BUF_LEN (64 * 1024)

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)

/* A console: somewhere log text is written (serial port, VGA screen). */
struct console {
	const char *name;
	void (*write)(const char *s, size_t n);
	struct list_head list;
};

void register_console(struct console *con);
extern int console_loglevel;

/* Write raw text to the consoles, bypassing levels and the log buffer. */
void console_write(const char *s, size_t n);

/*
 * Copy up to len bytes of the log, oldest first, into buf (a kernel
 * buffer).  Returns the number of bytes copied.  Used by syslog(2).
 */
size_t log_buf_read(char *buf, size_t len);
size_t log_buf_len_used(void);
void log_buf_clear(void);

#endif

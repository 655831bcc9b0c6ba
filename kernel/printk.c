/*
 * The kernel log.  printk() formats a message, stores it with its level
 * and a timestamp in log_buf (a ring, read back by dmesg), and writes
 * it to the registered consoles if its level is below console_loglevel.
 * Safe from interrupt handlers; during a panic it stops taking its lock
 * so that the last words always get out.
 */
#include <anvil/kernel.h>
#include <anvil/spinlock.h>
#include <anvil/time.h>

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

static char log_buf[LOG_BUF_LEN];
static unsigned long log_end;   /* total bytes ever logged; ring index = log_end % LEN */
static bool line_open;          /* the last message did not end in '\n' */
static int line_level;          /* level of the open line */
static LIST_HEAD(consoles);
static DEFINE_SPINLOCK(logbuf_lock);

void register_console(struct console *con)
{
	list_add_tail(&con->list, &consoles);
}

void console_write(const char *s, size_t n)
{
	struct console *con;

	list_for_each_entry(con, &consoles, list)
		con->write(s, n);
}

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_end + i) % LOG_BUF_LEN] = s[i];
	log_end += n;
}

/* Store and print one piece of a message; a new line gets "<l>[ time] ". */
static void emit(const char *text, size_t n, int level)
{
	char head[32];
	int hl = 0;

	if (!line_open) {
		u64 ns = sched_clock();
		u32 sec = (u32)(ns / NSEC_PER_SEC);
		u32 usec = (u32)((ns % NSEC_PER_SEC) / NSEC_PER_USEC);

		hl = snprintf(head, sizeof(head), "<%d>[%5u.%06u] ", level, sec, usec);
		line_level = level;
	}
	log_store(head, hl);
	log_store(text, n);
	if (line_level < console_loglevel)
		console_write(text, n);
	line_open = n == 0 || text[n - 1] != '\n';
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	const char *p = buf;
	unsigned long flags;
	int level = LOGLEVEL_DEFAULT;
	int n, total;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	total = n;
	if (p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>') {
		level = p[1] - '0';
		p += 3;
		n -= 3;
	}

	local_irq_save(flags);
	if (!oops_in_progress)
		spin_lock(&logbuf_lock);
	/* split at newlines so every line gets its own header */
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		int len = nl ? (int)(nl - p) + 1 : n;

		emit(p, len, line_open ? line_level : level);
		p += len;
		n -= len;
	}
	if (!oops_in_progress)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
	return total;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

size_t log_buf_len_used(void)
{
	return log_end < LOG_BUF_LEN ? log_end : LOG_BUF_LEN;
}

size_t log_buf_read(char *buf, size_t len)
{
	unsigned long flags;
	unsigned long start;
	size_t n;

	spin_lock_irqsave(&logbuf_lock, flags);
	n = log_buf_len_used();
	start = log_end - n;
	if (len < n) {           /* keep the newest part */
		start += n - len;
		n = len;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(start + i) % LOG_BUF_LEN];
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return n;
}

void log_buf_clear(void)
{
	unsigned long flags;

	spin_lock_irqsave(&logbuf_lock, flags);
	log_end = 0;
	line_open = false;
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

/*
 * sh: line editing and history at a terminal, the way readline does it.
 * While a line is read the terminal is in raw mode (no canonical editing,
 * no echo, ^C a plain byte) and the shell echoes, moves the cursor and
 * recalls earlier lines itself; the settings go back before the line runs.
 * Keys are the bytes a VT100/xterm terminal (QEMU's serial console) sends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "sh.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f
#define HISTORY_MAX 200
#define SEARCH_MAX 64
#define OUT_MAX 8192
#define ESCAPES_MAX 32          /* room the redraw's escape sequences take */
#define DEFAULT_COLS 80         /* when the terminal does not say how wide it is */
#define MIN_COLS 2
/* What a terminal left raw by a killed program goes back to: the kernel's defaults (tty.c). */
#define SANE_LFLAG (ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN)
#define NO_BYTE (-1)
#define NOT_DRAWN ((size_t)-1)

/* What an escape sequence (or its control-key twin) asks for. */
enum key {
	K_NONE, K_LEFT, K_RIGHT, K_UP, K_DOWN, K_HOME, K_END, K_DELETE,
};

struct line {
	char *buf;          /* the text, not NUL-terminated */
	size_t len, cur;    /* its length and the cursor */
	size_t size;        /* room in buf, one kept for the final newline */
	size_t left;        /* the first column of prompt and text shown */
	size_t cols;        /* the terminal's width */
	size_t drawn;       /* buf[0..drawn) is on the screen, the cursor after it, nothing more; or NOT_DRAWN */
	int pushed;         /* a byte read too far, or NO_BYTE */
	int fd;
};

static const char clear_screen[] = "\x1b[H\x1b[2J";   /* ^L: home, erase the screen */
static char *history[HISTORY_MAX];
static int history_len;

/* Keep a line (without its newline) unless it is blank or repeats the last one. */
static void history_add(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return;
	if (history_len && strlen(history[history_len - 1]) == n &&
	    !memcmp(history[history_len - 1], s, n))
		return;
	if (history_len == HISTORY_MAX) {
		free(history[0]);
		memmove(history, history + 1, (HISTORY_MAX - 1) * sizeof(history[0]));
		history_len--;
	}
	history[history_len] = xmalloc(n + 1);
	memcpy(history[history_len], s, n);
	history[history_len++][n] = '\0';
}

/* The history builtin: the lines kept, numbered from 1 as bash numbers them. */
int builtin_history(int argc, char **argv)
{
	for (int i = 0; i < history_len; i++)
		printf("%5d  %s\n", i + 1, history[i]);
	return 0;
}

static void out(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

/* The terminal's width from TIOCGWINSZ, as much as one redraw can hold. */
static size_t terminal_cols(int fd)
{
	struct winsize ws;
	size_t cols = ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : DEFAULT_COLS;

	return cols < MIN_COLS ? MIN_COLS : cols > OUT_MAX - ESCAPES_MAX ? OUT_MAX - ESCAPES_MAX : cols;
}

/*
 * Is the window [left, left + width) still right for the cursor at "at"?
 * The cursor may stand just after the last column drawn only at the end.
 */
static int window_holds(const struct line *l, size_t at, size_t total)
{
	size_t width = l->cols - 1;

	return at >= l->left && (at < l->left + width || (at == l->left + width && at == total));
}

/*
 * Redraw the line as readline's horizontal-scroll mode does: prompt and
 * text are one strip, of which one row less a column is shown (so the
 * terminal never wraps), the window jumping by half a row when the
 * cursor leaves it.  \r, the window, erase the rest of the row, the
 * cursor back to its place: one write, so the cursor never wanders.
 */
static void refresh(struct line *l, const char *prompt)
{
	static char o[OUT_MAX];
	size_t plen = strlen(prompt), total = plen + l->len, at = plen + l->cur;
	size_t width = l->cols - 1, end, n = 0;

	if (total <= width)
		l->left = 0;
	else if (!window_holds(l, at, total))
		l->left = at > width / 2 ? at - width / 2 : 0;
	end = total < l->left + width ? total : l->left + width;
	o[n++] = '\r';
	for (size_t i = l->left; i < end; i++)
		o[n++] = i < plen ? prompt[i] : l->buf[i - plen];
	n += snprintf(o + n, sizeof(o) - n, "\x1b[K");
	if (at < end)
		n += snprintf(o + n, sizeof(o) - n, "\x1b[%zuD", end - at);
	out(l->fd, o, n);
	l->drawn = l->cur == l->len ? l->len : NOT_DRAWN;
}

/* The text from "from" on changes: what the screen shows of it is no longer right. */
static void changed(struct line *l, size_t from)
{
	if (from < l->drawn)
		l->drawn = NOT_DRAWN;
}

/*
 * After a key: while more input waits nothing is drawn; text typed at the
 * end of the line since the last drawing, still in the window, is just
 * echoed (a pasted line costs its length, not its length squared); else
 * the line is redrawn.
 */
static void update(struct line *l, const char *prompt)
{
	size_t end = strlen(prompt) + l->len;
	int n;

	if (l->pushed != NO_BYTE || (ioctl(l->fd, FIONREAD, &n) == 0 && n > 0))
		return;
	if (l->drawn <= l->len && l->cur == l->len && window_holds(l, end, end)) {
		out(l->fd, l->buf + l->drawn, l->len - l->drawn);
		l->drawn = l->len;
		return;
	}
	refresh(l, prompt);
}

/* The next byte from the terminal (or the one pushed back); -1 at end of input or on an error. */
static int get_byte(struct line *l)
{
	unsigned char c;
	ssize_t n;

	if (l->pushed != NO_BYTE) {
		int b = l->pushed;

		l->pushed = NO_BYTE;
		return b;
	}
	for (;;) {
		n = read(l->fd, &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR && !got_sigint)
			continue;
		return -1;
	}
}

/*
 * After ESC: "[A".."[D" arrows, "[H" "[F" (and "OH" "OF", "[1~" "[7~",
 * "[4~" "[8~", which other terminals send) Home and End, "[3~" Delete.
 * A CSI is read to its final byte (ECMA-48: parameter bytes 0x30-0x3f,
 * intermediates 0x20-0x2f, a final 0x40-0x7e); parameters after the
 * first (modifiers, as in "[1;5C") are ignored, and so is a sequence with
 * a private marker or intermediates (a terminal's reply, "[?1;2c").
 * A byte that starts no sequence, or a control byte inside one, is
 * pushed back to be a key of its own.
 */
static enum key escape_sequence(struct line *l)
{
	int c = get_byte(l), param = 0, first = 1, known = 1;

	if (c == 'O') {
		c = get_byte(l);
	} else if (c != '[') {
		l->pushed = c;
		return K_NONE;
	} else {
		while ((c = get_byte(l)) >= ' ' && c < '@') {
			if (c >= '0' && c <= '9' && first)
				param = param * 10 + c - '0';
			else if (c == ';')
				first = 0;
			else if (c < '0' || c > '9')
				known = 0;
		}
	}
	if (c < '@' || c > '~') {
		l->pushed = c;
		return K_NONE;
	}
	if (!known)
		return K_NONE;
	switch (c) {
	case 'A': return K_UP;
	case 'B': return K_DOWN;
	case 'C': return K_RIGHT;
	case 'D': return K_LEFT;
	case 'H': return K_HOME;
	case 'F': return K_END;
	case '~':
		return param == 1 || param == 7 ? K_HOME : param == 4 || param == 8 ? K_END :
		       param == 3 ? K_DELETE : K_NONE;
	default:
		return K_NONE;
	}
}

static void insert(struct line *l, char c)
{
	if (l->len + 1 >= l->size)
		return;
	changed(l, l->cur);
	memmove(l->buf + l->cur + 1, l->buf + l->cur, l->len - l->cur);
	l->buf[l->cur++] = c;
	l->len++;
}

/* Remove the text between from and to (from <= to). */
static void cut(struct line *l, size_t from, size_t to)
{
	changed(l, from);
	memmove(l->buf + from, l->buf + to, l->len - to);
	l->len -= to - from;
	l->cur = from;
}

static void set_text(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n >= l->size)
		n = l->size - 1;
	changed(l, 0);
	memcpy(l->buf, s, n);
	l->len = l->cur = n;
}

/*
 * Up and down walk the history; the line being typed is kept as the
 * entry after the last, so coming back down finds it again.
 */
static void history_move(struct line *l, int *at, int step, char **draft)
{
	int to = *at + step;

	if (to < 0 || to > history_len)
		return;
	if (*at == history_len) {
		free(*draft);
		*draft = xmalloc(l->len + 1);
		memcpy(*draft, l->buf, l->len);
		(*draft)[l->len] = '\0';
	}
	*at = to;
	set_text(l, to == history_len ? *draft : history[to]);
}

/*
 * ^R: reverse incremental search, as bash's.  Each key typed extends the
 * query and shows the newest line holding it; ^R again looks further back,
 * Backspace shortens the query.  Any other key ends the search with the
 * match on the line, and is returned to be handled as usual (Enter runs
 * it); ^G gives the line back as it was and returns 0, ^C too but is
 * returned (the line is then dropped, after it is shown).
 */
static int reverse_search(struct line *l)
{
	char query[SEARCH_MAX], prompt[SEARCH_MAX + 32];
	char *original = xmalloc(l->len + 1);
	size_t qlen = 0, original_len = l->len, original_cur = l->cur;
	int match = history_len, from, c;    /* history_len: nothing found */

	memcpy(original, l->buf, l->len);
	for (;;) {
		snprintf(prompt, sizeof(prompt), "(reverse-i-search)`%.*s': ", (int)qlen, query);
		set_text(l, match < history_len ? history[match] : "");
		refresh(l, prompt);
		c = get_byte(l);
		if (c == CTRL('R')) {
			from = match - 1;
		} else if (c == KEY_DEL || c == '\b') {
			qlen -= qlen > 0;
			from = history_len - 1;
		} else if (c >= ' ') {
			if (qlen < sizeof(query) - 1)
				query[qlen++] = (char)c;
			from = match < history_len ? match : history_len - 1;
		} else {
			break;
		}
		query[qlen] = '\0';
		for (int i = from; i >= 0; i--)
			if (strstr(history[i], query)) {
				match = i;
				break;
			}
	}
	if (c == CTRL('G') || c == CTRL('C')) {
		memcpy(l->buf, original, original_len);
		l->len = original_len;
		l->cur = original_cur;
	}
	free(original);
	return c == CTRL('G') ? 0 : c;
}

/* One editing key (an escape sequence read whole) applied to the line. */
static void edit(struct line *l, int c, int *at, char **draft)
{
	enum key k = K_NONE;
	size_t from;

	switch (c) {
	case KEY_ESC: k = escape_sequence(l); break;
	case CTRL('A'): k = K_HOME; break;
	case CTRL('E'): k = K_END; break;
	case CTRL('B'): k = K_LEFT; break;
	case CTRL('F'): k = K_RIGHT; break;
	case CTRL('P'): k = K_UP; break;
	case CTRL('N'): k = K_DOWN; break;
	case CTRL('D'): k = K_DELETE; break;
	case KEY_DEL:
	case '\b':
		if (l->cur)
			cut(l, l->cur - 1, l->cur);
		break;
	case CTRL('K'):
		changed(l, l->cur);
		l->len = l->cur;
		break;
	case CTRL('U'):
		cut(l, 0, l->cur);
		break;
	case CTRL('W'):         /* the word before the cursor and the blanks after it */
		for (from = l->cur; from && l->buf[from - 1] == ' '; from--)
			;
		while (from && l->buf[from - 1] != ' ')
			from--;
		cut(l, from, l->cur);
		break;
	case CTRL('L'):
		changed(l, 0);
		out(l->fd, clear_screen, sizeof(clear_screen) - 1);
		break;
	default:
		if (c >= ' ')
			insert(l, (char)c);
		break;
	}
	switch (k) {
	case K_LEFT: l->cur -= l->cur > 0; break;
	case K_RIGHT: l->cur += l->cur < l->len; break;
	case K_HOME: l->cur = 0; break;
	case K_END: l->cur = l->len; break;
	case K_UP: history_move(l, at, -1, draft); break;
	case K_DOWN: history_move(l, at, 1, draft); break;
	case K_DELETE:
		if (l->cur < l->len)
			cut(l, l->cur, l->cur + 1);
		break;
	case K_NONE: break;
	}
}

/*
 * Raw mode for the time of one line: Enter returns it (with its newline,
 * kept in the history), ^C drops it, ^D on an empty line (or the end of
 * input) is EOF; every other key edits.  The saved settings come back
 * before returning, whatever ends the line -- made sane first: a shell
 * killed at its prompt left them raw, and they must not stay so.
 */
ssize_t lineedit_read(int fd, const char *prompt, char *buf, size_t size)
{
	struct termios saved, raw;
	struct line l = { .buf = buf, .size = size, .fd = fd, .pushed = NO_BYTE };
	char *draft = NULL;
	int at = history_len, c;
	ssize_t result;

	if (tcgetattr(fd, &saved) < 0)
		return LINEEDIT_NO_TTY;
	saved.c_lflag |= SANE_LFLAG;
	l.cols = terminal_cols(fd);
	raw = saved;
	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return LINEEDIT_NO_TTY;
	refresh(&l, prompt);
	for (;;) {
		c = get_byte(&l);
		if (c == CTRL('R')) {
			c = reverse_search(&l);
			at = history_len;
			refresh(&l, prompt);
		}
		if (c < 0 && got_sigint)          /* kill -INT from elsewhere: as ^C */
			c = CTRL('C');
		if (c < 0 || (c == CTRL('D') && !l.len)) {
			out(fd, "\n", 1);
			result = 0;
			break;
		}
		if (c == CTRL('C')) {
			refresh(&l, prompt);
			out(fd, "^C", 2);
			result = LINEEDIT_INTERRUPTED;
			break;
		}
		if (c == '\r' || c == '\n') {
			history_add(l.buf, l.len);
			l.cur = l.len;
			refresh(&l, prompt);
			out(fd, "\n", 1);
			l.buf[l.len++] = '\n';
			result = l.len;
			break;
		}
		edit(&l, c, &at, &draft);
		update(&l, prompt);
	}
	free(draft);
	tcsetattr(fd, TCSANOW, &saved);
	return result;
}

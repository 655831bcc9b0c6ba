/*
 * sh: the lexer.  It cuts the input into words and operators, keeping a
 * word's quotes and $ references whole (expansion happens when a command
 * runs), and after each newline reads the bodies of the here-documents
 * queued on that line.  peek()/consume() give the parser one token of
 * look-ahead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lex.h"

struct token tok;
static int have_tok;
#define MAX_PENDING_HEREDOCS 16     /* here-documents started on one line */

/* Here-documents whose bodies start after the next newline. */
static struct redir *pending[MAX_PENDING_HEREDOCS];
static int npending;

static char *wbuf;
static size_t wlen, wcap;

static void wadd(int c)
{
	if (wlen + 1 >= wcap) {
		wcap = wcap ? 2 * wcap : 128;
		wbuf = xrealloc(wbuf, wcap);
	}
	wbuf[wlen++] = (char)c;
}

void lex_error(const char *what)
{
	sh_error("syntax error: %s", what);
	input_skip_line();
	sh_abort();
}

/* A character that ends a word. */
static int is_meta(int c)
{
	return c == EOF || strchr(" \t\n;&|<>()", c);
}

/* The operator starting with c ('<' or '>'), for descriptor fd (-1: default). */
static void lex_redir(int c, int fd, struct token *t)
{
	int d = in_getc();

	t->type = T_REDIR;
	t->fd = fd;
	if (c == '<') {
		t->text = "<";
		if (d == '&') {
			t->rtype = R_DUP, t->text = "<&";
		} else if (d == '>') {
			t->rtype = R_RDWR, t->text = "<>";
		} else if (d == '<') {
			t->rtype = R_HEREDOC, t->text = "<<";
			d = in_getc();
			t->strip = d == '-';
			if (!t->strip)
				in_ungetc(d);
		} else {
			t->rtype = R_IN;
			in_ungetc(d);
		}
		if (t->fd < 0)
			t->fd = 0;
		return;
	}
	t->text = ">";
	if (d == '>')
		t->rtype = R_APPEND, t->text = ">>";
	else if (d == '&')
		t->rtype = R_DUP, t->text = ">&";
	else if (d == '|')
		t->rtype = R_OUT, t->text = ">|";
	else {
		t->rtype = R_OUT;
		in_ungetc(d);
	}
	if (t->fd < 0)
		t->fd = 1;
}

static void lex_dollar(void);
static void lex_backquote(void);

/*
 * Copy a quoted section through its closing quote.  In "...", a
 * backslash-newline vanishes and $ and ` start substitutions that may
 * hold quotes of their own.
 */
static void lex_quoted(int q)
{
	int c;

	wadd(q);
	for (;;) {
		c = in_getc();
		if (c == EOF)
			lex_error(q == '"' ? "unterminated \"" : "unterminated '");
		if (q == '\'') {
			wadd(c);
			if (c == q)
				return;
		} else if (c == '\\') {
			c = in_getc();
			if (c == '\n')
				continue;
			wadd('\\');
			if (c != EOF)
				wadd(c);
		} else if (c == '$') {
			lex_dollar();
		} else if (c == '`') {
			lex_backquote();
		} else {
			wadd(c);
			if (c == q)
				return;
		}
	}
}

/* After "$(" (or "$(("): copy through the matching ')'. */
static void lex_parens(void)
{
	int depth = 1;

	while (depth) {
		int c = in_getc();

		if (c == EOF)
			lex_error("missing )");
		if (c == '\'' || c == '"') {
			lex_quoted(c);
			continue;
		}
		wadd(c);
		if (c == '\\') {
			c = in_getc();
			if (c == EOF)
				lex_error("missing )");
			wadd(c);
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			depth--;
		}
	}
}

/* A $ has been read: copy ${...}, $(...) and $((...)) whole; $name needs nothing more. */
static void lex_dollar(void)
{
	int c = in_getc();

	wadd('$');
	if (c == '(') {
		wadd(c);
		lex_parens();
	} else if (c == '{') {
		for (; c != '}'; c = in_getc()) {
			if (c == EOF || c == '\n')
				lex_error("missing }");
			wadd(c);
		}
		wadd(c);
	} else {
		in_ungetc(c);
	}
}

/* A ` has been read: copy through the closing one. */
static void lex_backquote(void)
{
	int c;

	wadd('`');
	while ((c = in_getc()) != '`') {
		if (c == EOF)
			lex_error("unterminated `");
		wadd(c);
		if (c == '\\') {
			c = in_getc();
			if (c == EOF)
				lex_error("unterminated `");
			wadd(c);
		}
	}
	wadd(c);
}

static void lex_word(int c, struct token *t)
{
	int all_digits = 1;

	wlen = 0;
	t->quoted = 0;
	for (; !is_meta(c); c = in_getc()) {
		if (c < '0' || c > '9')
			all_digits = 0;
		if (c == '\\') {
			int d = in_getc();

			if (d == '\n')          /* line continuation */
				continue;
			wadd(c);
			t->quoted = 1;
			if (d == EOF) {
				c = EOF;
				break;
			}
			wadd(d);
		} else if (c == '\'' || c == '"') {
			lex_quoted(c);
			t->quoted = 1;
		} else if (c == '`') {
			lex_backquote();
		} else if (c == '$') {
			lex_dollar();
		} else {
			wadd(c);
		}
	}
	/* "2>file": digits right before a redirection operator name the descriptor. */
	if (all_digits && wlen && (c == '<' || c == '>')) {
		wadd('\0');
		lex_redir(c, atoi(wbuf), t);
		return;
	}
	in_ungetc(c);
	t->type = T_WORD;
	t->text = sh_strndup(wbuf, wlen);
}

/* Read the bodies of the pending here-documents, which follow the newline just read. */
static void read_heredocs(void)
{
	for (int i = 0; i < npending; i++) {
		struct redir *r = pending[i];
		size_t dlen = strlen(r->word);

		wlen = 0;
		for (;;) {
			size_t start = wlen;
			int c = in_getc();

			while (r->here_strip && c == '\t')
				c = in_getc();
			for (; c != '\n' && c != EOF; c = in_getc())
				wadd(c);
			if (wlen - start == dlen && !memcmp(wbuf + start, r->word, dlen)) {
				wlen = start;
				break;
			}
			if (c == EOF) {
				sh_error("here-document ended by end of file (wanted `%s')", r->word);
				break;
			}
			wadd('\n');
		}
		r->word = sh_strndup(wbuf ? wbuf : "", wlen);
	}
	npending = 0;
}

static void lex(struct token *t)
{
	int c, d;

	do
		c = in_getc();
	while (c == ' ' || c == '\t');
	if (c == '#')
		do
			c = in_getc();
		while (c != '\n' && c != EOF);
	switch (c) {
	case EOF:
		t->type = T_EOF;
		t->text = "end of file";
		if (npending)
			read_heredocs();   /* bodies cut off by the end: empty */
		return;
	case '\n':
		t->type = T_NEWLINE;
		t->text = "newline";
		if (npending)
			read_heredocs();
		return;
	case ';':
		t->type = T_SEMI;
		t->text = ";";
		return;
	case '(':
		t->type = T_LPAREN;
		t->text = "(";
		return;
	case ')':
		t->type = T_RPAREN;
		t->text = ")";
		return;
	case '&':
	case '|':
		d = in_getc();
		if (d == c) {
			t->type = c == '&' ? T_AND : T_OR;
			t->text = c == '&' ? "&&" : "||";
		} else {
			in_ungetc(d);
			t->type = c == '&' ? T_AMP : T_PIPE;
			t->text = c == '&' ? "&" : "|";
		}
		return;
	case '<':
	case '>':
		lex_redir(c, -1, t);
		return;
	}
	lex_word(c, t);
}

void queue_heredoc(struct redir *r)
{
	if (npending == MAX_PENDING_HEREDOCS)
		lex_error("too many here-documents");
	pending[npending++] = r;
}

struct token *peek(void)
{
	if (!have_tok) {
		lex(&tok);
		have_tok = 1;
	}
	return &tok;
}

void consume(void) { have_tok = 0; }

void parse_reset(void) { have_tok = npending = 0; }

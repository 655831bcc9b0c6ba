/*
 * sh: the recursive-descent parser, over the lexer's tokens (lex.c).
 * Words keep their quotes and $ references (expansion happens when a
 * command runs); the parser builds nodes in the arena.  The grammar, a
 * subset of POSIX:
 *
 *   line      := list (NEWLINE | EOF)
 *   list      := and_or ((';' | '&' | NEWLINE) and_or)* [';' | '&']
 *   and_or    := pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  := ['!'] command ('|' linebreak command)*
 *   command   := simple | ( list ) | { list } | if | while | until | for, then redirections
 *   simple    := (NAME=value | redirection)* (word | redirection)*
 *   redirection := [n] ('<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-') word
 *
 * A here-document's body is the lines after the next newline token, up
 * to the delimiter line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lex.h"

static void syntax_error(void)
{
	struct token *t = peek();

	if (t->type == T_EOF)
		sh_error("syntax error: unexpected end of file");
	else
		sh_error("syntax error near unexpected token `%s'", t->text);
	input_skip_line();
	sh_abort();
}

static int is_kw(const char *kw)
{
	struct token *t = peek();

	return t->type == T_WORD && !t->quoted && !strcmp(t->text, kw);
}

static void expect_kw(const char *kw)
{
	if (!is_kw(kw))
		syntax_error();
	consume();
}

static void skip_newlines(void)
{
	while (peek()->type == T_NEWLINE)
		consume();
}

int is_name(const char *s, size_t len)
{
	if (!len || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static struct node *new_node(enum node_type type)
{
	struct node *n = sh_alloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

static struct node *new_pair(enum node_type type, struct node *left, struct node *right)
{
	struct node *n = new_node(type);

	n->pair.left = left;
	n->pair.right = right;
	return n;
}

/* A growable NULL-terminated array of pointers in the arena. */
struct vec {
	void **v;
	int n, cap;
};

static void vec_push(struct vec *a, void *p)
{
	if (a->n + 1 >= a->cap) {
		void **v = sh_alloc((a->cap = a->cap ? 2 * a->cap : 8) * sizeof(void *));

		if (a->n)
			memcpy(v, a->v, a->n * sizeof(void *));
		a->v = v;
	}
	a->v[a->n++] = p;
	a->v[a->n] = NULL;
}

/* The array, NULL-terminated even when nothing was pushed. */
static void **vec_array(struct vec *a)
{
	if (!a->v) {
		a->v = sh_alloc(sizeof(void *));
		a->v[0] = NULL;
	}
	return a->v;
}

static struct node *parse_list(int top);

/* A compound command's list must not be empty. */
static struct node *parse_body(void)
{
	struct node *n = parse_list(0);

	if (!n)
		syntax_error();
	return n;
}

/*
 * A here-document delimiter, unquoted: quotes and backslashes go (and
 * then the body is taken literally).
 */
static void heredoc_delimiter(struct redir *r, const char *w)
{
	char *d = sh_alloc(strlen(w) + 1), *p = d;
	char q = 0;

	r->here_expand = 1;
	for (; *w; w++) {
		if (*w == '\\' && w[1] && q != '\'') {
			*p++ = *++w;
			r->here_expand = 0;
		} else if ((*w == '\'' || *w == '"') && (!q || q == *w)) {
			q = q ? 0 : *w;
			r->here_expand = 0;
		} else {
			*p++ = *w;
		}
	}
	*p = '\0';
	r->word = d;
	queue_heredoc(r);
}

/* The redirection at the current token (a T_REDIR) and its target word, appended at *tail. */
static void parse_redir(struct redir ***tail)
{
	struct redir *r = sh_alloc(sizeof(*r));

	memset(r, 0, sizeof(*r));
	r->type = tok.rtype;
	r->fd = tok.fd;
	r->here_strip = tok.strip;
	consume();
	if (peek()->type != T_WORD)
		syntax_error();
	if (r->type == R_HEREDOC)
		heredoc_delimiter(r, tok.text);
	else
		r->word = tok.text;
	consume();
	**tail = r;
	*tail = &r->next;
}

static void parse_trailing_redirs(struct node *n)
{
	struct redir **tail = &n->redirs;

	while (peek()->type == T_REDIR)
		parse_redir(&tail);
}

/* After "if" or "elif": cond; then list; [elif ... | else list;] fi */
static struct node *parse_if(void)
{
	struct node *n = new_node(N_IF);

	n->cond.cond = parse_body();
	expect_kw("then");
	n->cond.then = parse_body();
	if (is_kw("elif")) {
		consume();
		n->cond.otherwise = parse_if();   /* consumes the shared "fi" */
		return n;
	}
	if (is_kw("else")) {
		consume();
		n->cond.otherwise = parse_body();
	}
	expect_kw("fi");
	return n;
}

/* After "for": name [in word...] (';' | NEWLINE) do list; done */
static struct node *parse_for(void)
{
	struct node *n = new_node(N_FOR);

	if (peek()->type != T_WORD || !is_name(tok.text, strlen(tok.text)))
		syntax_error();
	n->each.name = tok.text;
	consume();
	skip_newlines();
	if (is_kw("in")) {
		struct vec words = { 0 };

		consume();
		while (peek()->type == T_WORD) {
			vec_push(&words, tok.text);
			consume();
		}
		n->each.words = (char **)vec_array(&words);   /* "in" with no words: no iterations */
		if (peek()->type != T_SEMI && tok.type != T_NEWLINE)
			syntax_error();
		consume();
	} else if (peek()->type == T_SEMI) {
		consume();
	}
	skip_newlines();
	expect_kw("do");
	n->each.body = parse_body();
	expect_kw("done");
	return n;
}

static int is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	return eq && is_name(w, eq - w);
}

static struct node *parse_simple(void)
{
	struct node *n = new_node(N_CMD);
	struct vec words = { 0 }, assigns = { 0 };
	struct redir **tail = &n->redirs;

	for (;;) {
		if (peek()->type == T_REDIR) {
			parse_redir(&tail);
		} else if (tok.type == T_WORD) {
			vec_push(!words.n && is_assignment(tok.text) ? &assigns : &words, tok.text);
			consume();
		} else {
			break;
		}
	}
	if (!words.n && !assigns.n && !n->redirs)
		syntax_error();
	n->cmd.words = (char **)vec_array(&words);
	n->cmd.assigns = (char **)vec_array(&assigns);
	return n;
}

static struct node *parse_command(void)
{
	static const char *const reserved[] = { "then", "else", "elif", "fi", "do", "done", "}",
						"in", NULL };
	struct node *n;

	if (peek()->type == T_LPAREN) {
		consume();
		n = new_pair(N_SUBSHELL, parse_body(), NULL);
		if (peek()->type != T_RPAREN)
			syntax_error();
		consume();
	} else if (is_kw("{")) {
		consume();
		n = new_pair(N_GROUP, parse_body(), NULL);
		expect_kw("}");
	} else if (is_kw("if")) {
		consume();
		n = parse_if();
	} else if (is_kw("while") || is_kw("until")) {
		n = new_node(tok.text[0] == 'w' ? N_WHILE : N_UNTIL);
		consume();
		n->loop.cond = parse_body();
		expect_kw("do");
		n->loop.body = parse_body();
		expect_kw("done");
	} else if (is_kw("for")) {
		consume();
		n = parse_for();
	} else {
		for (int i = 0; reserved[i]; i++)
			if (is_kw(reserved[i]))
				syntax_error();
		return parse_simple();
	}
	parse_trailing_redirs(n);
	return n;
}

static struct node *parse_pipeline(void)
{
	struct vec cmds = { 0 };
	int negate = 0;
	struct node *n;

	if (is_kw("!")) {
		consume();
		negate = 1;
	}
	vec_push(&cmds, parse_command());
	while (peek()->type == T_PIPE) {
		consume();
		skip_newlines();
		vec_push(&cmds, parse_command());
	}
	if (cmds.n == 1 && !negate)
		return cmds.v[0];
	n = new_node(N_PIPE);
	n->pipe.cmds = (struct node **)cmds.v;
	n->pipe.count = cmds.n;
	n->pipe.negate = negate;
	return n;
}

static struct node *parse_and_or(void)
{
	struct node *n = parse_pipeline();

	while (peek()->type == T_AND || tok.type == T_OR) {
		enum node_type type = tok.type == T_AND ? N_AND : N_OR;

		consume();
		skip_newlines();
		n = new_pair(type, n, parse_pipeline());
	}
	return n;
}

/* Where a list stops: at the top, the end of the line; inside a compound command, its closing word. */
static int at_list_end(int top)
{
	static const char *const enders[] = { "then", "else", "elif", "fi", "do", "done", "}", NULL };
	struct token *t = peek();

	if (t->type == T_EOF)
		return 1;
	if (top)
		return t->type == T_NEWLINE;
	if (t->type == T_RPAREN)
		return 1;
	for (int i = 0; enders[i]; i++)
		if (is_kw(enders[i]))
			return 1;
	return 0;
}

static struct node *parse_list(int top)
{
	struct node *list = NULL;

	for (;;) {
		struct node *item;
		enum tok_type sep;

		if (!top)
			skip_newlines();
		if (at_list_end(top))
			break;
		item = parse_and_or();
		sep = peek()->type;
		if (sep == T_AMP)
			item = new_pair(N_BG, item, NULL);
		list = list ? new_pair(N_SEQ, list, item) : item;
		if (sep != T_AMP && sep != T_SEMI && (sep != T_NEWLINE || top))
			break;
		consume();
	}
	return list;
}

struct node *parse_command_line(int *eof)
{
	struct node *n = parse_list(1);

	if (peek()->type == T_EOF)
		*eof = 1;
	else if (tok.type == T_NEWLINE)
		consume();
	else
		syntax_error();
	return n;
}

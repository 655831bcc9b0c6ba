/*
 * sh: what the lexer (lex.c) gives the parser (parse.c): tokens, the
 * one-token look-ahead, and the queue of here-documents whose bodies the
 * lexer reads after the next newline.
 */
#ifndef SH_LEX_H
#define SH_LEX_H

#include "sh.h"

enum tok_type {
	T_WORD, T_NEWLINE, T_EOF, T_SEMI, T_AMP, T_AND, T_OR, T_PIPE, T_LPAREN, T_RPAREN, T_REDIR,
};

struct token {
	enum tok_type type;
	char *text;              /* T_WORD: the raw word; else how to show the token */
	int quoted;              /* T_WORD: has quotes or backslashes (so is no keyword) */
	enum redir_type rtype;   /* T_REDIR */
	int fd;                  /* T_REDIR: the descriptor, -1 for the operator's default */
	int strip;               /* T_REDIR: <<- */
};

extern struct token tok;      /* the current token, valid after peek() */

struct token *peek(void);
void consume(void);
/* Report a syntax error, drop the rest of the line and abort the command. */
void lex_error(const char *what) __attribute__((noreturn));
/* r's body is read after the next newline token (r->word holds its delimiter). */
void queue_heredoc(struct redir *r);

#endif

/* Path names cut up (POSIX): the last component; cp's and mv's operands. */
#ifndef _LIBGEN_H
#define _LIBGEN_H

/* The last component of path, trailing slashes removed in place; "/" for "/", "." for "". */
char *basename(char *path);

/* anvil's: cp's and mv's operands, each source and where it goes handed to action. */
int for_each_source(int argc, char **argv, const char *prog,
		    int (*action)(const char *from, const char *to));

#endif

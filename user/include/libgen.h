/* Path names cut up (POSIX): the last component. */
#ifndef _LIBGEN_H
#define _LIBGEN_H

/* The last component of path, trailing slashes removed in place; "/" for "/", "." for "". */
char *basename(char *path);

#endif

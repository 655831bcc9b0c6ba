/*
 * Directory streams: opendir/readdir/closedir over getdents64.  Each
 * linux_dirent64 record in the buffer is copied out into the DIR's
 * struct dirent.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct _DIR {
	int fd;
	int pos, len;             /* buf[pos, len) not yet returned */
	struct dirent ent;
	char buf[2048];
};

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

/* NULL at the end (errno untouched) or on error (errno set). */
struct dirent *readdir(DIR *d)
{
	struct linux_dirent64 *k;

	if (d->pos >= d->len) {
		int n = getdents64(d->fd, d->buf, sizeof(d->buf));

		if (n <= 0)
			return NULL;
		d->pos = 0;
		d->len = n;
	}
	k = (struct linux_dirent64 *)(d->buf + d->pos);
	d->pos += k->d_reclen;
	d->ent.d_ino = k->d_ino;
	d->ent.d_off = k->d_off;
	d->ent.d_reclen = k->d_reclen;
	d->ent.d_type = k->d_type;
	strlcpy(d->ent.d_name, k->d_name, sizeof(d->ent.d_name));
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}

int dirfd(DIR *d) { return d->fd; }

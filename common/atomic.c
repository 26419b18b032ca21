/* atomic.c: write-temp, fsync, rename, fsync the directory (or, for
 * state that only has to outlive a killed process, without the fsyncs).
 * The temporary file can be written in pieces, so that a large file is
 * never held whole in memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "util.h"

static int	write_all(int, const char *, size_t);
static int	fsync_dir(const char *);
static void	atomic_free(struct atomic *);
static int	replace(const char *, const char *, size_t, int);

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd, rv;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	rv = fsync(fd);
	close(fd);
	return rv;
}

static void
atomic_free(struct atomic *a)
{
	free(a->dir);
	free(a->tmp);
	free(a->path);
	a->dir = a->tmp = a->path = NULL;
	a->fd = -1;
}

int
atomic_open(struct atomic *a, const char *path)
{
	struct buf dir = { 0 }, tmp = { 0 };
	const char *slash = strrchr(path, '/');
	mode_t mask = umask(022);
	int saved;

	umask(mask);	/* read it back: the new file gets 0666 & ~umask */
	memset(a, 0, sizeof(*a));
	if (slash == NULL)
		buf_adds(&dir, ".");
	else
		buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	buf_addf(&tmp, "%s/.%s.XXXXXX", buf_cstr(&dir),
	    slash ? slash + 1 : path);
	a->dir = buf_cstr(&dir);
	a->tmp = buf_cstr(&tmp);
	a->path = xstrdup(path);
	if ((a->fd = mkstemp(a->tmp)) == -1) {
		saved = errno;
		atomic_free(a);
		errno = saved;
		return -1;
	}
	if (fchmod(a->fd, 0666 & ~mask) == -1) {
		saved = errno;
		atomic_abort(a);
		errno = saved;
		return -1;
	}
	return 0;
}

int
atomic_put(struct atomic *a, const char *data, size_t len)
{
	if (a->error == 0 && write_all(a->fd, data, len) == -1)
		a->error = errno;
	if (a->error == 0)
		return 0;
	errno = a->error;
	return -1;
}

/* Close and remove the temporary file, and free a. */
void
atomic_abort(struct atomic *a)
{
	if (a->fd != -1)
		close(a->fd);
	if (a->tmp != NULL)
		unlink(a->tmp);
	atomic_free(a);
}

int
atomic_commit(struct atomic *a, int durable)
{
	int rv, saved;

	if (a->error != 0) {
		errno = a->error;
		goto fail;
	}
	if (durable && fsync(a->fd) == -1)
		goto fail;
	rv = close(a->fd);
	a->fd = -1;
	if (rv == -1 || rename(a->tmp, a->path) == -1)
		goto fail;
	rv = durable ? fsync_dir(a->dir) : 0;
	saved = errno;
	atomic_free(a);
	errno = saved;
	return rv;
fail:
	saved = errno;
	atomic_abort(a);
	errno = saved;
	return -1;
}

static int
replace(const char *path, const char *data, size_t len, int durable)
{
	struct atomic a;
	int saved;

	if (atomic_open(&a, path) == -1)
		return -1;
	if (atomic_put(&a, data, len) == -1) {
		saved = errno;
		atomic_abort(&a);
		errno = saved;
		return -1;
	}
	return atomic_commit(&a, durable);
}

int
atomic_write(const char *path, const char *data, size_t len)
{
	return replace(path, data, len, 1);
}

int
atomic_write_nosync(const char *path, const char *data, size_t len)
{
	return replace(path, data, len, 0);
}

/* atomic.c: write-temp, fsync, rename, fsync the directory (or, for
 * state that only has to outlive a killed process, without the fsyncs). */
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

static int
replace(const char *path, const char *data, size_t len, int durable)
{
	struct buf dir = { 0 }, tmp = { 0 };
	const char *slash = strrchr(path, '/');
	int fd = -1, saved, rv = -1;
	mode_t mask = umask(022);

	umask(mask);	/* read it back: the new file gets 0666 & ~umask */

	if (slash == NULL)
		buf_adds(&dir, ".");
	else
		buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	buf_cstr(&dir);
	buf_addf(&tmp, "%s/.%s.XXXXXX", dir.data, slash ? slash + 1 : path);
	if ((fd = mkstemp(buf_cstr(&tmp))) == -1)
		goto out;
	if (fchmod(fd, 0666 & ~mask) == -1 || write_all(fd, data, len) == -1 ||
	    (durable && fsync(fd) == -1))
		goto out;
	if (close(fd) == -1) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp.data, path) == -1)
		goto out;
	tmp.len = 0;	/* renamed: nothing to remove */
	rv = durable ? fsync_dir(dir.data) : 0;
out:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (rv == -1 && tmp.len > 0)
		unlink(tmp.data);
	buf_free(&dir);
	buf_free(&tmp);
	errno = saved;
	return rv;
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

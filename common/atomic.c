/* atomic.c: write-temp, fsync, rename, fsync the directory (or, for
 * state that only has to outlive a killed process, without the fsyncs).
 * The temporary file can be written in pieces, so that a large file is
 * never held whole in memory. A symbolic link is followed: its target is
 * what gets replaced, as a program writing through the link would change
 * it, and the replacement keeps the target's mode. */
#define _GNU_SOURCE	/* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "util.h"

#define MAX_LINKS	40	/* links followed before ELOOP, as Linux */
#define WRITEBACK_STEP	(8 << 20)	/* bytes put between writeback starts */

static char	*read_link(const char *, off_t);
static char	*resolve(const char *, struct stat *);
static int	take_over(int, const struct stat *, mode_t);
static int	fsync_dir(const char *);
static void	atomic_free(struct atomic *);
static int	replace(const char *, const char *, size_t, int);
static void	umask_read(void);

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

/* The text of symbolic link path, NUL-terminated, or NULL with errno.
 * size is its lstat size, which may be 0 (some file systems). */
static char *
read_link(const char *path, off_t size)
{
	size_t cap = size > 0 ? (size_t)size + 1 : 256;
	char *s = NULL;
	ssize_t n;

	for (;;) {
		s = xrealloc(s, cap);
		if ((n = readlink(path, s, cap)) == -1) {
			free(s);
			return NULL;
		}
		if ((size_t)n < cap) {
			s[n] = '\0';
			return s;
		}
		cap *= 2;	/* it grew since the lstat */
	}
}

/* The file that path names, through its symbolic links (a link's
 * relative text is taken from the link's own directory): a copy of its
 * path, and its status in *st, or st->st_mode 0 if there is no such
 * file (a dangling link names the file to create). NULL with errno on
 * an error. Not realpath(3): only the last component is resolved, so a
 * relative path stays relative and no longer than it was. */
static char *
resolve(const char *path, struct stat *st)
{
	char *p = xstrdup(path), *link, *slash, *next;
	struct buf b = { 0 };
	int hops, saved;

	for (hops = 0; ; hops++) {
		if (lstat(p, st) == -1) {
			if (errno != ENOENT)
				break;
			st->st_mode = 0;
			buf_free(&b);
			return p;
		}
		if (!S_ISLNK(st->st_mode)) {
			buf_free(&b);
			return p;
		}
		if (hops == MAX_LINKS) {
			errno = ELOOP;
			break;
		}
		if ((link = read_link(p, st->st_size)) == NULL)
			break;
		buf_reset(&b);
		if (link[0] != '/' && (slash = strrchr(p, '/')) != NULL)
			buf_add(&b, p, (size_t)(slash - p) + 1);
		buf_adds(&b, link);
		free(link);
		next = xstrdup(buf_cstr(&b));
		free(p);
		p = next;
	}
	saved = errno;
	free(p);
	buf_free(&b);
	errno = saved;
	return NULL;
}

/* Give temporary fd the owner and mode of the file it replaces (st, if
 * st_mode is not 0), else mode new (0666 less the umask). The owner is
 * only kept where that is allowed (root, or a group of one's own): a
 * failed fchown is not an error. */
static int
take_over(int fd, const struct stat *st, mode_t new)
{
	if (st->st_mode == 0)
		return fchmod(fd, new);
	if (st->st_uid != geteuid() || st->st_gid != getegid())
		(void)fchown(fd, st->st_uid, st->st_gid);
	return fchmod(fd, st->st_mode & 07777);
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

/* The umask, read once: reading it means setting it, which threads (hf-list's
 * lanes) must not do at the same time. */
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t umask_value;

static void
umask_read(void)
{
	umask_value = umask(022);
	umask(umask_value);
}

int
atomic_open(struct atomic *a, const char *path)
{
	struct buf dir = { 0 }, tmp = { 0 };
	struct stat st;
	const char *slash, *name;
	mode_t mask;
	char *target;
	int saved;

	pthread_once(&umask_once, umask_read);
	mask = umask_value;	/* a new file gets 0666 & ~umask */
	memset(a, 0, sizeof(*a));
	a->fd = -1;
	if ((target = resolve(path, &st)) == NULL)
		return -1;
	name = (slash = strrchr(target, '/')) != NULL ? slash + 1 : target;
	if (slash == NULL)
		buf_adds(&dir, ".");
	else
		buf_add(&dir, target, slash == target ? 1 :
		    (size_t)(slash - target));
	/* beside the target: the rename stays on one file system */
	buf_addf(&tmp, "%s/.%s.XXXXXX", buf_cstr(&dir), name);
	a->dir = buf_cstr(&dir);
	a->tmp = buf_cstr(&tmp);
	a->path = target;
	if ((a->fd = mkstemp(a->tmp)) == -1) {
		saved = errno;
		atomic_free(a);
		errno = saved;
		return -1;
	}
	if (take_over(a->fd, &st, 0666 & ~mask) == -1) {
		saved = errno;
		atomic_abort(a);
		errno = saved;
		return -1;
	}
	return 0;
}

/* Start writing back what was put since the last start, once there is
 * WRITEBACK_STEP of it, so that the disk works while the rest is put and
 * the fsync at the end has little left to wait for. Only a hint: where
 * there is no sync_file_range(2), or it fails, the fsync does it all. */
static void
writeback_start(struct atomic *a)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (a->put - a->started >= WRITEBACK_STEP) {
		(void)sync_file_range(a->fd, a->started, a->put - a->started,
		    SYNC_FILE_RANGE_WRITE);
		a->started = a->put;
	}
#else
	(void)a;
#endif
}

int
atomic_put(struct atomic *a, const char *data, size_t len)
{
	if (a->error == 0 && write_all(a->fd, data, len) == -1)
		a->error = errno;
	else if (a->error == 0) {
		a->put += (off_t)len;
		writeback_start(a);
	}
	if (a->error == 0)
		return 0;
	errno = a->error;
	return -1;
}

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
atomic_close(struct atomic *a, int durable)
{
	int rv, saved;

	if (a->error != 0)
		errno = a->error;
	else if (!durable || fsync(a->fd) == 0) {
		rv = close(a->fd);
		a->fd = -1;
		if (rv == 0)
			return 0;
	}
	saved = errno;
	atomic_abort(a);
	errno = saved;
	return -1;
}

int
atomic_commit(struct atomic *a, int durable)
{
	int rv, saved;

	if (a->fd != -1 && atomic_close(a, durable) == -1)
		return -1;
	if (rename(a->tmp, a->path) == -1) {
		saved = errno;
		atomic_abort(a);
		errno = saved;
		return -1;
	}
	a->replaced = 1;
	rv = durable ? fsync_dir(a->dir) : 0;
	saved = errno;
	atomic_free(a);
	errno = saved;
	return rv;
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

int
atomic_rewrite(const char *path, const char *data, size_t len, size_t *size)
{
	char page[ATOMIC_REWRITE_MAX];
	size_t n = len > *size ? len : *size;
	ssize_t w;
	int fd, saved;

	if (*size > 0 && len > 0 && len <= sizeof(page) &&
	    n <= sizeof(page) &&
	    (fd = open(path, O_WRONLY | O_CLOEXEC)) != -1) {
		memcpy(page, data, len - 1);
		memset(page + len - 1, ' ', n - len);
		page[n - 1] = data[len - 1];
		w = pwrite(fd, page, n, 0);
		saved = errno;
		if (close(fd) == -1 && w == (ssize_t)n)
			return -1;
		if (w == (ssize_t)n) {
			*size = n;
			return 0;
		}
		errno = w == -1 ? saved : EIO;
		return -1;
	}
	if (atomic_write_nosync(path, data, len) == -1)
		return -1;
	*size = len;
	return 0;
}

/* dirs.c: create, lock and clean an output directory (see dirs.h). */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dirs.h"
#include "util.h"

static int	isalnum_c(char);
static int	is_temporary(const char *, const char *);

int
dir_make(const char *dir)
{
	char *path = xstrdup(dir), *p, c;
	struct stat st;
	int rv = -1;

	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			warn("%s", path);
			goto out;
		}
		if ((*p = c) == '\0')
			break;
	}
	if (stat(dir, &st) == -1) {
		warn("%s", dir);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		warn("%s", dir);
		goto out;
	}
	rv = 0;
out:
	free(path);
	return rv;
}

int
dir_lock(const char *dir, const char *who)
{
	int fd, r, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EWOULDBLOCK) {
		warnx("%s: waiting for another %s", dir, who);
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return r == -1 ? -1 : fd;
}

/* Not isalnum(3): mkstemp's letters do not depend on the locale. */
static int
isalnum_c(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* 1 if entry is ".NAME.XXXXXX" for name. */
static int
is_temporary(const char *entry, const char *name)
{
	size_t n = strlen(name), k;

	if (entry[0] != '.' || strncmp(entry + 1, name, n) != 0 ||
	    entry[n + 1] != '.' || strlen(entry) != n + 8)
		return 0;
	for (k = n + 2; k < n + 8; k++)
		if (!isalnum_c(entry[k]))
			return 0;
	return 1;
}

void
dir_remove_stale(const char *dir, const char *const names[])
{
	struct buf path = { 0 };
	struct dirent *d;
	size_t i;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		for (i = 0; names[i] != NULL; i++) {
			if (!is_temporary(d->d_name, names[i]))
				continue;
			buf_reset(&path);
			buf_addf(&path, "%s/%s", dir, d->d_name);
			if (unlink(buf_cstr(&path)) == -1)
				warn("%s", path.data);
		}
	}
	closedir(dp);
	buf_free(&path);
}

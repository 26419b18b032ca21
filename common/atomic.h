/* atomic.h: replace a file so that readers see the old or the new one. */
#ifndef HF_ATOMIC_H
#define HF_ATOMIC_H

#include <stddef.h>

/* Write data to a temporary ".NAME.XXXXXX" beside path, fsync it, rename
 * it over path and fsync the directory. 0, or -1 with errno set and path
 * untouched (the temporary file is removed). */
int	atomic_write(const char *path, const char *data, size_t len);
/* The same without the fsyncs: the old or the new file after a killed
 * process, not after a power cut (for state beside output that is not
 * fsynced either). */
int	atomic_write_nosync(const char *path, const char *data, size_t len);

/* The same in pieces: open the temporary file (0, or -1 with errno), put
 * data into it (the first error sticks: -1 and its errno from then on), then
 * commit: rename it over path, fsynced when durable; 0, or -1 with errno
 * (a put's, if one failed) and the temporary removed. Every open is
 * followed by a commit, which frees a. */
struct atomic {
	int	 fd;
	int	 error;		/* errno of the first failed put, or 0 */
	char	*dir;
	char	*tmp;
	char	*path;
};

int	atomic_open(struct atomic *, const char *path);
int	atomic_put(struct atomic *, const char *data, size_t len);
int	atomic_commit(struct atomic *, int durable);
/* Remove the temporary and give up: path stays as it was. */
void	atomic_abort(struct atomic *);

#endif

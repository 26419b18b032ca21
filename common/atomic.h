/* atomic.h: replace a file so that readers see the old or the new one. */
#ifndef HF_ATOMIC_H
#define HF_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/* Write data to a temporary ".NAME.XXXXXX" beside path, fsync it, rename
 * it over path and fsync the directory. 0, or -1 with errno set and path
 * untouched (the temporary file is removed), unless only the directory's
 * fsync failed (atomic_commit's replaced tells that case apart).
 *
 * When path is a symbolic link (or a chain of them), the file it points
 * to is replaced, by a temporary in that file's directory, and the link
 * stays; a dangling link's target is created. The replacement keeps the
 * mode of the file it replaces (and its owner where that is allowed); a
 * new file gets 0666 less the umask. */
int	atomic_write(const char *path, const char *data, size_t len);
/* The same without the fsyncs: the old or the new file after a killed
 * process, not after a power cut (for state beside output that is not
 * fsynced either). */
int	atomic_write_nosync(const char *path, const char *data, size_t len);

/* A small text rewritten in place, for state that is saved often: one
 * pwrite of at most ATOMIC_REWRITE_MAX bytes at offset 0, which a killed
 * process makes whole or not at all (the kernel checks for a fatal
 * signal between pages, and this is one), so that, as with
 * atomic_write_nosync, the old text or the new one is there after a
 * kill; neither is made durable. No inode is made and none renamed: a
 * save costs an open, a write and a close. A text shorter than the
 * file is padded with spaces before its last byte (JSON's white space
 * before the newline), so the file never shrinks. *size is the file's
 * length as the last call left it, 0 before the first: the first call,
 * a file that went away and a text too long go through
 * atomic_write_nosync. 0, or -1 with errno set. */
#define ATOMIC_REWRITE_MAX	4096
int	atomic_rewrite(const char *path, const char *data, size_t len,
	    size_t *size);

/* The same in pieces: open the temporary file (0, or -1 with errno), put
 * data into it (the first error sticks: -1 and its errno from then on),
 * optionally close it (fsynced when durable: what can fail short of the
 * rename, done early so that a caller can do other work before it), then
 * commit: close it if that was not done, rename it over path, fsync the
 * directory when durable. close and commit return 0, or -1 with errno (a
 * put's, if one failed) and the temporary removed. Every open is
 * followed by a commit or an abort (which removes the temporary); a
 * failed close, a commit and an abort free a, but leave replaced: 1 once
 * the rename is done, so that a caller can tell a failed fsync of the
 * directory (the new file in place, not yet durable) from a failure that
 * left path as it was. Puts start the disk's writeback of what they
 * wrote every few MiB (Linux), so that a large file's fsync does not
 * wait for all of it at the end. */
struct atomic {
	int	 fd;
	int	 error;		/* errno of the first failed put, or 0 */
	int	 replaced;	/* the rename was done */
	char	*dir;		/* the target's directory */
	char	*tmp;
	char	*path;		/* the target: path, its links followed */
	off_t	 put;		/* bytes put */
	off_t	 started;	/* bytes whose writeback was started */
};

int	atomic_open(struct atomic *, const char *path);
int	atomic_put(struct atomic *, const char *data, size_t len);
int	atomic_close(struct atomic *, int durable);
int	atomic_commit(struct atomic *, int durable);
void	atomic_abort(struct atomic *);

#endif

/* buf.h: a growable byte buffer (HTTP bodies, files, emitter scratch). */
#ifndef HF_BUF_H
#define HF_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	buf_reserve(struct buf *, size_t more);
/* Like buf_reserve, but reports failure instead of exiting: 0 or -1. */
int	buf_try_reserve(struct buf *, size_t more);
void	buf_add(struct buf *, const void *, size_t);
void	buf_addc(struct buf *, char);
void	buf_adds(struct buf *, const char *);
void	buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append ", N what" to a list being built (no comma first), what being
 * one or many as N is 1 or not; nothing when N is 0. */
void	buf_add_count(struct buf *, int64_t n, const char *one,
	    const char *many);
/* Append v in decimal. */
void	buf_add_i64(struct buf *, int64_t);
/* Append the whole file at path: 0, or -1 with errno set (ENOENT when
 * it does not exist; what was read stays in b). */
int	buf_read_file(struct buf *, const char *path);
/* The same for at most max bytes of it; the rest is not read. */
int	buf_read_file_max(struct buf *, const char *path, size_t max);
/* NUL-terminate without counting the NUL in len; returns data. */
char	*buf_cstr(struct buf *);
void	buf_reset(struct buf *);
void	buf_free(struct buf *);

#endif

/* buf.h: a growable byte buffer (HTTP bodies, emitter scratch). */
#ifndef HF_BUF_H
#define HF_BUF_H

#include <stddef.h>

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
/* NUL-terminate without counting the NUL in len; returns data. */
char	*buf_cstr(struct buf *);
void	buf_reset(struct buf *);
void	buf_free(struct buf *);

#endif

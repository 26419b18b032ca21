/* buf.c: a growable byte buffer. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

#define READ_CHUNK	65536	/* read(2) size for buf_read_file */

int
buf_try_reserve(struct buf *b, size_t more)
{
	size_t need, cap;
	char *p;

	if (more > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + more + 1;	/* room for buf_cstr's NUL */
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

void
buf_reserve(struct buf *b, size_t more)
{
	if (buf_try_reserve(b, more) == -1) {
		fputs("out of memory\n", stderr);
		exit(HF_EXIT_FATAL);
	}
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->data[b->len++] = c;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
buf_cstr(struct buf *b)
{
	buf_reserve(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_add_count(struct buf *b, int64_t n, const char *one, const char *many)
{
	if (n == 0)
		return;
	buf_addf(b, "%s%" PRId64 " %s", b->len ? ", " : "", n,
	    n == 1 ? one : many);
}

void
buf_add_i64(struct buf *b, int64_t v)
{
	char d[FMT_I64_MAX];
	size_t n = fmt_i64(d, v, 0);

	buf_add(b, d, n);
}

int
buf_read_file(struct buf *b, const char *path)
{
	return buf_read_file_max(b, path, SIZE_MAX);
}

int
buf_read_file_max(struct buf *b, const char *path, size_t max)
{
	size_t want, got = 0;
	ssize_t n;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (got < max) {
		want = max - got < READ_CHUNK ? max - got : READ_CHUNK;
		buf_reserve(b, want);
		if ((n = read(fd, b->data + b->len, want)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

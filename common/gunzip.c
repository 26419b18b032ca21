/* gunzip.c: the only translation unit that includes libdeflate.
 *
 * A page comes whole before it is parsed, so it is decoded whole, which
 * libdeflate does faster than zlib's streaming inflate. Its output must
 * be given room first: the size a member's trailer states (the Hub's
 * word, so only a first guess), doubled while the room is too small. */
#include <stdint.h>
#include <stdlib.h>

#include <libdeflate.h>

#include "gunzip.h"

#define GZIP_MIN	18	/* a header and a trailer, and no data */
#define MAX_RATIO	1032	/* deflate's most: a longer size is a lie */

struct gunzip {
	struct libdeflate_decompressor *d;
};

struct gunzip *
gunzip_new(void)
{
	struct gunzip *g;

	if ((g = malloc(sizeof(*g))) == NULL)
		return NULL;
	if ((g->d = libdeflate_alloc_decompressor()) == NULL) {
		free(g);
		return NULL;
	}
	return g;
}

void
gunzip_free(struct gunzip *g)
{
	if (g == NULL)
		return;
	libdeflate_free_decompressor(g->d);
	free(g);
}

/* The size the last member's trailer states (modulo 2^32), a guess. */
static size_t
stated_size(const unsigned char *in, size_t n)
{
	const unsigned char *t = in + n - 4;

	return (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 |
	    (size_t)t[3] << 24;
}

/* One member at in[0..n) onto the end of out: its length in *used. */
static enum gunzip_result
member(struct gunzip *g, const char *in, size_t n, size_t max,
    struct buf *out, size_t *used)
{
	size_t room, got, left = max - out->len;
	enum libdeflate_result r;

	room = stated_size((const unsigned char *)in, n);
	if (room < n || room / MAX_RATIO > n)
		room = n;
	for (;;) {
		if (room > left)	/* a byte more, to see it overflow */
			room = left < SIZE_MAX ? left + 1 : left;
		if (buf_try_reserve(out, room) == -1)
			return GUNZIP_NO_MEMORY;
		r = libdeflate_gzip_decompress_ex(g->d, in, n,
		    out->data + out->len, room, used, &got);
		if (r == LIBDEFLATE_SUCCESS)
			break;
		if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
			return GUNZIP_BAD;
		if (room > left)
			return GUNZIP_TOO_BIG;
		room = room > SIZE_MAX / 2 ? SIZE_MAX : room * 2;
	}
	if (got > left)
		return GUNZIP_TOO_BIG;
	out->len += got;
	return GUNZIP_OK;
}

enum gunzip_result
gunzip(struct gunzip *g, const char *in, size_t n, size_t max,
    struct buf *out)
{
	enum gunzip_result r;
	size_t used;

	buf_reset(out);
	do {	/* one member at least */
		if (n < GZIP_MIN)
			return GUNZIP_BAD;
		if ((r = member(g, in, n, max, out, &used)) != GUNZIP_OK)
			return r;
		in += used;
		n -= used;
	} while (n > 0);
	return GUNZIP_OK;
}

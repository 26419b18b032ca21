/* gunzip.h: a whole gzip body decoded at once, over libdeflate, the only
 * module that includes it. */
#ifndef HF_GUNZIP_H
#define HF_GUNZIP_H

#include <stddef.h>

#include "buf.h"

enum gunzip_result {
	GUNZIP_OK,
	GUNZIP_BAD,	/* not gzip, corrupt, or cut short */
	GUNZIP_TOO_BIG,	/* it decodes to more than max bytes */
	GUNZIP_NO_MEMORY
};

struct gunzip;	/* a decoder, for the bodies of one connection */

struct gunzip	*gunzip_new(void);
void		 gunzip_free(struct gunzip *);
/* The members of in[0..n) decoded, one after another, into out (reset
 * first) up to max bytes. */
enum gunzip_result gunzip(struct gunzip *, const char *in, size_t n,
		    size_t max, struct buf *out);

#endif

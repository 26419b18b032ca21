/* headers.h: the Link and RateLimit header values of the Hub's responses
 * (pure text, unit-tested and fuzzed). */
#ifndef HF_HEADERS_H
#define HF_HEADERS_H

/* The URL of rel="next" in a Link header value, malloc'd, or NULL. */
char	*link_next(const char *value);
/* RateLimit: "api";r=LEFT;t=SECONDS. 0 with *r and *t, or -1. */
int	 ratelimit_parse(const char *value, long *r, long *t);
/* RateLimit-Policy: "fixed window";"api";q=N;w=SECONDS. 0 with *w, or -1. */
int	 ratelimit_window(const char *value, long *w);

#endif

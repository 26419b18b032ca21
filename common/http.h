/* http.h: HTTP GET over libcurl, the only module that includes curl. */
#ifndef HF_HTTP_H
#define HF_HTTP_H

#include <stddef.h>

#include "buf.h"

struct http {
	void		*easy;		/* CURL *, reused: keeps the connection */
	void		*hdrs;		/* struct curl_slist *: the token lives here */
	void		*gz;		/* struct gunzip * */
	struct buf	 wire;		/* the body as it came */
	struct buf	 body;		/* decoded */
	size_t		 max_body;	/* larger bodies abort the transfer */
	int		 too_big;	/* the last body hit max_body or memory */
	int		 permanent;	/* the last error will not go away by
					 * retrying (TLS verification, bad URL) */
	int		 unreachable;	/* the last error: no connection at all
					 * (refused, no such host, TLS) */
	char		 err[256];	/* why the last http_get returned -1 */
};

struct http_opts {
	const char	*token;		/* NULL: no Authorization header */
	long		 timeout;	/* seconds without any data: give up */
	long		 deadline;	/* seconds a whole request may take */
	const char	*user_agent;
	size_t		 max_body;
};

/* libcurl's global state, once (http_open calls it): 0, or -1. Call it
 * before fork so that the children share it, initialised once. */
int	 http_init(void);
/* 0, or -1 with h->err set. */
int	 http_open(struct http *, const struct http_opts *);
/* The HTTP status of GET url (body in h->body), or -1 with h->err. */
long	 http_get(struct http *, const char *url);
/* A malloc'd copy of the last response's header, or NULL. */
char	*http_header(struct http *, const char *name);
/* The last response's Retry-After in seconds, or -1. */
long	 http_retry_after(struct http *);
void	 http_close(struct http *);

/* URLs, with libcurl's URL API (no transfer), unit-tested. */
/* ref (absolute, or relative as a Link may be) resolved against the
 * absolute URL base, malloc'd; an absolute ref is returned as it is.
 * NULL if it cannot be resolved. */
char	*url_resolve(const char *base, const char *ref);
/* Whether two absolute URLs share scheme, host and port: 1, 0, or -1
 * when either is not an http(s) URL. */
int	 url_same_origin(const char *a, const char *b);
/* Whether url is https, or http to a loopback host (tokens may go there):
 * localhost, or a numeric address of 127.0.0.0/8 or ::1. */
int	 url_token_safe(const char *url);
/* Percent-encode s for a query string (RFC 3986 unreserved kept). */
void	 url_encode(struct buf *, const char *s);
/* url without a user or password before its host (malloc'd): for a
 * message. */
char	*url_redact(const char *url);
/* Replace the value of query parameter key in url (a new malloc'd URL). */
char	*url_set_param(const char *url, const char *key, const char *value);

#endif

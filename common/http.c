/* http.c: the only translation unit that includes libcurl.
 *
 * One easy handle for the whole run (connection reuse), TLS verification
 * always on, http and https only, no redirects followed (a token must not
 * follow one), the status read with CURLINFO_RESPONSE_CODE rather than
 * FAILONERROR so the Hub's error body and 429 headers survive. gzip is
 * asked for, and a body so encoded is decoded whole once it has come
 * (gunzip.c), not by libcurl as it comes. */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "gunzip.h"
#include "http.h"
#include "util.h"

static size_t	on_body(char *, size_t, size_t, void *);
static int	set_ca(CURL *);
static int	add_header(struct http *, const char *);
static int	decode(struct http *);

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http *h = arg;
	size_t len = size * n;

	if (len > h->max_body - h->wire.len || h->wire.len > h->max_body ||
	    buf_try_reserve(&h->wire, len) == -1) {
		h->too_big = 1;
		return 0;	/* aborts the transfer */
	}
	memcpy(h->wire.data + h->wire.len, p, len);
	h->wire.len += len;
	return len;
}

/* libcurl reads no CA variables itself; the curl tool's order. */
static int
set_ca(CURL *c)
{
	const char *f = getenv("CURL_CA_BUNDLE"), *d;

	if (f == NULL || *f == '\0')
		f = getenv("SSL_CERT_FILE");
	if (f != NULL && *f != '\0' &&
	    curl_easy_setopt(c, CURLOPT_CAINFO, f) != CURLE_OK)
		return -1;
	d = getenv("SSL_CERT_DIR");
	if (d != NULL && *d != '\0' &&
	    curl_easy_setopt(c, CURLOPT_CAPATH, d) != CURLE_OK)
		return -1;
	return 0;
}

int
http_init(void)
{
	static int global;

	if (!global) {	/* written once, before hf-list starts its lanes */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return -1;
		global = 1;
	}
	return 0;
}

static int
add_header(struct http *h, const char *line)
{
	struct curl_slist *l;

	if ((l = curl_slist_append(h->hdrs, line)) == NULL)
		return -1;
	h->hdrs = l;
	return 0;
}

int
http_open(struct http *h, const struct http_opts *o)
{
	struct buf auth = { 0 };
	struct curl_slist *l = NULL;
	CURL *c;

	memset(h, 0, sizeof(*h));
	h->max_body = o->max_body;
	if (http_init() == -1) {
		snprintf(h->err, sizeof(h->err), "cannot initialise libcurl");
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		snprintf(h->err, sizeof(h->err), "cannot initialise libcurl");
		return -1;
	}
	h->easy = c;
	if (o->token != NULL) {
		buf_addf(&auth, "Authorization: Bearer %s", o->token);
		l = curl_slist_append(NULL, buf_cstr(&auth));
		memset(auth.data, 0, auth.len);
		buf_free(&auth);
		if (l == NULL) {
			snprintf(h->err, sizeof(h->err), "out of memory");
			return -1;
		}
	}
	h->hdrs = l;	/* http_close frees what is there */
	if ((h->gz = gunzip_new()) == NULL ||
	    add_header(h, "Accept: application/json") == -1 ||
	    add_header(h, "Accept-Encoding: gzip") == -1) {
		snprintf(h->err, sizeof(h->err), "out of memory");
		return -1;
	}
	if (curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L) ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent) ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdrs) ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout) ||
	    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L) ||
	    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->timeout) ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, o->deadline) ||
	    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) ||
	    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->err) ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, h) ||
	    set_ca(c) == -1) {
		snprintf(h->err, sizeof(h->err), "cannot configure libcurl");
		return -1;
	}
	return 0;
}

/* Errors that retrying cannot mend: the certificate does not verify, the
 * URL or its scheme is refused. */
static int
permanent(CURLcode rc)
{
	switch (rc) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return 1;
	default:
		return 0;
	}
}

/* Errors where no connection was made: the Hub cannot be reached at all
 * (a timeout counts when not even the TCP connection was made). */
static int
unreachable(CURL *c, CURLcode rc)
{
	curl_off_t t = 0;

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return 1;
	case CURLE_OPERATION_TIMEDOUT:
		return curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &t) ==
		    CURLE_OK && t == 0;
	default:
		return 0;
	}
}

long
http_get(struct http *h, const char *url)
{
	CURLcode rc;
	long status = 0;

	buf_reset(&h->body);
	buf_reset(&h->wire);
	h->too_big = 0;
	h->permanent = 0;
	h->unreachable = 0;
	h->err[0] = '\0';
	if (curl_easy_setopt(h->easy, CURLOPT_URL, url) != CURLE_OK) {
		snprintf(h->err, sizeof(h->err), "bad URL");
		return -1;
	}
	rc = curl_easy_perform(h->easy);
	if (rc != CURLE_OK) {
		h->permanent = permanent(rc);
		h->unreachable = unreachable(h->easy, rc);
		if (h->too_big)
			snprintf(h->err, sizeof(h->err),
			    "response body too large to hold");
		else if (h->err[0] == '\0')
			snprintf(h->err, sizeof(h->err), "%s",
			    curl_easy_strerror(rc));
		return -1;
	}
	if (decode(h) == -1)
		return -1;
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

/* The body as sent (h->wire) made h->body: decoded when gzip, the only
 * coding asked for. 0, or -1 with h->err set. */
static int
decode(struct http *h)
{
	struct curl_header *hd;
	struct buf t;
	const char *v = "";

	if (curl_easy_header(h->easy, "Content-Encoding", 0, CURLH_HEADER, -1,
	    &hd) == CURLHE_OK)
		v = hd->value;
	if (*v == '\0' || strcasecmp(v, "identity") == 0) {
		t = h->body;	/* as it came: the buffers change places */
		h->body = h->wire;
		h->wire = t;
		return 0;
	}
	if (strcasecmp(v, "gzip") != 0 && strcasecmp(v, "x-gzip") != 0) {
		snprintf(h->err, sizeof(h->err),
		    "a body in a coding not asked for (Content-Encoding: %.60s)",
		    v);
		return -1;
	}
	switch (gunzip(h->gz, h->wire.data, h->wire.len, h->max_body,
	    &h->body)) {
	case GUNZIP_OK:
		return 0;
	case GUNZIP_BAD:
		snprintf(h->err, sizeof(h->err),
		    "a gzip body that does not decode");
		return -1;
	default:
		h->too_big = 1;
		snprintf(h->err, sizeof(h->err),
		    "response body too large to hold");
		return -1;
	}
}

char *
http_header(struct http *h, const char *name)
{
	struct curl_header *hd;

	if (curl_easy_header(h->easy, name, 0, CURLH_HEADER, -1, &hd) !=
	    CURLHE_OK)
		return NULL;
	return xstrdup(hd->value);
}

long
http_retry_after(struct http *h)
{
	curl_off_t s = -1;

	if (curl_easy_getinfo(h->easy, CURLINFO_RETRY_AFTER, &s) != CURLE_OK ||
	    s <= 0)
		return -1;
	return s > 86400 ? 86400 : (long)s;
}

void
http_close(struct http *h)
{
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->hdrs);
	gunzip_free(h->gz);
	buf_free(&h->body);
	buf_free(&h->wire);
	h->easy = h->hdrs = h->gz = NULL;
}

static void
free_parts(char *a, char *b, char *c)
{
	curl_free(a);
	curl_free(b);
	curl_free(c);
}

static int
url_parts(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u = curl_url();
	int rv = -1;

	*scheme = *host = *port = NULL;
	if (u == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK &&
	    (strcasecmp(*scheme, "http") == 0 ||
	    strcasecmp(*scheme, "https") == 0))
		rv = 0;
	curl_url_cleanup(u);
	if (rv == -1) {
		free_parts(*scheme, *host, *port);
		*scheme = *host = *port = NULL;
	}
	return rv;
}

int
url_same_origin(const char *a, const char *b)
{
	char *s1, *h1, *p1, *s2, *h2, *p2;
	int rv = -1;

	s2 = h2 = p2 = NULL;
	if (url_parts(a, &s1, &h1, &p1) == 0 &&
	    url_parts(b, &s2, &h2, &p2) == 0)
		rv = strcasecmp(s1, s2) == 0 && strcasecmp(h1, h2) == 0 &&
		    strcmp(p1, p2) == 0;
	free_parts(s1, h1, p1);
	free_parts(s2, h2, p2);
	return rv;
}

/* Only a name that cannot be anything else, or a numeric address: a host
 * name that merely starts with "127." can be anyone's. */
static int
host_loopback(const char *h)
{
	struct in6_addr a6;
	struct in_addr a4;
	char b[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(h);

	if (strcasecmp(h, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && n < sizeof(b) && h[0] == '[' && h[n - 1] == ']') {
		memcpy(b, h + 1, n - 2);
		b[n - 2] = '\0';
		h = b;
	}
	return inet_pton(AF_INET6, h, &a6) == 1 &&
	    memcmp(&a6, &in6addr_loopback, sizeof(a6)) == 0;
}

int
url_token_safe(const char *url)
{
	char *s, *h, *p;
	int rv = 0;

	if (url_parts(url, &s, &h, &p) == 0)
		rv = strcasecmp(s, "https") == 0 || host_loopback(h);
	free_parts(s, h, p);
	return rv;
}

/* Whether ref starts with a scheme (RFC 3986: ALPHA *( ALPHA / DIGIT /
 * "+" / "-" / "." ) ":"). */
static int
has_scheme(const char *ref)
{
	const char *p = ref;

	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	return *p == ':';
}

char *
url_resolve(const char *base, const char *ref)
{
	CURLU *u;
	char *out = NULL, *r = NULL;

	if (has_scheme(ref))
		return xstrdup(ref);
	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		r = xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	return r;
}

char *
url_redact(const char *url)
{
	const char *a = strstr(url, "://"), *end, *at;
	struct buf b = { 0 };

	if (a == NULL)
		return xstrdup(url);
	a += 3;
	end = a + strcspn(a, "/?#");
	for (at = end; at > a && at[-1] != '@'; at--)
		;
	if (at == a)
		return xstrdup(url);
	buf_add(&b, url, (size_t)(a - url));
	buf_adds(&b, at);
	return buf_cstr(&b);
}

void
url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~') {
			buf_addc(b, (char)*p);
			continue;
		}
		buf_addc(b, '%');
		buf_addc(b, hex[*p >> 4]);
		buf_addc(b, hex[*p & 15]);
	}
}

char *
url_set_param(const char *url, const char *key, const char *value)
{
	struct buf b = { 0 };
	const char *q = strchr(url, '?'), *p, *end;
	size_t k = strlen(key);

	for (p = q; p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, key, k) == 0 && p[1 + k] == '=') {
			end = p + 1 + k + 1;
			end += strcspn(end, "&#");
			buf_add(&b, url, (size_t)(p + 1 - url));
			buf_addf(&b, "%s=", key);
			url_encode(&b, value);
			buf_adds(&b, end);
			return buf_cstr(&b);
		}
	}
	buf_addf(&b, "%s%c%s=", url, q ? '&' : '?', key);
	url_encode(&b, value);
	return buf_cstr(&b);
}

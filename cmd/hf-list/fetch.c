/* fetch.c: a listing's pages from the Hub: the connection, retries, the
 * RateLimit pacing, pages too large to hold, and the messages that say
 * which URL failed and why. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "headers.h"
#include "http.h"
#include "hub.h"
#include "json.h"
#include "util.h"
#include "list.h"

#define MAX_ATTEMPTS	10
#define FIRST_ATTEMPTS	3	/* a Hub never reached: give up sooner */
#define MAX_WAIT	600	/* seconds: no wait is longer */
#define DEADLINE	5	/* a request may last --timeout times this */
#define SHOW_BYTES	60	/* of a body that is not what was expected */

static int	token_checked(char **, const char **);
static void	hub_error(struct listing *, long, char *, size_t);
static int	retryable(long);
static int	rate_left(struct listing *, long *, long *);
static long	rate_cap(struct listing *);
static double	capped(struct listing *, double, const char *);
static double	retry_delay(struct listing *, long, int);
static void	note_ratelimit(struct listing *, long);
static int	pace(struct listing *);
static int	halve_page(struct listing *);
static void	show_bytes(struct buf *, const char *, size_t);
static void	not_array(struct listing *, char *, size_t);
static void	endpoint_is(struct buf *, const struct listing *);
static void	fatal(struct listing *, long, const char *);
static void	hms(char *, size_t, double);

/* The token (NULL: none) into *t: 0, or -1 (reported) when it holds a
 * control character: a CR or LF would add headers of its own. */
static int
token_checked(char **t, const char **src)
{
	size_t i;

	if ((*t = hub_token(src)) == NULL)
		return 0;
	for (i = 0; (*t)[i] != '\0'; i++)
		if ((unsigned char)(*t)[i] < 0x20 || (*t)[i] == 0x7f) {
			say("the token (from %s) holds a control character "
			    "(CR, LF or another): refused, nothing sent", *src);
			memset(*t, 0, strlen(*t));
			free(*t);
			*t = NULL;
			return -1;
		}
	return 0;
}

int
fetch_token_ok(void)
{
	const char *src;
	char *t;

	if (token_checked(&t, &src) == -1)
		return -1;
	if (t != NULL) {
		memset(t, 0, strlen(t));
		free(t);
	}
	return 0;
}

int
fetch_open(struct listing *l)
{
	struct http_opts o = { 0 };
	const char *src, *scale;
	char *token, ua[64];
	int rv;

	if (token_checked(&token, &src) == -1)
		return -1;
	if (token != NULL && !url_token_safe(l->endpoint)) {
		say("%s: not https nor loopback: the token (from %s) is "
		    "not sent", l->endpoint, src);
		memset(token, 0, strlen(token));
		free(token);
		token = NULL;
	}
	scale = getenv("HF_LIST_WAIT_SCALE");
	l->scale = scale != NULL && *scale != '\0' ? atof(scale) : 1.0;
	if (!(l->scale >= 0))
		l->scale = 1.0;
	/* the lanes share a process: each listing's address sets their
	 * back-offs apart */
	l->seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^
	    (unsigned)(uintptr_t)l;
	snprintf(ua, sizeof(ua), "hf-list/%s (hf-scraper)", hf_version_string);
	o.token = token;
	o.timeout = l->a->timeout;
	o.deadline = l->a->timeout * DEADLINE;
	o.user_agent = ua;
	o.max_body = (size_t)1 << 30;
	if (getenv("HF_LIST_MAX_PAGE_BYTES") != NULL)
		o.max_body = (size_t)strtoull(getenv("HF_LIST_MAX_PAGE_BYTES"),
		    NULL, 10);
	/* the tokens of a page may cost many times its bytes: they get as
	 * many bytes as the page itself */
	l->json.max_bytes = o.max_body;
	rv = http_open(&l->http, &o);
	if (token != NULL) {
		memset(token, 0, strlen(token));
		free(token);
	}
	if (rv == -1)
		say("%s", l->http.err);
	return rv;
}

/* The Hub's {"error": "..."} message, made printable, or the status. */
static void
hub_error(struct listing *l, long status, char *out, size_t n)
{
	struct buf msg = { 0 };
	struct json j = { 0 };
	size_t i;
	int k;

	snprintf(out, n, "HTTP %ld", status);
	if (json_parse(&j, l->http.body.data ? l->http.body.data : "",
	    l->http.body.len, JSON_UTF8, NULL) == -1 ||
	    (k = json_get(&j, 0, "error")) == -1 ||
	    json_str(&j, k, &msg, NULL) == -1)
		goto out;
	for (i = 0; i < msg.len && i < 300; i++)
		if ((unsigned char)msg.data[i] < 0x20 || msg.data[i] == 0x7f)
			msg.data[i] = ' ';
	snprintf(out, n, "HTTP %ld: %.*s", status, (int)i, msg.data);
out:
	json_free(&j);
	buf_free(&msg);
}

static int
retryable(long status)
{
	return status == -1 || status == 200 || status == 408 ||
	    status == 429 || (status >= 500 && status <= 599);
}

/* The last response's RateLimit header: requests left, seconds to reset. */
static int
rate_left(struct listing *l, long *left, long *reset)
{
	char *v = http_header(&l->http, "RateLimit");
	int rv;

	rv = v != NULL ? ratelimit_parse(v, left, reset) : -1;
	free(v);
	return rv;
}

/* The longest wait for a rate limit: the window its RateLimit-Policy
 * declares (a reset never lies further), else, and at most, 10 minutes. */
static long
rate_cap(struct listing *l)
{
	char *v = http_header(&l->http, "RateLimit-Policy");
	long w;

	if (v == NULL || ratelimit_window(v, &w) == -1 || w <= 0 ||
	    w > MAX_WAIT)
		w = MAX_WAIT;
	free(v);
	return w;
}

/* A wait the Hub asked for, capped (and said so) at rate_cap. */
static double
capped(struct listing *l, double d, const char *why)
{
	char asked[32], cap[32];
	long c = rate_cap(l);

	if (d <= (double)c)
		return d;
	hms(asked, sizeof(asked), d);
	hms(cap, sizeof(cap), (double)c);
	say("page %" PRId64 ": %s asks for a wait of %s: capped at %s (%s)",
	    l->fetching, why, asked, cap, c == MAX_WAIT ? "10 minutes" :
	    "the window of its RateLimit-Policy");
	return (double)c;
}

/* Wait before retry number attempt: the RateLimit reset on a 429 with no
 * requests left, else Retry-After, else 1, 2, 4 ... 60 s with jitter. */
static double
retry_delay(struct listing *l, long status, int attempt)
{
	long left, reset, after;
	double base;

	if (status == 429 && rate_left(l, &left, &reset) == 0 && left == 0)
		return capped(l, (double)reset + 1, "the Hub's rate limit");
	if (status != -1 && (after = http_retry_after(&l->http)) >= 0)
		return capped(l, (double)after, "Retry-After");
	base = attempt >= 7 ? 60 : (double)(1 << (attempt - 1));
	base *= 1 + (double)rand_r(&l->seed) / RAND_MAX / 4;
	return base > 60 ? 60 : base;
}

/* After every response: when no request is left in the window, wait for
 * the reset instead of provoking a 429 (a 429 itself is retried after
 * the reset: retry_delay). */
static void
note_ratelimit(struct listing *l, long status)
{
	long left, reset;

	if (status != 429 && rate_left(l, &left, &reset) == 0 && left == 0 &&
	    reset > 0)
		l->pace = capped(l, (double)reset, "the Hub's rate limit");
}

/* The wait note_ratelimit asked for, said once (as it is, unscaled): 0,
 * or -1 if the printer asked to stop meanwhile. */
static int
pace(struct listing *l)
{
	char d[32];
	int rv = 0;

	if (l->pace > 0) {
		hms(d, sizeof(d), l->pace);
		if (l->tty && l->a->progress)
			fputc('\n', stderr);
		say("waiting %s for the Hub's rate limit", d);
		rv = listing_sleep(l, l->pace * l->scale);
	}
	l->pace = 0;
	return rv;
}

/* "4m52s", "52s", "1h0m3s": whole seconds, rounded up. */
static void
hms(char *out, size_t n, double secs)
{
	long long s = secs >= 9e15 ? 9000000000000000LL : (long long)secs;

	if ((double)s < secs)
		s++;
	if (s >= 3600)
		snprintf(out, n, "%lldh%lldm%llds", s / 3600, s / 60 % 60,
		    s % 60);
	else if (s >= 60)
		snprintf(out, n, "%lldm%llds", s / 60, s % 60);
	else
		snprintf(out, n, "%llds", s);
}

/* A body too large to hold, or whose tokens are: ask for the page again
 * with half the items. */
static int
halve_page(struct listing *l)
{
	const char *p = strstr(l->url, "limit=");
	char num[32], *url;
	long n = 0;

	while (p != NULL && p != l->url && p[-1] != '?' && p[-1] != '&')
		p = strstr(p + 1, "limit=");
	if (p != NULL)
		n = strtol(p + 6, NULL, 10);
	if (n <= 1)
		return -1;
	snprintf(num, sizeof(num), "%ld", n / 2);
	url = url_set_param(l->url, "limit", num);
	free(l->url);
	l->url = url;
	return 0;
}

/* At most SHOW_BYTES bytes of s, quoted, printable ASCII, escaped. */
static void
show_bytes(struct buf *b, const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	buf_addc(b, '"');
	for (i = 0; i < len && i < SHOW_BYTES; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_addf(b, "\\%c", c);
		else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_adds(b, len > SHOW_BYTES ? "\"..." : "\"");
}

/* A 200 that is not a JSON array: what it was instead, " (...)". */
static void
not_array(struct listing *l, char *out, size_t n)
{
	struct buf b = { 0 };
	char *ct = http_header(&l->http, "Content-Type");
	size_t i;

	for (i = 0; ct != NULL && ct[i] != '\0'; i++)
		if ((unsigned char)ct[i] < 0x20 || ct[i] == 0x7f)
			ct[i] = ' ';
	buf_addf(&b, " (Content-Type %s, %zu bytes: ",
	    ct != NULL ? ct : "none", l->http.body.len);
	show_bytes(&b, l->http.body.data ? l->http.body.data : "",
	    l->http.body.len);
	buf_addc(&b, ')');
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
	free(ct);
}

/* "HF_ENDPOINT=X", or that it is not set, without a user or password. */
static void
endpoint_is(struct buf *b, const struct listing *l)
{
	const char *env = getenv("HF_ENDPOINT");
	char *ep = url_redact(l->endpoint);

	if (env != NULL && *env != '\0')
		buf_addf(b, "HF_ENDPOINT=%s", ep);
	else
		buf_addf(b, "HF_ENDPOINT not set: %s", ep);
	free(ep);
}

/* A request that ends the listing, with its URL (never the token: that is
 * in a header) and what may be wrong. 401 says what is: the token. */
static void
fatal(struct listing *l, long status, const char *reason)
{
	char *url = url_redact(l->url), *loc = NULL;
	struct buf ep = { 0 };

	endpoint_is(&ep, l);
	if (status == 401)
		say("page %" PRId64 ": %s", l->fetching, reason);
	else if (status >= 300 && status <= 399) {
		loc = http_header(&l->http, "Location");
		say("page %" PRId64 ": %s: %s redirects to %s (not followed)",
		    l->fetching, reason, url, loc != NULL ? loc : "nowhere");
	} else if (status == 404)
		say("page %" PRId64 ": %s: %s (%s may not point at a Hub)",
		    l->fetching, reason, url, buf_cstr(&ep));
	else if (status == -1 && l->http.unreachable && !l->reached)
		say("page %" PRId64 ": cannot reach %s: %s (%s)",
		    l->fetching, url, reason, buf_cstr(&ep));
	else
		say("page %" PRId64 ": %s: %s", l->fetching, reason, url);
	free(loc);
	buf_free(&ep);
	free(url);
}

int
fetch_parse(struct listing *l)
{
	return json_parse(&l->json, l->http.body.data ? l->http.body.data :
	    "", l->http.body.len, JSON_MEMBERS, NULL) != -1 &&
	    json_type(&l->json, 0) == JSON_ARRAY ? 0 : -1;
}

int
fetch_page(struct listing *l)
{
	char reason[512], detail[160], *url;
	long status;
	int attempt, most;
	double d;

	for (attempt = 1;; attempt++) {
		if (pace(l) == -1)
			return -1;
		detail[0] = '\0';
		status = http_get(&l->http, l->url);
		if (status != -1)
			l->reached = 1;
		note_ratelimit(l, status);
		if (status == 200) {
			if (fetch_parse(l) == 0)
				return 0;
			if (l->json.too_big) {
				if (halve_page(l) == -1) {
					say("page %" PRId64 ": a single item "
					    "has more JSON tokens than %zu "
					    "bytes can hold", l->fetching,
					    l->json.max_bytes);
					return -1;
				}
				attempt--;	/* as for a body too large */
				continue;
			}
			snprintf(reason, sizeof(reason),
			    "response is not a JSON array");
			not_array(l, detail, sizeof(detail));
		} else if (status == -1 && l->http.too_big) {
			if (halve_page(l) == -1) {
				say("page %" PRId64 ": a single item is larger "
				    "than %zu bytes", l->fetching,
				    l->http.max_body);
				return -1;
			}
			attempt--;	/* not the Hub's fault: ask at once */
			continue;
		} else if (status == -1) {
			snprintf(reason, sizeof(reason), "%s", l->http.err);
			if (l->http.permanent) {
				fatal(l, status, reason);
				return -1;
			}
		} else
			hub_error(l, status, reason, sizeof(reason));
		if (!retryable(status)) {
			fatal(l, status, reason);
			return -1;
		}
		most = !l->reached && l->http.unreachable ? FIRST_ATTEMPTS :
		    MAX_ATTEMPTS;
		if (attempt >= most)
			break;
		d = retry_delay(l, status, attempt);
		l->pace = 0;
		say("page %" PRId64 ": %s; retry %d of %d in %.1f s%s",
		    l->fetching, reason, attempt, most - 1, d, detail);
		if (listing_sleep(l, d * l->scale) == -1)
			return -1;
	}
	if (status == -1 && l->http.unreachable && !l->reached) {
		fatal(l, status, reason);
		return -1;
	}
	say("page %" PRId64 ": giving up after %d attempts: %s%s",
	    l->fetching, attempt, reason, detail);
	url = url_redact(l->url);
	say("page %" PRId64 ": its URL: %s", l->fetching, url);
	free(url);
	return -1;
}

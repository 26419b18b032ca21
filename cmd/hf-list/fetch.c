/* fetch.c: a listing's pages from the Hub: the connection, retries, the
 * RateLimit pacing, pages too large to hold. */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "hub.h"
#include "json.h"
#include "util.h"
#include "list.h"

#define MAX_ATTEMPTS	10

static void	hub_error(struct listing *, long, char *, size_t);
static int	retryable(long);
static int	rate_left(struct listing *, long *, long *);
static double	retry_delay(struct listing *, long, int);
static void	note_ratelimit(struct listing *);
static int	halve_page(struct listing *);

int
fetch_open(struct listing *l)
{
	struct http_opts o = { 0 };
	const char *src, *scale;
	char *token, ua[64];
	int rv;

	if ((token = hub_token(&src)) != NULL && !url_token_safe(l->endpoint)) {
		warnx("%s: not https nor loopback: the token (from %s) is "
		    "not sent", l->endpoint, src);
		memset(token, 0, strlen(token));
		free(token);
		token = NULL;
	}
	scale = getenv("HF_LIST_WAIT_SCALE");
	l->scale = scale != NULL && *scale != '\0' ? atof(scale) : 1.0;
	if (!(l->scale >= 0))
		l->scale = 1.0;
	l->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	snprintf(ua, sizeof(ua), "hf-list/%s (hf-scraper)", hf_version_string);
	o.token = token;
	o.timeout = l->a->timeout;
	o.user_agent = ua;
	o.max_body = (size_t)1 << 30;
	if (getenv("HF_LIST_MAX_PAGE_BYTES") != NULL)
		o.max_body = (size_t)strtoull(getenv("HF_LIST_MAX_PAGE_BYTES"),
		    NULL, 10);
	rv = http_open(&l->http, &o);
	if (token != NULL) {
		memset(token, 0, strlen(token));
		free(token);
	}
	if (rv == -1)
		warnx("%s", l->http.err);
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

/* Wait before retry number attempt: the RateLimit reset on a 429 with no
 * requests left, else Retry-After, else 1, 2, 4 ... 60 s with jitter. */
static double
retry_delay(struct listing *l, long status, int attempt)
{
	long left, reset, after;
	double base;

	if (status == 429 && rate_left(l, &left, &reset) == 0 && left == 0)
		return (double)reset + 1;
	if (status != -1 && (after = http_retry_after(&l->http)) >= 0)
		return (double)after;
	base = attempt >= 7 ? 60 : (double)(1 << (attempt - 1));
	base *= 1 + (double)rand_r(&l->seed) / RAND_MAX / 4;
	return base > 60 ? 60 : base;
}

/* After every response: when no request is left in the window, wait for
 * the reset instead of provoking a 429. */
static void
note_ratelimit(struct listing *l)
{
	long left, reset;

	if (rate_left(l, &left, &reset) == 0 && left == 0)
		l->pace = (double)reset;
}

/* A body too large to hold: ask for the page again with half the items. */
static int
halve_page(struct listing *l)
{
	const char *p = strstr(l->st.next, "limit=");
	char num[32], *url;
	long n = 0;

	while (p != NULL && p != l->st.next && p[-1] != '?' && p[-1] != '&')
		p = strstr(p + 1, "limit=");
	if (p != NULL)
		n = strtol(p + 6, NULL, 10);
	if (n <= 1)
		return -1;
	snprintf(num, sizeof(num), "%ld", n / 2);
	url = url_set_param(l->st.next, "limit", num);
	free(l->st.next);
	l->st.next = url;
	return 0;
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
	char reason[512];
	long status;
	int attempt;
	double d;

	for (attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		sleep_seconds(l->pace * l->scale);
		l->pace = 0;
		status = http_get(&l->http, l->st.next);
		note_ratelimit(l);
		if (status == 200) {
			if (fetch_parse(l) == 0)
				return 0;
			snprintf(reason, sizeof(reason),
			    "response is not a JSON array");
		} else if (status == -1 && l->http.too_big) {
			if (halve_page(l) == -1) {
				warnx("page %" PRId64 ": a single item is larger "
				    "than %zu bytes", l->pages + 1,
				    l->http.max_body);
				return -1;
			}
			attempt--;	/* not the Hub's fault: ask at once */
			continue;
		} else if (status == -1) {
			snprintf(reason, sizeof(reason), "%s", l->http.err);
			if (l->http.permanent) {
				warnx("page %" PRId64 ": %s", l->pages + 1,
				    reason);
				return -1;
			}
		} else
			hub_error(l, status, reason, sizeof(reason));
		if (!retryable(status)) {
			warnx("page %" PRId64 ": %s", l->pages + 1, reason);
			return -1;
		}
		if (attempt == MAX_ATTEMPTS)
			break;
		d = retry_delay(l, status, attempt);
		l->pace = 0;
		warnx("page %" PRId64 ": %s; retry %d of %d in %.1f s",
		    l->pages + 1, reason, attempt, MAX_ATTEMPTS - 1, d);
		sleep_seconds(d * l->scale);
	}
	warnx("page %" PRId64 ": giving up after %d attempts: %s",
	    l->pages + 1, attempt > MAX_ATTEMPTS ? MAX_ATTEMPTS : attempt,
	    reason);
	return -1;
}

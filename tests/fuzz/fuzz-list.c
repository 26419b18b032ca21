/* fuzz-list.c: the code hf-list applies to what the Hub sends, on
 * arbitrary bytes. The first byte (mod 4) picks the parser, the rest is
 * its input:
 *   0  a page body: fetch_parse, then listing_emit (minified items,
 *      repeated ids left out, --min-downloads, --limit and --skip-ids
 *      of the ids "a" and "a/b") with the options the second byte gives,
 *      under a small cap on the parser's memory or none; every line
 *      printed must be valid JSON without insignificant white space
 *   1  a Link header value: link_next (its URL must be a part of the
 *      value), then url_same_origin against the endpoint, and
 *      url_resolve against a page's URL (an absolute URL comes back as
 *      it is, a resolved one must be an http(s) URL) and url_redact
 *   2  a RateLimit or RateLimit-Policy header value: ratelimit_parse,
 *      ratelimit_window
 *   3  a --state file: state_take, for the listing in turn of ENDPOINT
 *      and QUERY, then for the same in lanes */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "headers.h"
#include "http.h"
#include "idset.h"
#include "json.h"
#include "strmap.h"
#include "util.h"
#include "../../cmd/hf-list/list.h"

#define ENDPOINT	"https://huggingface.co"
#define QUERY		"filter=text-generation&sort=downloads&limit=1000"

/* A copy of data exactly size bytes long (so that ASan sees a read past
 * the end), NUL-terminated if nul is set. */
static char *
copy(const uint8_t *data, size_t size, int nul)
{
	char *s = xmalloc(size + (nul != 0) + (size == 0 && !nul));

	memcpy(s, data, size);
	if (nul)
		s[size] = '\0';
	return s;
}

/* Items are printed without insignificant white space. */
static void
check_minified(const char *out, size_t len)
{
	struct buf b = { 0 };
	const char *p, *nl;

	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		buf_reset(&b);
		json_minify(&b, p, 0, (size_t)(nl - p));
		if (b.len != (size_t)(nl - p) || memcmp(b.data, p, b.len) != 0)
			fuzz_fail("an item is printed with white space");
	}
	buf_free(&b);
}

static void
page(const uint8_t *data, size_t size)
{
	static const int64_t limits[] = { 0, 1, 3, 1000 };
	struct list_args a = { 0 };
	struct listing l = { 0 };
	struct strmap skip = { 0 };
	size_t len;
	char *out;

	if (size == 0)
		return;
	a.limit = limits[(data[0] >> 1) & 3];
	a.min_downloads = data[0] & 1 ? 500 : -1;
	if (data[0] & 8) {
		strmap_add(&skip, "a", 1);
		strmap_add(&skip, "a/b", 3);
	}
	a.skip = &skip;
	l.json.max_bytes = data[0] & 16 ? 4096 : 0;
	l.a = &a;
	l.http.body.data = copy(data + 1, size - 1, 0);
	l.http.body.len = l.http.body.cap = size - 1;
	if (fetch_parse(&l) == 0) {
		listing_take(&l);	/* the fetcher hands it to the printer */
		fuzz_begin(NULL, 0);
		listing_emit(&l);
		out = fuzz_end(&len);
		if ((a.limit > 0 && l.st.count > a.limit) ||
		    l.st.count + l.registered > json_size(&l.page.json, 0))
			fuzz_fail("more items printed than asked or sent");
		fuzz_check_ndjson(out, len, (size_t)l.st.count, NULL);
		check_minified(out, len);
	}
	else if (l.json.too_big && l.json.n != 0)
		fuzz_fail("tokens kept after a parse stopped by the cap");
	json_free(&l.json);
	json_free(&l.page.json);
	idset_free(&l.seen);
	strmap_free(&skip);
	buf_free(&l.http.body);
	buf_free(&l.page.body);
}

static void
link_header(const uint8_t *data, size_t size)
{
	char *value = copy(data, size, 1), *next;

	char *abs, *red;

	if ((next = link_next(value)) != NULL) {
		if (strstr(value, next) == NULL)
			fuzz_fail("link_next: a URL the value does not have");
		url_same_origin(ENDPOINT, next);
		if ((abs = url_resolve(ENDPOINT "/api/models?" QUERY,
		    next)) != NULL) {
			if (strncmp(abs, "http", 4) != 0 &&
			    strcmp(abs, next) != 0)
				fuzz_fail("url_resolve: not the URL given, "
				    "nor an http URL");
			red = url_redact(abs);
			if (strlen(red) > strlen(abs))
				fuzz_fail("url_redact: a longer URL");
			free(red);
			free(abs);
		}
		free(next);
	}
	free(value);
}

static void
ratelimit(const uint8_t *data, size_t size)
{
	char *value = copy(data, size, 1);
	long left, reset, window;

	ratelimit_parse(value, &left, &reset);
	if (ratelimit_window(value, &window) == 0 && window < 0)
		fuzz_fail("ratelimit_window: a negative window");
	free(value);
}

static void
state(const uint8_t *data, size_t size)
{
	struct list_state s = { 0 };
	char *text = copy(data, size, 0);

	s.path = "state";
	s.endpoint = ENDPOINT;
	s.query = QUERY;
	s.nauthors = 3;
	s.next = xstrdup(ENDPOINT "/api/models?" QUERY);
	if (state_take(&s, text, size) == 0 && !s.done &&
	    url_same_origin(ENDPOINT, s.next) != 1)
		fuzz_fail("state_take: a next URL of another origin");
	s.lanes = 2;
	if (state_take(&s, text, size) == 0 && (s.lanes < 2 ||
	    s.lanes > LIST_MAX_JOBS || (size_t)s.lanes > s.nauthors ||
	    s.out < 0 || s.out > s.lanes || s.count < 0))
		fuzz_fail("state_take: lanes, out or count out of range");
	free(s.next);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] & 3) {
	case 0:
		page(data + 1, size - 1);
		break;
	case 1:
		link_header(data + 1, size - 1);
		break;
	case 2:
		ratelimit(data + 1, size - 1);
		break;
	default:
		state(data + 1, size - 1);
	}
	return 0;
}

/* hf-list: list models from the Hugging Face Hub as NDJSON, one item a
 * line, following the Link pagination, de-duplicating by id, pacing itself
 * by the RateLimit header and retrying what can be retried. */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "atomic.h"
#include "buf.h"
#include "http.h"
#include "hub.h"
#include "idset.h"
#include "json.h"
#include "jsonw.h"
#include "util.h"
#include "list.h"

#define MAX_ATTEMPTS	10
#define MAX_PAGE_SIZE	1000
#define DEFAULT_EXPAND	"config,safetensors,downloads,likes,lastModified," \
			"tags,pipeline_tag,gated,author"

enum {
	OPT_AUTHOR = 256, OPT_EXPAND, OPT_FILTER, OPT_GATED, OPT_JOBS, OPT_LIMIT,
	OPT_MIN_DOWNLOADS, OPT_NO_GATED, OPT_NO_PROGRESS, OPT_NUM_PARAMETERS,
	OPT_PAGE_SIZE, OPT_PARAM, OPT_PIPELINE_TAG, OPT_PROGRESS, OPT_SEARCH,
	OPT_SORT, OPT_STATE, OPT_TIMEOUT,
};

static const struct option longopts[] = {
	{ "author",		required_argument,	NULL, OPT_AUTHOR },
	{ "expand",		required_argument,	NULL, OPT_EXPAND },
	{ "filter",		required_argument,	NULL, OPT_FILTER },
	{ "gated",		no_argument,		NULL, OPT_GATED },
	{ "help",		no_argument,		NULL, 'h' },
	{ "jobs",		required_argument,	NULL, OPT_JOBS },
	{ "limit",		required_argument,	NULL, OPT_LIMIT },
	{ "min-downloads",	required_argument,	NULL, OPT_MIN_DOWNLOADS },
	{ "no-gated",		no_argument,		NULL, OPT_NO_GATED },
	{ "no-progress",	no_argument,		NULL, OPT_NO_PROGRESS },
	{ "num-parameters",	required_argument,	NULL, OPT_NUM_PARAMETERS },
	{ "page-size",		required_argument,	NULL, OPT_PAGE_SIZE },
	{ "param",		required_argument,	NULL, OPT_PARAM },
	{ "pipeline-tag",	required_argument,	NULL, OPT_PIPELINE_TAG },
	{ "progress",		no_argument,		NULL, OPT_PROGRESS },
	{ "search",		required_argument,	NULL, OPT_SEARCH },
	{ "sort",		required_argument,	NULL, OPT_SORT },
	{ "state",		required_argument,	NULL, OPT_STATE },
	{ "timeout",		required_argument,	NULL, OPT_TIMEOUT },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 },
};

static const char *sort_keys[] = {
	"downloads", "likes", "createdAt", "lastModified", "trendingScore",
};

struct run {
	const struct args *a;
	struct http	 http;
	struct json	 json;
	struct idset	 seen;
	char		*endpoint;
	char		*query;		/* identifies the listing in --state */
	char		*url;		/* the page to fetch next */
	size_t		 part;		/* the --author being listed */
	int		 part_done;	/* --min-downloads reached in it */
	int		 tty;		/* stderr is a terminal */
	struct timespec	 start;
	int64_t		 printed;
	int64_t		 pages;
	int64_t		 repeats;
	double		 pace;		/* wait this long before the next request */
	double		 scale;		/* HF_LIST_WAIT_SCALE */
	pid_t		 parent;	/* HF_LIST_DIE_WITH_PARENT: else 0 */
	unsigned	 seed;
	int		 done;
};

static void	usage(FILE *, int) __attribute__((noreturn));
static void	parse_args(int, char *[], struct args *);
static void	add_param(struct buf *, const char *, const char *);
static int	open_hub(struct run *);
static int	load_state(struct run *);
static int	take_state(struct run *, const char *, size_t);
static int	save_state(struct run *, const char *);
static int	fetch_page(struct run *);
static int	parse_page(struct run *);
static int	emit_page(struct run *);
static int	find_next(struct run *, char **);
static int	advance(struct run *, char *);
static int	rate_left(struct run *, long *, long *);
static void	progress(const struct run *, int);
static void	die_with_parent(struct run *);
static int	orphaned(const struct run *);
static void	run_free(struct run *);
static void	args_free(struct args *);

static void
usage(FILE *fp, int status)
{
	fputs("usage: hf-list [--gated | --no-gated] [--progress | --no-progress]\n"
	    "               [--author org] [--expand field[,field...]]\n"
	    "               [--filter tag] [--jobs n] [--limit n]\n"
	    "               [--min-downloads n]\n"
	    "               [--num-parameters range] [--page-size n]\n"
	    "               [--param key=value] [--pipeline-tag tag]\n"
	    "               [--search text] [--sort key] [--state file]\n"
	    "               [--timeout seconds]\n", fp);
	exit(status == 0 ? hf_finish(0) : status);
}

/* "&key=value", both percent-encoded. */
static void
add_param(struct buf *q, const char *key, const char *value)
{
	buf_addc(q, '&');
	url_encode(q, key);
	buf_addc(q, '=');
	url_encode(q, value);
}

static void
add_expand(struct args *a, const char *list)
{
	const char *p;
	size_t n, i;

	for (p = list; *p != '\0'; p += n + (p[n] == ',')) {
		if ((n = strcspn(p, ",")) == 0)
			continue;
		for (i = 0; i < a->nexpand; i++)
			if (strlen(a->expand[i]) == n &&
			    strncmp(a->expand[i], p, n) == 0)
				break;
		if (i < a->nexpand)
			continue;
		a->expand = xreallocarray(a->expand, a->nexpand + 1,
		    sizeof(*a->expand));
		a->expand[a->nexpand++] = xstrndup(p, n);
	}
}

/* --author is repeatable: one listing per org, in turn. The query keeps
 * the place of the first --author among the other filters. */
static void
add_author(struct args *a, const char *org)
{
	if (a->nauthors == 0)
		a->author_at = a->filters.len;
	a->authors = xreallocarray(a->authors, a->nauthors + 1,
	    sizeof(*a->authors));
	a->authors[a->nauthors++] = xstrdup(org);
}

static const char *
sort_key(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sort_keys) / sizeof(sort_keys[0]); i++)
		if (strcmp(s, sort_keys[i]) == 0)
			return sort_keys[i];
	warnx("--sort: not one of downloads, likes, createdAt, lastModified, "
	    "trendingScore: %s", s);
	exit(HF_EXIT_USAGE);
}

static void
add_param_arg(struct buf *q, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char *key;

	if (eq == NULL || eq == kv) {
		warnx("--param: not KEY=VALUE: %s", kv);
		exit(HF_EXIT_USAGE);
	}
	key = xstrndup(kv, (size_t)(eq - kv));
	add_param(q, key, eq + 1);
	free(key);
}

static void
parse_args(int argc, char *argv[], struct args *a)
{
	int ch, gated = -1;

	a->sort = "downloads";
	a->jobs = 1;
	a->page_size = MAX_PAGE_SIZE;
	a->min_downloads = -1;
	a->timeout = 120;
	a->progress = -1;
	add_expand(a, DEFAULT_EXPAND);
	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_AUTHOR:
			add_author(a, optarg);
			break;
		case OPT_EXPAND:
			add_expand(a, optarg);
			break;
		case OPT_FILTER:
			add_param(&a->filters, "filter", optarg);
			break;
		case OPT_GATED:
			gated = 1;
			break;
		case OPT_JOBS:
			a->jobs = parse_i64(optarg, 1, 64, "--jobs");
			break;
		case OPT_LIMIT:
			a->limit = parse_i64(optarg, 0, INT64_MAX, "--limit");
			break;
		case OPT_MIN_DOWNLOADS:
			a->min_downloads = parse_i64(optarg, 0, INT64_MAX,
			    "--min-downloads");
			break;
		case OPT_NO_GATED:
			gated = 0;
			break;
		case OPT_NO_PROGRESS:
			a->progress = 0;
			break;
		case OPT_NUM_PARAMETERS:
			add_param(&a->filters, "num_parameters", optarg);
			break;
		case OPT_PAGE_SIZE:
			a->page_size = parse_i64(optarg, 1, MAX_PAGE_SIZE,
			    "--page-size");
			break;
		case OPT_PARAM:
			add_param_arg(&a->filters, optarg);
			break;
		case OPT_PIPELINE_TAG:
			add_param(&a->filters, "pipeline_tag", optarg);
			break;
		case OPT_PROGRESS:
			a->progress = 1;
			break;
		case OPT_SEARCH:
			add_param(&a->filters, "search", optarg);
			break;
		case OPT_SORT:
			a->sort = sort_key(optarg);
			break;
		case OPT_STATE:
			a->state_path = optarg;
			break;
		case OPT_TIMEOUT:
			a->timeout = (long)parse_i64(optarg, 1, 86400,
			    "--timeout");
			break;
		case 'V':
			hf_version();
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, HF_EXIT_USAGE);
		}
	}
	if (optind != argc) {
		warnx("unexpected operand: %s", argv[optind]);
		usage(stderr, HF_EXIT_USAGE);
	}
	if (gated != -1)
		add_param(&a->filters, "gated", gated ? "true" : "false");
	if (a->min_downloads >= 0 && strcmp(a->sort, "downloads") != 0) {
		warnx("--min-downloads needs --sort downloads (not %s)",
		    a->sort);
		usage(stderr, HF_EXIT_USAGE);
	}
	if (a->progress == -1)
		a->progress = isatty(STDERR_FILENO);
}

/* The first page's query: filters with authors [from, to), sort, page
 * size, expanded fields. All the authors make the --state identity. */
char *
build_query(const struct args *a, size_t from, size_t to)
{
	struct buf q = { 0 };
	int64_t n = a->page_size;
	char num[32];
	size_t i;

	if (a->limit > 0 && a->limit < n)
		n = a->limit;
	buf_add(&q, a->filters.data, a->author_at);
	for (i = from; i < to; i++)
		add_param(&q, "author", a->authors[i]);
	buf_add(&q, a->filters.data + a->author_at,
	    a->filters.len - a->author_at);
	add_param(&q, "sort", a->sort);
	snprintf(num, sizeof(num), "%" PRId64, n);
	add_param(&q, "limit", num);
	for (i = 0; i < a->nexpand; i++)
		add_param(&q, "expand", a->expand[i]);
	q.len--;	/* without the first '&' */
	memmove(q.data, q.data + 1, q.len);
	return buf_cstr(&q);
}

int
list_main(int argc, char *argv[])
{
	struct args a = { 0 };
	int64_t lanes;
	int rv;

	parse_args(argc, argv, &a);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	lanes = a.state_path != NULL ? state_lanes(a.state_path) : 0;
	if (lanes == -1)
		rv = HF_EXIT_FATAL;
	else if (lanes >= 2 ||
	    (lanes == 0 && a.jobs > 1 && a.nauthors > 1 && a.limit == 0))
		rv = list_lanes(&a);
	else
		rv = list_parts(&a);
	args_free(&a);
	return hf_finish(rv);
}

/* The listing, page after page and --author after --author. */
int
list_parts(struct args *a)
{
	struct run r = { 0 };
	char *next = NULL;
	int rv = HF_EXIT_OK;

	r.a = a;
	die_with_parent(&r);
	if (open_hub(&r) == -1 || (a->state_path != NULL &&
	    (load_state(&r) == -1 || (!r.done && save_state(&r, r.url) == -1))))
		rv = HF_EXIT_FATAL;
	while (!r.done && rv == HF_EXIT_OK) {
		if (orphaned(&r) || fetch_page(&r) == -1 ||
		    find_next(&r, &next) == -1 || emit_page(&r) == -1 ||
		    advance(&r, next) == -1)
			rv = HF_EXIT_FATAL;
	}
	progress(&r, 1);
	if (r.repeats > 0)
		warnx("%" PRId64 " repeated id%s left out", r.repeats,
		    r.repeats == 1 ? "" : "s");
	run_free(&r);
	return rv;
}

/* HF_LIST_DIE_WITH_PARENT (set by hf-scraper): a parent killed with
 * SIGKILL must not leave this listing running, holding the parent's lock
 * and making its next run wait. On Linux the kernel sends SIGTERM when the
 * parent dies; elsewhere, and for a parent gone before that was set up,
 * the parent is checked before every page. */
static void
die_with_parent(struct run *r)
{
	if (!env_true("HF_LIST_DIE_WITH_PARENT"))
		return;
	r->parent = getppid();
#ifdef __linux__
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		warn("prctl");
#endif
}

static int
orphaned(const struct run *r)
{
	if (r->parent == 0 || getppid() == r->parent)
		return 0;
	warnx("the parent process is gone: stopping");
	return 1;
}

static void
run_free(struct run *r)
{
	http_close(&r->http);
	json_free(&r->json);
	idset_free(&r->seen);
	free(r->endpoint);
	free(r->query);
	free(r->url);
}

static void
args_free(struct args *a)
{
	size_t i;

	for (i = 0; i < a->nexpand; i++)
		free(a->expand[i]);
	free(a->expand);
	for (i = 0; i < a->nauthors; i++)
		free(a->authors[i]);
	free(a->authors);
	buf_free(&a->filters);
}

/* The first page of part i: the listing of the i-th --author. */
static char *
part_url(const struct run *r, size_t i)
{
	struct buf u = { 0 };
	char *q;

	q = r->a->nauthors == 0 ? build_query(r->a, 0, 0) :
	    build_query(r->a, i, i + 1);
	buf_addf(&u, "%s/api/models?%s", r->endpoint, q);
	free(q);
	return buf_cstr(&u);
}

static int
open_hub(struct run *r)
{
	struct http_opts o = { 0 };
	const char *src, *scale;
	char *token, ua[64];
	int rv;

	r->endpoint = hub_endpoint();
	if (env_true("HF_HUB_OFFLINE")) {
		warnx("HF_HUB_OFFLINE is set: not contacting %s", r->endpoint);
		return -1;
	}
	r->query = build_query(r->a, 0, r->a->nauthors);
	r->url = part_url(r, 0);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->tty = isatty(STDERR_FILENO);
	if ((token = hub_token(&src)) != NULL && !url_token_safe(r->endpoint)) {
		warnx("%s: not https nor loopback: the token (from %s) is "
		    "not sent", r->endpoint, src);
		memset(token, 0, strlen(token));
		free(token);
		token = NULL;
	}
	scale = getenv("HF_LIST_WAIT_SCALE");
	r->scale = scale != NULL && *scale != '\0' ? atof(scale) : 1.0;
	if (!(r->scale >= 0))
		r->scale = 1.0;
	r->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	snprintf(ua, sizeof(ua), "hf-list/%s (hf-scraper)", hf_version_string);
	o.token = token;
	o.timeout = r->a->timeout;
	o.user_agent = ua;
	o.max_body = (size_t)1 << 30;
	if (getenv("HF_LIST_MAX_PAGE_BYTES") != NULL)
		o.max_body = (size_t)strtoull(getenv("HF_LIST_MAX_PAGE_BYTES"),
		    NULL, 10);
	rv = http_open(&r->http, &o);
	if (token != NULL) {
		memset(token, 0, strlen(token));
		free(token);
	}
	if (rv == -1)
		warnx("%s", r->http.err);
	return rv;
}

/* --state: {"hf_list_state":1,"endpoint":…,"query":…,"next":URL|null,
 * "part":I,"count":N,"done":bool}, replaced atomically after every page;
 * part is the --author that next belongs to. */
static int
load_state(struct run *r)
{
	const char *path = r->a->state_path;
	struct buf text = { 0 };
	char chunk[4096];
	size_t n;
	FILE *fp;
	int rv;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;	/* a new listing */
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&text, chunk, n);
	if (ferror(fp)) {
		warn("%s", path);
		rv = -1;
	} else
		rv = take_state(r, text.data ? text.data : "", text.len);
	fclose(fp);
	buf_free(&text);
	return rv;
}

/* A state file's text: where to go on, or -1 (reported) if it is not the
 * state of this listing. */
static int
take_state(struct run *r, const char *text, size_t len)
{
	const char *why = NULL, *path = r->a->state_path;
	struct buf s = { 0 };
	struct json j = { 0 };
	int k, rv = -1;
	int64_t part = 0;

	if (json_parse(&j, text, len, JSON_UTF8, &why) == -1 ||
	    json_type(&j, 0) != JSON_OBJECT ||
	    json_get(&j, 0, "hf_list_state") == -1) {
		warnx("%s: not an hf-list state file%s%s", path,
		    why ? ": " : "", why ? why : "");
		goto out;
	}
	k = json_get(&j, 0, "endpoint");
	if (!json_str_eq(&j, k, r->endpoint, strlen(r->endpoint)) ||
	    !json_str_eq(&j, json_get(&j, 0, "query"), r->query,
	    strlen(r->query))) {
		warnx("%s: the state of another listing (endpoint or query "
		    "differ); use another file or remove it", path);
		goto out;
	}
	if (json_i64(&j, json_get(&j, 0, "count"), &r->printed) == -1 ||
	    r->printed < 0) {
		warnx("%s: bad count", path);
		goto out;
	}
	if ((k = json_get(&j, 0, "part")) != -1 &&
	    (json_i64(&j, k, &part) == -1 || part < 0 ||
	    (uint64_t)part >= (r->a->nauthors > 0 ? r->a->nauthors : 1))) {
		warnx("%s: bad part", path);
		goto out;
	}
	r->part = (size_t)part;
	k = json_get(&j, 0, "next");
	r->done = json_type(&j, json_get(&j, 0, "done")) == JSON_TRUE ||
	    json_type(&j, k) == JSON_NULL;
	if (!r->done) {
		if (json_str(&j, k, &s, &why) == -1 ||
		    url_same_origin(r->endpoint, buf_cstr(&s)) != 1) {
			warnx("%s: bad next URL", path);
			goto out;
		}
		free(r->url);
		r->url = xstrdup(s.data);
	}
	rv = 0;
out:
	buf_free(&s);
	json_free(&j);
	return rv;
}

static int
save_state(struct run *r, const char *next)
{
	struct buf b = { 0 };
	struct jw w;
	int rv;

	if (r->a->state_path == NULL)
		return 0;
	jw_init(&w, &b, 0, 0);
	jw_obj(&w);
	jw_key(&w, "hf_list_state");
	jw_i64(&w, 1);
	jw_key(&w, "endpoint");
	jw_strz(&w, r->endpoint);
	jw_key(&w, "query");
	jw_strz(&w, r->query);
	jw_key(&w, "next");
	jw_strz(&w, next);
	jw_key(&w, "part");
	jw_i64(&w, (int64_t)r->part);
	jw_key(&w, "count");
	jw_i64(&w, r->printed);
	jw_key(&w, "done");
	jw_bool(&w, next == NULL);
	jw_end(&w);
	buf_addc(&b, '\n');
	jw_free(&w);
	if ((rv = atomic_write_nosync(r->a->state_path, b.data, b.len)) == -1)
		warn("%s", r->a->state_path);
	buf_free(&b);
	return rv;
}

/* The Hub's {"error": "..."} message, made printable, or the status. */
static void
hub_error(struct run *r, long status, char *out, size_t n)
{
	struct buf msg = { 0 };
	struct json j = { 0 };
	size_t i;
	int k;

	snprintf(out, n, "HTTP %ld", status);
	if (json_parse(&j, r->http.body.data ? r->http.body.data : "",
	    r->http.body.len, JSON_UTF8, NULL) == -1 ||
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
rate_left(struct run *r, long *left, long *reset)
{
	char *v = http_header(&r->http, "RateLimit");
	int rv;

	rv = v != NULL ? ratelimit_parse(v, left, reset) : -1;
	free(v);
	return rv;
}

/* Wait before retry number attempt: the RateLimit reset on a 429 with no
 * requests left, else Retry-After, else 1, 2, 4 ... 60 s with jitter. */
static double
retry_delay(struct run *r, long status, int attempt)
{
	long left, reset, after;
	double base;

	if (status == 429 && rate_left(r, &left, &reset) == 0 && left == 0)
		return (double)reset + 1;
	if (status != -1 && (after = http_retry_after(&r->http)) >= 0)
		return (double)after;
	base = attempt >= 7 ? 60 : (double)(1 << (attempt - 1));
	base *= 1 + (double)rand_r(&r->seed) / RAND_MAX / 4;
	return base > 60 ? 60 : base;
}

/* After every response: when no request is left in the window, wait for
 * the reset instead of provoking a 429. */
static void
note_ratelimit(struct run *r)
{
	long left, reset;

	if (rate_left(r, &left, &reset) == 0 && left == 0)
		r->pace = (double)reset;
}

/* A body too large to hold: ask for the page again with half the items. */
static int
halve_page(struct run *r)
{
	const char *p = strstr(r->url, "limit=");
	char num[32], *url;
	long n = 0;

	while (p != NULL && p != r->url && p[-1] != '?' && p[-1] != '&')
		p = strstr(p + 1, "limit=");
	if (p != NULL)
		n = strtol(p + 6, NULL, 10);
	if (n <= 1)
		return -1;
	snprintf(num, sizeof(num), "%ld", n / 2);
	url = url_set_param(r->url, "limit", num);
	free(r->url);
	r->url = url;
	return 0;
}

/* The body of a 200 into r->json: 0 if it is a JSON array, else -1. */
static int
parse_page(struct run *r)
{
	return json_parse(&r->json, r->http.body.data ? r->http.body.data :
	    "", r->http.body.len, JSON_MEMBERS, NULL) != -1 &&
	    json_type(&r->json, 0) == JSON_ARRAY ? 0 : -1;
}

static int
fetch_page(struct run *r)
{
	char reason[512];
	long status;
	int attempt;
	double d;

	for (attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		sleep_seconds(r->pace * r->scale);
		r->pace = 0;
		status = http_get(&r->http, r->url);
		note_ratelimit(r);
		if (status == 200) {
			if (parse_page(r) == 0)
				return 0;
			snprintf(reason, sizeof(reason),
			    "response is not a JSON array");
		} else if (status == -1 && r->http.too_big) {
			if (halve_page(r) == -1) {
				warnx("page %" PRId64 ": a single item is larger "
				    "than %zu bytes", r->pages + 1,
				    r->http.max_body);
				return -1;
			}
			attempt--;	/* not the Hub's fault: ask at once */
			continue;
		} else if (status == -1) {
			snprintf(reason, sizeof(reason), "%s", r->http.err);
			if (r->http.permanent) {
				warnx("page %" PRId64 ": %s", r->pages + 1,
				    reason);
				return -1;
			}
		} else
			hub_error(r, status, reason, sizeof(reason));
		if (!retryable(status)) {
			warnx("page %" PRId64 ": %s", r->pages + 1, reason);
			return -1;
		}
		if (attempt == MAX_ATTEMPTS)
			break;
		d = retry_delay(r, status, attempt);
		r->pace = 0;
		warnx("page %" PRId64 ": %s; retry %d of %d in %.1f s",
		    r->pages + 1, reason, attempt, MAX_ATTEMPTS - 1, d);
		sleep_seconds(d * r->scale);
	}
	warnx("page %" PRId64 ": giving up after %d attempts: %s",
	    r->pages + 1, attempt > MAX_ATTEMPTS ? MAX_ATTEMPTS : attempt,
	    reason);
	return -1;
}

/* downloads of an item, a missing or non-numeric one counting as 0. */
static double
downloads(const struct json *j, int item)
{
	double d;

	if (json_f64(j, json_get(j, item, "downloads"), &d) == -1)
		return 0;
	return d;
}

/* Whether item's id was printed before (items without an id pass). */
static int
repeated(struct run *r, int item)
{
	static struct buf id;
	int k = json_get(&r->json, item, "id");

	buf_reset(&id);
	if (json_str(&r->json, k, &id, NULL) == -1)
		return 0;
	return !idset_add(&r->seen, id.data ? id.data : "", id.len);
}

static int
emit_page(struct run *r)
{
	const struct json *j = &r->json;
	char *body = r->http.body.data;
	size_t start, n;
	int64_t limit = r->a->limit;
	int e, left = json_size(j, 0);

	for (e = json_first(j, 0); left-- > 0; e = json_skip(j, e)) {
		if (r->a->min_downloads >= 0 &&
		    downloads(j, e) < (double)r->a->min_downloads) {
			r->part_done = 1;
			break;
		}
		if (repeated(r, e)) {
			r->repeats++;
			continue;
		}
		/* minified where it lies: no second copy of the page (the
		 * Hub's pages come minified: then nothing to do) */
		start = (size_t)json_start(j, e);
		n = j->ws == 0 ? (size_t)json_end(j, e) - start :
		    json_minify_in_place(body, start, (size_t)json_end(j, e));
		if (fwrite(body + start, 1, n, stdout) != n ||
		    putchar('\n') == EOF)
			break;
		if (++r->printed == limit && limit > 0) {
			r->done = 1;
			break;
		}
	}
	r->pages++;
	if (ferror(stdout) || fflush(stdout) == EOF) {
		warn("stdout");
		return -1;
	}
	progress(r, 0);
	return 0;
}

/* The next page from Link rel="next", checked before the page is printed:
 * same origin only, since the token must not leave it. */
static int
find_next(struct run *r, char **next)
{
	char *v = http_header(&r->http, "Link");

	*next = v != NULL ? link_next(v) : NULL;
	free(v);
	if (*next != NULL && url_same_origin(r->endpoint, *next) != 1) {
		warnx("page %" PRId64 ": Link to another origin refused: %s",
		    r->pages + 1, *next);
		free(*next);
		*next = NULL;
		return -1;
	}
	return 0;
}

/* Record the position once the page is safely out, and move on: to the
 * next page, else to the next --author's first page, else done. */
static int
advance(struct run *r, char *next)
{
	int rv;

	if (!r->done && (r->part_done || next == NULL) &&
	    r->part + 1 < r->a->nauthors) {
		free(next);
		next = part_url(r, ++r->part);
		r->part_done = 0;
	}
	if (r->done || r->part_done || next == NULL) {
		free(next);
		next = NULL;
		r->done = 1;
	}
	rv = save_state(r, next);
	free(r->url);
	r->url = next;
	return rv;
}

/* On a terminal a line redrawn; otherwise (--progress) one line a page,
 * for a log or a wrapper to read. */
static void
progress(const struct run *r, int last)
{
	struct timespec now;
	double s;

	if (!r->a->progress || (last && !r->tty))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	s = (double)(now.tv_sec - r->start.tv_sec) +
	    (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
	fprintf(stderr, "%shf-list: %" PRId64 " models, %" PRId64
	    " pages, %.1f s%s", r->tty ? "\r" : "", r->printed, r->pages, s,
	    r->tty && !last ? "" : "\n");
}

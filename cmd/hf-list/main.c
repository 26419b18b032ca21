/* hf-list: list models from the Hugging Face Hub as NDJSON, one item a
 * line: one listing (listing.c), or with --jobs its orgs in lanes
 * (lanes.c). */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "stage.h"
#include "util.h"
#include "list.h"

#define DEFAULT_EXPAND	"config,safetensors,downloads,likes,lastModified," \
			"tags,pipeline_tag,gated,author"

enum {
	OPT_AUTHOR = 256, OPT_EXPAND, OPT_FILTER, OPT_GATED, OPT_JOBS, OPT_LIMIT,
	OPT_MAX_JOBS, OPT_MIN_DOWNLOADS, OPT_NO_GATED, OPT_NO_PROGRESS,
	OPT_NUM_PARAMETERS, OPT_PAGE_SIZE, OPT_PARAM, OPT_PIPELINE_TAG,
	OPT_PROGRESS, OPT_SEARCH, OPT_SORT, OPT_STATE, OPT_TIMEOUT,
};

/* The options as parsed: the arguments of the run, and --gated. */
struct opts {
	struct list_args a;
	int		 gated;		/* -1: either */
};

static void	opts_init(struct opts *);
static int	opts_option(void *, int, const char *);
static void	opts_check(struct opts *, int, int, char *[]);
static void	add_expand(struct list_args *, const char *);
static void	add_author(struct list_args *, const char *);
static const char *sort_key(const char *);
static void	add_param_arg(struct buf *, const char *);
static void	args_free(struct list_args *);

static const struct option list_options[] = {
	{ "author",		required_argument,	NULL, OPT_AUTHOR },
	{ "expand",		required_argument,	NULL, OPT_EXPAND },
	{ "filter",		required_argument,	NULL, OPT_FILTER },
	{ "gated",		no_argument,		NULL, OPT_GATED },
	{ "jobs",		required_argument,	NULL, OPT_JOBS },
	{ "limit",		required_argument,	NULL, OPT_LIMIT },
	{ "max-jobs",		no_argument,		NULL, OPT_MAX_JOBS },
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
	{ NULL,			0,			NULL, 0 },
};

static const char list_usage[] =
    "usage: hf-list [--gated | --no-gated] [--progress | --no-progress]\n"
    "               [--author org] [--expand field[,field...]]\n"
    "               [--filter tag] [--jobs n] [--limit n]\n"
    "               [--min-downloads n]\n"
    "               [--num-parameters range] [--page-size n]\n"
    "               [--param key=value] [--pipeline-tag tag]\n"
    "               [--search text] [--sort key] [--state file]\n"
    "               [--timeout seconds]\n"
    "       hf-list --max-jobs\n";

static const struct stage list_usage_stage = {
	.usage = list_usage,
	.options = list_options,
	.option = opts_option,
};

static const char *sort_keys[] = {
	"downloads", "likes", "createdAt", "lastModified", "trendingScore",
};

int
main(int argc, char *argv[])
{
	struct opts o;
	int64_t lanes;
	int rv;

	opts_init(&o);
	opts_check(&o, stage_options(&list_usage_stage, &o, argc, argv, NULL),
	    argc, argv);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	lanes = o.a.state_path != NULL ? state_lanes(o.a.state_path) : 0;
	if (lanes == -1)
		rv = HF_EXIT_FATAL;
	else if (lanes >= 2 || (lanes == 0 && o.a.jobs > 1 &&
	    o.a.nauthors > 1 && o.a.limit == 0))
		rv = lanes_run(&o.a);
	else
		rv = listing_run(&o.a);
	args_free(&o.a);
	return hf_finish(rv);
}

static void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->gated = -1;
	o->a.sort = "downloads";
	o->a.jobs = 1;
	o->a.page_size = LIST_MAX_PAGE_SIZE;
	o->a.min_downloads = -1;
	o->a.timeout = 120;
	o->a.progress = -1;
	add_expand(&o->a, DEFAULT_EXPAND);
}

/* One option: its own usage errors exit here, with their own message. */
static int
opts_option(void *state, int ch, const char *arg)
{
	struct opts *o = state;
	struct list_args *a = &o->a;

	switch (ch) {
	case OPT_AUTHOR:
		add_author(a, arg);
		break;
	case OPT_EXPAND:
		add_expand(a, arg);
		break;
	case OPT_FILTER:
		query_param(&a->filters, "filter", arg);
		break;
	case OPT_GATED:
		o->gated = 1;
		break;
	case OPT_JOBS:
		a->jobs = parse_i64(arg, 1, LIST_MAX_JOBS, "--jobs");
		break;
	case OPT_LIMIT:
		a->limit = parse_i64(arg, 0, INT64_MAX, "--limit");
		break;
	case OPT_MAX_JOBS:
		printf("%d\n", LIST_MAX_JOBS);
		exit(hf_finish(HF_EXIT_OK));
	case OPT_MIN_DOWNLOADS:
		a->min_downloads = parse_i64(arg, 0, INT64_MAX,
		    "--min-downloads");
		break;
	case OPT_NO_GATED:
		o->gated = 0;
		break;
	case OPT_NO_PROGRESS:
		a->progress = 0;
		break;
	case OPT_NUM_PARAMETERS:
		query_param(&a->filters, "num_parameters", arg);
		break;
	case OPT_PAGE_SIZE:
		a->page_size = parse_i64(arg, 1, LIST_MAX_PAGE_SIZE,
		    "--page-size");
		break;
	case OPT_PARAM:
		add_param_arg(&a->filters, arg);
		break;
	case OPT_PIPELINE_TAG:
		query_param(&a->filters, "pipeline_tag", arg);
		break;
	case OPT_PROGRESS:
		a->progress = 1;
		break;
	case OPT_SEARCH:
		query_param(&a->filters, "search", arg);
		break;
	case OPT_SORT:
		a->sort = sort_key(arg);
		break;
	case OPT_STATE:
		a->state_path = arg;
		break;
	case OPT_TIMEOUT:
		a->timeout = (long)parse_i64(arg, 1, 86400, "--timeout");
		break;
	default:
		return -1;
	}
	return 0;
}

/* What no single option can check; first is the first operand. */
static void
opts_check(struct opts *o, int first, int argc, char *argv[])
{
	struct list_args *a = &o->a;

	if (first != argc) {
		warnx("unexpected operand: %s", argv[first]);
		stage_usage_error(&list_usage_stage);
	}
	if (o->gated != -1)
		query_param(&a->filters, "gated", o->gated ? "true" : "false");
	if (a->min_downloads >= 0 && strcmp(a->sort, "downloads") != 0) {
		warnx("--min-downloads needs --sort downloads (not %s)",
		    a->sort);
		stage_usage_error(&list_usage_stage);
	}
	if (a->progress == -1)
		a->progress = isatty(STDERR_FILENO);
}

static void
add_expand(struct list_args *a, const char *list)
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
add_author(struct list_args *a, const char *org)
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
	query_param(q, key, eq + 1);
	free(key);
}

static void
args_free(struct list_args *a)
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

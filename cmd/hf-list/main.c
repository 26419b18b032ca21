/* hf-list: list models from the Hugging Face Hub as NDJSON, one item a
 * line: one listing (listing.c), or with --jobs its orgs in lanes
 * (lanes.c); each listing after a "+" beside it (beside.c). */
#include <err.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "stage.h"
#include "strmap.h"
#include "util.h"
#include "list.h"

#define DEFAULT_EXPAND	"config,safetensors,downloads,likes,lastModified," \
			"tags,pipeline_tag,gated,author"

enum {
	OPT_AUTHOR = 256, OPT_EXPAND, OPT_FILTER, OPT_GATED, OPT_MAX_JOBS,
	OPT_NO_GATED, OPT_NO_PROGRESS, OPT_NUM_PARAMETERS, OPT_PARAM,
	OPT_PIPELINE_TAG, OPT_PROGRESS, OPT_SEARCH, OPT_SKIP_IDS, OPT_SORT,
	OPT_STATE_MARKS, OPT_TIMEOUT,
};

/* The options of a listing as parsed: the arguments of the run, --gated,
 * --output, --stats and --skip-ids. */
struct opts {
	struct list_args a;
	int		 gated;		/* -1: either */
	const char	*output;
	int64_t		 stats;		/* -1: no --stats */
	const char	*skip_path;
	struct strmap	 skip;
};

static size_t	opts_parse(struct opts *, int, char *[]);
static void	opts_init(struct opts *);
static int	opts_option(void *, int, const char *);
static void	opts_check(struct opts *, size_t, int, int, char *[]);
static void	opts_apart(const struct opts *, size_t);
static void	opts_free(struct opts *);
static void	add_expand(struct list_args *, const char *);
static void	add_author(struct list_args *, const char *);
static const char *sort_key(const char *);
static void	add_param_arg(struct buf *, const char *);
static int	run(struct opts *);
static int	run_beside(struct opts *, size_t);
static int	run_companion(void *, size_t);

#define OPTS_INT64(name, member, min, max) \
	STAGE_INT64_OPT(name, struct opts, member, min, max)
static const struct stage_option list_options[] = {
	STAGE_CALL_OPT("author", required_argument, OPT_AUTHOR),
	STAGE_CALL_OPT("expand", required_argument, OPT_EXPAND),
	STAGE_CALL_OPT("filter", required_argument, OPT_FILTER),
	STAGE_CALL_OPT("gated", no_argument, OPT_GATED),
	OPTS_INT64("jobs", a.jobs, 1, LIST_MAX_JOBS),
	STAGE_STRING_OPT("label", struct opts, a.label),
	OPTS_INT64("limit", a.limit, 0, INT64_MAX),
	STAGE_CALL_OPT("max-jobs", no_argument, OPT_MAX_JOBS),
	OPTS_INT64("min-downloads", a.min_downloads, 0, INT64_MAX),
	STAGE_STRING_OPT("output", struct opts, output),
	STAGE_CALL_OPT("no-gated", no_argument, OPT_NO_GATED),
	STAGE_CALL_OPT("no-progress", no_argument, OPT_NO_PROGRESS),
	STAGE_CALL_OPT("num-parameters", required_argument, OPT_NUM_PARAMETERS),
	OPTS_INT64("page-size", a.page_size, 1, LIST_MAX_PAGE_SIZE),
	STAGE_CALL_OPT("param", required_argument, OPT_PARAM),
	STAGE_CALL_OPT("pipeline-tag", required_argument, OPT_PIPELINE_TAG),
	STAGE_CALL_OPT("progress", no_argument, OPT_PROGRESS),
	OPTS_INT64("progress-every", a.progress_every, 1, INT64_MAX),
	STAGE_CALL_OPT("search", required_argument, OPT_SEARCH),
	STAGE_STRING_OPT("skip-ids", struct opts, skip_path),
	STAGE_CALL_OPT("sort", required_argument, OPT_SORT),
	STAGE_STRING_OPT("state", struct opts, a.state_path),
	STAGE_FLAG_OPT("state-marks", struct opts, a.state_marks),
	OPTS_INT64("stats", stats, 0, INT_MAX),
	STAGE_CALL_OPT("timeout", required_argument, OPT_TIMEOUT),
	{ 0 },
};

/* The options that are a query parameter of the Hub's, as given. */
static const struct query_option {
	int		 opt;
	const char	*key;
} query_options[] = {
	{ OPT_FILTER, "filter" },
	{ OPT_NUM_PARAMETERS, "num_parameters" },
	{ OPT_PIPELINE_TAG, "pipeline_tag" },
	{ OPT_SEARCH, "search" },
};

static const char list_usage[] =
    "usage: hf-list [--gated | --no-gated] [--progress | --no-progress]\n"
    "               [--author org] [--expand field[,field...]]\n"
    "               [--filter tag] [--jobs n] [--label text] [--limit n]\n"
    "               [--min-downloads n] [--progress-every n]\n"
    "               [--num-parameters range] [--output file]\n"
    "               [--page-size n] [--param key=value]\n"
    "               [--pipeline-tag tag] [--search text] [--skip-ids file]\n"
    "               [--sort key] [--state file [--state-marks]]\n"
    "               [--stats fd] [--timeout seconds]\n"
    "               [+ option ... --output file ...] ...\n"
    "       hf-list --max-jobs\n";

static const char list_help[] =
    "  --author org           only models of org (repeatable: each in "
    "turn)\n"
    "  --expand field,...     ask for these fields too (default: what "
    "hf-arch reads)\n"
    "  --filter tag           only models with this tag (repeatable)\n"
    "  --gated, --no-gated    only gated, or only non-gated, models\n"
    "  --jobs n               list several --author n at a time, in "
    "order\n"
    "  --label text           begin every message with text (which "
    "listing it is)\n"
    "  --limit n              stop after n models (0: all)\n"
    "  --max-jobs             print the largest --jobs and exit\n"
    "  --min-downloads n      stop at the first model below n "
    "downloads\n"
    "  --num-parameters range the Hub's parameter-count filter "
    "(min:6B,max:128B)\n"
    "  --output file          append the items to file, not standard "
    "output\n"
    "  --page-size n          models a page (at most and by default "
    "1000)\n"
    "  --param key=value      any other query parameter (repeatable)\n"
    "  --pipeline-tag tag     only models with this pipeline tag\n"
    "  --progress, --no-progress\n"
    "                         draw a progress line on standard error, "
    "or not\n"
    "  --progress-every n     not on a terminal: a progress line each n "
    "models, not\n"
    "                         each page\n"
    "  --search text          only models whose id contains text\n"
    "  --skip-ids file        leave out the models whose id is a line of "
    "file\n"
    "  --sort key             downloads (default), likes, createdAt, "
    "lastModified,\n"
    "                         trendingScore; always descending\n"
    "  --state file           keep the position in file; resume from "
    "it\n"
    "  --state-marks          read --state, never write it: print its "
    "lines on stdout\n"
    "  --stats fd             write the counts of the run to file "
    "descriptor fd\n"
    "  --timeout seconds      give up on a transfer silent this long, or "
    "lasting\n"
    "                         5 times as long (default 120)\n"
    "  + option ...           another listing, with options of its own "
    "and an\n"
    "                         --output, run beside this one\n";

static const struct stage list_usage_stage = {
	.usage = list_usage,
	.help = list_help,
	.options = list_options,
	.option = opts_option,
	.in_order = 1,
};

static const char *sort_keys[] = {
	"downloads", "likes", "createdAt", "lastModified", "trendingScore",
};

int
main(int argc, char *argv[])
{
	static char obuf[1 << 16];	/* glibc sizes a NULL buffer itself */
	struct opts o[LIST_MAX_LISTINGS];
	size_t i, n;
	int rv;

	n = opts_parse(o, argc, argv);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	rv = n == 1 ? hf_finish(run(&o[0])) : run_beside(o, n);
	for (i = 0; i < n; i++)
		opts_free(&o[i]);
	return rv;
}

/* The first listing here, the others in forked copies. Its standard
 * output is closed when it ends: its reader need not wait for the others.
 * If it fails, the others are stopped; if another fails, it goes on. */
static int
run_beside(struct opts *o, size_t n)
{
	int rv;

	if (http_init() == -1) {	/* once, for the copies too */
		say("cannot initialise libcurl");
		return hf_finish(HF_EXIT_FATAL);
	}
	if (beside_start(n - 1, run_companion, o + 1) == -1)
		return hf_finish(HF_EXIT_FATAL);
	rv = hf_finish(run(&o[0]));
	if (rv != HF_EXIT_OK && rv != HF_EXIT_SKIPPED)
		beside_stop();
	return hf_worst(rv, beside_wait());
}

static int
run_companion(void *arg, size_t i)
{
	struct opts *o = arg;

	return hf_finish(run(&o[i]));
}

/* The listing, in turn or in lanes, and its --stats (not after a usage
 * error: nothing was listed). */
static int
run(struct opts *o)
{
	struct list_stats st = { 0 };
	int64_t lanes = 0;
	int rv = HF_EXIT_OK;

	run_label(o->a.label, NULL);
	if (o->output != NULL && run_output(o->output) == -1)
		rv = HF_EXIT_FATAL;
	else if (o->skip_path != NULL &&
	    run_skip_load(&o->skip, o->skip_path) == -1)
		rv = HF_EXIT_FATAL;
	else if (o->a.state_path != NULL &&
	    (lanes = state_lanes(o->a.state_path)) == -1)
		rv = HF_EXIT_FATAL;
	else if (lanes >= 2 && o->a.state_marks) {
		say("--state %s: a listing in lanes (--jobs) cannot go on "
		    "with --state-marks", o->a.state_path);
		rv = HF_EXIT_FATAL;
	}
	if (rv == HF_EXIT_OK && (lanes >= 2 || (lanes == 0 &&
	    o->a.jobs > 1 && o->a.nauthors > 1 && o->a.limit == 0)))
		rv = lanes_run(&o->a, &st);
	else if (rv == HF_EXIT_OK)
		rv = listing_run(&o->a, &st);
	if (o->stats >= 0 && rv != HF_EXIT_USAGE &&
	    run_stats_write((int)o->stats, &st) == -1)
		rv = hf_worst(rv, HF_EXIT_FATAL);
	return rv;
}

/* The listings of the command line: "+" begins each after the first,
 * and stands for its argv[0]. */
static size_t
opts_parse(struct opts *o, int argc, char *argv[])
{
	char *prog = argv[0];
	size_t n;
	int first;

	for (n = 0;; n++) {
		if (n == LIST_MAX_LISTINGS)
			stage_usage_errorx(&list_usage_stage,
			    "more than %d listings joined by +",
			    LIST_MAX_LISTINGS);
		opts_init(&o[n]);
		first = stage_options(&list_usage_stage, &o[n], argc, argv,
		    NULL);
		opts_check(&o[n], n, first, argc, argv);
		if (first == argc)
			break;
		argc -= first;
		argv += first;
		argv[0] = prog;	/* what getopt's messages begin with */
	}
	opts_apart(o, n + 1);
	return n + 1;
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
	o->stats = -1;
	o->a.skip = &o->skip;
	add_expand(&o->a, DEFAULT_EXPAND);
}

/* One option: its own usage errors exit here, with their own message. */
static int
opts_option(void *state, int ch, const char *arg)
{
	struct opts *o = state;
	struct list_args *a = &o->a;
	size_t i;

	switch (ch) {
	case OPT_AUTHOR:
		add_author(a, arg);
		return 0;
	case OPT_EXPAND:
		add_expand(a, arg);
		return 0;
	case OPT_GATED:
	case OPT_NO_GATED:
		o->gated = ch == OPT_GATED;
		return 0;
	case OPT_MAX_JOBS:
		printf("%d\n", LIST_MAX_JOBS);
		exit(hf_finish(HF_EXIT_OK));
	case OPT_PROGRESS:
	case OPT_NO_PROGRESS:
		a->progress = ch == OPT_PROGRESS;
		return 0;
	case OPT_PARAM:
		add_param_arg(&a->filters, arg);
		return 0;
	case OPT_SORT:
		a->sort = sort_key(arg);
		return 0;
	case OPT_TIMEOUT:
		a->timeout = (long)parse_i64(arg, 1, 86400, "--timeout");
		return 0;
	}
	for (i = 0; i < sizeof(query_options) / sizeof(query_options[0]); i++)
		if (query_options[i].opt == ch) {
			query_param(&a->filters, query_options[i].key, arg);
			return 0;
		}
	return -1;
}

/* What no single option can check in listing i; first is the first
 * operand, which can only be the "+" before another listing. */
static void
opts_check(struct opts *o, size_t i, int first, int argc, char *argv[])
{
	struct list_args *a = &o->a;

	if (first != argc && strcmp(argv[first], "+") != 0)
		stage_usage_errorx(&list_usage_stage, "unexpected operand: %s",
		    argv[first]);
	if (first == argc - 1)
		stage_usage_errorx(&list_usage_stage,
		    "+ ends the command line: another listing's options "
		    "must follow it");
	if (i > 0 && o->output == NULL)
		stage_usage_errorx(&list_usage_stage,
		    "listing %zu (after a +) has no --output: its items "
		    "would mix with the first's", i + 1);
	if (o->gated != -1)
		query_param(&a->filters, "gated", o->gated ? "true" : "false");
	if (a->min_downloads >= 0 && strcmp(a->sort, "downloads") != 0)
		stage_usage_errorx(&list_usage_stage,
		    "--min-downloads needs --sort downloads (not %s)", a->sort);
	if (a->state_marks && a->state_path == NULL)
		stage_usage_errorx(&list_usage_stage,
		    "--state-marks needs --state");
	if (a->state_marks && a->jobs > 1)
		stage_usage_errorx(&list_usage_stage,
		    "--state-marks cannot be used with --jobs above 1");
	/* the counts must have somewhere to go before anything is asked */
	if (o->stats >= 0 && fcntl((int)o->stats, F_GETFD) == -1)
		stage_usage_errorx(&list_usage_stage,
		    "--stats: file descriptor %d is not open", (int)o->stats);
	if (a->progress == -1)
		a->progress = isatty(STDERR_FILENO);
}

/* Two listings writing one --output or one --state would spoil both. */
static void
opts_apart(const struct opts *o, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (o[i].output != NULL && o[j].output != NULL &&
			    strcmp(o[i].output, o[j].output) == 0)
				stage_usage_errorx(&list_usage_stage,
				    "two listings with --output %s",
				    o[i].output);
			if (o[i].a.state_path != NULL &&
			    o[j].a.state_path != NULL &&
			    strcmp(o[i].a.state_path, o[j].a.state_path) == 0)
				stage_usage_errorx(&list_usage_stage,
				    "two listings with --state %s",
				    o[i].a.state_path);
		}
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
opts_free(struct opts *o)
{
	struct list_args *a = &o->a;
	size_t i;

	strmap_free(&o->skip);
	for (i = 0; i < a->nexpand; i++)
		free(a->expand[i]);
	free(a->expand);
	for (i = 0; i < a->nauthors; i++)
		free(a->authors[i]);
	free(a->authors);
	buf_free(&a->filters);
}

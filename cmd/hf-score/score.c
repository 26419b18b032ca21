/* hf-score: aggregate the records of unsupported architectures (and gap
 * entries of an earlier architecture_gaps.json) into one gap entry per
 * architecture, ranked by the reference's relevancy score. */
#include <err.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "registry.h"
#include "stage.h"
#include "strmap.h"
#include "util.h"
#include "score.h"

#define MAX_SAMPLES	10
#define WEIGHT_DEMAND	0.45
#define WEIGHT_USAGE	0.35
#define WEIGHT_BENCH	0.20


struct samples {
	char		*id[MAX_SAMPLES];
	size_t		 len[MAX_SAMPLES];
	int		 n;
};

struct gap {
	char		*name;		/* the architecture */
	size_t		 len;
	int64_t		 models;
	int64_t		 downloads;
	int64_t		 min_params;
	int		 has_min;
	int		 adapted;	/* supported by the --registry */
	struct samples	 gap;		/* from earlier gap entries: first */
	struct samples	 rec;		/* from records, in input order */
	double		 score;
	size_t		 order;		/* place of first appearance */
};

struct score {
	struct stage_base base;		/* a record or gap entry; a gap */
	struct registry	 reg;
	const char	*registry_path;	/* --registry */
	struct buf	 key;		/* an architecture's name, then the
					 * (architecture, model id) key */
	struct strmap	 names;		/* architecture -> index in a */
	struct strmap	 seen;		/* (architecture, model id) */
	struct gap	*a;
	size_t		 n, cap;
	/* left out by design, for the summary line */
	int64_t		 supported, no_arch, repeated, adapted_recs,
			 adapted_gaps;
};

static const struct stage_option options[] = {
	STAGE_STRING_OPT("registry", struct score, registry_path),
	{ 0 },
};

static int	score_start(void *);
static int	score_line(struct nd_line *, void *);
static int	add_record(struct score *, struct nd_line *, int);
static int	add_gap(struct score *, struct nd_line *, int);
static int	print_gaps(struct score *);
static void	summary(const struct score *);
static int	score_end(void *, int);
static void	score_free(void *);

/* The architecture named sc->key, created at the end of the order if new. */
static struct gap *
gap_get(struct score *sc)
{
	struct strmap_slot *sl;
	struct gap *a;
	int added;

	buf_cstr(&sc->key);	/* data is not NULL, even for "" */
	sl = strmap_put(&sc->names, sc->key.data, sc->key.len, &added);
	if (!added)
		return &sc->a[sl->value];
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->a = xreallocarray(sc->a, sc->cap, sizeof(*sc->a));
	}
	a = &sc->a[sc->n];
	memset(a, 0, sizeof(*a));
	a->name = xstrndup(sc->key.data, sc->key.len);
	a->len = sc->key.len;
	a->order = sc->n;
	a->adapted = sc->registry_path != NULL &&
	    registry_supported(&sc->reg, a->name, a->len);
	sl->value = sc->n++;
	return a;
}

/* A count: a non-negative JSON integer, else 0. */
static int64_t
count_of(const struct json *j, int obj, const char *key)
{
	int64_t v;

	if (json_i64(j, json_get(j, obj, key), &v) == -1 || v < 0)
		return 0;
	return v;
}

/* Sums stop at INT64_MAX - 1, so that total + 1 stays exact. */
static void
add_sat(int64_t *sum, int64_t v)
{
	*sum = v > INT64_MAX - 1 - *sum ? INT64_MAX - 1 : *sum + v;
}

static void
note_params(struct gap *a, const struct json *j, int tok)
{
	int64_t v;

	if (json_i64(j, tok, &v) == -1)
		return;
	if (!a->has_min || v < a->min_params)
		a->min_params = v;
	a->has_min = 1;
}

/* Append id to the samples unless already there or full. */
static void
sample_add(struct samples *sp, const char *id, size_t len)
{
	int i;

	if (sp->n == MAX_SAMPLES)
		return;
	for (i = 0; i < sp->n; i++)
		if (sp->len[i] == len && memcmp(sp->id[i], id, len) == 0)
			return;
	sp->id[sp->n] = xstrndup(id, len);
	sp->len[sp->n++] = len;
}

static int
score_line(struct nd_line *l, void *arg)
{
	struct score *sc = arg;
	const char *why;

	if (json_parse(&sc->base.j, l->data, l->len, JSON_UTF8, &why) == -1)
		return nd_skip(l, why);
	if (json_type(&sc->base.j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	if (json_get(&sc->base.j, 0, "architecture_id") != -1)
		return add_gap(sc, l, json_get(&sc->base.j, 0, "architecture_id"));
	return add_record(sc, l, json_get(&sc->base.j, 0, "id"));
}

/* A model record: counted once per architecture. */
static int
add_record(struct score *sc, struct nd_line *l, int id)
{
	const struct json *j = &sc->base.j;
	struct gap *a;
	size_t idx;

	if (id == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, id) != JSON_STRING)
		return nd_skip(l, "id: not a string");
	if (json_type(j, json_get(j, 0, "supported")) == JSON_TRUE) {
		sc->supported++;
		return HF_EXIT_OK;
	}
	buf_reset(&sc->key);
	if (json_str(j, json_get(j, 0, "architecture"), &sc->key, NULL) == -1) {
		sc->no_arch++;
		return HF_EXIT_OK;
	}
	a = gap_get(sc);
	if (a->adapted) {
		sc->adapted_recs++;
		return HF_EXIT_OK;
	}
	idx = (size_t)(a - sc->a);
	buf_reset(&sc->key);
	buf_add(&sc->key, &idx, sizeof(idx));
	if (json_str(j, id, &sc->key, NULL) == -1)
		return nd_skip(l, "id: not a valid string");
	if (!strmap_add(&sc->seen, sc->key.data, sc->key.len)) {
		sc->repeated++;
		return HF_EXIT_OK;
	}
	a->models++;
	add_sat(&a->downloads, count_of(j, 0, "downloads"));
	note_params(a, j, json_get(j, 0, "parameter_count"));
	sample_add(&a->rec, sc->key.data + sizeof(idx),
	    sc->key.len - sizeof(idx));
	return HF_EXIT_OK;
}

/* A gap entry of an earlier file: summed into its architecture. */
static int
add_gap(struct score *sc, struct nd_line *l, int name)
{
	const struct json *j = &sc->base.j;
	struct buf id = { 0 };
	struct gap *a;
	int e, n;

	buf_reset(&sc->key);
	if (json_type(j, name) != JSON_STRING)
		return nd_skip(l, "architecture_id: not a string");
	if (json_str(j, name, &sc->key, NULL) == -1)
		return nd_skip(l, "architecture_id: not a valid string");
	a = gap_get(sc);
	if (a->adapted) {
		sc->adapted_gaps++;
		return HF_EXIT_OK;
	}
	add_sat(&a->models, count_of(j, 0, "total_models"));
	add_sat(&a->downloads, count_of(j, 0, "total_downloads"));
	note_params(a, j, json_get(j, 0, "min_param_count"));
	e = json_first(j, json_get(j, 0, "sample_models"));
	n = json_size(j, json_get(j, 0, "sample_models"));
	for (; e != -1 && n > 0; n--, e = json_skip(j, e)) {
		buf_reset(&id);
		if (json_str(j, e, &id, NULL) == 0)
			sample_add(&a->gap, id.data ? id.data : "", id.len);
	}
	buf_free(&id);
	return HF_EXIT_OK;
}

static double
bench_of(const struct gap *a)
{
	static const int64_t tier[] = {
		1000000000, 3000000000, 7000000000, 14000000000, 30000000000,
	};
	size_t i;

	if (!a->has_min)
		return 0;
	for (i = 0; i < sizeof(tier) / sizeof(tier[0]); i++)
		if (a->min_params <= tier[i])
			return 100.0 - 20.0 * (double)i;
	return 0;
}

/* The reference's relevancy, operation for operation (each product is a
 * statement of its own, so that no compiler fuses them into an FMA),
 * rounded as Python's round(score, 1). */
static double
relevancy(const struct gap *a, int64_t max_models, int64_t max_downloads)
{
	/* cppcheck-suppress shadowFunction ; SPEC 2.5 names the term usage */
	double demand = 0, usage = 0, score, term;

	if (max_models > 0) {
		demand = (double)a->models / (double)max_models;
		demand = demand * 100;
		if (100.0 < demand)
			demand = 100.0;
	}
	if (max_downloads > 0 && a->downloads > 0) {
		usage = log10((double)(a->downloads + 1)) /
		    log10((double)(max_downloads + 1));
		usage = usage * 100;
		if (100.0 < usage)
			usage = 100.0;
	}
	score = WEIGHT_DEMAND * demand;
	term = WEIGHT_USAGE * usage;
	score = score + term;
	term = WEIGHT_BENCH * bench_of(a);
	score = score + term;
	return py_round(score, 1);
}

static int
by_rank(const void *x, const void *y)
{
	const struct gap *a = *(const struct gap *const *)x;
	const struct gap *b = *(const struct gap *const *)y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->models != b->models)
		return a->models > b->models ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

static void
samples_free(struct samples *sp)
{
	int i;

	for (i = 0; i < sp->n; i++)
		free(sp->id[i]);
	sp->n = 0;
}

/* Gap samples first, then the records', each id once, at most ten. */
static void
write_samples(struct jw *w, const struct gap *a)
{
	struct samples all = { 0 };
	int i;

	for (i = 0; i < a->gap.n; i++)
		sample_add(&all, a->gap.id[i], a->gap.len[i]);
	for (i = 0; i < a->rec.n; i++)
		sample_add(&all, a->rec.id[i], a->rec.len[i]);
	jw_arr(w);
	for (i = 0; i < all.n; i++)
		jw_str(w, all.id[i], all.len[i]);
	jw_end(w);
	samples_free(&all);
}

static void
write_gap(struct buf *out, const struct gap *a)
{
	struct jw w;

	jw_init(&w, out, 0, 0);
	jw_obj(&w);
	jw_key(&w, "architecture_id");
	jw_str(&w, a->name, a->len);
	jw_key(&w, "total_models");
	jw_i64(&w, a->models);
	jw_key(&w, "total_downloads");
	jw_i64(&w, a->downloads);
	jw_key(&w, "min_param_count");
	if (a->has_min)
		jw_i64(&w, a->min_params);
	else
		jw_null(&w);
	jw_key(&w, "sample_models");
	write_samples(&w, a);
	jw_key(&w, "relevancy_score");
	jw_f64(&w, a->score);
	jw_end(&w);
	jw_free(&w);
	buf_addc(out, '\n');
}

/* Score every architecture left with the maxima over them, rank, print. */
static int
print_gaps(struct score *sc)
{
	int64_t max_models = 0, max_downloads = 0;
	struct gap **rank;
	struct buf *out = &sc->base.out;
	size_t i, n = 0;
	int rv = HF_EXIT_OK;

	rank = xreallocarray(NULL, sc->n ? sc->n : 1, sizeof(*rank));
	for (i = 0; i < sc->n; i++) {
		if (sc->a[i].adapted)
			continue;
		rank[n++] = &sc->a[i];
		if (sc->a[i].models > max_models)
			max_models = sc->a[i].models;
		if (sc->a[i].downloads > max_downloads)
			max_downloads = sc->a[i].downloads;
	}
	for (i = 0; i < n; i++)
		rank[i]->score = relevancy(rank[i], max_models, max_downloads);
	qsort(rank, n, sizeof(*rank), by_rank);
	for (i = 0; i < n && rv == HF_EXIT_OK; i++) {
		buf_reset(out);
		write_gap(out, rank[i]);
		rv = stage_write(out->data, out->len);
	}
	free(rank);
	return rv;
}

/* The design drops, in one line. */
static void
summary(const struct score *sc)
{
	struct buf b = { 0 };
	size_t i, adapted = 0;

	for (i = 0; i < sc->n; i++)
		adapted += sc->a[i].adapted;
	buf_add_count(&b, sc->supported, "supported record",
	    "supported records");
	buf_add_count(&b, sc->no_arch, "record with no architecture",
	    "records with no architecture");
	buf_add_count(&b, sc->repeated, "repeated model", "repeated models");
	buf_add_count(&b, sc->adapted_recs, "record", "records");
	buf_add_count(&b, sc->adapted_gaps, "gap entry", "gap entries");
	if (adapted > 0)
		buf_addf(&b, " of %zu architecture%s supported by the "
		    "registry", adapted, adapted == 1 ? "" : "s");
	if (b.len > 0)
		stage_summary("left out: %s", buf_cstr(&b));
	buf_free(&b);
}

static int
score_start(void *arg)
{
	struct score *sc = arg;

	if (sc->registry_path == NULL)
		return HF_EXIT_OK;
	return registry_open(&sc->reg, sc->registry_path);
}

/* The gaps only after the whole input: none if it could not be read. */
static int
score_end(void *arg, int status)
{
	struct score *sc = arg;

	if (status != HF_EXIT_FATAL)
		status = hf_worst(status, print_gaps(sc));
	summary(sc);
	return status;
}

static void
score_free(void *arg)
{
	struct score *sc = arg;
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free(sc->a[i].name);
		samples_free(&sc->a[i].gap);
		samples_free(&sc->a[i].rec);
	}
	free(sc->a);
	strmap_free(&sc->names);
	strmap_free(&sc->seen);
	buf_free(&sc->key);
	registry_free(&sc->reg);
}

const struct stage score_stage = {
	.usage = "usage: hf-score [--line-buffered] [--quiet] [--label text]\n"
	    "                [--registry file] [file ...]\n",
	.help =
	    "  --registry file        leave out the architectures this "
	    "registry supports\n",
	.options = options,
	.size = sizeof(struct score),
	.drop_marks = 1,
	.start = score_start,
	.line = score_line,
	.end = score_end,
	.free = score_free,
};

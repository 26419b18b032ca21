/* hf-score: aggregate the records of unsupported architectures (and gap
 * entries of an earlier architecture_gaps.json) into one gap entry per
 * architecture, ranked by the reference's relevancy score. */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "idset.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "registry.h"
#include "util.h"

#define MAX_SAMPLES	10
#define WEIGHT_DEMAND	0.45
#define WEIGHT_USAGE	0.35
#define WEIGHT_BENCH	0.20

enum {
	OPT_LINE_BUFFERED = 256, OPT_REGISTRY,
};

static const struct option longopts[] = {
	{ "help",		no_argument,		NULL, 'h' },
	{ "line-buffered",	no_argument,		NULL, OPT_LINE_BUFFERED },
	{ "registry",		required_argument,	NULL, OPT_REGISTRY },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 },
};

struct slot {
	uint64_t	 h;
	char		*key;		/* NULL: empty */
	size_t		 len;
	size_t		 val;
};

struct tab {				/* open addressing, exact keys */
	struct slot	*s;
	size_t		 cap;		/* a power of two */
	size_t		 n;
};

struct samples {
	char		*id[MAX_SAMPLES];
	size_t		 len[MAX_SAMPLES];
	int		 n;
};

struct arch {
	const char	*name;		/* the key in the architecture table */
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
	struct registry	 reg;
	int		 use_reg;
	struct json	 j;
	struct buf	 s, key;
	struct tab	 names;		/* architecture -> index in a */
	struct tab	 seen;		/* (architecture, model id) */
	struct arch	*a;
	size_t		 n, cap;
	/* left out by design, for the summary line */
	int64_t		 supported, no_arch, repeated, adapted_recs,
			 adapted_gaps;
};

static void	usage(FILE *, int) __attribute__((noreturn));
static int	score_line(struct nd_line *, void *);
static int	add_record(struct score *, struct nd_line *, int);
static int	add_gap(struct score *, struct nd_line *, int);
static void	print_gaps(struct score *);
static void	summary(const struct score *);
static void	score_free(struct score *);

static void
usage(FILE *fp, int status)
{
	fputs("usage: hf-score [--line-buffered] [--registry file] "
	    "[file ...]\n", fp);
	exit(status == 0 ? hf_finish(0) : status);
}

static void
tab_grow(struct tab *t)
{
	struct slot *old = t->s;
	size_t oldcap = t->cap, i, k;

	t->cap = t->cap ? t->cap * 2 : 64;
	t->s = xreallocarray(NULL, t->cap, sizeof(*t->s));
	memset(t->s, 0, t->cap * sizeof(*t->s));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (k = old[i].h & (t->cap - 1); t->s[k].key != NULL;
		    k = (k + 1) & (t->cap - 1))
			;
		t->s[k] = old[i];
	}
	free(old);
}

/* The slot of key k, added (val 0) if new; *added says which. */
static struct slot *
tab_put(struct tab *t, const char *k, size_t n, int *added)
{
	uint64_t h = idset_hash(k, n);
	size_t i;

	if (2 * (t->n + 1) > t->cap)
		tab_grow(t);
	for (i = h & (t->cap - 1); t->s[i].key != NULL;
	    i = (i + 1) & (t->cap - 1)) {
		if (t->s[i].h == h && t->s[i].len == n &&
		    memcmp(t->s[i].key, k, n) == 0) {
			*added = 0;
			return &t->s[i];
		}
	}
	t->s[i].h = h;
	t->s[i].key = xstrndup(k, n);
	t->s[i].len = n;
	t->s[i].val = 0;
	t->n++;
	*added = 1;
	return &t->s[i];
}

static void
tab_free(struct tab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->s[i].key);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* The architecture named sc->s, created at the end of the order if new. */
static struct arch *
arch_get(struct score *sc)
{
	struct slot *sl;
	struct arch *a;
	int added;

	buf_cstr(&sc->s);	/* data is not NULL, even for "" */
	sl = tab_put(&sc->names, sc->s.data, sc->s.len, &added);
	if (!added)
		return &sc->a[sl->val];
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->a = xreallocarray(sc->a, sc->cap, sizeof(*sc->a));
	}
	a = &sc->a[sc->n];
	memset(a, 0, sizeof(*a));
	a->name = sl->key;
	a->len = sl->len;
	a->order = sc->n;
	a->adapted = sc->use_reg &&
	    registry_supported(&sc->reg, sl->key, sl->len);
	sl->val = sc->n++;
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
note_params(struct arch *a, const struct json *j, int tok)
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

	if (json_parse(&sc->j, l->data, l->len, JSON_UTF8, &why) == -1)
		return nd_skip(l, why);
	if (json_type(&sc->j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	if (json_get(&sc->j, 0, "architecture_id") != -1)
		return add_gap(sc, l, json_get(&sc->j, 0, "architecture_id"));
	return add_record(sc, l, json_get(&sc->j, 0, "id"));
}

/* A model record: counted once per architecture. */
static int
add_record(struct score *sc, struct nd_line *l, int id)
{
	const struct json *j = &sc->j;
	struct slot *seen;
	struct arch *a;
	size_t idx;
	int added;

	if (id == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, id) != JSON_STRING)
		return nd_skip(l, "id: not a string");
	if (json_type(j, json_get(j, 0, "supported")) == JSON_TRUE) {
		sc->supported++;
		return HF_EXIT_OK;
	}
	buf_reset(&sc->s);
	if (json_str(j, json_get(j, 0, "architecture"), &sc->s, NULL) == -1) {
		sc->no_arch++;
		return HF_EXIT_OK;
	}
	a = arch_get(sc);
	if (a->adapted) {
		sc->adapted_recs++;
		return HF_EXIT_OK;
	}
	idx = (size_t)(a - sc->a);
	buf_reset(&sc->key);
	buf_add(&sc->key, &idx, sizeof(idx));
	if (json_str(j, id, &sc->key, NULL) == -1)
		return nd_skip(l, "id: not a valid string");
	seen = tab_put(&sc->seen, sc->key.data, sc->key.len, &added);
	if (!added) {
		sc->repeated++;
		return HF_EXIT_OK;
	}
	a->models++;
	add_sat(&a->downloads, count_of(j, 0, "downloads"));
	note_params(a, j, json_get(j, 0, "parameter_count"));
	sample_add(&a->rec, seen->key + sizeof(idx), seen->len - sizeof(idx));
	return HF_EXIT_OK;
}

/* A gap entry of an earlier file: summed into its architecture. */
static int
add_gap(struct score *sc, struct nd_line *l, int name)
{
	const struct json *j = &sc->j;
	struct buf id = { 0 };
	struct arch *a;
	int e, n;

	buf_reset(&sc->s);
	if (json_type(j, name) != JSON_STRING)
		return nd_skip(l, "architecture_id: not a string");
	if (json_str(j, name, &sc->s, NULL) == -1)
		return nd_skip(l, "architecture_id: not a valid string");
	a = arch_get(sc);
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
bench_of(const struct arch *a)
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
relevancy(const struct arch *a, int64_t max_models, int64_t max_downloads)
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
	const struct arch *a = *(const struct arch *const *)x;
	const struct arch *b = *(const struct arch *const *)y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->models != b->models)
		return a->models > b->models ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* Gap samples first, then the records', each id once, at most ten. */
static void
write_samples(struct jw *w, const struct arch *a)
{
	struct samples all = { 0 };
	int i;

	for (i = 0; i < a->gap.n; i++)
		sample_add(&all, a->gap.id[i], a->gap.len[i]);
	for (i = 0; i < a->rec.n; i++)
		sample_add(&all, a->rec.id[i], a->rec.len[i]);
	jw_arr(w);
	for (i = 0; i < all.n; i++) {
		jw_str(w, all.id[i], all.len[i]);
		free(all.id[i]);
	}
	jw_end(w);
}

static void
write_gap(struct buf *out, const struct arch *a)
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
static void
print_gaps(struct score *sc)
{
	int64_t max_models = 0, max_downloads = 0;
	struct arch **rank;
	struct buf out = { 0 };
	size_t i, n = 0;

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
	for (i = 0; i < n; i++) {
		buf_reset(&out);
		write_gap(&out, rank[i]);
		if (fwrite(out.data, 1, out.len, stdout) != out.len)
			break;
	}
	buf_free(&out);
	free(rank);
}

static void
part(struct buf *b, int64_t n, const char *one, const char *many)
{
	if (n == 0)
		return;
	buf_addf(b, "%s%" PRId64 " %s", b->len ? ", " : "", n,
	    n == 1 ? one : many);
}

/* The design drops, in one line. */
static void
summary(const struct score *sc)
{
	struct buf b = { 0 };
	size_t i, adapted = 0;

	for (i = 0; i < sc->n; i++)
		adapted += sc->a[i].adapted;
	part(&b, sc->supported, "supported record", "supported records");
	part(&b, sc->no_arch, "record with no architecture",
	    "records with no architecture");
	part(&b, sc->repeated, "repeated model", "repeated models");
	part(&b, sc->adapted_recs, "record", "records");
	part(&b, sc->adapted_gaps, "gap entry", "gap entries");
	if (adapted > 0)
		buf_addf(&b, " of %zu architecture%s supported by the "
		    "registry", adapted, adapted == 1 ? "" : "s");
	if (b.len > 0)
		warnx("left out: %s", buf_cstr(&b));
	buf_free(&b);
}

static void
score_free(struct score *sc)
{
	size_t i;
	int k;

	for (i = 0; i < sc->n; i++) {
		for (k = 0; k < sc->a[i].gap.n; k++)
			free(sc->a[i].gap.id[k]);
		for (k = 0; k < sc->a[i].rec.n; k++)
			free(sc->a[i].rec.id[k]);
	}
	free(sc->a);
	tab_free(&sc->names);
	tab_free(&sc->seen);
	json_free(&sc->j);
	buf_free(&sc->s);
	buf_free(&sc->key);
	if (sc->use_reg)
		registry_free(&sc->reg);
}

int
main(int argc, char *argv[])
{
	struct score sc = { 0 };
	const char *registry = NULL;
	char err[1024];
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_LINE_BUFFERED:
			setvbuf(stdout, NULL, _IOLBF, 0);
			break;
		case OPT_REGISTRY:
			registry = optarg;
			break;
		case 'V':
			hf_version();
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, HF_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (registry != NULL) {
		if (registry_load(&sc.reg, registry, err, sizeof(err)) == -1) {
			warnx("%s", err);
			registry_free(&sc.reg);
			return hf_finish(HF_EXIT_FATAL);
		}
		sc.use_reg = 1;
	}
	rv = nd_each(argc, argv, score_line, &sc);
	if (rv != HF_EXIT_FATAL)
		print_gaps(&sc);
	summary(&sc);
	score_free(&sc);
	return hf_finish(rv);
}

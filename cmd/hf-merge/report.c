/* report.c: hf-merge summary and hf-merge ids, which read the registry
 * files and write nothing in DIR: the figures the wrapper logs and the
 * ids it skips, so that it parses no JSON itself (see merge.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "stage.h"
#include "strmap.h"
#include "util.h"
#include "merge.h"

/* An architecture of the models list and its entries. */
struct arch {
	const char	*name;		/* escaped, as in the file */
	size_t		 len;
	int64_t		 models;
};

static int	by_models(const void *, const void *);
static void	add_commas(struct buf *, int64_t);
static void	summary_supported(struct buf *, const struct merge *);
static void	summary_gaps(struct buf *, const struct merge *);
static int	load_gaps(struct merge *, const struct merge *);
static int	ids_text(struct buf *, const struct merge *,
		    int (*)(const char *, size_t));

/* More models first, then byte order, as the reference's summary. */
static int
by_models(const void *pa, const void *pb)
{
	const struct arch *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if (a->models != b->models)
		return a->models > b->models ? -1 : 1;
	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* v with a comma between each group of three digits. */
static void
add_commas(struct buf *b, int64_t v)
{
	char num[FMT_I64_MAX];
	size_t n, i, digits;
	const char *d;

	n = fmt_i64(num, v, 0);
	d = num[0] == '-' ? num + 1 : num;
	if (d != num)
		buf_addc(b, '-');
	digits = n - (size_t)(d - num);
	for (i = 0; i < digits; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, d[i]);
	}
}

/* Member key of object obj as a 64-bit integer, else 0 (as awk reads a
 * field that is missing or null). */
int64_t
report_i64(const struct pyjson *p, int obj, const char *key)
{
	int64_t v;

	return json_i64(&p->j, json_get(&p->j, obj, key), &v) == 0 ? v : 0;
}

void
report_archs(struct buf *out, int64_t narch, const struct strmap *counts)
{
	struct arch *a;
	size_t na = 0, i;

	buf_addf(out, "SUPPORTED ARCHITECTURES (%" PRId64 "):\n", narch);
	a = xreallocarray(NULL, counts->n + 1, sizeof(*a));
	for (i = 0; i < counts->cap; i++)
		if (counts->slot[i].hash != 0) {
			a[na].name = strmap_key(counts, &counts->slot[i]);
			a[na].len = strlen(a[na].name);
			a[na++].models = (int64_t)counts->slot[i].value;
		}
	if (na > 0)
		qsort(a, na, sizeof(*a), by_models);
	for (i = 0; i < na; i++)
		buf_addf(out, "  %.*s: %" PRId64 " models\n", (int)a[i].len,
		    a[i].name, a[i].models);
	free(a);
}

/* SUPPORTED ARCHITECTURES of the file read: the header's count, then
 * each architecture of the models list with its entries. */
static void
summary_supported(struct buf *out, const struct merge *m)
{
	const struct pyjson *d = &m->doc;
	int list = m->has_doc ? m->models : -1;
	struct strmap counts = { 0 };
	struct buf key = { 0 };
	int e, n, k;

	e = json_first(&d->j, list);
	for (k = 0, n = json_size(&d->j, list); k < n; k++,
	    e = json_skip(&d->j, e))
		if (json_type(&d->j, e) == JSON_OBJECT && input_canon(&key,
		    d, json_get(&d->j, e, "architecture_id")) == 0)
			strmap_put(&counts, key.data, key.len, NULL)->value++;
	report_archs(out, m->has_doc ? report_i64(d, 0,
	    "total_architectures") : 0, &counts);
	buf_free(&key);
	strmap_free(&counts);
}

void
report_gaps_head(struct buf *out, int n)
{
	buf_addf(out, "TOP %d UNSUPPORTED ARCHITECTURES by relevancy "
	    "(of %d):\n", REPORT_TOP_GAPS, n);
}

void
report_gap(struct buf *out, const struct pyjson *d, int e)
{
	struct buf key = { 0 };
	double score;

	if (input_canon(&key, d, json_get(&d->j, e, "architecture_id")) == -1)
		buf_reset(&key);
	if (pyjson_number(d, json_get(&d->j, e, "relevancy_score"),
	    &score) == -1)
		score = 0;
	buf_addf(out, "  %.*s: score=%.1f, %" PRId64 " models, ",
	    (int)key.len, key.data != NULL ? key.data : "", score,
	    report_i64(d, e, "total_models"));
	add_commas(out, report_i64(d, e, "total_downloads"));
	buf_adds(out, " downloads\n");
	buf_free(&key);
}

void
report_gaps_rest(struct buf *out, int n, int64_t rest)
{
	if (n > REPORT_TOP_GAPS)
		buf_addf(out, "  ... and %d more architectures (%" PRId64
		    " models)\n", n - REPORT_TOP_GAPS, rest);
}

/* TOP 20 UNSUPPORTED ARCHITECTURES of the file read: the first gaps in
 * file order, and how many more. */
static void
summary_gaps(struct buf *out, const struct merge *g)
{
	const struct pyjson *d = &g->doc;
	int list = g->has_doc ? json_get(&d->j, 0, "gaps") : -1;
	int n, i, e;
	int64_t rest = 0;

	if (json_type(&d->j, list) != JSON_ARRAY)
		list = -1;
	n = json_size(&d->j, list);
	report_gaps_head(out, n);
	for (i = 0, e = json_first(&d->j, list); i < n; i++,
	    e = json_skip(&d->j, e))
		if (i < REPORT_TOP_GAPS)
			report_gap(out, d, e);
		else
			rest += report_i64(d, e, "total_models");
	report_gaps_rest(out, n, rest);
}

/* DIR/architecture_gaps.json into g, read as m reads its file. */
static int
load_gaps(struct merge *g, const struct merge *m)
{
	struct buf path = { 0 };

	g->mode = MODE_GAPS;
	g->read_only = 1;
	buf_addf(&path, "%s/%s", m->dir, MERGE_GAPS_FILE);
	g->path = xstrdup(buf_cstr(&path));
	buf_free(&path);
	return existing_load(g);
}

void
report_summary_text(struct buf *out, const struct merge *m,
    const struct merge *g)
{
	summary_supported(out, m);
	buf_addc(out, '\n');
	summary_gaps(out, g);
}

int
report_summary(struct merge *m)
{
	struct merge g = { 0 };
	struct buf out = { 0 };
	int rv = HF_EXIT_FATAL;

	if (existing_load(m) == -1 || load_gaps(&g, m) == -1)
		goto out;
	report_summary_text(&out, m, &g);
	rv = stage_write(out.data, out.len);
out:
	buf_free(&out);
	merge_free(&g);
	return rv;
}

/* One id a line into out; put hands out what there is from time to time
 * (MERGE_SPILL) and returns an hf_exit status, or is NULL. */
static int
ids_text(struct buf *out, const struct merge *m,
    int (*put)(const char *, size_t))
{
	const struct pyjson *d = &m->doc;
	struct buf id = { 0 };
	int list = m->has_doc ? m->models : -1, n, k, e, rv = HF_EXIT_OK;

	e = json_first(&d->j, list);
	for (k = 0, n = json_size(&d->j, list); k < n; k++,
	    e = json_skip(&d->j, e)) {
		buf_reset(&id);
		/* an id that would not be one line is no Hub id */
		if (json_type(&d->j, e) != JSON_OBJECT ||
		    json_str(&d->j, json_get(&d->j, e, "model_id"), &id,
		    NULL) == -1 || (id.len > 0 &&
		    memchr(id.data, '\n', id.len) != NULL))
			continue;
		buf_add(out, id.data, id.len);
		buf_addc(out, '\n');
		if (put != NULL && out->len >= MERGE_SPILL) {
			if ((rv = put(out->data, out->len)) != HF_EXIT_OK)
				break;
			buf_reset(out);
		}
	}
	buf_free(&id);
	return rv;
}

void
report_ids_text(struct buf *out, const struct merge *m)
{
	(void)ids_text(out, m, NULL);
}

int
report_ids(struct merge *m)
{
	struct buf out = { 0 };
	int rv;

	if (existing_load(m) == -1)
		return HF_EXIT_FATAL;
	rv = ids_text(&out, m, stage_write);
	if (rv == HF_EXIT_OK && out.len > 0)
		rv = stage_write(out.data, out.len);
	buf_free(&out);
	return rv;
}

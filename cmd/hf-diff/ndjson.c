/* ndjson.c: the change records of SPEC 9.1, one JSON object a line,
 * values written as Python's json.dumps writes what json.load read. */
#include <stdint.h>

#include "buf.h"
#include "jsonw.h"
#include "pyjson.h"
#include "diff.h"

static void	value(struct jw *, const char *, const struct pyjson *, int);
static void	pair(struct jw *, const char *, const struct pyjson *, int,
		    const struct pyjson *, int);
static void	totals(struct jw *, const char *, const struct totals *);
static void	begin(struct jw *, const char *);
static void	end(struct jw *);
static void	model(struct jw *, const struct diff *, enum change_kind,
		    const struct change *);
static void	gap(struct jw *, const struct diff *, enum change_kind,
		    const struct change *);

static const char *const kind_names[] = {
	[CH_MODEL_ADDED] = "model_added",
	[CH_MODEL_REMOVED] = "model_removed",
	[CH_MODEL_CHANGED] = "model_changed",
	[CH_ARCH_ADDED] = "architecture_added",
	[CH_GAP_ADDED] = "gap_added",
	[CH_GAP_REMOVED] = "gap_removed",
	[CH_GAP_MOVED] = "gap_moved",
};

/* key (NULL: none, an array's element) and token i of p, -1 as null.
 * The value is written aside first, so that one json.dumps could not
 * write (none that pyjson_parse accepts) leaves no half of it. */
static void
value(struct jw *w, const char *key, const struct pyjson *p, int i)
{
	static struct buf text;
	struct jw v;

	if (key != NULL)
		jw_key(w, key);
	buf_reset(&text);
	jw_init(&v, &text, 1, 0);
	if (i != -1 && pyjson_dump(&v, p, i) == 0 && text.len > 0)
		jw_raw(w, text.data, text.len);
	else
		jw_null(w);
	jw_free(&v);
}

static void
pair(struct jw *w, const char *key, const struct pyjson *p, int i,
    const struct pyjson *q, int k)
{
	jw_key(w, key);
	jw_arr(w);
	value(w, NULL, p, i);
	value(w, NULL, q, k);
	jw_end(w);
}

static void
totals(struct jw *w, const char *key, const struct totals *t)
{
	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "total_models");
	jw_i64(w, t->models);
	jw_key(w, "total_architectures");
	jw_i64(w, t->architectures);
	jw_key(w, "total_verified");
	jw_i64(w, t->verified);
	jw_key(w, "total_unsupported_architectures");
	jw_i64(w, t->gap_archs);
	jw_key(w, "total_unsupported_models");
	jw_i64(w, t->gap_models);
	jw_end(w);
}

static void
begin(struct jw *w, const char *kind)
{
	jw_obj(w);
	jw_key(w, "change");
	jw_strz(w, kind);
}

static void
end(struct jw *w)
{
	jw_end(w);
	buf_addc(w->out, '\n');
}

static void
model(struct jw *w, const struct diff *d, enum change_kind k,
    const struct change *c)
{
	const struct reg *r = k == CH_MODEL_REMOVED ? d->old : d->new;
	const struct entry *e = &r->e[k == CH_MODEL_CHANGED ? c->b : c->a];
	struct buf name = { 0 };
	size_t i, n;

	begin(w, kind_names[k]);
	if (k != CH_ARCH_ADDED)
		value(w, "model_id", &r->sup, e->id_tok);
	if (k != CH_MODEL_CHANGED)
		value(w, "architecture_id", &r->sup, e->arch_tok);
	if (k == CH_MODEL_ADDED)
		value(w, "downloads", &r->sup, e->has_dl ? e->downloads : -1);
	else if (k == CH_MODEL_REMOVED)
		value(w, "status", &r->sup, e->status);
	else if (k == CH_ARCH_ADDED) {
		jw_key(w, "models");
		jw_i64(w, c->n);
	} else {
		jw_key(w, "fields");
		jw_obj(w);
		n = diff_fields((struct diff *)d, c);
		for (i = 0; i < n; i++) {
			buf_reset(&name);
			if (jw_escape(&name, d->f[i].name, d->f[i].len, 1) ==
			    -1)
				continue;	/* not UTF-8: cannot be a key */
			jw_key_raw(w, name.data, name.len);
			jw_arr(w);
			value(w, NULL, &d->old->sup, d->f[i].o);
			value(w, NULL, &d->new->sup, d->f[i].n);
			jw_end(w);
		}
		jw_end(w);
		buf_free(&name);
	}
	end(w);
}

static void
gap(struct jw *w, const struct diff *d, enum change_kind k,
    const struct change *c)
{
	const struct gap *a = c->a == DIFF_NONE ? NULL : &d->old->g[c->a];
	const struct gap *b = c->b == DIFF_NONE ? NULL : &d->new->g[c->b];

	begin(w, kind_names[k]);
	if (k == CH_GAP_REMOVED) {
		value(w, "architecture_id", &d->old->gap, a->arch_tok);
		jw_key(w, "now_supported");
		jw_bool(w, (int)c->n);
	} else if (k == CH_GAP_ADDED) {
		value(w, "architecture_id", &d->new->gap, b->arch_tok);
		jw_key(w, "rank");
		jw_i64(w, b->rank);
		value(w, "relevancy_score", &d->new->gap, b->score);
		value(w, "total_models", &d->new->gap, b->models);
	} else {
		value(w, "architecture_id", &d->new->gap, b->arch_tok);
		jw_key(w, "rank");
		jw_arr(w);
		jw_i64(w, a->rank);
		jw_i64(w, b->rank);
		jw_end(w);
		pair(w, "relevancy_score", &d->old->gap, a->score,
		    &d->new->gap, b->score);
		pair(w, "total_models", &d->old->gap, a->models,
		    &d->new->gap, b->models);
	}
	end(w);
}

void
diff_ndjson(const struct diff *d, struct buf *out)
{
	struct jw w;
	size_t i;
	int k;

	jw_init(&w, out, 1, 0);
	begin(&w, "totals");
	totals(&w, "old", &d->old->t);
	totals(&w, "new", &d->new->t);
	end(&w);
	for (k = 0; k < CH_NKINDS; k++)
		for (i = 0; i < d->k[k].n; i++) {
			if (k <= CH_ARCH_ADDED)
				model(&w, d, k, &d->k[k].c[i]);
			else
				gap(&w, d, k, &d->k[k].c[i]);
		}
	jw_free(&w);
}

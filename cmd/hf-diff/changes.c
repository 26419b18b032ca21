/* changes.c: the changes from one registry to another (SPEC 9.1), each
 * kind in byte order of architecture, then model id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "strmap.h"
#include "util.h"
#include "diff.h"

/* The fields model_changed compares before the phase*_score ones. */
static const char *const fixed[] = {
	"architecture_id", "status", "verified_date", "note",
};

static void	push(struct changes *, size_t, size_t, int64_t);
static struct strmap_slot *find(const struct strmap *, const struct reg *,
		    struct str);
static int	same_text(const struct reg *, const struct entry *,
		    const struct reg *, const struct entry *);
static void	models(struct diff *);
static void	architectures(struct diff *);
static void	gaps(struct diff *);
static void	sort_kind(struct diff *, enum change_kind);
static void	key_of(const struct change *, struct str *, struct str *,
		    const struct reg **);
static int	by_arch_id(const void *, const void *);
static int	strcmp_n(const char *, size_t, const char *, size_t);
static void	add_field(struct diff *, const char *, size_t, int, int, int);
static void	phase_fields(struct diff *, const struct pyjson *, int, int);
static int	by_name(const void *, const void *);

static enum change_kind	 sort_k;	/* by_arch_id's kind and diff */
static const struct diff *sort_d;
static const char	*sort_names;	/* by_name's buffer */

/* The slot of r's string k in map, or NULL. */
static struct strmap_slot *
find(const struct strmap *map, const struct reg *r, struct str k)
{
	return strmap_get(map, reg_s(r, k), k.len);
}

static void
push(struct changes *c, size_t a, size_t b, int64_t n)
{
	if (c->n == c->cap)
		c->c = xreallocarray(c->c, c->cap = c->cap * 2 + 16,
		    sizeof(*c->c));
	c->c[c->n].a = a;
	c->c[c->n].b = b;
	c->c[c->n++].n = n;
}

const struct entry *
diff_entry(const struct reg *r, size_t i)
{
	return &r->e[i];
}

/* Whether two entries are the same text, so the same values (unless a
 * NaN or Infinity hides behind a stand-in number): most of a refresh. */
static int
same_text(const struct reg *o, const struct entry *a, const struct reg *n,
    const struct entry *b)
{
	size_t len;

	len = json_end(&o->sup.j, a->obj) - json_start(&o->sup.j, a->obj);
	return o->sup.nspecial == 0 && n->sup.nspecial == 0 &&
	    len == json_end(&n->sup.j, b->obj) - json_start(&n->sup.j, b->obj) &&
	    memcmp(o->sup.text + json_start(&o->sup.j, a->obj),
	    n->sup.text + json_start(&n->sup.j, b->obj), len) == 0;
}

static void
models(struct diff *d)
{
	const struct reg *o = d->old, *n = d->new;
	struct strmap_slot *sl;
	struct change c;
	size_t i;

	for (i = 0; i < o->ne; i++) {
		sl = find(&n->ids, o, o->e[i].id);
		if (sl == NULL) {
			push(&d->k[CH_MODEL_REMOVED], i, DIFF_NONE, 0);
			continue;
		}
		c.a = i;
		c.b = sl->value;
		if (!same_text(o, &o->e[i], n, &n->e[sl->value]) &&
		    diff_fields(d, &c) > 0)
			push(&d->k[CH_MODEL_CHANGED], i, sl->value, 0);
	}
	for (i = 0; i < n->ne; i++)
		if (find(&o->ids, n, n->e[i].id) == NULL)
			push(&d->k[CH_MODEL_ADDED], i, DIFF_NONE, 0);
}

/* An architecture with entries in new and none in old, once, at its
 * first entry, with its number of models. */
static void
architectures(struct diff *d)
{
	const struct reg *o = d->old, *n = d->new;
	struct strmap seen = { 0 };
	const char *k;
	size_t i, len;

	for (i = 0; i < n->ne; i++) {
		k = reg_s(n, n->e[i].arch);
		len = n->e[i].arch.len;
		if (strmap_get(&o->archs, k, len) != NULL ||
		    !strmap_add(&seen, k, len))
			continue;
		push(&d->k[CH_ARCH_ADDED], i, DIFF_NONE,
		    (int64_t)strmap_get(&n->archs, k, len)->value);
	}
	strmap_free(&seen);
}

/* A gap moved when its rank, score or model count changed. */
static void
gaps(struct diff *d)
{
	const struct reg *o = d->old, *n = d->new;
	struct strmap_slot *sl;
	const struct gap *a, *b;
	size_t i;

	for (i = 0; i < o->ng; i++) {
		a = &o->g[i];
		sl = find(&n->garch, o, a->arch);
		if (sl == NULL) {
			push(&d->k[CH_GAP_REMOVED], i, DIFF_NONE,
			    find(&n->archs, o, a->arch) != NULL);
			continue;
		}
		b = &n->g[sl->value];
		if (a->rank != b->rank ||
		    !py_equal(&o->gap, a->score, &n->gap, b->score) ||
		    !py_equal(&o->gap, a->models, &n->gap, b->models))
			push(&d->k[CH_GAP_MOVED], i, sl->value, 0);
	}
	for (i = 0; i < n->ng; i++)
		if (find(&o->garch, n, n->g[i].arch) == NULL)
			push(&d->k[CH_GAP_ADDED], DIFF_NONE, i, 0);
}

/* The architecture and id (none for a gap) a change sorts by. */
static void
key_of(const struct change *c, struct str *arch, struct str *id,
    const struct reg **r)
{
	const struct diff *d = sort_d;

	id->off = id->len = 0;
	switch (sort_k) {
	case CH_MODEL_REMOVED:
		*r = d->old;
		*arch = d->old->e[c->a].arch;
		*id = d->old->e[c->a].id;
		break;
	case CH_MODEL_CHANGED:
		*r = d->new;
		*arch = d->new->e[c->b].arch;
		*id = d->new->e[c->b].id;
		break;
	case CH_GAP_ADDED:
	case CH_GAP_MOVED:
		*r = d->new;
		*arch = d->new->g[c->b].arch;
		break;
	case CH_GAP_REMOVED:
		*r = d->old;
		*arch = d->old->g[c->a].arch;
		break;
	default:	/* model_added, architecture_added */
		*r = d->new;
		*arch = d->new->e[c->a].arch;
		*id = d->new->e[c->a].id;
		break;
	}
}

static int
strcmp_n(const char *a, size_t na, const char *b, size_t nb)
{
	int c;

	if ((c = memcmp(a, b, na < nb ? na : nb)) != 0)
		return c;
	return na < nb ? -1 : na > nb;
}

static int
by_arch_id(const void *x, const void *y)
{
	const struct reg *rx, *ry;
	struct str ax, ix, ay, iy;
	int c;

	key_of(x, &ax, &ix, &rx);
	key_of(y, &ay, &iy, &ry);
	if ((c = strcmp_n(reg_s(rx, ax), ax.len, reg_s(ry, ay), ay.len)) != 0)
		return c;
	return strcmp_n(reg_s(rx, ix), ix.len, reg_s(ry, iy), iy.len);
}

static void
sort_kind(struct diff *d, enum change_kind k)
{
	sort_k = k;
	sort_d = d;
	if (d->k[k].n > 1)
		qsort(d->k[k].c, d->k[k].n, sizeof(struct change), by_arch_id);
}

void
diff_compute(struct diff *d, const struct reg *old, const struct reg *new)
{
	int k;

	d->old = old;
	d->new = new;
	models(d);
	architectures(d);
	gaps(d);
	for (k = 0; k < CH_NKINDS; k++)
		sort_kind(d, k);
}

static void
add_field(struct diff *d, const char *name, size_t len, int side, int tok,
    int pos)
{
	struct field *f;

	if (d->nf == d->fcap)
		d->f = xreallocarray(d->f, d->fcap = d->fcap * 2 + 16,
		    sizeof(*d->f));
	f = &d->f[d->nf++];
	f->off = d->names.len;
	f->len = len;
	buf_add(&d->names, name, len);
	f->side = side;
	f->pos = pos;
	f->o = side == 0 ? tok : -1;
	f->n = side == 1 ? tok : -1;
}

/* Every member of obj whose key matches phase*_score. */
static void
phase_fields(struct diff *d, const struct pyjson *p, int obj, int side)
{
	static struct buf key;
	int k, left, pos = 0;

	left = json_size(&p->j, obj);
	for (k = obj + 1; left > 0; left--, k = json_skip(&p->j, k), pos++) {
		buf_reset(&key);
		if (json_str(&p->j, k, &key, NULL) == -1 || key.len < 11 ||
		    memcmp(key.data, "phase", 5) != 0 ||
		    memcmp(key.data + key.len - 6, "_score", 6) != 0)
			continue;
		add_field(d, key.data, key.len, side, k + 1, pos);
	}
}

static int
by_name(const void *x, const void *y)
{
	const struct field *a = x, *b = y;
	int c;

	if ((c = strcmp_n(sort_names + a->off, a->len, sort_names + b->off,
	    b->len)) != 0)
		return c;
	if (a->side != b->side)
		return a->side - b->side;
	return a->pos - b->pos;
}

size_t
diff_fields(struct diff *d, const struct change *c)
{
	const struct entry *eo = &d->old->e[c->a], *en = &d->new->e[c->b];
	const struct pyjson *po = &d->old->sup, *pn = &d->new->sup;
	size_t i, w, first;
	int o, n;

	d->nf = 0;
	buf_reset(&d->names);
	for (i = 0; i < 4; i++) {
		o = json_get(&po->j, eo->obj, fixed[i]);
		n = json_get(&pn->j, en->obj, fixed[i]);
		if (!py_equal(po, o, pn, n)) {
			add_field(d, fixed[i], strlen(fixed[i]), 0, o, 0);
			d->f[d->nf - 1].n = n;
		}
	}
	first = d->nf;
	phase_fields(d, po, eo->obj, 0);
	phase_fields(d, pn, en->obj, 1);
	sort_names = d->names.data;
	if (d->nf - first > 1)
		qsort(d->f + first, d->nf - first, sizeof(*d->f), by_name);
	/* One field a name: the last value on each side, as json.load. */
	for (w = i = first; i < d->nf; i++) {
		if (w > first && d->f[w - 1].len == d->f[i].len &&
		    memcmp(d->names.data + d->f[w - 1].off,
		    d->names.data + d->f[i].off, d->f[i].len) == 0) {
			if (d->f[i].side == 0)
				d->f[w - 1].o = d->f[i].o;
			else
				d->f[w - 1].n = d->f[i].n;
			continue;
		}
		d->f[w++] = d->f[i];
	}
	for (d->nf = i = first; i < w; i++)
		if (!py_equal(po, d->f[i].o, pn, d->f[i].n))
			d->f[d->nf++] = d->f[i];
	for (i = 0; i < d->nf; i++)
		d->f[i].name = d->names.data + d->f[i].off;
	return d->nf;
}

void
diff_free(struct diff *d)
{
	int k;

	for (k = 0; k < CH_NKINDS; k++)
		free(d->k[k].c);
	free(d->f);
	buf_free(&d->names);
	memset(d, 0, sizeof(*d));
}

/* mdlists.c: the pull-request body's sections after the new models and
 * architectures: gaps now supported, the gaps' moves around the top 20,
 * and the entries whose verification fields changed or that are gone,
 * verified ones first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strmap.h"
#include "util.h"
#include "diff.h"

#define SHARE_SUPPORTED	4000
#define SHARE_GAPS	8000
#define SHARE_VERIFIED	14000
#define TOP_GAPS	20	/* the summary's top 20 */

static const struct gap *other_gap(const struct reg *, const struct reg *,
		    const struct gap *);
static void	top_change(struct md *, int);
static void	moves(struct md *);
static int	by_move(const void *, const void *);
static int64_t	move_of(const struct change *);
static void	removed(struct md *, int, const char *, int64_t);
static void	changed(struct md *);
static void	rank_cell(struct md *, const char *, int64_t);
static void	arch_cell(struct md *, const struct reg *, struct str);
static void	value_cell(struct md *, const struct pyjson *, int);
static void	text_cell(struct md *, const char *, size_t);
static int	leaves_top(const struct reg *, const struct reg *, size_t,
		    const struct gap **);
static int64_t	count_leaving(const struct reg *, const struct reg *);
static void	table_end(struct md *, int64_t, const char *);

static const struct diff *sort_d;	/* by_move's diff */

/* The gap of g's architecture in the other registry, or NULL. */
static const struct gap *
other_gap(const struct reg *r, const struct reg *other, const struct gap *g)
{
	const struct strmap_slot *sl;

	sl = strmap_get(&other->garch, reg_s(r, g->arch), g->arch.len);
	return sl == NULL ? NULL : &other->g[sl->value];
}

static void
rank_cell(struct md *m, const char *before, int64_t rank)
{
	md_cell(m, NULL);
	buf_adds(&m->row, before);
	md_int(&m->row, rank);
}

/* A cell with r's architecture name arch. */
static void
arch_cell(struct md *m, const struct reg *r, struct str arch)
{
	md_cell(m, NULL);
	md_arch(&m->row, r, arch);
}

/* A cell with the value of token tok in p. */
static void
value_cell(struct md *m, const struct pyjson *p, int tok)
{
	md_cell(m, NULL);
	md_value(&m->row, p, tok);
}

/* A cell with the text s of n bytes, escaped. */
static void
text_cell(struct md *m, const char *s, size_t n)
{
	md_cell(m, NULL);
	md_escape(&m->row, s, n);
}

/* Whether the gap at i of from, in from's top 20, is outside the top 20
 * of to; *other is its gap in to, or NULL. */
static int
leaves_top(const struct reg *from, const struct reg *to, size_t i,
    const struct gap **other)
{
	*other = other_gap(from, to, &from->g[i]);
	return *other == NULL || (*other)->rank > TOP_GAPS;
}

/* How many gaps of from's top 20 are outside the top 20 of to. */
static int64_t
count_leaving(const struct reg *from, const struct reg *to)
{
	const struct gap *other;
	int64_t count = 0;
	size_t i;

	for (i = 0; i < from->ng && from->g[i].rank <= TOP_GAPS; i++)
		count += leaves_top(from, to, i, &other);
	return count;
}

/* The line for the rows not listed, what they are, and the table's end. */
static void
table_end(struct md *m, int64_t more, const char *what)
{
	md_more(m, more, what, 1);
	buf_adds(m->out, "\n");
}

void
md_gaps_supported(struct md *m)
{
	static const char *const cells[] = {
		"architecture", ">rank before", ">models before",
		">supported models now",
	};
	const struct changes *c = &m->d->k[CH_GAP_REMOVED];
	const struct reg *o = m->d->old, *n = m->d->new;
	const struct gap *g;
	int64_t count = 0, listed = 0;
	size_t i;

	for (i = 0; i < c->n; i++)
		count += c->c[i].n;
	if (count == 0)
		return;
	md_section(m, "Gaps now supported", count, SHARE_SUPPORTED);
	md_table(m, cells, 4);
	for (i = 0; i < c->n; i++) {
		if (!c->c[i].n)
			continue;
		g = &o->g[c->c[i].a];
		md_row(m);
		arch_cell(m, o, g->arch);
		rank_cell(m, "#", g->rank);
		value_cell(m, &o->gap, g->models);
		md_cell_int(m, (int64_t)strmap_get(&n->archs, reg_s(o, g->arch),
		    g->arch.len)->value);
		if (!md_put_row(m))
			break;
		listed++;
	}
	table_end(m, count - listed, "gaps now supported");
}

/* The gaps of one top 20 that are not in the other: entering (in) the
 * new top 20, or leaving (!in) the old one. */
static void
top_change(struct md *m, int in)
{
	static const char *const leave_cells[] = {
		">rank before", "architecture", "now",
	};
	static const char *const enter_cells[] = {
		">rank", "architecture", ">score", ">models", ">rank before",
	};
	static const struct {
		const char		*title, *what;
		const char *const	*cells;
		int			 ncells;
	} side[] = {
		{ "**Leaving the top 20**\n\n", "leaving the top 20",
		    leave_cells, 3 },
		{ "**Entering the top 20**\n\n", "entering the top 20",
		    enter_cells, 5 },
	};
	const struct reg *from = in ? m->d->new : m->d->old;
	const struct reg *to = in ? m->d->old : m->d->new;
	const struct gap *g, *other;
	int64_t count, listed = 0;
	size_t i;

	if ((count = count_leaving(from, to)) == 0)
		return;
	buf_adds(m->out, side[in].title);
	md_table(m, side[in].cells, side[in].ncells);
	for (i = 0; i < from->ng && from->g[i].rank <= TOP_GAPS; i++) {
		if (!leaves_top(from, to, i, &other))
			continue;
		g = &from->g[i];
		md_row(m);
		rank_cell(m, "#", g->rank);
		arch_cell(m, from, g->arch);
		if (in) {
			value_cell(m, &from->gap, g->score);
			value_cell(m, &from->gap, g->models);
		}
		if (other != NULL)
			rank_cell(m, "#", other->rank);
		else if (in)
			md_cell(m, "new");
		else if (strmap_get(&to->archs, reg_s(from, g->arch),
		    g->arch.len) != NULL)
			md_cell(m, "supported");
		else
			md_cell(m, "no longer a gap");
		if (!md_put_row(m))
			break;
		listed++;
	}
	table_end(m, count - listed, side[in].what);
}

/* Places up (a smaller rank) as a positive number. */
static int64_t
move_of(const struct change *c)
{
	return sort_d->old->g[c->a].rank - sort_d->new->g[c->b].rank;
}

/* The largest moves first, then the architecture's byte order. */
static int
by_move(const void *p, const void *q)
{
	const struct change *a = p, *b = q;
	int64_t ma = llabs(move_of(a)), mb = llabs(move_of(b));
	const struct reg *n = sort_d->new;
	struct str x = n->g[a->b].arch, y = n->g[b->b].arch;
	int c;

	if (ma != mb)
		return ma > mb ? -1 : 1;
	if ((c = memcmp(reg_s(n, x), reg_s(n, y), x.len < y.len ? x.len :
	    y.len)) != 0)
		return c;
	return x.len < y.len ? -1 : x.len > y.len;
}

/* The m->top largest rank moves. */
static void
moves(struct md *m)
{
	static const char *const cells[] = {
		"architecture", ">rank before", ">rank", ">move", ">score",
		">models",
	};
	const struct changes *c = &m->d->k[CH_GAP_MOVED];
	const struct reg *o = m->d->old, *n = m->d->new;
	struct change *v;
	size_t i, nv = 0, shown;

	v = xreallocarray(NULL, c->n + 1, sizeof(*v));
	sort_d = m->d;
	for (i = 0; i < c->n; i++)
		if (move_of(&c->c[i]) != 0)
			v[nv++] = c->c[i];
	shown = (int64_t)nv < m->top ? nv : (size_t)m->top;
	if (shown > 0) {
		qsort(v, nv, sizeof(*v), by_move);
		buf_adds(m->out, "**Largest rank moves**\n\n");
		md_table(m, cells, 6);
	}
	for (i = 0; i < shown; i++) {
		md_row(m);
		arch_cell(m, n, n->g[v[i].b].arch);
		rank_cell(m, "#", o->g[v[i].a].rank);
		rank_cell(m, "#", n->g[v[i].b].rank);
		md_cell(m, NULL);
		md_delta(&m->row, move_of(&v[i]));
		value_cell(m, &n->gap, n->g[v[i].b].score);
		value_cell(m, &n->gap, n->g[v[i].b].models);
		if (!md_put_row(m))
			break;
	}
	md_more(m, (int64_t)(nv - i), "gaps that moved", i < shown);
	if (shown > 0)
		buf_adds(m->out, "\n");
	free(v);
}

void
md_gap_moves(struct md *m)
{
	const struct changes *k = m->d->k;
	size_t n;

	n = k[CH_GAP_ADDED].n + k[CH_GAP_REMOVED].n + k[CH_GAP_MOVED].n;
	if (n == 0)
		return;
	md_section(m, "Unsupported architectures", (int64_t)n, SHARE_GAPS);
	buf_addf(m->out, "%zu new, %zu no longer gaps, %zu moved (rank, "
	    "score or model count).\n\n", k[CH_GAP_ADDED].n,
	    k[CH_GAP_REMOVED].n, k[CH_GAP_MOVED].n);
	top_change(m, 1);
	top_change(m, 0);
	moves(m);
}

/* The removed models whose status is (verified) or is not (!verified)
 * 1, under title. */
static void
removed(struct md *m, int verified, const char *title, int64_t count)
{
	static const char *const cells[] = {
		"model", "architecture", "status",
	};
	const struct changes *c = &m->d->k[CH_MODEL_REMOVED];
	const struct reg *o = m->d->old;
	const struct entry *e;
	int64_t listed = 0;
	size_t i;

	if (count == 0)
		return;
	buf_adds(m->out, title);
	md_table(m, cells, 3);
	for (i = 0; i < c->n; i++) {
		e = &o->e[c->c[i].a];
		if (py_is_one(&o->sup, e->status) != verified)
			continue;
		md_row(m);
		text_cell(m, reg_s(o, e->id), e->id.len);
		arch_cell(m, o, e->arch);
		value_cell(m, &o->sup, e->status);
		if (!md_put_row(m))
			break;
		listed++;
	}
	table_end(m, count - listed, "removed models");
}

static void
changed(struct md *m)
{
	static const char *const cells[] = {
		"model", "field", "before", "after",
	};
	const struct changes *c = &m->d->k[CH_MODEL_CHANGED];
	const struct reg *o = m->d->old, *n = m->d->new;
	const struct entry *e;
	size_t i, f, nf;

	if (c->n == 0)
		return;
	buf_adds(m->out, "**Changed entries**\n\n");
	md_table(m, cells, 4);
	for (i = 0; i < c->n; i++) {
		e = &n->e[c->c[i].b];
		nf = diff_fields(m->d, &c->c[i]);
		for (f = 0; f < nf; f++) {
			md_row(m);
			text_cell(m, reg_s(n, e->id), e->id.len);
			text_cell(m, m->d->f[f].name, m->d->f[f].len);
			value_cell(m, &o->sup, m->d->f[f].o);
			value_cell(m, &n->sup, m->d->f[f].n);
			if (!md_put_row(m))
				break;
		}
		if (f < nf)
			break;
	}
	table_end(m, (int64_t)(c->n - i), "changed models");
}

void
md_verification(struct md *m)
{
	const struct changes *c = &m->d->k[CH_MODEL_REMOVED];
	int64_t verified = 0;
	size_t i;

	if (c->n + m->d->k[CH_MODEL_CHANGED].n == 0)
		return;
	for (i = 0; i < c->n; i++)
		verified += py_is_one(&m->d->old->sup,
		    m->d->old->e[c->c[i].a].status);
	md_section(m, "Changed or removed entries",
	    (int64_t)(c->n + m->d->k[CH_MODEL_CHANGED].n), SHARE_VERIFIED);
	removed(m, 1, "**Verified models missing from the new registry**"
	    "\n\n", verified);
	changed(m);
	removed(m, 0, "**Other removed models**\n\n",
	    (int64_t)c->n - verified);
}

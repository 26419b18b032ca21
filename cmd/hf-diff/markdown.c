/* markdown.c: the pull-request body (GitHub-flavoured Markdown): the
 * totals before and after, then each kind of change a reviewer reads,
 * each section within a share of MD_LIMIT so that a refresh of any size
 * stays under GitHub's 65,536 characters: what does not fit is counted,
 * not listed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "util.h"
#include "diff.h"

/* Each section's share of MD_LIMIT; the headline takes the rest. */
#define SHARE_MODELS	26000
#define SHARE_ARCHS	4000
/* Room kept in a share for what closes a section ("and N more"). */
#define MD_RESERVE	400
/* An architecture's list longer than this goes inside <details>. */
#define MD_OPEN_ROWS	5

struct group {
	size_t	 first, n;	/* a run of d->k[CH_MODEL_ADDED] */
};

static void	headline(struct md *);
static void	totals_row(struct md *, const char *, int64_t, int64_t);
static void	new_models(struct md *);
static int	group(struct md *, const struct change *, const struct group *);
static int	same_arch(const struct reg *, const struct change *,
		    const struct change *);
static void	new_archs(struct md *);
static int	by_size(const void *, const void *);
static int	by_downloads(const void *, const void *);
static int	no_changes(const struct diff *);

static const struct diff *sort_d;	/* the sorts' diff */

void
md_section(struct md *m, const char *title, int64_t n, size_t share)
{
	buf_addf(m->out, "### %s (", title);
	md_int(m->out, n);
	buf_adds(m->out, ")\n\n");
	m->limit = m->out->len + share;
	if (m->limit > MD_LIMIT - MD_RESERVE)
		m->limit = MD_LIMIT - MD_RESERVE;
}

void
md_table(struct md *m, const char *const cells[], int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_addf(m->out, "| %s ", cells[i] + (cells[i][0] == '>'));
	buf_adds(m->out, "|\n");
	for (i = 0; i < n; i++)
		buf_adds(m->out, cells[i][0] == '>' ? "| ---: " : "| :--- ");
	buf_adds(m->out, "|\n");
}

void
md_row(struct md *m)
{
	buf_reset(&m->row);
}

/* A cell: s, or (NULL) one the caller fills. */
void
md_cell(struct md *m, const char *s)
{
	buf_adds(&m->row, m->row.len == 0 ? "| " : " | ");
	if (s != NULL)
		buf_adds(&m->row, s);
}

void
md_cell_int(struct md *m, int64_t v)
{
	md_cell(m, NULL);
	md_int(&m->row, v);
}

int
md_put_row(struct md *m)
{
	buf_adds(&m->row, " |\n");
	if (m->out->len + m->row.len + MD_RESERVE > m->limit)
		return 0;
	buf_add(m->out, m->row.data, m->row.len);
	return 1;
}

void
md_more(struct md *m, int64_t n, const char *what, int budget)
{
	if (n <= 0)
		return;
	buf_adds(m->out, "\nand ");
	md_int(m->out, n);
	buf_addf(m->out, " more %s%s\n", what, budget ? " not listed here: "
	    "the report keeps under GitHub's size limit "
	    "(hf-diff OLD NEW lists every change)." : ".");
}

static void
totals_row(struct md *m, const char *what, int64_t a, int64_t b)
{
	buf_addf(m->out, "| %s | ", what);
	md_int(m->out, a);
	buf_adds(m->out, " | ");
	md_int(m->out, b);
	buf_adds(m->out, " | ");
	md_delta(m->out, b - a);
	buf_adds(m->out, " |\n");
}

static int
no_changes(const struct diff *d)
{
	int k;

	for (k = 0; k < CH_NKINDS; k++)
		if (d->k[k].n > 0)
			return 0;
	return memcmp(&d->old->t, &d->new->t, sizeof(d->old->t)) == 0;
}

static void
headline(struct md *m)
{
	static const char *const cells[] = {
		"", ">before", ">after", ">change",
	};
	const struct totals *a = &m->d->old->t, *b = &m->d->new->t;
	const struct changes *k = m->d->k;

	buf_adds(m->out, "## Model registry changes\n\n");
	md_table(m, cells, 4);
	totals_row(m, "supported models", a->models, b->models);
	totals_row(m, "architectures", a->architectures, b->architectures);
	totals_row(m, "verified models", a->verified, b->verified);
	totals_row(m, "unsupported architectures", a->gap_archs,
	    b->gap_archs);
	totals_row(m, "models of unsupported architectures", a->gap_models,
	    b->gap_models);
	buf_adds(m->out, "\n");
	if (no_changes(m->d)) {
		buf_adds(m->out, "No changes.\n");
		return;
	}
	buf_addf(m->out, "%zu new supported models, %zu removed, %zu changed; "
	    "%zu new architectures; gaps: %zu added, %zu removed, %zu moved."
	    "\n\n", k[CH_MODEL_ADDED].n, k[CH_MODEL_REMOVED].n,
	    k[CH_MODEL_CHANGED].n, k[CH_ARCH_ADDED].n, k[CH_GAP_ADDED].n,
	    k[CH_GAP_REMOVED].n, k[CH_GAP_MOVED].n);
}

/* More new models first, then the architecture's byte order (the order
 * of the runs). */
static int
by_size(const void *x, const void *y)
{
	const struct group *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* More downloads first, none last, then the id's byte order (the order
 * of the list). */
static int
by_downloads(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	const struct entry *ea = &sort_d->new->e[a->a];
	const struct entry *eb = &sort_d->new->e[b->a];

	if (ea->has_dl != eb->has_dl)
		return ea->has_dl ? -1 : 1;
	if (ea->has_dl && ea->dl != eb->dl)
		return ea->dl > eb->dl ? -1 : 1;
	return a->a < b->a ? -1 : a->a > b->a;
}

/* One architecture's new models, at most m->top, the rest counted: 1,
 * or 0 if the budget ran out. */
static int
group(struct md *m, const struct change *all, const struct group *g)
{
	static const char *const cells[] = { "model", ">downloads" };
	const struct reg *r = m->d->new;
	const struct change *c = all + g->first;
	size_t i, shown;
	int64_t dl;
	int folded;

	shown = (int64_t)g->n < m->top ? g->n : (size_t)m->top;
	buf_adds(m->out, "**");
	md_arch(m->out, r, r->e[c->a].arch);
	buf_adds(m->out, "**: ");
	md_int(m->out, (int64_t)g->n);
	buf_adds(m->out, g->n == 1 ? " new model\n\n" : " new models\n\n");
	if (shown == 0)
		return 1;
	folded = shown > MD_OPEN_ROWS;
	if (folded)
		buf_addf(m->out, "<details markdown=\"1\">\n<summary>the %zu "
		    "with the most downloads</summary>\n\n", shown);
	md_table(m, cells, 2);
	for (i = 0; i < shown; i++) {
		md_row(m);
		md_cell(m, NULL);
		md_escape(&m->row, reg_s(r, r->e[c[i].a].id),
		    r->e[c[i].a].id.len);
		if (json_i64(&r->sup.j, r->e[c[i].a].downloads, &dl) == 0)
			md_cell_int(m, dl);
		else if (r->e[c[i].a].has_dl) {
			md_cell(m, NULL);
			md_value(&m->row, &r->sup, r->e[c[i].a].downloads);
		} else
			md_cell(m, "unknown");
		if (!md_put_row(m))
			break;
	}
	md_more(m, (int64_t)(g->n - i), "of this architecture", i < shown);
	buf_adds(m->out, folded ? "\n</details>\n\n" : "\n");
	return i == shown;
}

static int
same_arch(const struct reg *r, const struct change *a, const struct change *b)
{
	const struct str x = r->e[a->a].arch, y = r->e[b->a].arch;

	return x.len == y.len && memcmp(reg_s(r, x), reg_s(r, y), x.len) == 0;
}

/* The new models in runs of one architecture (the list is in that
 * order), the runs by size, each run by downloads, into a copy: the
 * diff keeps its order. */
static void
new_models(struct md *m)
{
	const struct changes *a = &m->d->k[CH_MODEL_ADDED];
	struct change *c;
	struct group *g;
	size_t ng = 0, i, left;

	if (a->n == 0)
		return;
	md_section(m, "New supported models", (int64_t)a->n, SHARE_MODELS);
	g = xreallocarray(NULL, a->n, sizeof(*g));
	c = xreallocarray(NULL, a->n, sizeof(*c));
	memcpy(c, a->c, a->n * sizeof(*c));
	for (i = 0; i < a->n; i++) {
		if (i == 0 || !same_arch(m->d->new, &c[i], &c[i - 1]))
			g[ng++] = (struct group){ i, 0 };
		g[ng - 1].n++;
	}
	qsort(g, ng, sizeof(*g), by_size);
	sort_d = m->d;
	for (i = 0; i < ng; i++)
		qsort(c + g[i].first, g[i].n, sizeof(*c), by_downloads);
	for (i = 0; i < ng; i++) {
		/* Room for its heading (a name escaped is 600 bytes or
		 * less), or none of it is listed. */
		if (m->out->len + 1000 + MD_RESERVE > m->limit)
			break;
		if (!group(m, c, &g[i])) {
			i++;	/* its rest counted already */
			break;
		}
	}
	for (left = 0; i < ng; i++)
		left += g[i].n;
	if (left > 0) {
		md_more(m, (int64_t)left, "new models of other architectures",
		    1);
		buf_adds(m->out, "\n");
	}
	free(c);
	free(g);
}

static void
new_archs(struct md *m)
{
	static const char *const cells[] = { "architecture", ">models" };
	const struct changes *a = &m->d->k[CH_ARCH_ADDED];
	const struct reg *r = m->d->new;
	size_t i;

	if (a->n == 0)
		return;
	md_section(m, "New architectures", (int64_t)a->n, SHARE_ARCHS);
	md_table(m, cells, 2);
	for (i = 0; i < a->n; i++) {
		md_row(m);
		md_cell(m, NULL);
		md_arch(&m->row, r, r->e[a->c[i].a].arch);
		md_cell_int(m, a->c[i].n);
		if (!md_put_row(m))
			break;
	}
	md_more(m, (int64_t)(a->n - i), "new architectures", 1);
	buf_adds(m->out, "\n");
}

void
diff_markdown(struct diff *d, int64_t top, struct buf *out)
{
	struct md m = { .d = d, .top = top, .out = out };

	headline(&m);
	if (!no_changes(d)) {
		new_models(&m);
		new_archs(&m);
		md_gaps_supported(&m);
		md_gap_moves(&m);
		md_verification(&m);
	}
	buf_free(&m.row);
}

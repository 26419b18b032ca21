/* reclassify.c: the ledger against the registry of today (see
 * ledger.h). A model whose architecture has gained an adapter since its
 * scan leaves the ledger as the record hf-classify would print for it
 * now, so that hf-merge writes the same entry as after a fresh scan; a
 * gap entry imported from the Python tool's gaps file stands for a
 * count, not a model, and is dropped. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "registry.h"
#include "strmap.h"
#include "util.h"
#include "ledger.h"

enum { MOVED, DROPPED };

static const struct json *parse(struct reclassify *, struct nd_line *);
static int	wanted(struct reclassify *, const struct json *, int);
static void	count(struct reclassify *, int);
static void	author_of(struct reclassify *, const struct json *, int, int);
static int	move(struct reclassify *, const struct json *);
static int	cmp_name(const void *, const void *);

/* Line l as update.c reads an old line (a line the Python tool's NaN
 * or Infinity made is read as json.load would), or NULL reported. */
static const struct json *
parse(struct reclassify *r, struct nd_line *l)
{
	const char *why;

	if (json_parse(&r->j, l->data, l->len, JSON_UTF8, &why) != -1)
		return &r->j;
	if (pyjson_parse(&r->py, l->data, l->len, PYJSON_NAN, NULL) != -1)
		return &r->py.j;
	nd_skip(l, why);
	return NULL;
}

/* Whether the architecture at token a (decoded into r->arch) is one to
 * take out: supported, and the --architecture when one is given. */
static int
wanted(struct reclassify *r, const struct json *j, int a)
{
	buf_reset(&r->arch);
	if (json_str(j, a, &r->arch, NULL) == -1)
		return 0;
	buf_cstr(&r->arch);
	if (r->only != NULL && (strlen(r->only) != r->arch.len ||
	    memcmp(r->only, r->arch.data, r->arch.len) != 0))
		return 0;
	return registry_supported(r->reg, r->arch.data, r->arch.len);
}

/* One more line moved or dropped under r->arch. */
static void
count(struct reclassify *r, int what)
{
	struct strmap_slot *s;
	int added;

	s = strmap_put(&r->archs, r->arch.data, r->arch.len, &added);
	if (added) {
		if (r->ncount == r->capcount) {
			r->capcount = r->capcount ? r->capcount * 2 : 16;
			r->count = xreallocarray(r->count, r->capcount,
			    sizeof(*r->count));
		}
		memset(r->count[r->ncount], 0, sizeof(r->count[0]));
		s->value = r->ncount++;
	}
	r->count[s->value][what]++;
	if (what == MOVED)
		r->moved++;
	else
		r->dropped++;
}

/* The record's author, else the id's part before the first '/', as
 * hf-classify takes it. */
static void
author_of(struct reclassify *r, const struct json *j, int author, int id)
{
	const char *slash;

	buf_reset(&r->author);
	if (json_str(j, author, &r->author, NULL) == 0) {
		buf_cstr(&r->author);
		return;
	}
	buf_reset(&r->author);
	json_str(j, id, &r->author, NULL);	/* a string: checked */
	buf_cstr(&r->author);
	if ((slash = memchr(r->author.data, '/', r->author.len)) != NULL)
		r->author.len = (size_t)(slash - r->author.data);
}

/* The record j, of architecture r->arch, to supported as hf-classify
 * prints a supported record: its bytes up to its closing brace, then
 * "supported" and "canonical" (earlier ones replaced). */
static int
move(struct reclassify *r, const struct json *j)
{
	static const char *const added[] = { "supported", "canonical" };
	int canonical;

	author_of(r, j, json_get(j, 0, "author"), json_get(j, 0, "id"));
	canonical = registry_canonical(r->reg, r->arch.data, r->arch.len,
	    r->author.data, r->author.len);
	buf_reset(&r->out);
	if (json_copy_open(&r->out, j, 0, added, 2) > 0)
		buf_addc(&r->out, ',');
	buf_addf(&r->out, "\"supported\":true,\"canonical\":%s}\n",
	    canonical ? "true" : "false");
	if (fwrite(r->out.data, 1, r->out.len, r->supported) != r->out.len) {
		r->write_error = 1;
		return HF_EXIT_FATAL;
	}
	return HF_EXIT_OK;
}

int
reclassify_line(struct nd_line *l, void *arg)
{
	struct reclassify *r = arg;
	const struct json *j;
	int id, a, rv;

	if ((j = parse(r, l)) == NULL)
		return HF_EXIT_SKIPPED;
	if (json_type(j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	id = json_get(j, 0, "id");
	if (json_type(j, id) != JSON_STRING &&
	    (a = json_get(j, 0, "architecture_id")) != -1) {
		if (!wanted(r, j, a))
			goto keep;
		count(r, DROPPED);
		return HF_EXIT_OK;
	}
	if (id == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, id) != JSON_STRING)
		return nd_skip(l, "id: not a string");
	if (!wanted(r, j, json_get(j, 0, "architecture")))
		goto keep;
	if ((rv = move(r, j)) != HF_EXIT_OK)
		return rv;
	count(r, MOVED);
	return HF_EXIT_OK;
keep:
	r->put(r->arg, l->data, l->len);
	r->put(r->arg, "\n", 1);
	return HF_EXIT_OK;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
reclassify_stats(const struct reclassify *r, struct buf *out)
{
	static const char *const what[] = { "moved", "dropped" };
	const char **names;
	const struct strmap_slot *s;
	size_t i, n = 0;
	int k;

	names = xreallocarray(NULL, r->ncount + 1, sizeof(*names));
	for (i = 0; i < r->archs.cap; i++)
		if (r->archs.slot[i].hash != 0)
			names[n++] = strmap_key(&r->archs, &r->archs.slot[i]);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		s = strmap_get(&r->archs, names[i], strlen(names[i]));
		for (k = MOVED; k <= DROPPED; k++)
			if (r->count[s->value][k] > 0)
				buf_addf(out, "%s %s %" PRId64 "\n", what[k],
				    names[i], r->count[s->value][k]);
	}
	buf_addf(out, "moved_total %" PRId64 "\ndropped_total %" PRId64 "\n",
	    r->moved, r->dropped);
	free(names);
}

void
reclassify_free(struct reclassify *r)
{
	json_free(&r->j);
	pyjson_free(&r->py);
	buf_free(&r->arch);
	buf_free(&r->author);
	buf_free(&r->out);
	strmap_free(&r->archs);
	free(r->count);
}

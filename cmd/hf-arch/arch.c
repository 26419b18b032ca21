/* hf-arch: turn raw Hub model items into model records (SPEC 2.2).
 *
 * Every line is validated in full (RFC 8259, UTF-8, no lone surrogate);
 * the record is then built from a fixed set of paths only, so a key of the
 * same name nested elsewhere (an "architectures" inside tokenizer_config,
 * a "total" inside safetensors.parameters) is never read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "stage.h"
#include "util.h"
#include "arch.h"

/* The item's top-level keys hf-arch reads, in one pass. */
enum {
	F_ID, F_AUTHOR, F_CONFIG, F_DOWNLOADS, F_LIKES, F_LAST_MODIFIED,
	F_TAGS, F_PIPELINE_TAG, F_GATED, F_SAFETENSORS, F_NFIELDS
};
static const char *const fields[F_NFIELDS] = {
	"id", "author", "config", "downloads", "likes", "lastModified",
	"tags", "pipeline_tag", "gated", "safetensors",
};
static const char *const config_counts[] = {
	"num_parameters", "n_params", "num_params",
};

struct arch_run {
	struct stage_base base;		/* the item; the record being built */
	struct buf	 decoded;	/* a string token, decoded */
	const int	*f;		/* the item's fields (F_*), as tokens */
};

/* A string literal appended without strlen. */
#define PUT(a, lit)	buf_add(&(a)->base.out, (lit), sizeof(lit) - 1)


static int	arch_line(struct nd_line *, void *);
static void	arch_free(void *);
static void	put_str(struct arch_run *, int);
static void	put_text(struct arch_run *, const char *, size_t);
static void	put_author(struct arch_run *, int);
static void	put_architecture(struct arch_run *, int);
static void	put_count(struct arch_run *, int);
static void	put_tags(struct arch_run *, int);
static void	put_gated(struct arch_run *, int);
static void	put_parameter_count(struct arch_run *, int);
static int	param_sum(const struct json *, int, int64_t *);

/* The record's members in order: the key as written, with what comes
 * before it, the item's field its value is made from, and how. */
#define MEMBER(key, field, put)	{ key, sizeof(key) - 1, field, put }
static const struct member {
	const char	*key;
	size_t		 keylen;
	int		 field;
	void		(*put)(struct arch_run *, int);
} members[] = {
	MEMBER("{\"id\":", F_ID, put_str),
	MEMBER(",\"author\":", F_AUTHOR, put_author),
	MEMBER(",\"architecture\":", F_CONFIG, put_architecture),
	MEMBER(",\"downloads\":", F_DOWNLOADS, put_count),
	MEMBER(",\"likes\":", F_LIKES, put_count),
	MEMBER(",\"last_modified\":", F_LAST_MODIFIED, put_str),
	MEMBER(",\"tags\":", F_TAGS, put_tags),
	MEMBER(",\"pipeline_tag\":", F_PIPELINE_TAG, put_str),
	MEMBER(",\"gated\":", F_GATED, put_gated),
	MEMBER(",\"parameter_count\":", F_SAFETENSORS, put_parameter_count),
};
#define NMEMBERS	(sizeof(members) / sizeof(members[0]))

/* One raw item in, one record out; a malformed line is reported and
 * skipped. */
static int
arch_line(struct nd_line *l, void *arg)
{
	struct arch_run *a = arg;
	const struct member *m;
	int f[F_NFIELDS], rv;

	if ((rv = stage_record(&a->base.j, l, fields, F_NFIELDS, f)) != HF_EXIT_OK)
		return rv;
	a->f = f;

	buf_reset(&a->base.out);
	for (m = members; m < members + NMEMBERS; m++) {
		buf_add(&a->base.out, m->key, m->keylen);
		m->put(a, f[m->field]);
	}
	PUT(a, "}");
	buf_addc(&a->base.out, '\n');
	return stage_write(a->base.out.data, a->base.out.len);
}

/* A string token decoded and re-escaped minimally; null if not a string.
 * A body without a backslash is already minimal: validated JSON has no
 * raw '"' or control byte in it. */
static void
put_str(struct arch_run *a, int i)
{
	const struct json *j = &a->base.j;
	size_t s, e;

	if (json_type(j, i) != JSON_STRING) {
		PUT(a, "null");
		return;
	}
	s = json_start(j, i);
	e = json_end(j, i);
	if (!json_escaped(j, i)) {
		buf_add(&a->base.out, j->s + s, e - s);
		return;
	}
	buf_reset(&a->decoded);
	json_str(j, i, &a->decoded, NULL);	/* cannot fail: JSON_UTF8 */
	put_text(a, buf_cstr(&a->decoded), a->decoded.len);
}

/* s[0..n) as a JSON string, escaped minimally. */
static void
put_text(struct arch_run *a, const char *s, size_t n)
{
	buf_addc(&a->base.out, '"');
	jw_escape(&a->base.out, s, n, 0);
	buf_addc(&a->base.out, '"');
}

/* author, else the id's part before the first '/' (or the whole id). */
static void
put_author(struct arch_run *a, int author)
{
	const char *slash;
	int id = a->f[F_ID];

	if (json_type(&a->base.j, author) == JSON_STRING) {
		put_str(a, author);
		return;
	}
	buf_reset(&a->decoded);
	json_str(&a->base.j, id, &a->decoded, NULL);
	buf_cstr(&a->decoded);
	slash = memchr(a->decoded.data, '/', a->decoded.len);
	put_text(a, a->decoded.data,
	    slash ? (size_t)(slash - a->decoded.data) : a->decoded.len);
}

/* config.architectures[0] when it is a string. */
static void
put_architecture(struct arch_run *a, int config)
{
	int archs = json_get(&a->base.j, config, "architectures");

	put_str(a, json_first(&a->base.j, archs));
}

/* A JSON integer in int64 range, else null. */
static void
put_count(struct arch_run *a, int i)
{
	int64_t v;

	if (json_i64(&a->base.j, i, &v) == 0)
		buf_add_i64(&a->base.out, v);
	else
		PUT(a, "null");
}

/* The string elements of tags, in order; other elements are left out,
 * and anything but an array is []. */
static void
put_tags(struct arch_run *a, int tags)
{
	const struct json *j = &a->base.j;
	int e, n = 0, left;

	left = json_type(j, tags) == JSON_ARRAY ? json_size(j, tags) : 0;
	PUT(a, "[");
	for (e = json_first(j, tags); left-- > 0; e = json_skip(j, e)) {
		if (json_type(j, e) != JSON_STRING)
			continue;
		if (n++ > 0)
			PUT(a, ",");
		put_str(a, e);
	}
	PUT(a, "]");
}

/* The Hub sends false, "auto" or "manual": a boolean or a string is kept,
 * anything else is null. */
static void
put_gated(struct arch_run *a, int i)
{
	switch (json_type(&a->base.j, i)) {
	case JSON_TRUE:
		PUT(a, "true");
		break;
	case JSON_FALSE:
		PUT(a, "false");
		break;
	default:
		put_str(a, i);
	}
}

/* safetensors.total; else the sum of safetensors.parameters; else
 * config.num_parameters, n_params, num_params: the first that is a JSON
 * integer (in int64 range), else null. */
static void
put_parameter_count(struct arch_run *a, int st)
{
	const struct json *j = &a->base.j;
	int c[3], i, config = a->f[F_CONFIG];
	int64_t v;

	if (json_i64(j, json_get(j, st, "total"), &v) == 0 ||
	    param_sum(j, json_get(j, st, "parameters"), &v) == 0) {
		buf_add_i64(&a->base.out, v);
		return;
	}
	json_pick(j, config, config_counts, 3, c);
	for (i = 0; i < 3; i++) {
		if (json_i64(j, c[i], &v) == 0) {
			buf_add_i64(&a->base.out, v);
			return;
		}
	}
	PUT(a, "null");
}

/* The sum of a non-empty object's values, every one a JSON integer and
 * the sum in int64 range: 0, else -1. */
static int
param_sum(const struct json *j, int obj, int64_t *out)
{
	int k, left;
	int64_t v, sum = 0;

	if (json_type(j, obj) != JSON_OBJECT || json_size(j, obj) == 0)
		return -1;
	left = json_size(j, obj);
	for (k = obj + 1; left-- > 0; k = json_skip(j, k)) {
		if (json_i64(j, k + 1, &v) == -1)
			return -1;
		if ((v > 0 && sum > INT64_MAX - v) ||
		    (v < 0 && sum < INT64_MIN - v))
			return -1;
		sum += v;
	}
	*out = sum;
	return 0;
}

static void
arch_free(void *arg)
{
	struct arch_run *a = arg;

	buf_free(&a->decoded);
}

const struct stage arch_stage = {
	.usage = "usage: hf-arch [--line-buffered] [--quiet] [--label text] "
	    "[file ...]\n",
	.size = sizeof(struct arch_run),
	.line = arch_line,
	.free = arch_free,
};

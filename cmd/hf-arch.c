/* hf-arch: turn raw Hub model items into model records (SPEC 2.2).
 *
 * Every line is validated in full (RFC 8259, UTF-8, no lone surrogate);
 * the record is then built from a fixed set of paths only, so a key of the
 * same name nested elsewhere (an "architectures" inside tokenizer_config,
 * a "total" inside safetensors.parameters) is never read. */
#include <err.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "util.h"

enum {
	OPT_LINE_BUFFERED = 256,
};

static const struct option longopts[] = {
	{ "help",		no_argument,	NULL, 'h' },
	{ "line-buffered",	no_argument,	NULL, OPT_LINE_BUFFERED },
	{ "version",		no_argument,	NULL, 'V' },
	{ NULL,			0,		NULL, 0 },
};

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

struct arch {
	struct json	 j;
	struct buf	 rec;	/* the record being built */
	struct buf	 tmp;	/* decoded strings */
};

/* A string literal appended without strlen. */
#define PUT(a, lit)	buf_add(&(a)->rec, (lit), sizeof(lit) - 1)

static void	usage(FILE *, int) __attribute__((noreturn));
static int	arch_line(struct nd_line *, void *);
static void	put_str(struct arch *, int);
static void	put_text(struct arch *, const char *, size_t);
static void	put_author(struct arch *, int, int);
static void	put_architecture(struct arch *, int);
static void	put_i64(struct arch *, int64_t);
static void	put_count(struct arch *, int);
static void	put_tags(struct arch *, int);
static void	put_gated(struct arch *, int);
static void	put_parameter_count(struct arch *, int, int);
static int	param_sum(const struct json *, int, int64_t *);

static void
usage(FILE *fp, int status)
{
	fputs("usage: hf-arch [--line-buffered] [file ...]\n", fp);
	exit(status == 0 ? hf_finish(0) : status);
}

int
main(int argc, char *argv[])
{
	static char ibuf[1 << 16], obuf[1 << 16];
	struct arch a = { 0 };
	int ch, line_buffered = 0, rv;

	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_LINE_BUFFERED:
			line_buffered = 1;
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

	if (line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	setvbuf(stdin, ibuf, _IOFBF, sizeof(ibuf));
	rv = nd_each(argc, argv, arch_line, &a);
	rv = hf_finish(rv);
	json_free(&a.j);
	buf_free(&a.rec);
	buf_free(&a.tmp);
	return rv;
}

/* One raw item in, one record out; a malformed line is reported and
 * skipped. */
static int
arch_line(struct nd_line *l, void *arg)
{
	struct arch *a = arg;
	const struct json *j = &a->j;
	const char *why;
	int f[F_NFIELDS];

	if (json_parse(&a->j, l->data, l->len, JSON_UTF8, &why) == -1)
		return nd_skip(l, why);
	if (json_type(j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	json_pick(j, 0, fields, F_NFIELDS, f);
	if (f[F_ID] == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, f[F_ID]) != JSON_STRING)
		return nd_skip(l, "id: not a string");

	buf_reset(&a->rec);
	PUT(a, "{\"id\":");
	put_str(a, f[F_ID]);
	PUT(a, ",\"author\":");
	put_author(a, f[F_AUTHOR], f[F_ID]);
	PUT(a, ",\"architecture\":");
	put_architecture(a, f[F_CONFIG]);
	PUT(a, ",\"downloads\":");
	put_count(a, f[F_DOWNLOADS]);
	PUT(a, ",\"likes\":");
	put_count(a, f[F_LIKES]);
	PUT(a, ",\"last_modified\":");
	put_str(a, f[F_LAST_MODIFIED]);
	PUT(a, ",\"tags\":");
	put_tags(a, f[F_TAGS]);
	PUT(a, ",\"pipeline_tag\":");
	put_str(a, f[F_PIPELINE_TAG]);
	PUT(a, ",\"gated\":");
	put_gated(a, f[F_GATED]);
	PUT(a, ",\"parameter_count\":");
	put_parameter_count(a, f[F_SAFETENSORS], f[F_CONFIG]);
	PUT(a, "}");
	buf_addc(&a->rec, '\n');
	if (fwrite(a->rec.data, 1, a->rec.len, stdout) != a->rec.len) {
		warn("stdout");
		return HF_EXIT_FATAL;
	}
	return HF_EXIT_OK;
}

/* A string token decoded and re-escaped minimally; null if not a string.
 * A body without a backslash is already minimal: validated JSON has no
 * raw '"' or control byte in it. */
static void
put_str(struct arch *a, int i)
{
	const struct json *j = &a->j;
	size_t s, e;

	if (json_type(j, i) != JSON_STRING) {
		PUT(a, "null");
		return;
	}
	s = json_start(j, i);
	e = json_end(j, i);
	if (memchr(j->s + s + 1, '\\', e - s - 2) == NULL) {
		buf_add(&a->rec, j->s + s, e - s);
		return;
	}
	buf_reset(&a->tmp);
	json_str(j, i, &a->tmp, NULL);	/* cannot fail: JSON_UTF8 */
	put_text(a, buf_cstr(&a->tmp), a->tmp.len);
}

/* s[0..n) as a JSON string, escaped minimally. */
static void
put_text(struct arch *a, const char *s, size_t n)
{
	buf_addc(&a->rec, '"');
	jw_escape(&a->rec, s, n, 0);
	buf_addc(&a->rec, '"');
}

/* author, else the id's part before the first '/' (or the whole id). */
static void
put_author(struct arch *a, int author, int id)
{
	const char *slash;

	if (json_type(&a->j, author) == JSON_STRING) {
		put_str(a, author);
		return;
	}
	buf_reset(&a->tmp);
	json_str(&a->j, id, &a->tmp, NULL);
	buf_cstr(&a->tmp);
	slash = memchr(a->tmp.data, '/', a->tmp.len);
	put_text(a, a->tmp.data,
	    slash ? (size_t)(slash - a->tmp.data) : a->tmp.len);
}

/* config.architectures[0] when it is a string. */
static void
put_architecture(struct arch *a, int config)
{
	int archs = json_get(&a->j, config, "architectures");

	put_str(a, json_first(&a->j, archs));
}

/* v in decimal, without printf (jw_i64 formats through vsnprintf twice). */
static void
put_i64(struct arch *a, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	buf_add(&a->rec, p, (size_t)(d + sizeof(d) - p));
}

/* A JSON integer in int64 range, else null. */
static void
put_count(struct arch *a, int i)
{
	int64_t v;

	if (json_i64(&a->j, i, &v) == 0)
		put_i64(a, v);
	else
		PUT(a, "null");
}

/* The string elements of tags, in order; other elements are left out,
 * and anything but an array is []. */
static void
put_tags(struct arch *a, int tags)
{
	const struct json *j = &a->j;
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
put_gated(struct arch *a, int i)
{
	switch (json_type(&a->j, i)) {
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
put_parameter_count(struct arch *a, int st, int config)
{
	const struct json *j = &a->j;
	int c[3], i;
	int64_t v;

	if (json_i64(j, json_get(j, st, "total"), &v) == 0 ||
	    param_sum(j, json_get(j, st, "parameters"), &v) == 0) {
		put_i64(a, v);
		return;
	}
	json_pick(j, config, config_counts, 3, c);
	for (i = 0; i < 3; i++) {
		if (json_i64(j, c[i], &v) == 0) {
			put_i64(a, v);
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

/* hf-filter-quant: drop quantized checkpoints from a model record stream
 * (SPEC 2.3), deciding from the model id alone. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "stage.h"
#include "util.h"
#include "quant.h"

/*
 * The reference's three lists, verbatim and in order
 * (transformer_lens/tools/model_registry/registry_io.py, which hf_scraper
 * imports): substrings of the id, matched case-sensitively.
 */
static const char *const incompatible[] = {	/* _INCOMPATIBLE_QUANT_PATTERNS */
	"-gguf", "_gguf", "-GGUF", "_GGUF",
	"mlx-community/", "-mlx", "-MLX", "_mlx", "_MLX", ".mlx", ".MLX",
	"-fp8", "_fp8", "-FP8", "_FP8",
	"-nvfp4", "_nvfp4", "-NVFP4", "_NVFP4",
	"-mxfp4", "_mxfp4", "-MXFP4", "_MXFP4",
	NULL
};
static const char *const loadable[] = {	/* _HF_LOADABLE_QUANT_PATTERNS */
	"-awq", "_awq", "-AWQ", "_AWQ",
	"-gptq", "_gptq", "-GPTQ", "_GPTQ", "GPTQ",
	"-bnb-", "_bnb_", "bnb-4bit", "bnb-8bit",
	"-4bit", "_4bit", "-8bit", "_8bit",
	"-int4", "_int4", "-int8", "_int8",
	"-w4a16", "-w8a8", "-W4A16", "-W8A8", ".w4a16", ".W4A16",
	"-hqq", "_hqq", "-HQQ", "_HQQ",
	"-3bit", "_3bit", "-2bit", "_2bit", "-5bit", "-6bit",
	"-oQ", "_oQ",
	"-quantized.", "_Quantized", "-Quantized",
	NULL
};
static const struct library {		/* _QUANT_LIBRARY_BY_PATTERN */
	const char	*const pat[9];
	const char	*name;
} libraries[] = {
	{ { "-hqq", "_hqq", "-HQQ", "_HQQ", NULL }, "hqq" },
	{ { "-gptq", "_gptq", "-GPTQ", "_GPTQ", "GPTQ", NULL }, "auto_gptq" },
	{ { "-awq", "_awq", "-AWQ", "_AWQ", NULL }, "awq" },
	{ { "-w4a16", "-w8a8", "-W4A16", "-W8A8", ".w4a16", ".W4A16", NULL },
	    "auto_gptq" },
	{ { "-bnb-", "_bnb_", "bnb-4bit", "bnb-8bit", NULL }, "bitsandbytes" },
	{ { "-4bit", "_4bit", "-8bit", "_8bit", "-int4", "_int4", "-int8",
	    "_int8", NULL }, "bitsandbytes" },
};

enum quant { Q_NONE, Q_LOADABLE, Q_INCOMPATIBLE };

static const char *const record_keys[] = { "id" };

struct filter {
	struct stage_base base;	/* the record; a record with quant_library */
	struct buf	 id;	/* the decoded id */
	int		 invert;
	int		 keep_loadable;
	int64_t		 records;
	int64_t		 left_out;
};

static const struct stage_option options[] = {
	STAGE_FLAG_OPT("invert", struct filter, invert),
	STAGE_FLAG_OPT("keep-loadable", struct filter, keep_loadable),
	{ 0 },
};

static int	filter_line(struct nd_line *, void *);
static enum quant classify_id(const char *, size_t);
static const char *library_of(const char *, size_t);
static int	starts(const char *, size_t, const char *);
static int	pair_starts(unsigned char, unsigned char);
static void	pair_mark(uint64_t *, const char *);
static int	any_in(const char *const *, const char *, size_t);
static int	emit(struct filter *, const struct nd_line *, enum quant);
static int	filter_end(void *, int);
static void	filter_free(void *);

/* Whether pattern p (NUL-terminated) starts at s[0..n). */
static int
starts(const char *s, size_t n, const char *p)
{
	size_t k;

	for (k = 0; p[k] != '\0'; k++)
		if (k == n || s[k] != p[k])
			return 0;
	return 1;
}

/* Whether some pattern of the three lists starts with bytes a, b (every
 * pattern has at least two): a table of the pairs, made once. */
static int
pair_starts(unsigned char a, unsigned char b)
{
	static uint64_t pair[256 * 256 / 64];
	static int ready;
	const char *const *p;
	unsigned k;
	size_t i;

	if (!ready) {
		ready = 1;
		for (p = incompatible; *p != NULL; p++)
			pair_mark(pair, *p);
		for (p = loadable; *p != NULL; p++)
			pair_mark(pair, *p);
		for (i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++)
			for (p = libraries[i].pat; *p != NULL; p++)
				pair_mark(pair, *p);
	}
	k = (unsigned)a << 8 | b;
	return (int)(pair[k / 64] >> (k % 64) & 1);
}

static void
pair_mark(uint64_t *pair, const char *pat)
{
	unsigned k = (unsigned)(unsigned char)pat[0] << 8 |
	    (unsigned char)pat[1];

	pair[k / 64] |= (uint64_t)1 << (k % 64);
}

/* Whether one of the NULL-terminated patterns is a substring of s: only
 * where two bytes of s begin some pattern (ids have few) are the
 * patterns compared there. */
static int
any_in(const char *const *pat, const char *s, size_t n)
{
	const char *const *p;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (!pair_starts((unsigned char)s[i], (unsigned char)s[i + 1]))
			continue;
		for (p = pat; *p != NULL; p++)
			if (**p == s[i] && starts(s + i, n - i, *p))
				return 1;
	}
	return 0;
}

/* An incompatible pattern wins over a loadable one. */
static enum quant
classify_id(const char *id, size_t n)
{
	if (any_in(incompatible, id, n))
		return Q_INCOMPATIBLE;
	if (any_in(loadable, id, n))
		return Q_LOADABLE;
	return Q_NONE;
}

/* The library of the first row of the third list that matches, or NULL. */
static const char *
library_of(const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++)
		if (any_in(libraries[i].pat, id, n))
			return libraries[i].name;
	return NULL;
}

static int
filter_line(struct nd_line *l, void *arg)
{
	struct filter *f = arg;
	enum quant q;
	int id, keep, rv;

	if ((rv = stage_record(&f->base.j, l, record_keys, 1, &id)) != HF_EXIT_OK)
		return rv;
	buf_reset(&f->id);
	json_str(&f->base.j, id, &f->id, NULL);	/* a valid string: checked */
	f->records++;
	q = classify_id(f->id.data ? f->id.data : "", f->id.len);
	keep = q == Q_NONE || (q == Q_LOADABLE && f->keep_loadable);
	if (keep == f->invert) {
		f->left_out++;
		return HF_EXIT_OK;
	}
	/* a record that would read as a state mark is skipped: no record */
	if ((rv = emit(f, l, f->invert ? Q_NONE : q)) == HF_EXIT_SKIPPED)
		f->records--;
	return rv;
}

/* The line as it came; a loadable record kept by --keep-loadable gets
 * "quant_library" (an earlier one is replaced, never duplicated). */
static int
emit(struct filter *f, const struct nd_line *l, enum quant q)
{
	static const char *const drop[] = { "quant_library" };
	const char *lib;

	if (q != Q_LOADABLE)
		return stage_write_line(l->data, l->len);
	buf_reset(&f->base.out);
	if (json_copy_open(&f->base.out, &f->base.j, 0, drop, 1) > 0)
		buf_addc(&f->base.out, ',');
	lib = library_of(f->id.data, f->id.len);
	buf_addf(&f->base.out, "\"quant_library\":%s%s%s}\n",
	    lib ? "\"" : "", lib ? lib : "null", lib ? "\"" : "");
	return stage_write_record(l, f->base.out.data, f->base.out.len);
}

/* The one line for the records left out by design. */
static int
filter_end(void *arg, int status)
{
	const struct filter *f = arg;

	stage_left_out(f->left_out, f->records, f->invert ?
	    "kept by the policy: --invert" : f->keep_loadable ?
	    "quantized, not loadable by transformers" : "quantized");
	return status;
}

static void
filter_free(void *arg)
{
	struct filter *f = arg;

	buf_free(&f->id);
}

const struct stage filter_quant_stage = {
	.usage = "usage: hf-filter-quant [--invert] [--keep-loadable] "
	    "[--line-buffered] [--quiet]\n"
	    "                       [--label text] [file ...]\n",
	.help =
	    "  --invert               print the records the policy leaves "
	    "out, and only them\n"
	    "  --keep-loadable        keep the quantized checkpoints "
	    "transformers loads\n"
	    "                         (AWQ, GPTQ, bitsandbytes, HQQ), with "
	    "quant_library\n",
	.options = options,
	.size = sizeof(struct filter),
	.line = filter_line,
	.end = filter_end,
	.free = filter_free,
};

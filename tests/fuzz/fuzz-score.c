/* fuzz-score.c: hf-score's stage, run whole through stage_run
 * (fuzz_stage), on arbitrary bytes as its input (records and gap
 * entries mixed), without and with a registry (--registry). Oracles: one
 * valid JSON gap a line for each architecture left: every architecture
 * the input names (a gap entry's architecture_id, the architecture of a
 * record not marked supported; SPEC 2.5) once, less those the registry
 * supports; scores in [0, 100] in non-increasing order. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "registry.h"
#include "fuzz.h"

#include "../../cmd/hf-score/score.h"

struct names {
	struct buf	*v;
	size_t		 n, cap;
};

static void
check_gaps(const char *out, size_t len)
{
	struct json j = { 0 };
	const char *p, *nl;
	double f, last = 100;

	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		json_parse(&j, p, (size_t)(nl - p), 0, NULL);
		if (json_f64(&j, json_get(&j, 0, "relevancy_score"), &f) == -1 ||
		    !(f >= 0 && f <= last))
			fuzz_fail("relevancy_score: not in [0, 100] or not "
			    "in order");
		last = f;
	}
	json_free(&j);
}

/* Add string token i of j, decoded, if it is a valid string. */
static void
add_name(struct names *nm, const struct json *j, int i)
{
	struct buf b = { 0 };

	if (json_str(j, i, &b, NULL) == -1) {
		buf_free(&b);
		return;
	}
	buf_cstr(&b);
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 16;
		if ((nm->v = realloc(nm->v, nm->cap * sizeof(*nm->v))) == NULL)
			fuzz_fail("realloc");
	}
	nm->v[nm->n++] = b;
}

static int
by_bytes(const void *x, const void *y)
{
	const struct buf *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n > 0 ? memcmp(a->data, b->data, n) : 0;

	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

static void
names_free(struct names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		buf_free(&nm->v[i]);
	free(nm->v);
}

/* The architectures the lines of data name, each once, sorted. */
static void
named(const uint8_t *data, size_t size, struct names *nm)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct json j = { 0 };
	size_t i, k;
	int id, name;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		/* a state mark is no record: hf-score ignores it */
		if ((size_t)(nl - p) >= sizeof(STAGE_MARK) - 1 &&
		    memcmp(p, STAGE_MARK, sizeof(STAGE_MARK) - 1) == 0)
			continue;
		if (json_parse(&j, p, (size_t)(nl - p), JSON_UTF8,
		    NULL) == -1 || json_type(&j, 0) != JSON_OBJECT)
			continue;
		if ((name = json_get(&j, 0, "architecture_id")) != -1) {
			add_name(nm, &j, name);
			continue;
		}
		id = json_get(&j, 0, "id");
		if (json_type(&j, id) != JSON_STRING || json_type(&j,
		    json_get(&j, 0, "supported")) == JSON_TRUE)
			continue;
		add_name(nm, &j, json_get(&j, 0, "architecture"));
	}
	json_free(&j);
	if (nm->n > 1)
		qsort(nm->v, nm->n, sizeof(*nm->v), by_bytes);
	for (i = k = 0; i < nm->n; i++) {
		if (k > 0 && by_bytes(&nm->v[k - 1], &nm->v[i]) == 0)
			buf_free(&nm->v[i]);
		else
			nm->v[k++] = nm->v[i];
	}
	nm->n = k;
}

/* The architecture_id of every gap printed, sorted. */
static void
printed(const char *out, size_t len, struct names *nm)
{
	struct json j = { 0 };
	const char *p, *nl;

	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		json_parse(&j, p, (size_t)(nl - p), 0, NULL);
		add_name(nm, &j, json_get(&j, 0, "architecture_id"));
	}
	json_free(&j);
	if (nm->n > 1)
		qsort(nm->v, nm->n, sizeof(*nm->v), by_bytes);
}

/* The gaps printed for data are one for each architecture of all (those
 * data names), less those the registry supports when use_reg. */
static void
run(const uint8_t *data, size_t size, const struct names *all, int use_reg)
{
	const char *opts[3] = { NULL };
	struct names got = { 0 };
	struct fuzz_run r;
	size_t i, k, left = 0;

	if (use_reg) {
		opts[0] = "--registry";
		opts[1] = fuzz_registry_path();
	}
	fuzz_stage(&score_stage, opts, data, size, &r);
	for (i = 0; i < all->n; i++)
		left += !use_reg || !registry_supported(fuzz_registry(),
		    all->v[i].data, all->v[i].len);
	fuzz_check_ndjson(r.out, r.len, left, "architecture_id");
	check_gaps(r.out, r.len);
	printed(r.out, r.len, &got);
	for (i = k = 0; i < all->n; i++) {
		if (use_reg && registry_supported(fuzz_registry(),
		    all->v[i].data, all->v[i].len))
			continue;
		if (by_bytes(&all->v[i], &got.v[k++]) != 0)
			fuzz_fail("the gaps are not one for each architecture "
			    "left");
	}
	names_free(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct names all = { 0 };

	named(data, size, &all);
	run(data, size, &all, 0);
	run(data, size, &all, 1);
	names_free(&all);
	return 0;
}

/* fuzz-classify.c: hf-classify's per-line code (nd_each calling
 * classify_line) on arbitrary bytes, with a small registry, without
 * options and with each of its filters. Oracles: every line is printed,
 * left out (and counted) or skipped; what is printed is valid JSON with
 * a string id and boolean supported and canonical. */
#include "fuzz.h"

#define main	hf_classify_main
int	hf_classify_main(int, char *[]);
#include "../../cmd/hf-classify.c"
#undef main

static size_t	skipped;

static int
count_line(struct nd_line *l, void *arg)
{
	int rv = classify_line(l, arg);

	skipped += rv == HF_EXIT_SKIPPED;
	return rv;
}

static int
boolean(const struct json *j, const char *key)
{
	enum json_type t = json_type(j, json_get(j, 0, key));

	return t == JSON_TRUE || t == JSON_FALSE;
}

static void
check_flags(const char *out, size_t len)
{
	struct json j = { 0 };
	const char *p, *nl;

	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		json_parse(&j, p, (size_t)(nl - p), 0, NULL);
		if (!boolean(&j, "supported") || !boolean(&j, "canonical"))
			fuzz_fail("supported or canonical: not a boolean");
	}
	json_free(&j);
}

/* What is printed for data[0..size) under filter (0: no option). */
static char *
run(const uint8_t *data, size_t size, int filter, size_t *len)
{
	struct classify c = { 0 };
	size_t lines = fuzz_count_lines((const char *)data, size);
	char *out;

	c.reg = *fuzz_registry();
	c.min_downloads = filter == 3 ? 500 : -1;
	c.only_arch = filter == 1 ? "LlamaForCausalLM" : NULL;
	c.canonical_only = filter == 2;
	skipped = 0;
	fuzz_begin(data, size);
	nd_each(0, NULL, count_line, &c);
	out = fuzz_end(len);
	if ((size_t)c.records != lines - skipped)
		fuzz_fail("a line was neither a record nor skipped");
	fuzz_check_ndjson(out, *len, (size_t)(c.records - c.out_arch -
	    c.out_canonical - c.out_downloads), "id");
	check_flags(out, *len);
	json_free(&c.j);
	buf_free(&c.arch);
	buf_free(&c.author);
	buf_free(&c.out);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf once = { 0 };
	size_t len;
	char *out;
	int filter;

	for (filter = 1; filter < 4; filter++)
		run(data, size, filter, &len);
	/* classifying again changes nothing: the two keys are replaced */
	out = run(data, size, 0, &len);
	buf_add(&once, out, len);
	out = run((const uint8_t *)once.data, once.len, 0, &len);
	if (len != once.len || (len > 0 && memcmp(out, once.data, len) != 0))
		fuzz_fail("classifying a second time changes the records");
	buf_free(&once);
	return 0;
}

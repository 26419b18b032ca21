/* fuzz-classify.c: hf-classify's stage, run whole through stage_run
 * (fuzz_stage), on arbitrary bytes, with a small registry (--registry),
 * without options and with each of its filters. Oracles: every line is
 * printed, left out (and counted in the stage's "left out" line) or
 * skipped; what is printed is valid JSON with a string id and boolean
 * supported and canonical; classifying the output again gives the same
 * bytes. */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "fuzz.h"

#include "../../cmd/hf-classify/classify.h"

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
	const char *opts[5] = { "--registry", fuzz_registry_path() };
	struct fuzz_run r;
	int64_t records;

	switch (filter) {
	case 1:
		opts[2] = "--architecture";
		opts[3] = "LlamaForCausalLM";
		break;
	case 2:
		opts[2] = "--canonical-only";
		break;
	case 3:
		opts[2] = "--min-downloads";
		opts[3] = "500";
		break;
	}
	fuzz_stage(&classify_stage, opts, data, size, &r);
	records = (int64_t)(r.lines - r.skipped);
	if (r.records != (r.left_out > 0 ? records : 0) ||
	    r.left_out != records - (int64_t)r.printed)
		fuzz_fail("a record was neither printed nor counted left out");
	fuzz_check_ndjson(r.out, r.len, r.printed, "id");
	check_flags(r.out, r.len);
	*len = r.len;
	return r.out;
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
	if (!fuzz_same(out, len, once.data, once.len))
		fuzz_fail("classifying a second time changes the records");
	buf_free(&once);
	return 0;
}

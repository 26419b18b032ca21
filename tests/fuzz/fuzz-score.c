/* fuzz-score.c: hf-score's code (nd_each calling score_line, then
 * print_gaps and summary, as its main does) on arbitrary bytes as its
 * input (records and gap entries mixed), without and with a registry.
 * Oracles: one valid JSON gap a line per architecture left, scores in
 * [0, 100] in non-increasing order. */
#include "fuzz.h"

#define main	hf_score_main
int	hf_score_main(int, char *[]);
#include "../../cmd/hf-score.c"
#undef main

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

static void
run(const uint8_t *data, size_t size, int use_reg)
{
	struct score sc = { 0 };
	size_t len, i, left = 0;
	char *out;

	if ((sc.use_reg = use_reg))
		sc.reg = *fuzz_registry();
	fuzz_begin(data, size);
	if (nd_each(0, NULL, score_line, &sc) != HF_EXIT_FATAL)
		print_gaps(&sc);
	summary(&sc);
	out = fuzz_end(&len);
	for (i = 0; i < sc.n; i++)
		left += !sc.a[i].adapted;
	fuzz_check_ndjson(out, len, left, "architecture_id");
	check_gaps(out, len);
	sc.use_reg = 0;		/* the registry is shared */
	score_free(&sc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, 1);
	return 0;
}

/* fuzz-filter-quant.c: hf-filter-quant's per-line code (nd_each calling
 * filter_line) on arbitrary bytes, under each of its four option sets.
 * Oracles: every line is printed, left out (and counted) or skipped;
 * what is printed is valid JSON with a string id; --invert prints
 * exactly the records the same options without it leave out; filtering
 * what --keep-loadable printed again gives the same bytes. */
#include "fuzz.h"

#define main	hf_filter_quant_main
int	hf_filter_quant_main(int, char *[]);
#include "../../cmd/hf-filter-quant.c"
#undef main

static size_t	skipped;

static int
count_line(struct nd_line *l, void *arg)
{
	int rv = filter_line(l, arg);

	skipped += rv == HF_EXIT_SKIPPED;
	return rv;
}

static struct buf	printed;	/* the output of the last run */

/* The records printed under these options; *records, how many records
 * (lines not skipped) there were. */
static int64_t
run(const uint8_t *data, size_t size, int invert, int keep_loadable,
    int64_t *records)
{
	struct filter f = { 0 };
	size_t len, lines = fuzz_count_lines((const char *)data, size);
	char *out;

	f.invert = invert;
	f.keep_loadable = keep_loadable;
	skipped = 0;
	fuzz_begin(data, size);
	nd_each(0, NULL, count_line, &f);
	out = fuzz_end(&len);
	if ((size_t)f.records != lines - skipped)
		fuzz_fail("a line was neither a record nor skipped");
	fuzz_check_ndjson(out, len, (size_t)(f.records - f.left_out), "id");
	buf_reset(&printed);
	buf_add(&printed, out, len);
	json_free(&f.j);
	buf_free(&f.id);
	buf_free(&f.out);
	*records = f.records;
	return f.records - f.left_out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf once = { 0 };
	int64_t kept, dropped, records;
	int k;

	for (k = 0; k < 2; k++) {
		dropped = run(data, size, 1, k, &records);
		kept = run(data, size, 0, k, &records);
		if (kept + dropped != records)
			fuzz_fail("--invert is not the complement");
	}
	/* filtering again changes nothing: quant_library is replaced */
	buf_add(&once, printed.data, printed.len);
	if (run((const uint8_t *)once.data, once.len, 0, 1, &records) !=
	    records || printed.len != once.len || (once.len > 0 &&
	    memcmp(printed.data, once.data, once.len) != 0))
		fuzz_fail("filtering a second time changes the records");
	buf_free(&once);
	return 0;
}

/* fuzz-filter-quant.c: hf-filter-quant's stage, run whole through
 * stage_run (fuzz_stage), on arbitrary bytes, under each of its four
 * option sets. Oracles: every line is printed, left out (and counted in
 * the stage's "left out" line) or skipped; what is printed is valid JSON
 * with a string id; --invert prints exactly as many records as the same
 * options without it leave out; filtering what --keep-loadable printed
 * again gives the same bytes. */
#include <string.h>

#include "buf.h"
#include "fuzz.h"

#include "../../cmd/hf-filter-quant/quant.h"

static struct buf	printed;	/* the output of the last run */

/* The records printed with these options; *records, how many records
 * (lines not skipped) there were. */
static int64_t
run(const uint8_t *data, size_t size, int invert, int keep_loadable,
    int64_t *records)
{
	const char *opts[3] = { NULL };
	struct fuzz_run r;
	int n = 0;

	if (invert)
		opts[n++] = "--invert";
	if (keep_loadable)
		opts[n++] = "--keep-loadable";
	fuzz_stage(&filter_quant_stage, opts, data, size, &r);
	*records = (int64_t)(r.lines - r.skipped);
	if (r.records != (r.left_out > 0 ? *records : 0) ||
	    r.left_out != *records - (int64_t)r.printed)
		fuzz_fail("a record was neither printed nor counted left out");
	fuzz_check_ndjson(r.out, r.len, r.printed, "id");
	buf_reset(&printed);
	buf_add(&printed, r.out, r.len);
	return (int64_t)r.printed;
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
	    records || !fuzz_same(printed.data, printed.len, once.data,
	    once.len))
		fuzz_fail("filtering a second time changes the records");
	buf_free(&once);
	return 0;
}

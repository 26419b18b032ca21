/* fuzz-arch.c: hf-arch's stage, run whole through stage_run (fuzz_stage),
 * on arbitrary bytes as its input. Oracle: every line gives one record
 * or a skip; each record is one valid JSON object with a string id. */
#include "fuzz.h"

#include "../../cmd/hf-arch/arch.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_run r;

	fuzz_stage(&arch_stage, NULL, data, size, &r);
	if (r.printed != r.lines - r.skipped)
		fuzz_fail("a line gave neither a record nor a skip");
	fuzz_check_ndjson(r.out, r.len, r.printed, "id");
	return 0;
}

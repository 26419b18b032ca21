/* fuzz-arch.c: hf-arch's per-line code (nd_each calling arch_line, as its
 * main does) on arbitrary bytes as its input. Oracle: one record a line
 * in, one valid JSON object with a string id out, or a skip. */
#include "fuzz.h"

#define main	hf_arch_main
int	hf_arch_main(int, char *[]);
#include "../../cmd/hf-arch.c"
#undef main

static size_t	skipped;

static int
count_line(struct nd_line *l, void *arg)
{
	int rv = arch_line(l, arg);

	skipped += rv == HF_EXIT_SKIPPED;
	return rv;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arch a = { 0 };
	size_t len;
	char *out;

	skipped = 0;
	fuzz_begin(data, size);
	nd_each(0, NULL, count_line, &a);
	out = fuzz_end(&len);
	fuzz_check_ndjson(out, len,
	    fuzz_count_lines((const char *)data, size) - skipped, "id");
	json_free(&a.j);
	buf_free(&a.rec);
	buf_free(&a.tmp);
	return 0;
}

/* fuzz.h: what the harnesses share. A harness includes its program's
 * source with main renamed, so it calls the program's own static
 * per-line functions, and defines LLVMFuzzerTestOneInput; it is linked
 * with libFuzzer (make fuzz) or with driver.c (the regression cases). */
#ifndef HF_FUZZ_H
#define HF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Make stdin read data[0..size) and capture what is written to stdout
 * until fuzz_end, which restores both and returns the output (valid
 * until the next fuzz_begin) and its length. */
void	fuzz_begin(const uint8_t *data, size_t size);
char	*fuzz_end(size_t *len);

/* The lines of data[0..size) as getline(3) sees them. */
size_t	fuzz_count_lines(const char *data, size_t size);

/* Check that out[0..len) is NDJSON: n lines, each a JSON object (valid
 * UTF-8) whose member key is a string; with a NULL key, each any JSON
 * text, UTF-8 not checked. Aborts with a message if not. */
void	fuzz_check_ndjson(const char *out, size_t len, size_t n,
	    const char *key);

/* Abort with "fuzz: what" (a harness's own oracle failed). */
void	fuzz_fail(const char *what) __attribute__((noreturn));



struct registry;
/* A small registry (a few supported architectures with canonical orgs, an
 * unsupported one with orgs, a non-ASCII name), loaded once through
 * registry_load from a temporary file. */
const struct registry *fuzz_registry(void);

#endif

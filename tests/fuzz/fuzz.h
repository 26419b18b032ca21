/* fuzz.h: what the harnesses share. A harness defines
 * LLVMFuzzerTestOneInput and is linked with its program's units (not
 * main.c), reached through their headers, and with libFuzzer (make fuzz)
 * or driver.c (the regression cases). A record stage is run whole,
 * through stage_run, by fuzz_stage. */
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

/* Whether a[0..alen) and b[0..blen) are the same bytes (either may be
 * NULL when empty). */
int	fuzz_same(const char *a, size_t alen, const char *b, size_t blen);

/* Abort with "fuzz: what" (a harness's own oracle failed). */
void	fuzz_fail(const char *what) __attribute__((noreturn));

struct stage;

/* What fuzz_stage saw of one run. */
struct fuzz_run {
	char	*out;		/* stdout: valid until the next fuzz_begin */
	size_t	 len;
	int	 status;	/* what stage_run returned */
	size_t	 lines;		/* input lines given to the stage's line */
	size_t	 marks;		/* ... not given: state marks (STAGE_MARK) */
	size_t	 skipped;	/* ... of which it skipped (HF_EXIT_SKIPPED) */
	size_t	 printed;	/* ... for which it printed one line */
	/* The stage's "N of M records left out" line, if it printed one
	 * last on stderr (stage_left_out): N and M; else both 0. */
	int64_t	 left_out;
	int64_t	 records;
};

/* Run stage s through stage_run on data[0..size) as its stdin, with the
 * options opts (NULL-terminated, NULL for none) and no operand, stdout
 * and stderr captured (stderr then passed on). The stage's line callback
 * is wrapped to count the lines, the skipped ones and the printed ones.
 * Aborts, as the harnesses' shared oracles, unless every line but the
 * state marks is given to the stage (lineno 1, 2, ...: as many as
 * fuzz_count_lines, less the marks), each mark is in the output
 * unchanged, with a newline, in its place among the records (nothing, if
 * s drops the marks), no record printed looks like a mark, a skipped line
 * prints nothing, any other prints nothing or one line ending in a
 * newline, and the exit status is HF_EXIT_SKIPPED if a line was skipped,
 * else HF_EXIT_OK. The marks are then taken out of r->out, so that it
 * holds the stage's records alone. */
void	fuzz_stage(const struct stage *s, const char *const opts[],
	    const uint8_t *data, size_t size, struct fuzz_run *r);

struct registry;
/* A small registry (a few supported architectures with canonical orgs, an
 * unsupported one with orgs, a non-ASCII name), written once to a
 * temporary file (removed at once and read through /proc/self/fd, else at
 * exit): fuzz_registry_path is its path, for a stage's --registry;
 * fuzz_registry, the same loaded through registry_load, once. */
const char	*fuzz_registry_path(void);
const struct registry *fuzz_registry(void);

#endif

/* stage.h: the driver every program shares. A record stage (hf-arch,
 * hf-filter-quant, hf-classify, hf-score) declares its options, its state
 * and its per-line function in a struct stage; stage_main does the rest:
 * --help, --version, --line-buffered, --label, --quiet, unknown options,
 * stdout buffering, the operands with "-", hf-list's state marks, the exit
 * status. hf-list and hf-merge, which are not line filters, use
 * stage_options alone. */
#ifndef HF_STAGE_H
#define HF_STAGE_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "ndjson.h"

#define STAGE_MAX_OPTIONS	32	/* a stage's own, the shared ones too */

/* How a state mark of hf-list --state-marks begins: a line that begins
 * with exactly these bytes is no record. A record stage copies it to its
 * output unchanged, in its place among the records, so that the last
 * program of a pipeline knows which records came before it. */
#define STAGE_MARK	"{\"hf_list_state\":"

/* Where an option's value goes: to the stage's option function, or
 * straight into the state at an offset. */
enum stage_store {
	STAGE_CALL = 0,	/* option(state, val, arg) */
	STAGE_FLAG,	/* an int, set to 1 */
	STAGE_STRING,	/* a const char *, set to the argument */
	STAGE_INT64,	/* an int64_t: the argument, a decimal in [min, max] */
};

/* One option of a stage's table, written with the macros below and
 * ended by { 0 }. A STAGE_CALL entry names its val (a
 * short option's letter, or a value from 256 up); the others may leave
 * val 0 unless they have a short option. */
struct stage_option {
	const char		*name;		/* without the leading -- */
	int			 has_arg;	/* no_ or required_argument */
	int			 val;
	enum stage_store	 store;
	size_t			 offset;	/* offsetof(state, member) */
	int64_t			 min, max;	/* STAGE_INT64's range */
};

#define STAGE_CALL_OPT(name, has_arg, val) \
	{ name, has_arg, val, STAGE_CALL, 0, 0, 0 }
#define STAGE_FLAG_OPT(name, type, member) \
	{ name, no_argument, 0, STAGE_FLAG, offsetof(type, member), 0, 0 }
#define STAGE_STRING_OPT(name, type, member) \
	{ name, required_argument, 0, STAGE_STRING, offsetof(type, member), \
	    0, 0 }
#define STAGE_INT64_OPT(name, type, member, min, max) \
	{ name, required_argument, 0, STAGE_INT64, offsetof(type, member), \
	    min, max }

/* What the state of a record stage (one with a line function) begins
 * with: the line as parsed and the output being built. The driver frees
 * both after the stage's own free. */
struct stage_base {
	struct json	 j;
	struct buf	 out;
};

struct stage {
	/* "usage: NAME ...", as the man page's SYNOPSIS; then --help's
	 * lines for the stage's own options, one an option (may be NULL). */
	const char		*usage;
	const char		*help;
	/* The stage's own options, {0}-terminated, or NULL; the driver
	 * adds --help, --version and, with lines, --line-buffered, --label
	 * and --quiet. */
	const struct stage_option *options;
	/* The size of the state, zeroed before use; a record stage's state
	 * begins with a struct stage_base. */
	size_t			 size;
	/* A stage that aggregates (hf-score) drops the state marks: its
	 * output comes after the whole input, so a mark would mean nothing
	 * there. The others pass them on. */
	int			 drop_marks;
	/* A program with a summary line but no line callback (hf-ledger,
	 * hf-merge): offer --quiet, which stage_summary obeys. */
	int			 quiet_option;
	/* Options stop at the first operand, which begins what follows
	 * (hf-list's "+"), rather than operands and options in any order. */
	int			 in_order;
	/* Each callback but line may be NULL. */
	void	(*init)(void *state);	/* defaults, before the options */
	/* A STAGE_CALL option and its argument (NULL if none): 0, or -1 for
	 * a usage error (the message already printed). */
	int	(*option)(void *state, int val, const char *arg);
	/* After the options, before the input: an hf_exit status; anything
	 * but HF_EXIT_OK stops the run with it. */
	int	(*start)(void *state);
	/* One input line: an hf_exit status (HF_EXIT_FATAL stops). */
	int	(*line)(struct nd_line *, void *state);
	/* After the input, with the status so far (HF_EXIT_FATAL included):
	 * print what was gathered, the summary; returns the new status. */
	int	(*end)(void *state, int status);
	void	(*free)(void *state);
};

/* The whole program: parse argv, run every operand (none: stdin) through
 * s->line (a state mark is passed on or dropped by the driver, never
 * given to s->line), flush stdout. With --label TEXT, every message of
 * the run begins "PROG: TEXT: " (err(3)'s program name is set to it).
 * Returns the exit status. */
int	stage_main(const struct stage *, int argc, char *argv[]);
/* The same without touching stdout's buffering or closing it, for a
 * harness that runs a stage many times in one process. */
int	stage_run(const struct stage *, int argc, char *argv[]);

/* Parse argv with s's options, storing each or calling s->option; --help prints
 * s->usage and exits 0, --version exits 0, an unknown option or a usage
 * error prints the usage to stderr and exits HF_EXIT_USAGE. Returns the
 * index of the first operand. *line_buffered (may be NULL when the stage
 * has no line function) is set by --line-buffered. */
int	stage_options(const struct stage *, void *state, int argc,
	    char *argv[], int *line_buffered);
/* Print s's usage to stderr and exit HF_EXIT_USAGE. */
void	stage_usage_error(const struct stage *) __attribute__((noreturn));
/* The same after "PROG: message" (a usage error no option caught). */
void	stage_usage_errorx(const struct stage *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

/* The mode a program's first operand names: its index in modes
 * (NULL-terminated, at most 8), or a usage error ("a, b or c expected",
 * "not a, b or c: word"). */
int	stage_mode(const struct stage *, const char *const modes[], int argc,
	    char *argv[]);

/* The prologue of a record line: parse l into j (strict, UTF-8), require
 * an object with a string "id", pick keys[0..n) from it into f (keys[0]
 * must be "id"). HF_EXIT_OK, or HF_EXIT_SKIPPED with the line reported. */
int	stage_record(struct json *j, const struct nd_line *l,
	    const char *const keys[], int n, int f[]);
/* Write len bytes to stdout: HF_EXIT_OK, or HF_EXIT_FATAL reported. */
int	stage_write(const char *, size_t len);
/* The same for a line without its newline, then the newline. */
int	stage_write_line(const char *, size_t len);
/* stage_write for a record the stage built from line l (with its
 * newline), unless it begins like a state mark (json_copy_open left out
 * the members before an "hf_list_state" key): then l is reported and
 * skipped (HF_EXIT_SKIPPED), so that no later stage takes it for one. */
int	stage_write_record(const struct nd_line *l, const char *, size_t len);
/* The stage's summary line on stderr, as warnx(3), unless --quiet. */
void	stage_summary(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* "N of M records left out (what)", a summary, when N is not 0. */
void	stage_left_out(int64_t n, int64_t of, const char *what);

#endif

/* util.h: exit statuses, allocation that cannot fail, bounded parsing. */
#ifndef HF_UTIL_H
#define HF_UTIL_H

#include <stddef.h>
#include <stdint.h>

enum hf_exit {
	HF_EXIT_OK	= 0,
	HF_EXIT_FATAL	= 1,	/* I/O, network, bad state file, ... */
	HF_EXIT_USAGE	= 2,
	HF_EXIT_SKIPPED	= 3,	/* finished, but some input lines were skipped */
};

/* "0.1.0-12-gabcdef0": git describe at build time (version.c). */
extern const char hf_version_string[];

void	*xmalloc(size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/* Parse a decimal integer in [min, max]; on error warn "what: reason: s" and
 * exit HF_EXIT_USAGE (for command-line arguments only). */
int64_t	 parse_i64(const char *s, int64_t min, int64_t max, const char *what);
/* The same without exiting: 0 and *out, or -1 with *why. */
int	 str_to_i64(const char *s, size_t len, int64_t *out, const char **why);

/* v in decimal at out, zero-padded to at least width digits (0: no
 * padding, at most 20), not NUL-terminated; returns its length. */
#define FMT_I64_MAX	21
size_t	 fmt_i64(char out[FMT_I64_MAX], int64_t v, int width);

/* Worst of two statuses: fatal beats skipped beats ok. */
int	 hf_worst(int a, int b);
/* Flush and close stdout; HF_EXIT_FATAL if that fails, else rv. */
int	 hf_finish(int rv);
void	 hf_version(void) __attribute__((noreturn));

/* An environment boolean: 1/ON/YES/TRUE in any case. */
int	 env_true(const char *name);

/* Sleep for a (fractional) number of seconds; restarts after signals. */
void	 sleep_seconds(double);

#endif

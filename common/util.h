/* util.h: exit statuses, allocation that cannot fail, bounded parsing.
 *
 * How common/ reports a failure. Parsers and other pure functions return
 * -1 (or NULL) and, where they take a const char **why, set *why to a
 * constant string saying why, with fail_why (why may be NULL); they never
 * print (json_parse, json_str, pyjson_parse, str_to_i64). Functions that
 * touch files return -1 with errno set (atomic_*, buf_read_file). Where the
 * reason needs words of its own, it goes into a buffer the caller owns:
 * registry_load writes "FILE: reason" into its err argument, http_* into
 * h->err. Only the edge prints: the programs, and the few helpers that
 * stand in for them, which report with warn(3) or warnx(3) and return an
 * hf_exit status (registry_open, nd_each, nd_skip, hf_finish), or exit
 * (parse_i64 on a bad argument; the x* allocators and buf_reserve when
 * memory runs out). */
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
/* The same without range or exit: 0 and *out, or -1 with *why. */
int	 str_to_i64(const char *s, size_t len, int64_t *out, const char **why);
/* -1, with *why = reason unless why is NULL: how a parser fails. */
int	 fail_why(const char **why, const char *reason);

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

/* All of p (n bytes) to descriptor fd, again after a short write or
 * EINTR: 0, or -1 with errno. */
int	 write_all(int fd, const void *p, size_t n);

#endif

/* util.c: small helpers every program uses. */
#define _GNU_SOURCE	/* program_invocation_short_name, as err(3) uses */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		err(HF_EXIT_FATAL, "malloc");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		err(HF_EXIT_FATAL, "realloc");
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		err(HF_EXIT_FATAL, "reallocarray");
	}
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
fail_why(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
str_to_i64(const char *s, size_t len, int64_t *out, const char **why)
{
	uint64_t v = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len)
		return fail_why(why, "not a number");
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return fail_why(why, "not a number");
		if (v > (lim - d) / 10)
			return fail_why(why, "out of range");
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int64_t
parse_i64(const char *s, int64_t min, int64_t max, const char *what)
{
	const char *why;
	int64_t v;

	if (str_to_i64(s, strlen(s), &v, &why) == -1) {
		warnx("%s: %s: %s", what, why, s);
		exit(HF_EXIT_USAGE);
	}
	if (v < min) {
		warnx("%s: too small (at least %" PRId64 "): %s", what, min, s);
		exit(HF_EXIT_USAGE);
	}
	if (v > max) {
		warnx("%s: too large (at most %" PRId64 "): %s", what, max, s);
		exit(HF_EXIT_USAGE);
	}
	return v;
}

size_t
fmt_i64(char out[FMT_I64_MAX], int64_t v, int width)
{
	char d[FMT_I64_MAX], *e = d + sizeof(d), *p = e;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	while (e - p < width && p > d + 1)
		*--p = '0';
	if (v < 0)
		*--p = '-';
	n = (size_t)(e - p);
	memcpy(out, p, n);
	return n;
}

int
hf_worst(int a, int b)
{
	if (a == HF_EXIT_FATAL || b == HF_EXIT_FATAL)
		return HF_EXIT_FATAL;
	return a > b ? a : b;
}

int
hf_finish(int rv)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("stdout");
		fclose(stdout);
		return HF_EXIT_FATAL;
	}
	if (fclose(stdout) == EOF) {
		warn("stdout");
		return HF_EXIT_FATAL;
	}
	return rv;
}

void
hf_version(void)
{
	printf("%s %s\n", program_invocation_short_name, hf_version_string);
	exit(hf_finish(HF_EXIT_OK));
}

int
env_true(const char *name)
{
	static const char *yes[] = { "1", "on", "yes", "true" };
	const char *v = getenv(name);
	size_t i;

	if (v == NULL)
		return 0;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	return 0;
}

void
sleep_seconds(double s)
{
	struct timespec ts, rem;

	if (!(s > 0))
		return;
	if (s > 86400)
		s = 86400;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

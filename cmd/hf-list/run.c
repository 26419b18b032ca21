/* run.c: what a listing and the lanes set up alike: the offline check,
 * dying with the parent, the clock of the progress lines, the label of
 * every message, --output, the room in an output pipe and the check of
 * standard output before a resume. */
#define _GNU_SOURCE	/* F_GETPIPE_SZ, F_SETPIPE_SZ */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "buf.h"
#include "strmap.h"
#include "util.h"
#include "list.h"

/* Each lane is a thread whose messages name its orgs. */
static _Thread_local const char *label;	/* --label: after "hf-list: " */
static _Thread_local const char *suffix;	/* a lane's orgs: at the end */

static void	say_v(int, const char *, va_list);
static int	same_output(void);

void
run_label(const char *text, const char *orgs)
{
	label = text != NULL && *text != '\0' ? text : NULL;
	suffix = orgs;
}

void
run_label_get(const char **text, const char **orgs)
{
	*text = label;
	*orgs = suffix;
}

void
run_prefix(FILE *fp)
{
	fprintf(fp, "hf-list: ");
	if (label != NULL)
		fprintf(fp, "%s: ", label);
}

/* One line on stderr: "hf-list: [label: ]message[: strerror][ (lane)]",
 * in one write, so that the lines of lanes running at once never mix. */
static void
say_v(int errnum, const char *fmt, va_list ap)
{
	struct buf b = { 0 };
	va_list copy;
	int n;

	fflush(stdout);
	buf_adds(&b, "hf-list: ");
	if (label != NULL)
		buf_addf(&b, "%s: ", label);
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n > 0) {
		buf_reserve(&b, (size_t)n);
		vsnprintf(b.data + b.len, (size_t)n + 1, fmt, ap);
		b.len += (size_t)n;
	}
	if (errnum != 0)
		buf_addf(&b, ": %s", strerror(errnum));
	if (suffix != NULL)
		buf_addf(&b, " (%s)", suffix);
	buf_addc(&b, '\n');
	fflush(stderr);
	/* a failed write to stderr leaves nowhere to say so */
	(void)!write(STDERR_FILENO, b.data, b.len);
	buf_free(&b);
}

void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_v(0, fmt, ap);
	va_end(ap);
}

void
say_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	say_v(e, fmt, ap);
	va_end(ap);
}

int
run_output(const char *path)
{
	int fd;

	fflush(stdout);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0666)) == -1) {
		say_errno("--output %s", path);
		return -1;
	}
	if (fd != STDOUT_FILENO && dup2(fd, STDOUT_FILENO) == -1) {
		say_errno("--output %s", path);
		close(fd);
		return -1;
	}
	if (fd != STDOUT_FILENO)
		close(fd);
	return 0;
}

/* A pipe of the default 64 KiB holds a sixteenth of a page of 1,000
 * models: hf-list would wait for its reader to take most of each page
 * before it asked for the next, the Hub idle meanwhile. With room for a
 * page it writes the page and asks at once; at most about a page waits
 * in the pipe. A pipe only grows; anything else, and a kernel without
 * F_SETPIPE_SZ (or refusing it), is left as it is. */
void
run_pipe_room(int fd, size_t bytes, int *size)
{
#ifdef F_SETPIPE_SZ
	struct stat sb;
	int want = RUN_PIPE_MAX;

	if (*size == 0)
		*size = fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode) ?
		    fcntl(fd, F_GETPIPE_SZ) : -1;
	if (*size <= 0 || (size_t)*size >= bytes || *size >= RUN_PIPE_MAX)
		return;
	while (want / 2 > *size && (size_t)want / 2 >= bytes)
		want /= 2;
	*size = fcntl(fd, F_SETPIPE_SZ, want);
#else
	(void)fd;
	(void)bytes;
	*size = -1;
#endif
}

int
run_offline(const char *endpoint)
{
	if (!env_true("HF_HUB_OFFLINE"))
		return 0;
	say("HF_HUB_OFFLINE is set: not contacting %s", endpoint);
	return 1;
}

/* Whether stderr is stdout (2>&1): a note that is no error must not land
 * among the NDJSON lines. */
static int
same_output(void)
{
	struct stat o, e;

	return fstat(STDOUT_FILENO, &o) == 0 && fstat(STDERR_FILENO, &e) == 0 &&
	    o.st_dev == e.st_dev && o.st_ino == e.st_ino;
}

/* A resume appends to what the runs before printed: a '>' that emptied
 * the file would lose it silently, so only an output open for appending
 * (or not a regular file: a pipe) is taken. A finished listing asks the
 * Hub for nothing and says so. */
int
run_resume_check(const struct list_args *a, const struct list_state *s)
{
	struct stat sb;
	int fl;

	if (s->done) {
		if (!a->lane && !same_output())
			say("%s: listing already complete (%" PRId64 " models)",
			    s->path, s->count);
		return 1;
	}
	if (s->count == 0 || a->lane || fstat(STDOUT_FILENO, &sb) == -1 ||
	    !S_ISREG(sb.st_mode) ||
	    ((fl = fcntl(STDOUT_FILENO, F_GETFL)) != -1 && (fl & O_APPEND)))
		return 0;
	say("--state %s: resuming, but standard output is not open for "
	    "appending: use >> (a > redirection truncated what was printed)",
	    s->path);
	return -1;
}

/* A parent killed with SIGKILL must not leave a listing running, holding
 * the parent's lock (hf-scraper) or never copied out (the lanes). */
void
run_die_with_parent(void)
{
#ifdef __linux__
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
		say_errno("prctl");
#endif
}

int
run_orphaned(pid_t parent)
{
	return parent != 0 && getppid() != parent;
}

/* One write, so that a reader of a pipe gets all the lines or none. */
int
run_stats_write(int fd, const struct list_stats *st)
{
	struct buf b = { 0 };
	ssize_t n;
	int rv = 0;

	buf_addf(&b, "listed %" PRId64 "\npages %" PRId64 "\nhub_items %"
	    PRId64 "\nregistered %" PRId64 "\nmalformed %" PRId64
	    "\ncomplete %d\n", st->listed, st->pages, st->hub_items,
	    st->registered, st->malformed, st->complete);
	fflush(stdout);
	do
		n = write(fd, b.data, b.len);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)b.len) {
		say_errno("--stats %d", fd);
		rv = -1;
	}
	buf_free(&b);
	return rv;
}

/* An id is a whole line; a CR before the LF is no part of it, and an
 * empty line is no id. */
int
run_skip_load(struct strmap *m, const char *path)
{
	struct buf text = { 0 };
	const char *p, *end, *nl;
	size_t n;

	if (buf_read_file(&text, path) == -1) {
		say_errno("--skip-ids %s", path);
		buf_free(&text);
		return -1;
	}
	end = text.data + text.len;
	for (p = text.data; p != NULL && p < end; p = nl ? nl + 1 : NULL) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0)
			(void)strmap_add(m, p, n);
	}
	buf_free(&text);
	return 0;
}

double
run_elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

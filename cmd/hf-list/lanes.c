/* hf-list-lanes.c: hf-list --jobs N with several --author.
 *
 * The orgs are cut into N lanes of consecutive orgs, and a forked copy of
 * this process lists each lane into a spill file: the libraries are
 * loaded once, not N times. The spills are then copied to stdout in lane
 * order, so the output is the one of --jobs 1. With --state FILE, lane K
 * lists with the state FILE.laneK into FILE.laneK.raw, so that a resume
 * fetches again only the pages that were in flight; FILE says how many
 * lanes are out, and fixes the lanes for the resumes. */

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "atomic.h"
#include "buf.h"
#include "http.h"
#include "hub.h"
#include "json.h"
#include "jsonw.h"
#include "util.h"
#include "list.h"

struct lanes {
	struct args	*a;
	char		*endpoint;
	char		*query;
	int64_t		 n;		/* lanes */
	int64_t		 out;		/* lanes copied to stdout */
	int64_t		 count;		/* items copied */
	int		 done;
	pid_t		 self;
	struct timespec	 start;
};

/* The first --author of lane k: org i is in lane i * n / nauthors. */
static size_t
lane_from(const struct lanes *l, int64_t k)
{
	return (size_t)((k * (int64_t)l->a->nauthors + l->n - 1) / l->n);
}

/* path with a suffix, malloc'd */
static char *
lane_path(const struct lanes *l, int64_t k, const char *suffix)
{
	struct buf p = { 0 };

	buf_addf(&p, "%s.lane%" PRId64 "%s", l->a->state_path, k, suffix);
	return buf_cstr(&p);
}

/* A whole file into b: 1, 0 when it does not exist, -1 (warned). */
static int
slurp(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp;
	int rv = 1;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		warn("%s", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp)) {
		warn("%s", path);
		rv = -1;
	}
	fclose(fp);
	return rv;
}

/* Not a state at all counts as a listing in turn, which reports it. */
int64_t
state_lanes(const char *path)
{
	struct buf text = { 0 };
	struct json j = { 0 };
	int64_t n = 1;
	int k, rv;

	if ((rv = slurp(path, &text)) <= 0) {
		buf_free(&text);
		return rv;
	}
	if (json_parse(&j, text.data ? text.data : "", text.len, JSON_UTF8,
	    NULL) != -1 && json_type(&j, 0) == JSON_OBJECT &&
	    (k = json_get(&j, 0, "lanes")) != -1 &&
	    (json_i64(&j, k, &n) == -1 || n < 2 || n > 64)) {
		warnx("%s: bad lanes", path);
		n = -1;
	}
	json_free(&j);
	buf_free(&text);
	return n;
}

/* The lanes' --state: {"hf_list_state":1,"endpoint":…,"query":…,
 * "lanes":N,"out":K,"count":C,"done":bool}. */
static int
lanes_save(struct lanes *l)
{
	struct buf b = { 0 };
	struct jw w;
	int rv;

	if (l->a->state_path == NULL)
		return 0;
	jw_init(&w, &b, 0, 0);
	jw_obj(&w);
	jw_key(&w, "hf_list_state");
	jw_i64(&w, 1);
	jw_key(&w, "endpoint");
	jw_strz(&w, l->endpoint);
	jw_key(&w, "query");
	jw_strz(&w, l->query);
	jw_key(&w, "lanes");
	jw_i64(&w, l->n);
	jw_key(&w, "out");
	jw_i64(&w, l->out);
	jw_key(&w, "count");
	jw_i64(&w, l->count);
	jw_key(&w, "done");
	jw_bool(&w, l->done);
	jw_end(&w);
	buf_addc(&b, '\n');
	jw_free(&w);
	if ((rv = atomic_write_nosync(l->a->state_path, b.data, b.len)) == -1)
		warn("%s", l->a->state_path);
	buf_free(&b);
	return rv;
}

static int
lanes_take(struct lanes *l, const char *text, size_t len)
{
	const char *path = l->a->state_path;
	struct json j = { 0 };
	int rv = -1;

	if (json_parse(&j, text, len, JSON_UTF8, NULL) == -1 ||
	    json_get(&j, 0, "hf_list_state") == -1) {
		warnx("%s: not an hf-list state file", path);
		goto out;
	}
	if (!json_str_eq(&j, json_get(&j, 0, "endpoint"), l->endpoint,
	    strlen(l->endpoint)) || !json_str_eq(&j, json_get(&j, 0, "query"),
	    l->query, strlen(l->query))) {
		warnx("%s: the state of another listing (endpoint or query "
		    "differ); use another file or remove it", path);
		goto out;
	}
	if (json_i64(&j, json_get(&j, 0, "lanes"), &l->n) == -1 ||
	    l->n < 2 || (size_t)l->n > l->a->nauthors ||
	    json_i64(&j, json_get(&j, 0, "out"), &l->out) == -1 ||
	    l->out < 0 || l->out > l->n ||
	    json_i64(&j, json_get(&j, 0, "count"), &l->count) == -1 ||
	    l->count < 0) {
		warnx("%s: bad lanes, out or count", path);
		goto out;
	}
	l->done = l->out == l->n;
	rv = 0;
out:
	json_free(&j);
	return rv;
}

/* Where the lanes stand: from --state, else (or with none yet) new. */
static int
lanes_load(struct lanes *l)
{
	struct buf text = { 0 };
	int rv = 0;

	l->n = l->a->jobs < (int64_t)l->a->nauthors ? l->a->jobs :
	    (int64_t)l->a->nauthors;
	if (l->a->state_path != NULL &&
	    (rv = slurp(l->a->state_path, &text)) == 1)
		rv = lanes_take(l, text.data ? text.data : "", text.len);
	buf_free(&text);
	if (rv == 0 && l->a->limit > 0) {
		warnx("%s: a listing in lanes (--jobs) cannot go on with "
		    "--limit", l->a->state_path);
		rv = -1;
	}
	return rv == -1 ? -1 : rv == 1 ? 0 : lanes_save(l);
}

/* Cut a spill file after its last complete line: a kill can leave half. */
static int
trim_partial(int fd)
{
	char b[4096];
	off_t at = lseek(fd, 0, SEEK_END);
	size_t want, i;

	while (at > 0) {
		want = at > (off_t)sizeof(b) ? sizeof(b) : (size_t)at;
		if (pread(fd, b, want, at - (off_t)want) != (ssize_t)want)
			return -1;
		for (i = want; i > 0; i--)
			if (b[i - 1] == '\n')
				return ftruncate(fd, at - (off_t)want +
				    (off_t)i);
		at -= (off_t)want;
	}
	return ftruncate(fd, 0);
}

/* Lane k's spill file: FILE.laneK.raw (kept to the last whole line, or
 * emptied with no lane state to go on from), else an unlinked temporary. */
static int
lane_spill(const struct lanes *l, int64_t k)
{
	char *raw, *st, tmpl[4096];
	const char *dir = getenv("TMPDIR");
	int fd, fresh;

	if (l->a->state_path == NULL) {
		snprintf(tmpl, sizeof(tmpl), "%s/hf-list.XXXXXX",
		    dir != NULL && *dir != '\0' ? dir : "/tmp");
		if ((fd = mkstemp(tmpl)) == -1)
			warn("%s", tmpl);
		else
			unlink(tmpl);
		return fd;
	}
	st = lane_path(l, k, "");
	raw = lane_path(l, k, ".raw");
	fresh = access(st, F_OK) == -1;
	fd = open(raw, O_RDWR | O_CREAT | O_APPEND | (fresh ? O_TRUNC : 0),
	    0666);
	if (fd == -1 || trim_partial(fd) == -1) {
		warn("%s", raw);
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	free(st);
	free(raw);
	return fd;
}

/* In the child: list lane k's orgs into fd, as a listing of its own. */
static void __attribute__((noreturn))
lane_child(struct lanes *l, int64_t k, int fd)
{
	struct args sub = *l->a;
	size_t from = lane_from(l, k);
	char *st;

#ifdef __linux__
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);	/* dies with hf-list */
#endif
	if (getppid() != l->self || dup2(fd, STDOUT_FILENO) == -1)
		_exit(HF_EXIT_FATAL);
	sub.authors = l->a->authors + from;
	sub.nauthors = lane_from(l, k + 1) - from;
	sub.progress = 0;
	st = l->a->state_path != NULL ? lane_path(l, k, "") : NULL;
	sub.state_path = st;
	_exit(hf_finish(list_parts(&sub)));
}

/* Copy a spill file to stdout; *lines: how many items it held. */
static int
copy_out(int fd, int64_t *lines)
{
	static char b[1 << 16];
	off_t at = 0;
	ssize_t n, w;
	char *p;

	*lines = 0;
	while ((n = pread(fd, b, sizeof(b), at)) > 0) {
		at += n;
		for (p = b; (p = memchr(p, '\n', (size_t)(b + n - p))) != NULL;
		    p++)
			(*lines)++;
		for (p = b; n > 0; p += w, n -= w)
			if ((w = write(STDOUT_FILENO, p, (size_t)n)) == -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				warn("stdout");
				return -1;
			}
	}
	if (n == -1) {
		warn("spill file");
		return -1;
	}
	return 0;
}

/* The orgs whose models are not out when lane k failed. */
static void
lanes_failed(const struct lanes *l, int64_t k)
{
	struct buf b = { 0 };
	size_t i;

	for (i = lane_from(l, k); i < l->a->nauthors; i++)
		buf_addf(&b, "%s%s", i == lane_from(l, k) ? "" : " ",
		    l->a->authors[i]);
	warnx("not listed: the models of %s%s", buf_cstr(&b),
	    l->a->state_path != NULL ? " (rerun with the same --state: "
	    "the lanes that finished are not fetched again)" : "");
	buf_free(&b);
}

static void
lanes_progress(const struct lanes *l)
{
	struct timespec now;

	if (!l->a->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "hf-list: %" PRId64 " models, %" PRId64 " of %"
	    PRId64 " lanes, %.1f s\n", l->count, l->out, l->n,
	    (double)(now.tv_sec - l->start.tv_sec) +
	    (double)(now.tv_nsec - l->start.tv_nsec) / 1e9);
}

/* Wait for lane k's child: 0 if it listed its orgs. */
static int
lane_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Lane k is out: forget its files, then record it. */
static int
lane_out(struct lanes *l, int64_t k, int64_t lines)
{
	char *st, *raw;

	l->count += lines;
	l->out = k + 1;
	l->done = l->out == l->n;
	if (lanes_save(l) == -1)
		return -1;
	if (l->a->state_path != NULL) {
		st = lane_path(l, k, "");
		raw = lane_path(l, k, ".raw");
		(void)unlink(st);
		(void)unlink(raw);
		free(st);
		free(raw);
	}
	lanes_progress(l);
	return 0;
}

int
list_lanes(struct args *a)
{
	struct lanes l = { 0 };
	int fd[64], ok[64];
	pid_t pid[64];
	int64_t k, first, forked, lines;
	int rv = HF_EXIT_OK;

	l.a = a;
	l.self = getpid();
	clock_gettime(CLOCK_MONOTONIC, &l.start);
	l.endpoint = hub_endpoint();
	l.query = build_query(a, 0, a->nauthors);
	if (env_true("HF_HUB_OFFLINE")) {
		warnx("HF_HUB_OFFLINE is set: not contacting %s", l.endpoint);
		rv = HF_EXIT_FATAL;
	} else if (lanes_load(&l) == -1)
		rv = HF_EXIT_FATAL;
	else if (http_init() == -1) {
		warnx("cannot initialise libcurl");
		rv = HF_EXIT_FATAL;
	}
	fflush(stderr);
	first = forked = l.out;
	for (k = first; rv == HF_EXIT_OK && k < l.n; k++) {
		if ((fd[k] = lane_spill(&l, k)) == -1) {
			rv = HF_EXIT_FATAL;
			break;
		}
		if ((pid[k] = fork()) == 0)
			lane_child(&l, k, fd[k]);
		if (pid[k] == -1) {
			warn("fork");
			close(fd[k]);
			rv = HF_EXIT_FATAL;
			break;
		}
		forked = k + 1;
	}
	for (k = first; k < forked; k++)	/* each keeps its own state */
		ok[k] = lane_wait(pid[k]) == 0;
	for (k = first; rv == HF_EXIT_OK && k < l.n; k++) {
		if (!ok[k]) {
			lanes_failed(&l, k);
			rv = HF_EXIT_FATAL;
		} else if (copy_out(fd[k], &lines) == -1 ||
		    lane_out(&l, k, lines) == -1)
			rv = HF_EXIT_FATAL;
	}
	for (k = first; k < forked; k++)
		close(fd[k]);
	free(l.endpoint);
	free(l.query);
	return rv;
}

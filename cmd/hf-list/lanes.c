/* lanes.c: hf-list --jobs N with several --author.
 *
 * The orgs are cut into N lanes of consecutive orgs, and a thread of this
 * process lists each lane into a spill file, through a stdio stream of its
 * own: the libraries are loaded once and no copy of the process is made.
 * The spills are then copied to stdout in lane order, so the output is the
 * one of --jobs 1. With --state FILE, lane K lists with the state
 * FILE.laneK into FILE.laneK.raw, so that a resume fetches again only the
 * pages that were in flight; FILE says how many lanes are out, and fixes
 * the lanes for the resumes. */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "hub.h"
#include "util.h"
#include "list.h"

#define LANE_IOBUF	(1 << 16)	/* a lane's stream buffer */

struct lanes {
	const struct list_args *a;
	struct list_state st;	/* lanes: how many; out: copied to stdout */
	char		*endpoint;
	char		*query;
	struct timespec	 start;
};

/* One lane: its thread, the spill it lists into, what it ended with. */
struct lane {
	const struct lanes *l;
	int64_t		 k;
	int		 fd;		/* the spill file */
	FILE		*out;		/* over fd, buffered in iobuf */
	char		*iobuf;
	pthread_t	 tid;
	int		 rv;		/* its listing's exit status */
	struct list_stats stats;
};

static size_t	lane_from(const struct lanes *, int64_t);
static char	*lane_path(const struct lanes *, int64_t, const char *);
static int	lanes_load(struct lanes *);
static int	trim_partial(int);
static int	lane_spill(const struct lanes *, int64_t);
static int	lane_start(const struct lanes *, struct lane *, int64_t);
static void	*lane_main(void *);
static int	lane_join(struct lane *, struct list_stats *);
static void	lane_close(struct lane *);
static int	copy_out(int, int64_t *);
static void	lanes_failed(const struct lanes *, int64_t);
static void	lanes_progress(const struct lanes *);
static int	lane_out(struct lanes *, int64_t, int64_t);

/* The first --author of lane k: org i is in lane i * n / nauthors. */
static size_t
lane_from(const struct lanes *l, int64_t k)
{
	return (size_t)((k * (int64_t)l->a->nauthors + l->st.lanes - 1) /
	    l->st.lanes);
}

/* path with a suffix, malloc'd */
static char *
lane_path(const struct lanes *l, int64_t k, const char *suffix)
{
	struct buf p = { 0 };

	buf_addf(&p, "%s.lane%" PRId64 "%s", l->a->state_path, k, suffix);
	return buf_cstr(&p);
}

/* Where the lanes stand: from --state, else (or with none yet) new: 0, 1
 * for lanes all out already, -1 (reported), -2 (reported) not to print
 * into a file a '>' emptied. */
static int
lanes_load(struct lanes *l)
{
	int rv = 0;

	l->st.path = l->a->state_path;
	l->st.endpoint = l->endpoint;
	l->st.query = l->query;
	l->st.nauthors = l->a->nauthors;
	l->st.lanes = l->a->jobs;	/* not 0: a state of lanes is read */
	if (l->st.path != NULL && (rv = state_load(&l->st)) == -1)
		return -1;
	if (rv == 0 && l->st.lanes > (int64_t)l->a->nauthors)
		l->st.lanes = (int64_t)l->a->nauthors;
	if (rv == 1 && l->a->limit > 0) {
		say("%s: a listing in lanes (--jobs) cannot go on with "
		    "--limit", l->st.path);
		return -1;
	}
	if (rv == 1 && (rv = run_resume_check(l->a, &l->st)) != 0)
		return rv == 1 ? 1 : -2;
	return state_save(&l->st);
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
			say_errno("%s", tmpl);
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
		say_errno("%s", raw);
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	free(st);
	free(raw);
	return fd;
}

/* Lane k's spill file, a stream over it and the thread that lists into
 * it: 0, or -1 (reported, nothing left open). */
static int
lane_start(const struct lanes *l, struct lane *ln, int64_t k)
{
	int e;

	memset(ln, 0, sizeof(*ln));
	ln->l = l;
	ln->k = k;
	if ((ln->fd = lane_spill(l, k)) == -1)
		return -1;
	/* glibc ignores the size of a buffer it is not given */
	ln->iobuf = xmalloc(LANE_IOBUF);
	if ((ln->out = fdopen(ln->fd, "w")) == NULL ||
	    setvbuf(ln->out, ln->iobuf, _IOFBF, LANE_IOBUF) != 0) {
		say_errno("spill file");
		lane_close(ln);
		return -1;
	}
	if ((e = pthread_create(&ln->tid, NULL, lane_main, ln)) != 0) {
		errno = e;
		say_errno("pthread_create");
		lane_close(ln);
		return -1;
	}
	return 0;
}

/* The thread of a lane: its orgs listed into its spill, as a listing of
 * its own, whose messages say which orgs it lists. It never exits the
 * process: its status and counts stay in ln for lane_join. */
static void *
lane_main(void *arg)
{
	struct lane *ln = arg;
	const struct lanes *l = ln->l;
	struct list_args sub = *l->a;
	size_t from = lane_from(l, ln->k), i;
	struct buf orgs = { 0 };
	char *st;

	sub.authors = l->a->authors + from;
	sub.nauthors = lane_from(l, ln->k + 1) - from;
	sub.progress = 0;
	sub.lane = 1;
	sub.out = ln->out;
	buf_addf(&orgs, "lane %" PRId64 ":", ln->k + 1);
	for (i = 0; i < sub.nauthors; i++)
		buf_addf(&orgs, " %s", sub.authors[i]);
	run_label(l->a->label, buf_cstr(&orgs));
	st = l->a->state_path != NULL ? lane_path(l, ln->k, "") : NULL;
	sub.state_path = st;
	ln->rv = listing_run(&sub, &ln->stats);
	if (fflush(ln->out) == EOF || ferror(ln->out)) {
		say_errno("stdout");
		ln->rv = HF_EXIT_FATAL;
	}
	run_label(NULL, NULL);
	free(st);
	buf_free(&orgs);
	return NULL;
}

/* Wait for lane k's thread and add up its counts: HF_EXIT_OK or
 * HF_EXIT_SKIPPED if it listed its orgs (some items skipped), else
 * HF_EXIT_FATAL. */
static int
lane_join(struct lane *ln, struct list_stats *stats)
{
	if (pthread_join(ln->tid, NULL) != 0)
		return HF_EXIT_FATAL;
	stats->pages += ln->stats.pages;
	stats->hub_items += ln->stats.hub_items;
	stats->registered += ln->stats.registered;
	stats->malformed += ln->stats.malformed;
	return ln->rv == HF_EXIT_OK || ln->rv == HF_EXIT_SKIPPED ? ln->rv :
	    HF_EXIT_FATAL;
}

/* The stream (and with it the spill file) closed, its buffer freed. */
static void
lane_close(struct lane *ln)
{
	if (ln->out != NULL)
		(void)fclose(ln->out);
	else if (ln->fd != -1)
		close(ln->fd);
	free(ln->iobuf);
	ln->out = NULL;
	ln->fd = -1;
	ln->iobuf = NULL;
}

/* Copy a spill file to stdout; *lines: how many items it held. */
static int
copy_out(int fd, int64_t *lines)
{
	static char b[1 << 16];
	off_t at = 0;
	ssize_t n;
	char *p;

	*lines = 0;
	while ((n = pread(fd, b, sizeof(b), at)) > 0) {
		at += n;
		for (p = b; (p = memchr(p, '\n', (size_t)(b + n - p))) != NULL;
		    p++)
			(*lines)++;
		if (write_all(STDOUT_FILENO, b, (size_t)n) == -1) {
			say_errno("stdout");
			return -1;
		}
	}
	if (n == -1) {
		say_errno("spill file");
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
	say("not listed: the models of %s%s", buf_cstr(&b),
	    l->a->state_path != NULL ? " (rerun with the same --state: "
	    "the lanes that finished are not fetched again)" : "");
	buf_free(&b);
}

static void
lanes_progress(const struct lanes *l)
{
	if (!l->a->progress)
		return;
	run_prefix(stderr);
	fprintf(stderr, "%" PRId64 " models, %" PRId64 " of %"
	    PRId64 " lanes, %.1f s\n", l->st.count, l->st.out, l->st.lanes,
	    run_elapsed(&l->start));
}

/* Lane k is out: forget its files, then record it. */
static int
lane_out(struct lanes *l, int64_t k, int64_t lines)
{
	char *st, *raw;

	l->st.count += lines;
	l->st.out = k + 1;
	l->st.done = l->st.out == l->st.lanes;
	if (state_save(&l->st) == -1)
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
lanes_run(const struct list_args *a, struct list_stats *stats)
{
	struct lanes l = { 0 };
	struct lane lane[LIST_MAX_JOBS];
	int ok[LIST_MAX_JOBS];
	int64_t k, first, started, lines;
	int rv = HF_EXIT_OK, lrv, skipped = HF_EXIT_OK;

	l.a = a;
	clock_gettime(CLOCK_MONOTONIC, &l.start);
	/* the process, lanes and all, stops with its parent */
	if (env_true("HF_LIST_DIE_WITH_PARENT"))
		run_die_with_parent();
	l.endpoint = hub_endpoint();
	l.query = query_build(a, 0, a->nauthors);
	/* libcurl's global set-up is done before any thread */
	if (run_offline(l.endpoint) || (lrv = lanes_load(&l)) == -1 ||
	    fetch_token_ok() == -1)
		rv = HF_EXIT_FATAL;
	else if (lrv == -2)
		rv = HF_EXIT_USAGE;
	else if (http_init() == -1) {
		say("cannot initialise libcurl");
		rv = HF_EXIT_FATAL;
	}
	first = started = l.st.out;
	for (k = first; rv == HF_EXIT_OK && k < l.st.lanes; k++) {
		if (lane_start(&l, &lane[k], k) == -1) {
			rv = HF_EXIT_FATAL;
			break;
		}
		started = k + 1;
	}
	for (k = first; k < started; k++) {	/* each keeps its own state */
		ok[k] = lane_join(&lane[k], stats);
		skipped = hf_worst(skipped, ok[k] == HF_EXIT_SKIPPED ?
		    HF_EXIT_SKIPPED : HF_EXIT_OK);
	}
	for (k = first; rv == HF_EXIT_OK && k < l.st.lanes; k++) {
		if (ok[k] == HF_EXIT_FATAL) {
			lanes_failed(&l, k);
			rv = HF_EXIT_FATAL;
		} else if (copy_out(lane[k].fd, &lines) == -1 ||
		    lane_out(&l, k, lines) == -1)
			rv = HF_EXIT_FATAL;
	}
	for (k = first; k < started; k++)
		lane_close(&lane[k]);
	stats->listed = l.st.count;
	stats->complete = l.st.done;
	free(l.endpoint);
	free(l.query);
	return rv == HF_EXIT_OK ? skipped : rv;
}

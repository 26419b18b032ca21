/* records.c: hf-ledger append's records file and its commit protocol
 * (see ledger.h): a page's records written and on disk (fdatasync)
 * before the state that counts them in records_bytes is replaced, and a
 * records file cut back at the next start to what its state covers, so
 * that a kill at any moment loses at most the page in flight. */
#define _XOPEN_SOURCE 700
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "util.h"
#include "ledger.h"

struct records;

static int	state_bytes(const char *, int64_t *);
static int	records_lines(int, int64_t, int64_t *, int64_t *);
static int	records_open(const struct ledger_args *, int64_t *);
static int	commit(struct records *);
static void	*committer(void *);
static int	idle(struct records *);
static int	flush_records(void *, struct buf *, int64_t *);
static int	save_state(void *, const char *, size_t);
static int	committer_start(struct records *);
static int	committer_stop(struct records *);

/* The records_bytes of the state file at path into *n: 1, 0 when there
 * is no state file, or -1 warned. A state hf-list wrote by itself has
 * none: which records it covers cannot be told, so it is refused. */
static int
state_bytes(const char *path, int64_t *n)
{
	struct buf text = { 0 };
	struct json j = { 0 };
	const char *why = NULL;
	int k, rv = -1;

	if (buf_read_file(&text, path) == -1) {
		if (errno == ENOENT)
			rv = 0;
		else
			warn("%s", path);
		goto out;
	}
	if (json_parse(&j, text.data ? text.data : "", text.len, JSON_UTF8,
	    &why) == -1)
		warnx("%s: %s", path, why);
	else if (json_type(&j, 0) != JSON_OBJECT)
		warnx("%s: not a JSON object", path);
	else if ((k = json_get(&j, 0, "records_bytes")) == -1)
		warnx("%s: no records_bytes: a state hf-list wrote without "
		    "hf-ledger append, which cannot tell which records it "
		    "covers; remove it and the records file to scan again",
		    path);
	else if (json_i64(&j, k, n) == -1 || *n < 0)
		warnx("%s: records_bytes: not a non-negative integer", path);
	else
		rv = 1;
out:
	json_free(&j);
	buf_free(&text);
	return rv;
}

/* The records file fd's lines up to byte size into *lines, and where
 * the last of them ends into *end: 0, or -1 with errno. */
static int
records_lines(int fd, int64_t size, int64_t *lines, int64_t *end)
{
	char chunk[65536], *p, *nl;
	int64_t at = 0;
	ssize_t n;
	size_t want;

	*lines = *end = 0;
	while (at < size) {
		want = size - at < (int64_t)sizeof(chunk) ?
		    (size_t)(size - at) : sizeof(chunk);
		if ((n = pread(fd, chunk, want, (off_t)at)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		for (p = chunk; (nl = memchr(p, '\n',
		    (size_t)(chunk + n - p))) != NULL; p = nl + 1) {
			(*lines)++;
			*end = at + (nl - chunk) + 1;
		}
		at += n;
	}
	return 0;
}

/* Open --state's records file, cut to what the state covers: all that
 * the state's records_bytes counts, or, with no state yet, its whole
 * lines. The descriptor (appending), or -1 warned; *lines the records
 * it holds. */
static int
records_open(const struct ledger_args *a, int64_t *lines)
{
	const char *path = a->argv[0];
	struct stat st;
	int64_t keep = 0, end;
	int fd, have;

	if ((have = state_bytes(a->state, &keep)) == -1)
		return -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    0666)) == -1 || fstat(fd, &st) == -1) {
		warn("%s", path);
		goto fail;
	}
	if (have && keep > (int64_t)st.st_size) {
		warnx("%s: records_bytes %" PRId64 ", but %s holds %" PRId64
		    " bytes: not the records of this state", a->state, keep,
		    path, (int64_t)st.st_size);
		goto fail;
	}
	if (records_lines(fd, have ? keep : (int64_t)st.st_size, lines,
	    &end) == -1) {
		warn("%s", path);
		goto fail;
	}
	if (!have)
		keep = end;	/* a line cut short by a kill goes */
	if (keep < (int64_t)st.st_size && ftruncate(fd, (off_t)keep) == -1) {
		warn("%s", path);
		goto fail;
	}
	return fd;
fail:
	if (fd != -1)
		close(fd);
	return -1;
}

/* The records file of run_append, and the thread that commits to it. A
 * page is committed (its records written and on disk, then the state
 * naming them replaced) while the next page is read, so that the scan
 * upstream does not wait for the disk; pages commit one at a time, in
 * order, by the same protocol as before. */
struct records {
	const char	*path;
	const char	*state;
	int		 fd;
	int64_t		 size;		/* committed (the committer's) */
	int64_t		 planned;	/* once the pages handed over are */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	pthread_t	 tid;
	int		 busy;		/* a page is handed over */
	int		 failed;	/* a commit failed (reported) */
	int		 stop;
	int		 tee;		/* each page to stdout too */
	struct buf	 page;		/* the page being committed */
	struct buf	 text;		/* and its state */
};

/* A page's records on disk, then its state: 0, or -1 reported. */
static int
commit(struct records *r)
{
	if (r->page.len > 0 && (write_all(r->fd, r->page.data,
	    r->page.len) == -1 || fdatasync(r->fd) == -1)) {
		warn("%s", r->path);
		/* tidy only: the state's size cuts a part written anyway */
		if (ftruncate(r->fd, (off_t)r->size) == -1)
			warn("%s", r->path);
		return -1;
	}
	r->size += (int64_t)r->page.len;
	if (atomic_write(r->state, r->text.data, r->text.len) == 0)
		return 0;
	warn("%s", r->state);
	return -1;
}

static void *
committer(void *arg)
{
	struct records *r = arg;
	int failed;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->busy && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		if (!r->busy)
			break;
		pthread_mutex_unlock(&r->lock);
		failed = commit(r) == -1;
		pthread_mutex_lock(&r->lock);
		r->failed |= failed;
		r->busy = 0;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Wait until no page is being committed: 0, or -1 when one failed. */
static int
idle(struct records *r)
{
	int failed;

	pthread_mutex_lock(&r->lock);
	while (r->busy)
		pthread_cond_wait(&r->cond, &r->lock);
	failed = r->failed;
	pthread_mutex_unlock(&r->lock);
	return failed ? -1 : 0;
}

/* append's flush: the page is taken over (the buffers swapped, not
 * copied) once the one before it is committed; *size is the records
 * file's size once it is. With --tee the page goes to stdout too, as it
 * is handed over. */
static int
flush_records(void *arg, struct buf *page, int64_t *size)
{
	struct records *r = arg;
	struct buf done;

	if (idle(r) == -1)
		return -1;
	done = r->page;
	r->page = *page;
	*page = done;
	r->planned += (int64_t)r->page.len;
	*size = r->planned;
	if (r->tee && r->page.len > 0 &&
	    fwrite(r->page.data, 1, r->page.len, stdout) != r->page.len) {
		warn("stdout");
		return -1;
	}
	return 0;
}

/* append's save: the state of the page flush took, which the committer
 * then commits. */
static int
save_state(void *arg, const char *data, size_t len)
{
	struct records *r = arg;

	buf_reset(&r->text);
	buf_add(&r->text, data, len);
	pthread_mutex_lock(&r->lock);
	r->busy = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

/* The committer started: 0, or -1 reported. */
static int
committer_start(struct records *r)
{
	int e;

	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if ((e = pthread_create(&r->tid, NULL, committer, r)) == 0)
		return 0;
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	errno = e;
	warn("pthread_create");
	return -1;
}

/* The last page committed and the committer gone: 0, or -1 when a
 * commit failed (reported). */
static int
committer_stop(struct records *r)
{
	int rv = idle(r);

	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->tid, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	buf_free(&r->page);
	buf_free(&r->text);
	return rv;
}

int
run_append(const struct ledger_args *a)
{
	struct records r;
	struct append ap = { 0 };
	struct buf lines = { 0 };
	struct stat st;
	int64_t had = 0;
	int rv = HF_EXIT_FATAL;

	memset(&r, 0, sizeof(r));
	r.path = a->argv[0];
	r.state = a->state;
	r.tee = a->tee;
	if (stats_open(a) == -1 || (r.fd = records_open(a, &had)) == -1)
		return rv;
	if (fstat(r.fd, &st) == -1) {
		warn("%s", r.path);
		goto out;
	}
	r.size = r.planned = (int64_t)st.st_size;
	ap.flush = flush_records;
	ap.save = save_state;
	ap.arg = &r;
	if (committer_start(&r) == -1)
		goto out;
	rv = nd_each(0, NULL, append_line, &ap);
	if (committer_stop(&r) == -1)
		rv = HF_EXIT_FATAL;
	if (r.tee && fflush(stdout) == EOF) {
		warn("stdout");
		rv = HF_EXIT_FATAL;
	}
	buf_addf(&lines, "records %" PRId64 "\nappended %" PRId64
	    "\nmarks %" PRId64 "\ndiscarded %" PRId64 "\n",
	    had + ap.appended, ap.appended, ap.marks, ap.pending);
	if (rv != HF_EXIT_FATAL && write_stats(a, &lines) == -1)
		rv = HF_EXIT_FATAL;
out:
	close(r.fd);
	append_free(&ap);
	buf_free(&lines);
	return rv;
}

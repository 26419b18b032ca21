/* run.c: hf-ledger's modes with their files (see ledger.h). The ledger
 * is replaced as hf-merge replaces a registry file: a temporary beside
 * it, on disk (fsync) before it is renamed over the old one, under a
 * lock on its directory so that two updates do not lose each other's
 * records. */
#define _XOPEN_SOURCE 700	/* realpath */
#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "dirs.h"
#include "ndjson.h"
#include "stage.h"
#include "util.h"
#include "ledger.h"

/* The ledger's temporary and the lines not yet written to it. */
#define LEDGER_OUT_BUF	(1 << 16)
struct ledger_out {
	struct atomic	 at;
	struct buf	 b;
};

static int	write_count(const char *, int64_t);
static int	lock_dir(const char *, int, char **);
static const char *ledger_out_path(const struct ledger_args *);
static void	put_ledger(void *, const char *, size_t);
static void	ledger_flush(struct ledger_out *);
static int	ledger_commit(struct ledger_out *);
static void	ledger_abort(struct ledger_out *);
static FILE	*supported_open(const char *);
static int	open_outputs(const struct ledger_args *, struct update *,
		    struct ledger_out *);
static int	old_lines(const struct ledger_args *, struct update *,
		    const struct buf *, int);
static int	rewrite(struct update *, struct ledger_out *);
static int	close_supported(const struct ledger_args *, struct update *);
static void	supported_warn(const struct ledger_args *, const FILE *);
static int	writable(const char *);
static int	reclassify_open(const struct ledger_args *, FILE **,
		    struct ledger_out *);
static int	reclassify_finish(const struct ledger_args *,
		    struct reclassify *, struct ledger_out *, FILE *);

/* The number n, one line, into path (when given): 0, or -1 warned. */
static int
write_count(const char *path, int64_t n)
{
	FILE *fp;
	int bad;

	if (path == NULL)
		return 0;
	if ((fp = fopen(path, "w")) == NULL) {
		warn("%s", path);
		return -1;
	}
	fprintf(fp, "%" PRId64 "\n", n);
	bad = ferror(fp);
	if (fclose(fp) == EOF || bad) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

int
run_dedupe(const struct ledger_args *a)
{
	struct dedupe d = { 0 };
	int rv;

	rv = nd_each(a->argc, a->argv, dedupe_line, &d);
	stage_left_out(d.records - d.kept, d.records, "repeated id");
	if (rv != HF_EXIT_FATAL && write_count(a->count, d.kept) == -1)
		rv = HF_EXIT_FATAL;
	dedupe_free(&d);
	return rv;
}

int
run_import(const struct ledger_args *a)
{
	struct buf out = { 0 };
	int64_t n;
	int rv = HF_EXIT_OK;

	if (import_load(a->argv[0], &out, &n) == -1)
		rv = HF_EXIT_FATAL;
	else if ((out.len > 0 &&
	    stage_write(out.data, out.len) != HF_EXIT_OK) ||
	    write_count(a->count, n) == -1)
		rv = HF_EXIT_FATAL;
	buf_free(&out);
	return rv;
}

/* Lock the directory of the ledger at path (its descriptor, kept open
 * until exit: the lock ends with the process), unless the caller holds
 * that lock (--no-lock: hf-scraper locks the directory itself, and a
 * second flock through another descriptor would wait for it forever),
 * and clear the temporaries a killed update left there: 0, or -1
 * warned. *dir is the directory.
 * A ledger reached through a symbolic link is replaced in its target's
 * directory, where its temporaries are: that directory is the one
 * locked, so that two links to one ledger exclude each other too. */
static int
lock_dir(const char *ledger, int locked, char **dir)
{
	struct stat st;
	char *real = lstat(ledger, &st) == 0 && S_ISLNK(st.st_mode) ?
	    realpath(ledger, NULL) : NULL;	/* NULL: dangling, or no link */
	const char *path = real ? real : ledger;
	const char *slash = strrchr(path, '/');
	const char *names[2] = { slash ? slash + 1 : path, NULL };
	int fd, r = -1;

	if (slash == NULL)
		*dir = xstrdup(".");
	else
		*dir = xstrndup(path, slash == path ? 1 :
		    (size_t)(slash - path));
	if (locked) {
		r = 0;
		goto clear;
	}
	if ((fd = open(*dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", *dir);
		goto out;
	}
	if ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EWOULDBLOCK) {
		warnx("%s: waiting for another hf-ledger", *dir);
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		warn("cannot lock %s", *dir);
		close(fd);
		goto out;
	}
clear:
	dir_remove_stale(*dir, names);
out:
	free(real);
	return r == -1 ? -1 : 0;
}

/* Where update writes the ledger: -o's file, else over the ledger. */
static const char *
ledger_out_path(const struct ledger_args *a)
{
	return a->output != NULL ? a->output : a->ledger;
}

/* The put of update and reclassify: they put a line at a time, or a
 * line and its newline apart, so the temporary is written a buffer at a
 * time rather than a piece at a time. A write error sticks in the
 * atomic and is reported by the commit. */
static void
put_ledger(void *arg, const char *data, size_t len)
{
	struct ledger_out *o = arg;

	if (o->b.len + len > LEDGER_OUT_BUF)
		ledger_flush(o);
	if (len >= LEDGER_OUT_BUF)
		atomic_put(&o->at, data, len);
	else
		buf_add(&o->b, data, len);
}

static void
ledger_flush(struct ledger_out *o)
{
	if (o->b.len > 0)
		atomic_put(&o->at, o->b.data, o->b.len);
	buf_reset(&o->b);
}

/* The buffered lines on disk with the rest, then the rename. */
static int
ledger_commit(struct ledger_out *o)
{
	ledger_flush(o);
	buf_free(&o->b);
	return atomic_commit(&o->at, 1);
}

static void
ledger_abort(struct ledger_out *o)
{
	buf_free(&o->b);
	atomic_abort(&o->at);
}

/* The --supported file, created or truncated, with a buffer as large as
 * the ledger's (stdio's own would be a page): NULL warned. */
static FILE *
supported_open(const char *path)
{
	static char iobuf[LEDGER_OUT_BUF];	/* one open at a time */
	FILE *fp;

	if (strcmp(path, "-") == 0)
		fp = stdout;
	else if ((fp = fopen(path, "w")) == NULL) {
		warn("%s", path);
		return NULL;
	}
	setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));
	return fp;
}

/* --supported (truncated now, as the ledger is about to be written) and
 * the ledger's temporary file: 0, or -1 warned. */
static int
open_outputs(const struct ledger_args *a, struct update *u,
    struct ledger_out *o)
{
	if (a->supported != NULL &&
	    (u->supported = supported_open(a->supported)) == NULL)
		return -1;
	if (atomic_open(&o->at, ledger_out_path(a)) == -1) {
		warn("%s", ledger_out_path(a));
		return -1;
	}
	u->put = put_ledger;
	u->arg = o;
	return 0;
}

/* A failed write of the --supported file, told here by its name; that of
 * stdout ("-") is told once, at exit, by hf_finish. */
static void
supported_warn(const struct ledger_args *a, const FILE *fp)
{
	if (fp != stdout)
		warn("%s", a->supported);
}

/* Close the --supported file, if open: 0, or -1 warned. */
static int
close_supported(const struct ledger_args *a, struct update *u)
{
	int rv;

	if (u->supported == NULL)
		return 0;
	/* stdout is flushed here and closed at exit */
	rv = u->supported == stdout ? fflush(stdout) : fclose(u->supported);
	if (rv == EOF)
		supported_warn(a, u->supported);
	u->supported = NULL;
	return rv == EOF ? -1 : 0;
}

/* Whether the ledger at path may be replaced: 0 when it is writable (or
 * does not exist yet), else -1 warned. A rename would replace a file
 * its owner made read-only all the same; that is taken as a "keep out",
 * also for root, whom access(2) lets write anything. */
static int
writable(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return 0;	/* none yet, or the replace will say why */
	if ((st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) != 0 &&
	    access(path, W_OK) == 0)
		return 0;
	warnx("%s: read-only (mode %03o): not replaced; make it writable "
	    "(chmod u+w) to change it", path, (unsigned)(st.st_mode & 07777));
	return -1;
}

/* A direct update in which a model came twice: the temporary holding the
 * kept lines becomes the scratch, and the ledger goes to a new one. 0, or
 * -1 warned (o as it was). */
static int
rewrite(struct update *u, struct ledger_out *o)
{
	struct ledger_out again = { .at = { .fd = -1 } };

	ledger_flush(o);
	if (o->at.error != 0) {
		errno = o->at.error;
		warn("%s", o->at.tmp);
		return -1;
	}
	if (atomic_open(&again.at, o->at.path) == -1) {
		warn("%s", o->at.path);
		return -1;
	}
	if (update_map(u, o->at.fd, o->at.tmp) == -1) {
		atomic_abort(&again.at);
		return -1;
	}
	ledger_abort(o);	/* the mapping outlives the file */
	*o = again;
	return 0;
}

/* The old ledger's lines, or the imported ones when there was none. */
static int
old_lines(const struct ledger_args *a, struct update *u,
    const struct buf *imported, int exists)
{
	char *argv[1];

	if (!exists)
		return update_old_text(u, imported->data, imported->len);
	argv[0] = (char *)a->ledger;
	return nd_each(1, argv, update_old, u);
}

int
run_update(const struct ledger_args *a)
{
	struct update u = { 0 };
	struct ledger_out o = { .at = { .fd = -1 } };
	struct buf imported = { 0 };
	char *dir = NULL;
	int64_t n = 0;
	int exists, rv = HF_EXIT_FATAL;

	if (lock_dir(a->ledger, a->no_lock, &dir) == -1 ||
	    writable(ledger_out_path(a)) == -1)
		goto out;
	exists = access(a->ledger, F_OK) == 0;
	/* the gaps file whole and checked before anything is written */
	if (!exists && a->import != NULL &&
	    import_load(a->import, &imported, &n) == -1)
		goto out;
	/* now: the caller may look at it while the ledger is written */
	if (write_count(a->count, n) == -1)
		goto out;
	if (open_outputs(a, &u, &o) == -1)
		goto out;
	u.direct = !exists && imported.len == 0;
	rv = nd_each(a->argc, a->argv, update_new, &u);
	if (u.write_error)
		supported_warn(a, u.supported);
	if (rv != HF_EXIT_FATAL && u.direct && u.repeated &&
	    rewrite(&u, &o) == -1)
		rv = HF_EXIT_FATAL;
	if (rv != HF_EXIT_FATAL)
		rv = hf_worst(rv, old_lines(a, &u, &imported, exists));
	if (rv != HF_EXIT_FATAL)
		rv = hf_worst(rv, update_rest(&u));
	if (rv == HF_EXIT_FATAL) {
		warnx("%s: left as it was", ledger_out_path(a));
		ledger_abort(&o);
		goto out;
	}
	/* the supported records complete before the ledger moves on */
	if (close_supported(a, &u) == -1) {
		rv = HF_EXIT_FATAL;
		ledger_abort(&o);
		goto out;
	}
	if (ledger_commit(&o) == -1) {
		warn("%s", ledger_out_path(a));
		rv = HF_EXIT_FATAL;
		goto out;
	}
	if (!exists && a->import != NULL)
		stage_summary("imported %" PRId64 " gap entries of %s into a "
		    "new ledger (once)", n, a->import);
	stage_left_out(u.no_arch, u.records, "no architecture");
out:
	close_supported(a, &u);
	buf_free(&imported);
	update_free(&u);
	free(dir);
	return rv;
}

int
stats_open(const struct ledger_args *a)
{
	if (a->stats < 0 || fcntl((int)a->stats, F_GETFD) != -1)
		return 0;
	warn("--stats %" PRId64, a->stats);
	return -1;
}

int
write_stats(const struct ledger_args *a, const struct buf *lines)
{
	if (a->stats < 0 || write_all((int)a->stats, lines->data,
	    lines->len) == 0)
		return 0;
	warn("--stats %" PRId64, a->stats);
	return -1;
}

/* reclassify's outputs: --supported (truncated now) and the ledger's
 * temporary: 0, or -1 warned. */
static int
reclassify_open(const struct ledger_args *a, FILE **supported,
    struct ledger_out *o)
{
	if ((*supported = supported_open(a->supported)) == NULL)
		return -1;
	if (atomic_open(&o->at, a->ledger) == -1) {
		warn("%s", a->ledger);
		return -1;
	}
	return 0;
}

/* The moved records on disk, then the ledger without them in place (or
 * left as it was when nothing left it): 0, or -1 warned, the ledger as
 * it was. */
static int
reclassify_finish(const struct ledger_args *a, struct reclassify *r,
    struct ledger_out *o, FILE *supported)
{
	if (fflush(supported) == EOF ||
	    (supported != stdout && fsync(fileno(supported)) == -1)) {
		supported_warn(a, supported);
		ledger_abort(o);
		return -1;
	}
	if (r->moved + r->dropped == 0) {
		ledger_abort(o);
		return 0;
	}
	if (ledger_commit(o) == -1) {
		warn("%s", a->ledger);
		return -1;
	}
	return 0;
}

int
run_reclassify(const struct ledger_args *a)
{
	struct registry reg = { 0 };
	struct reclassify r = { 0 };
	struct ledger_out o = { .at = { .fd = -1 } };
	struct buf lines = { 0 };
	FILE *supported = NULL;
	char *dir = NULL, *argv[1] = { (char *)a->ledger };
	int rv = HF_EXIT_FATAL;

	if (stats_open(a) == -1 ||
	    registry_open(&reg, a->registry) != HF_EXIT_OK)
		goto out;
	if (lock_dir(a->ledger, a->no_lock, &dir) == -1 || writable(a->ledger) == -1)
		goto out;
	if (access(a->ledger, F_OK) == -1) {
		warn("%s", a->ledger);
		goto out;
	}
	if (reclassify_open(a, &supported, &o) == -1)
		goto out;
	r.reg = &reg;
	r.only = a->arch;
	r.supported = supported;
	r.put = put_ledger;
	r.arg = &o;
	rv = nd_each(1, argv, reclassify_line, &r);
	if (r.write_error)
		supported_warn(a, supported);
	if (rv == HF_EXIT_FATAL) {
		warnx("%s: left as it was", a->ledger);
		ledger_abort(&o);
		goto out;
	}
	if (reclassify_finish(a, &r, &o, supported) == -1) {
		rv = HF_EXIT_FATAL;
		goto out;
	}
	reclassify_stats(&r, &lines);
	if (write_stats(a, &lines) == -1)
		rv = HF_EXIT_FATAL;
out:
	if (supported != NULL && supported != stdout &&
	    fclose(supported) == EOF && rv != HF_EXIT_FATAL) {
		warn("%s", a->supported);
		rv = HF_EXIT_FATAL;
	}
	registry_free(&reg);
	reclassify_free(&r);
	buf_free(&lines);
	free(dir);
	return rv;
}

/* run.c: hf-ledger's modes with their files (see ledger.h). The ledger
 * is replaced as hf-merge replaces a registry file: a temporary beside
 * it, on disk (fsync) before it is renamed over the old one, under a
 * lock on its directory so that two updates do not lose each other's
 * records. */
#include <sys/file.h>

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

static int	write_count(const char *, int64_t);
static int	lock_dir(const char *, char **);
static void	put_atomic(void *, const char *, size_t);
static int	open_outputs(const struct ledger_args *, struct update *,
		    struct atomic *);
static int	old_lines(const struct ledger_args *, struct update *,
		    const struct buf *, int);
static int	close_supported(const struct ledger_args *, struct update *);

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

/* Lock the directory of path (its descriptor, kept open until exit: the
 * lock ends with the process) and clear the temporaries a killed update
 * left there: 0, or -1 warned. *dir is the directory. */
static int
lock_dir(const char *path, char **dir)
{
	const char *slash = strrchr(path, '/');
	const char *names[2] = { slash ? slash + 1 : path, NULL };
	int fd, r;

	if (slash == NULL)
		*dir = xstrdup(".");
	else
		*dir = xstrndup(path, slash == path ? 1 :
		    (size_t)(slash - path));
	if ((fd = open(*dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		warn("%s", *dir);
		return -1;
	}
	if ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EWOULDBLOCK) {
		warnx("%s: waiting for another hf-ledger", *dir);
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		warn("cannot lock %s", *dir);
		close(fd);
		return -1;
	}
	dir_remove_stale(*dir, names);
	return 0;
}

static void
put_atomic(void *arg, const char *data, size_t len)
{
	atomic_put(arg, data, len);
}

/* --supported (truncated now, as the ledger is about to be written) and
 * the ledger's temporary file: 0, or -1 warned. */
static int
open_outputs(const struct ledger_args *a, struct update *u,
    struct atomic *at)
{
	if (a->supported != NULL &&
	    (u->supported = fopen(a->supported, "w")) == NULL) {
		warn("%s", a->supported);
		return -1;
	}
	if (atomic_open(at, a->ledger) == -1) {
		warn("%s", a->ledger);
		return -1;
	}
	u->put = put_atomic;
	u->arg = at;
	return 0;
}

/* Close the --supported file, if open: 0, or -1 warned. */
static int
close_supported(const struct ledger_args *a, struct update *u)
{
	int rv;

	if (u->supported == NULL)
		return 0;
	rv = fclose(u->supported);
	u->supported = NULL;
	if (rv == EOF) {
		warn("%s", a->supported);
		return -1;
	}
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
	struct atomic at = { .fd = -1 };
	struct buf imported = { 0 };
	char *dir = NULL;
	int64_t n = 0;
	int exists, rv = HF_EXIT_FATAL;

	if (lock_dir(a->ledger, &dir) == -1)
		goto out;
	exists = access(a->ledger, F_OK) == 0;
	/* the gaps file whole and checked before anything is written */
	if (!exists && a->import != NULL &&
	    import_load(a->import, &imported, &n) == -1)
		goto out;
	/* now: the caller may look at it while the ledger is written */
	if (write_count(a->count, n) == -1)
		goto out;
	if (open_outputs(a, &u, &at) == -1)
		goto out;
	rv = nd_each(a->argc, a->argv, update_new, &u);
	if (u.write_error)
		warn("%s", a->supported);
	if (rv != HF_EXIT_FATAL)
		rv = hf_worst(rv, old_lines(a, &u, &imported, exists));
	if (rv == HF_EXIT_FATAL) {
		warnx("%s: left as it was", a->ledger);
		atomic_abort(&at);
		goto out;
	}
	update_rest(&u);
	/* the supported records complete before the ledger moves on */
	if (close_supported(a, &u) == -1) {
		rv = HF_EXIT_FATAL;
		atomic_abort(&at);
		goto out;
	}
	if (atomic_commit(&at, 1) == -1) {
		warn("%s", a->ledger);
		rv = HF_EXIT_FATAL;
		goto out;
	}
	stage_left_out(u.no_arch, u.records, "no architecture");
out:
	close_supported(a, &u);
	buf_free(&imported);
	update_free(&u);
	free(dir);
	return rv;
}

/* merge.c: what hf-merge's steps share: the directory, the streamed
 * write of a registry file, the head of both files, the history
 * placeholder, the summary (see merge.h). */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "dirs.h"
#include "jsonw.h"
#include "pyjson.h"
#include "strmap.h"
#include "stage.h"
#include "util.h"
#include "merge.h"

#define HISTORY_TEXT	"{\n  \"last_updated\": null,\n  \"records\": []\n}\n"

static void	put_atomic(void *, const char *, size_t);

int
merge_open_dir(const struct merge *m)
{
	static const char *const files[] = {
		MERGE_SUPPORTED_FILE, MERGE_GAPS_FILE, MERGE_HISTORY_FILE,
		NULL,
	};

	if (dir_make(m->dir) == -1)
		return -1;
	/* The directory itself, so that no lock file is left in it. The
	 * descriptor stays open until exit: the lock dies with us. With
	 * --no-lock our caller holds it: a lock taken through another open
	 * of the directory would wait for the caller forever. */
	if (!m->no_lock && dir_lock(m->dir, "hf-merge") == -1) {
		warn("cannot lock %s", m->dir);
		return -1;
	}
	dir_remove_stale(m->dir, files);
	return 0;
}

void
merge_head(struct jw *w, const struct merge *m)
{
	int k = m->has_doc ? m->scan_info : -1;

	jw_key(w, "generated_at");
	jw_strz(w, m->date);
	jw_key(w, "scan_info");
	if (m->has_scan)
		pyjson_dump(w, &m->scan, 0);
	else if (k != -1)
		pyjson_dump(w, &m->doc, k);
	else
		jw_null(w);
}

void
merge_spill(struct merge_out *out, size_t at_least)
{
	if (out->buf.len >= at_least) {
		out->put(out->arg, out->buf.data, out->buf.len);
		buf_reset(&out->buf);
	}
}

/* merge_out's put into a temporary file. */
static void
put_atomic(void *arg, const char *data, size_t len)
{
	(void)atomic_put(arg, data, len);	/* the error sticks */
}

int
merge_write(struct merge *m, void (*format)(struct merge *,
    struct merge_out *), struct atomic *a)
{
	struct merge_out out = { .put = put_atomic, .arg = a };
	int rv;

	if (atomic_open(a, m->path) == -1) {
		warn("%s", m->path);
		return -1;
	}
	format(m, &out);
	merge_spill(&out, 0);
	if ((rv = atomic_close(a, 1)) == -1)
		warn("%s", m->path);
	buf_free(&out.buf);
	return rv;
}

int
merge_replace(const struct merge *m, struct atomic *a)
{
	if (atomic_commit(a, 1) == 0)
		return 0;
	if (a->replaced) {
		warn("%s: replaced, but its directory could not be flushed "
		    "to disk", m->path);
		return 1;
	}
	warn("%s", m->path);
	return -1;
}

int
merge_history(const struct merge *m, char **made)
{
	struct buf path = { 0 };
	struct atomic a;
	struct stat st;
	int rv = 0;

	*made = NULL;
	buf_addf(&path, "%s/%s", m->dir, MERGE_HISTORY_FILE);
	if (lstat(buf_cstr(&path), &st) == 0)
		goto out;
	if (errno != ENOENT || atomic_open(&a, path.data) == -1) {
		warn("%s", path.data);
		rv = -1;
		goto out;
	}
	(void)atomic_put(&a, HISTORY_TEXT, sizeof(HISTORY_TEXT) - 1);
	if (atomic_commit(&a, 1) == -1) {
		warn("%s", path.data);
		/* not known to be on disk: as if it had not been written */
		if (a.replaced)
			(void)unlink(path.data);
		rv = -1;
	} else
		*made = xstrdup(path.data);
out:
	if (rv == -1)
		warnx("%s: not written", m->path);
	buf_free(&path);
	return rv;
}

void
merge_summary(const struct merge *m)
{
	struct buf b = { 0 };
	int gaps = m->mode == MODE_GAPS;

	buf_add_count(&b, m->unsupported, "unsupported record", "unsupported records");
	buf_add_count(&b, m->repeated, gaps ? "repeated architecture" :
	    "repeated record", gaps ? "repeated architectures" :
	    "repeated records");
	buf_add_count(&b, m->present, "model already in the file",
	    "models already in the file");
	buf_add_count(&b, m->file_dups, "duplicate entry of the file",
	    "duplicate entries of the file");
	if (b.len > 0)
		stage_summary("%s: left out: %s", m->path, buf_cstr(&b));
	buf_free(&b);
}

/* One "NAME VALUE" line of the statistics. */
static void
stat_line(struct buf *b, const char *name, int64_t v)
{
	buf_adds(b, name);
	buf_addc(b, ' ');
	buf_add_i64(b, v);
	buf_addc(b, '\n');
}

int
merge_stats(const struct merge *m, char *argv[])
{
	const struct merge_stats *st = &m->st;
	struct buf b = { 0 };
	size_t i;
	int rv = 0;

	if (m->stats_fd == -1)
		return 0;
	if (m->mode == MODE_SUPPORTED) {
		stat_line(&b, "models_before", st->before);
		stat_line(&b, "new_models", st->added);
		for (i = 0; i < st->nops; i++) {
			buf_adds(&b, "new_from ");
			buf_add_i64(&b, st->from[i]);
			buf_addf(&b, " %s\n", argv == NULL || argv[0] == NULL ?
			    "-" : argv[i]);
		}
		stat_line(&b, "total_models", st->total);
		stat_line(&b, "total_architectures", st->narch);
		stat_line(&b, "total_verified", st->nverified);
		buf_addf(&b, "written %s\n", MERGE_SUPPORTED_FILE);
		if (st->history_made)
			buf_addf(&b, "written %s\n", MERGE_HISTORY_FILE);
	} else {
		stat_line(&b, "total_architectures", st->narch);
		stat_line(&b, "total_models", st->total);
		buf_addf(&b, "written %s\n", MERGE_GAPS_FILE);
	}
	/* one write, so that a reader of a pipe gets all or nothing */
	if (write_all(m->stats_fd, b.data, b.len) == -1) {
		warn("--stats %d", m->stats_fd);
		rv = -1;
	}
	buf_free(&b);
	return rv;
}

void
merge_free(struct merge *m)
{
	store_array_free(m->in, m->capin * sizeof(*m->in));
	store_free(&m->store);
	free(m->dir);
	free(m->path);
	buf_free(&m->summary);
	free(m->st.upto);
	free(m->st.from);
	buf_free(&m->tasks);
	buf_free(&m->scan_line);
	pyjson_free(&m->scan);
	pyjson_free(&m->doc);
	pyjson_free(&m->rec);
	idtab_free(&m->ids);
	buf_free(&m->id);
	buf_free(&m->arch);
	buf_free(&m->modified);
}

/* existing.c: the registry file already in the directory, which hf-merge
 * merges into (see merge.h). */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "merge.h"

static void	parse_error(const struct merge *, const char *, size_t,
		    const char *);
static const char *file_kind(mode_t);
static int	check_file(const struct merge *, const struct stat *);
static int	read_existing(struct merge *);

/* Why text, the file at m->path, did not parse, and where: as
 * "PATH:LINE:COLUMN: reason", the column in characters as Python counts
 * it. A fault at the very end ("truncated JSON", "empty") has no place
 * worth naming; a byte order mark and git conflict markers, which no
 * typing error makes, are named as such. */
static void
parse_error(const struct merge *m, const char *text, size_t len,
    const char *why)
{
	size_t at = m->doc.err, line, col;

	if (pyjson_has_bom(text, len)) {
		warnx("%s: starts with a UTF-8 byte order mark (BOM): Python's "
		    "json.load refuses it too; remove the first 3 bytes; left "
		    "as it is", m->path);
		return;
	}
	if (pyjson_conflict_marker(text, len, &at))
		why = "git conflict markers: resolve the merge first";
	else if (at >= len) {
		warnx("%s: %s; left as it is", m->path, why);
		return;
	}
	pyjson_line_col(text, at, &line, &col);
	warnx("%s:%zu:%zu: %s; left as it is", m->path, line, col, why);
}

int
existing_take(struct merge *m, const char *text, size_t len)
{
	static const char *const keys[] = { "models", "scan_info" };
	const char *why = NULL;
	int k[2];

	if (pyjson_parse(&m->doc, text, len, PYJSON_NAN, &why) == -1) {
		parse_error(m, text, len, why);
		return -1;
	}
	if (json_type(&m->doc.j, 0) != JSON_OBJECT) {
		warnx("%s: not a JSON object; left as it is", m->path);
		return -1;
	}
	json_pick(&m->doc.j, 0, keys, 2, k);
	if (m->mode != MODE_GAPS && k[0] != -1 &&
	    json_type(&m->doc.j, k[0]) != JSON_ARRAY) {
		warnx("%s: models: not a list; left as it is", m->path);
		return -1;
	}
	m->models = k[0];
	m->scan_info = k[1];
	m->has_doc = 1;
	return 0;
}

/* What a file that is not a regular one is, for the message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

/* Whether the file at m->path, of status st, may be replaced: a regular
 * file its owner may write. Decided by the mode bits, not access(2),
 * which lets root write anything: a file made read-only is left alone
 * whoever runs hf-merge. A file only read (summary, ids) may be
 * read-only. 0, or -1 (warned). */
static int
check_file(const struct merge *m, const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		warnx("%s: not a regular file (%s); left as it is", m->path,
		    file_kind(st->st_mode));
		return -1;
	}
	if (!m->read_only && (st->st_mode & S_IWUSR) == 0) {
		warnx("%s: read-only: not replaced (chmod u+w to allow it)",
		    m->path);
		return -1;
	}
	return 0;
}

/* What cannot be mapped (an empty file, or one that only seems empty,
 * as in /proc), read: as existing_load. */
static int
read_existing(struct merge *m)
{
	struct buf text = { 0 };
	int rv = 0;

	if (buf_read_file(&text, m->path) == 0)
		rv = existing_take(m, text.data, text.len);
	else if (errno != ENOENT) {
		warn("%s", m->path);
		rv = -1;
	}
	buf_free(&text);
	return rv;
}

int
existing_load(struct merge *m)
{
	struct stat st;
	void *map;
	int r, fd;

	/* stat before open: opening a FIFO would wait for a writer, and
	 * opening a device can do things. A dangling link is no file: its
	 * target is written as a new one. */
	if (stat(m->path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		warn("%s", m->path);
		return -1;
	}
	if (check_file(m, &st) == -1)
		return -1;
	/* A regular file is mapped, not read: pyjson_parse copies it
	 * anyway, so a read would copy it twice and fault in as much
	 * anonymous memory again. O_NONBLOCK: should it have become a FIFO
	 * since the stat, the open does not wait (and fstat says so). */
	if ((fd = open(m->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		warn("%s", m->path);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		warn("%s", m->path);
		close(fd);
		return -1;
	}
	if (check_file(m, &st) == -1) {
		close(fd);
		return -1;
	}
	if (st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX &&
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) != MAP_FAILED) {
		close(fd);
		r = existing_take(m, map, (size_t)st.st_size);
		munmap(map, (size_t)st.st_size);
		return r;
	}
	close(fd);
	return read_existing(m);
}

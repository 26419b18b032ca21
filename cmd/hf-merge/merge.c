/* hf-merge: merge supported model records into supported_models.json, or
 * write hf-score's gap list into architecture_gaps.json, formatted as
 * Python's json.dump(obj, f, indent=2) and replaced atomically. */
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "idset.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "util.h"
#include "merge.h"

#define SUPPORTED_FILE	"supported_models.json"
#define GAPS_FILE	"architecture_gaps.json"
#define HISTORY_FILE	"verification_history.json"
#define LOCK_FILE	".hf-merge.lock"
#define HISTORY_TEXT	"{\n  \"last_updated\": null,\n  \"records\": []\n}\n"

enum mode { SUPPORTED, GAPS };

enum {
	OPT_DATE = 256, OPT_NO_METADATA, OPT_SCAN_INFO,
};

static const struct option longopts[] = {
	{ "date",		required_argument,	NULL, OPT_DATE },
	{ "help",		no_argument,		NULL, 'h' },
	{ "no-metadata",	no_argument,		NULL, OPT_NO_METADATA },
	{ "output",		required_argument,	NULL, 'o' },
	{ "scan-info",		required_argument,	NULL, OPT_SCAN_INFO },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 },
};

/* The top-level keys of each file, in the reference's order. */
static const char *const supported_keys[] = {
	"generated_at", "scan_info", "total_architectures", "total_models",
	"total_verified", "models", NULL,
};
static const char *const gaps_keys[] = {
	"generated_at", "scan_info", "total_unsupported_architectures",
	"total_unsupported_models", "gaps", NULL,
};
static const char *const gap_fields[] = {
	"architecture_id", "total_models", "total_downloads",
	"min_param_count", "sample_models", "relevancy_score", NULL,
};

struct strset {				/* exact strings, open addressing */
	struct slot {
		uint64_t h;		/* 0: empty */
		size_t	 off, len;	/* the string in keys */
	}		*slot;
	struct buf	 keys;		/* every string, one after another */
	size_t		 cap, n;
};

/*
 * An accepted input line. gaps: the line itself, then its canonical
 * architecture_id. supported: what its new entry needs, taken when the
 * line is parsed so that it is not parsed again: the canonical id and
 * architecture (what pyjson_dump writes for them, each between quotes
 * kept in text), the text of its tags array, last_modified as written
 * and the three integers. The strings are one allocation, text: a copy
 * of m->in shares them (the fuzz harness merges twice with the same
 * lines).
 */
enum { N_DOWNLOADS, N_LIKES, N_PARAMS, N_NUMS };

struct line {
	char		*text;
	size_t		 len;		/* gaps: the line, at text */
	size_t		 id, idlen;	/* offsets into text */
	size_t		 arch, archlen;
	size_t		 tags, tagslen;	/* tagslen 0: not an array */
	size_t		 iso, isolen;	/* isolen 0: null */
	int64_t		 num[N_NUMS];
	char		 has_num[N_NUMS];	/* 0: null */
};

/* The members of an input record that hf-merge supported reads, found in
 * one pass. */
enum {
	K_ID, K_SUPPORTED, K_ARCH, K_DOWNLOADS, K_LIKES, K_PARAMS,
	K_LAST_MODIFIED, K_TAGS, K_NKEYS,
};
static const char *const record_keys[K_NKEYS] = {
	"id", "supported", "architecture", "downloads", "likes",
	"parameter_count", "last_modified", "tags",
};

/* A key that needs no escaping (a literal), copied as it is. */
#define KEY(w, k)	jw_key_raw((w), "" k, sizeof(k) - 1)

struct merge {
	enum mode	 mode;
	char		*dir;
	char		*path;		/* DIR/supported_models.json or gaps */
	char		 date[11];
	struct pyjson	 scan;		/* --scan-info */
	int		 has_scan;
	int		 no_metadata;
	struct pyjson	 doc;		/* the existing file */
	int		 has_doc;
	struct pyjson	 rec;		/* one input line */
	struct line	*in;		/* accepted input lines */
	size_t		 nin, capin;
	struct strset	 input_ids;	/* ids (gaps: architectures) of in */
	struct buf	 tmp, tmp2, tmp3;
	int		 models;	/* the doc's models and scan_info */
	int		 scan_info;	/* (-1: none), found in one pass */
	/* left out by design, for the summary line */
	int64_t		 unsupported, repeated, present, file_dups;
};

static void	usage(FILE *, int) __attribute__((noreturn));
static void	usage_error(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
static void	parse_args(int, char *[], struct merge *);
static int	take_record(struct nd_line *, void *);
static int	iso_utc(const char *, size_t, char [40]);
static int	take_gap(struct nd_line *, void *);
static int	open_dir(struct merge *);
static int	load_existing(struct merge *);
static int	write_supported(struct merge *);
static int	write_gaps(struct merge *);
static int	write_history(const struct merge *);
static void	summary(const struct merge *);

static void
usage(FILE *fp, int status)
{
	fputs("usage: hf-merge supported -o dir [--no-metadata] "
	    "[--date yyyy-mm-dd]\n"
	    "                [--scan-info json] [file ...]\n"
	    "       hf-merge gaps -o dir [--date yyyy-mm-dd] "
	    "[--scan-info json] [file ...]\n", fp);
	exit(status == 0 ? hf_finish(0) : status);
}

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	usage(stderr, HF_EXIT_USAGE);
}

/* --- a set of exact strings ------------------------------------------ */

static void
set_grow(struct strset *s)
{
	struct slot *t;
	size_t cap = s->cap ? s->cap * 2 : 1024, i, k;

	t = xreallocarray(NULL, cap, sizeof(*t));
	memset(t, 0, cap * sizeof(*t));
	for (i = 0; i < s->cap; i++) {
		if (s->slot[i].h == 0)
			continue;
		for (k = s->slot[i].h & (cap - 1); t[k].h != 0;
		    k = (k + 1) & (cap - 1))
			;
		t[k] = s->slot[i];
	}
	free(s->slot);
	s->slot = t;
	s->cap = cap;
}

/* Add k: 1 if it was new, 0 if already there. */
static int
set_add(struct strset *s, const char *k, size_t n)
{
	uint64_t h = idset_hash(k, n);	/* never 0 */
	struct slot *e;
	size_t i;

	if (2 * (s->n + 1) > s->cap)
		set_grow(s);
	for (i = h & (s->cap - 1); (e = &s->slot[i])->h != 0;
	    i = (i + 1) & (s->cap - 1))
		if (e->h == h && e->len == n &&
		    memcmp(s->keys.data + e->off, k, n) == 0)
			return 0;
	e->h = h;
	e->off = s->keys.len;
	e->len = n;
	buf_add(&s->keys, k, n);
	s->n++;
	return 1;
}

static void
set_free(struct strset *s)
{
	free(s->slot);
	buf_free(&s->keys);
	memset(s, 0, sizeof(*s));
}

/* --- arguments ------------------------------------------------------- */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* n decimal digits at s: their value, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int
valid_date(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= month_days(y, m);
}

static void
parse_args(int argc, char *argv[], struct merge *m)
{
	const char *date = NULL, *why = NULL;
	time_t now;
	struct tm tm;
	size_t n;
	int ch;

	while ((ch = getopt_long(argc, argv, "ho:V", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_DATE:
			date = optarg;
			if (!valid_date(date))
				usage_error("--date: not a date as "
				    "YYYY-MM-DD: %s", date);
			break;
		case OPT_NO_METADATA:
			m->no_metadata = 1;
			break;
		case OPT_SCAN_INFO:
			if (pyjson_parse(&m->scan, optarg, strlen(optarg),
			    PYJSON_NAN, &why) == -1 ||
			    json_type(&m->scan.j, 0) != JSON_OBJECT)
				usage_error("--scan-info: not a JSON object: %s",
				    optarg);
			m->has_scan = 1;
			break;
		case 'o':
			m->dir = xstrdup(optarg);
			break;
		case 'V':
			hf_version();
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, HF_EXIT_USAGE);
		}
	}
	if (optind == argc)
		usage_error("%s", "supported or gaps expected");
	if (strcmp(argv[optind], "supported") == 0)
		m->mode = SUPPORTED;
	else if (strcmp(argv[optind], "gaps") == 0)
		m->mode = GAPS;
	else
		usage_error("not supported or gaps: %s", argv[optind]);
	if (m->dir == NULL || *m->dir == '\0')
		usage_error("%s", "-o dir is required");
	if (m->no_metadata && m->mode == GAPS)
		usage_error("%s", "--no-metadata is for hf-merge supported");
	for (n = strlen(m->dir); n > 1 && m->dir[n - 1] == '/'; n--)
		m->dir[n - 1] = '\0';
	buf_addf(&m->tmp, "%s/%s", m->dir,
	    m->mode == SUPPORTED ? SUPPORTED_FILE : GAPS_FILE);
	m->path = xstrdup(buf_cstr(&m->tmp));
	if (date != NULL) {
		memcpy(m->date, date, 11);
		return;
	}
	now = time(NULL);	/* date.today(): the local date */
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(m->date, sizeof(m->date), "%Y-%m-%d", &tm) != 10)
		errx(HF_EXIT_FATAL, "cannot tell today's date");
}

/* --- input ----------------------------------------------------------- */

/* The escaped text of string token i of p into b (reset): the one form
 * Python's equal strings share. -1 if it is not a string. */
static int
canon(struct buf *b, const struct pyjson *p, int i)
{
	size_t a;

	buf_reset(b);
	buf_cstr(b);		/* data is not NULL, even for "" */
	if (json_type(&p->j, i) != JSON_STRING)
		return -1;
	a = json_start(&p->j, i);
	return jw_reescape(b, p->text + a + 1, json_end(&p->j, i) - a - 2);
}

static struct line *
new_line(struct merge *m)
{
	struct line *k;

	if (m->nin == m->capin) {
		m->capin = m->capin ? m->capin * 2 : 256;
		m->in = xreallocarray(m->in, m->capin, sizeof(*m->in));
	}
	k = &m->in[m->nin++];
	memset(k, 0, sizeof(*k));
	return k;
}

/* Keep gap line l with its canonical architecture_id (in m->tmp). */
static void
keep_line(struct merge *m, const struct nd_line *l)
{
	struct line *k = new_line(m);

	k->len = l->len;
	k->id = l->len + 1;
	k->idlen = m->tmp.len;
	k->text = xmalloc(k->id + k->idlen + 1);
	memcpy(k->text, l->data, l->len);
	k->text[l->len] = '\0';
	memcpy(k->text + k->id, m->tmp.data, k->idlen);
	k->text[k->id + k->idlen] = '\0';
}

/* Append n bytes at s to b: their offset. */
static size_t
put_at(struct buf *b, const char *s, size_t n)
{
	size_t at = b->len;

	buf_add(b, s, n);
	return at;
}

/* Keep the record in m->rec (members k, canonical id in m->tmp and
 * architecture in m->tmp2): what write_entry writes, as it writes it. */
static void
keep_record(struct merge *m, const int k[])
{
	const struct json *j = &m->rec.j;
	struct buf *t = &m->tmp3;
	struct line *l = new_line(m);
	char iso[40];
	size_t a;
	int i;

	buf_reset(t);
	buf_addc(t, '"');
	l->id = put_at(t, m->tmp.data, m->tmp.len);
	l->idlen = m->tmp.len;
	buf_adds(t, "\"\"");
	l->arch = put_at(t, m->tmp2.data, m->tmp2.len);
	l->archlen = m->tmp2.len;
	buf_addc(t, '"');
	for (i = 0; i < N_NUMS; i++)
		l->has_num[i] = json_i64(j, k[K_DOWNLOADS + i],
		    &l->num[i]) == 0;
	buf_reset(&m->tmp2);
	if (json_str(j, k[K_LAST_MODIFIED], &m->tmp2, NULL) == 0 &&
	    iso_utc(m->tmp2.data ? m->tmp2.data : "", m->tmp2.len, iso) == 0) {
		l->isolen = strlen(iso);
		l->iso = put_at(t, iso, l->isolen);
	}
	if (json_type(j, k[K_TAGS]) == JSON_ARRAY) {
		a = json_start(j, k[K_TAGS]);
		l->tagslen = json_end(j, k[K_TAGS]) - a;
		l->tags = put_at(t, m->rec.text + a, l->tagslen);
	}
	l->text = xmalloc(t->len);
	memcpy(l->text, t->data, t->len);
}

/* Parse an input line into m->rec: HF_EXIT_OK if it is an object, else
 * the skip status. */
static int
parse_line(struct merge *m, struct nd_line *l)
{
	const char *why;

	if (pyjson_parse(&m->rec, l->data, l->len, 0, &why) == -1)
		return nd_skip(l, why);
	if (json_type(&m->rec.j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	return HF_EXIT_OK;
}

static int
take_record(struct nd_line *l, void *arg)
{
	struct merge *m = arg;
	const struct json *j = &m->rec.j;
	int rv, k[K_NKEYS];

	if ((rv = parse_line(m, l)) != HF_EXIT_OK)
		return rv;
	json_pick(j, 0, record_keys, K_NKEYS, k);
	if (k[K_ID] == -1)
		return nd_skip(l, "id: missing");
	if (canon(&m->tmp, &m->rec, k[K_ID]) == -1)
		return nd_skip(l, "id: not a string");
	if (json_type(j, k[K_SUPPORTED]) != JSON_TRUE ||
	    json_type(j, k[K_ARCH]) != JSON_STRING) {
		m->unsupported++;
		return HF_EXIT_OK;
	}
	if (!set_add(&m->input_ids, m->tmp.data, m->tmp.len)) {
		m->repeated++;
		return HF_EXIT_OK;
	}
	canon(&m->tmp2, &m->rec, k[K_ARCH]);
	keep_record(m, k);
	return HF_EXIT_OK;
}

static int
take_gap(struct nd_line *l, void *arg)
{
	struct merge *m = arg;
	int rv, id;

	if ((rv = parse_line(m, l)) != HF_EXIT_OK)
		return rv;
	if ((id = json_get(&m->rec.j, 0, "architecture_id")) == -1)
		return nd_skip(l, "architecture_id: missing");
	if (canon(&m->tmp, &m->rec, id) == -1)
		return nd_skip(l, "architecture_id: not a string");
	if (!set_add(&m->input_ids, m->tmp.data, m->tmp.len)) {
		m->repeated++;
		return HF_EXIT_OK;
	}
	keep_line(m, l);
	return HF_EXIT_OK;
}

/* --- the directory --------------------------------------------------- */

/* mkdir -p: DIR and its parents. */
static int
mkdir_p(const char *dir)
{
	char *path = xstrdup(dir), *p, c;
	struct stat st;
	int rv = -1;

	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0777) == -1 && errno != EEXIST) {
			warn("%s", path);
			goto out;
		}
		if ((*p = c) == '\0')
			break;
	}
	if (stat(dir, &st) == -1) {
		warn("%s", dir);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		warn("%s", dir);
		goto out;
	}
	rv = 0;
out:
	free(path);
	return rv;
}

static int
isalnum_c(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

/* Temporaries ".NAME.XXXXXX" of our files left by a killed writer: the
 * lock is held, so none of them belongs to a live one. */
static void
remove_stale(const char *dir)
{
	static const char *names[] = {
		SUPPORTED_FILE, GAPS_FILE, HISTORY_FILE,
	};
	struct buf p = { 0 };
	struct dirent *d;
	size_t i, n, k;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			n = strlen(names[i]);
			if (d->d_name[0] != '.' ||
			    strncmp(d->d_name + 1, names[i], n) != 0 ||
			    d->d_name[n + 1] != '.' ||
			    strlen(d->d_name) != n + 8)
				continue;
			for (k = n + 2; k < n + 8; k++)
				if (!isalnum_c(d->d_name[k]))
					break;
			if (k < n + 8)
				continue;
			buf_reset(&p);
			buf_addf(&p, "%s/%s", dir, d->d_name);
			if (unlink(buf_cstr(&p)) == -1)
				warn("%s", p.data);
		}
	}
	closedir(dp);
	buf_free(&p);
}

/* Lock path, created if need be: its descriptor (kept open until exit:
 * the lock dies with us), or -1. Says so when it has to wait. */
static int
lock_file(const char *path)
{
	int fd, r, saved;

	if ((fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0666)) == -1)
		return -1;
	if ((r = flock(fd, LOCK_EX | LOCK_NB)) == -1 && errno == EWOULDBLOCK) {
		warnx("%s: waiting for another hf-merge", path);
		while ((r = flock(fd, LOCK_EX)) == -1 && errno == EINTR)
			;
	}
	if (r == -1) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return r == -1 ? -1 : fd;
}

/* Create DIR, take its lock and clear what killed writers left. */
static int
open_dir(struct merge *m)
{
	struct buf lock = { 0 };
	int rv = 0;

	if (mkdir_p(m->dir) == -1)
		return -1;
	buf_addf(&lock, "%s/%s", m->dir, LOCK_FILE);
	if (lock_file(buf_cstr(&lock)) == -1) {
		warn("cannot lock %s", lock.data);
		rv = -1;
	} else
		remove_stale(m->dir);
	buf_free(&lock);
	return rv;
}

/* --- the existing file ----------------------------------------------- */

/* The whole file: 0, 1 if it does not exist, -1 (reported). */
static int
read_all(const char *path, struct buf *b)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 1;
		warn("%s", path);
		return -1;
	}
	for (;;) {
		buf_reserve(b, 65536);
		if ((n = read(fd, b->data + b->len, 65536)) == -1) {
			if (errno == EINTR)
				continue;
			warn("%s", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	close(fd);
	return 0;
}

/* The existing file's text into m->doc: 0, or -1 (reported) if it is not
 * a registry file this tool can merge into. */
static int
take_existing(struct merge *m, const char *text, size_t len)
{
	static const char *const keys[] = { "models", "scan_info" };
	const char *why = NULL;
	int k[2];

	if (pyjson_parse(&m->doc, text, len, PYJSON_NAN, &why) == -1) {
		warnx("%s: %s; left as it is", m->path, why);
		return -1;
	}
	if (json_type(&m->doc.j, 0) != JSON_OBJECT) {
		warnx("%s: not a JSON object; left as it is", m->path);
		return -1;
	}
	json_pick(&m->doc.j, 0, keys, 2, k);
	if (m->mode == SUPPORTED && k[0] != -1 &&
	    json_type(&m->doc.j, k[0]) != JSON_ARRAY) {
		warnx("%s: models: not a list; left as it is", m->path);
		return -1;
	}
	m->models = k[0];
	m->scan_info = k[1];
	m->has_doc = 1;
	return 0;
}

static int
load_existing(struct merge *m)
{
	struct buf text = { 0 };
	struct stat st;
	void *map;
	int r, fd;

	/* A regular file is mapped, not read: pyjson_parse copies it
	 * anyway, so a read would copy it twice and fault in as much
	 * anonymous memory again. */
	if ((fd = open(m->path, O_RDONLY | O_CLOEXEC)) != -1 &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX &&
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) != MAP_FAILED) {
		close(fd);
		r = take_existing(m, map, (size_t)st.st_size);
		munmap(map, (size_t)st.st_size);
		return r;
	}
	if (fd != -1)
		close(fd);
	if ((r = read_all(m->path, &text)) == 0)
		r = take_existing(m, text.data, text.len);
	buf_free(&text);
	return r == 1 ? 0 : r;
}

/* --- writing --------------------------------------------------------- */

static int
write_file(const char *path, struct buf *b)
{
	if (atomic_write(path, b->data, b->len) == -1) {
		warn("%s", path);
		return -1;
	}
	return 0;
}

/* A registry file goes out in pieces of about SPILL bytes as it is
 * formatted: never held whole (13 MB for 12k models, and as many page
 * faults). */
#define SPILL	(1 << 20)

static void
spill(struct buf *out, struct atomic *a, size_t at_least)
{
	if (a != NULL && out->len >= at_least) {	/* NULL: keep it all */
		(void)atomic_put(a, out->data, out->len);	/* sticks */
		buf_reset(out);
	}
}

/* Open path's temporary, format into it, commit: 0, or -1 (warned). */
static int
write_streamed(struct merge *m, const char *path,
    void (*format)(struct merge *, struct buf *, struct atomic *))
{
	struct buf out = { 0 };
	struct atomic a;
	int rv;

	if (atomic_open(&a, path) == -1) {
		warn("%s", path);
		return -1;
	}
	format(m, &out, &a);
	spill(&out, &a, 0);
	if ((rv = atomic_commit(&a, 1)) == -1)
		warn("%s", path);
	buf_free(&out);
	return rv;
}

/* generated_at and scan_info: --scan-info, else the file's, else null. */
static void
write_head(struct jw *w, struct merge *m)
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

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The UTC offset at s ("Z", "+HH:MM", "+HHMM", or none: UTC), in
 * seconds, or -1 (as INT32_MIN) if malformed. */
static int
utc_offset(const char *s, size_t n, long *off)
{
	int h, mi;

	*off = 0;
	if (n == 0 || (n == 1 && (s[0] == 'Z' || s[0] == 'z')))
		return 0;
	if ((s[0] != '+' && s[0] != '-') || (n != 6 && n != 5))
		return -1;
	h = digits(s + 1, 2);
	mi = n == 6 ? (s[3] == ':' ? digits(s + 4, 2) : -1) : digits(s + 3, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600L + mi * 60L);
	return 0;
}

/* v (0 <= v < 10^n) as n decimal digits, zero-padded. */
static void
put_digits(char *o, int64_t v, int n)
{
	while (n-- > 0) {
		o[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * The Hub's "2025-01-02T03:04:05.000Z" as Python's datetime.isoformat()
 * prints that UTC instant: "2025-01-02T03:04:05+00:00", with
 * ".123000" when the fraction is not zero (microseconds, further digits
 * dropped). An offset is converted to UTC; none means UTC. -1 if s is
 * not such a time (the caller writes null).
 */
static int
iso_utc(const char *s, size_t n, char out[40])
{
	int y, mo, d, h, mi, sec;
	long us = 0, scale = 100000, off;
	int64_t t;
	size_t i = 19;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	if (i < n && s[i] == '.') {
		if (++i == n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			us += (s[i] - '0') * scale;
	}
	if (utc_offset(s + i, n - i, &off) == -1)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y, &mo, &d);
	t = ((t % 86400) + 86400) % 86400;
	if (y < 1 || y > 9999)
		return -1;
	/* "%04d-%02d-%02dT%02d:%02d:%02d" and ".%06ld", without printf's
	 * cost for each of thousands of models */
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, mo, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, t / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, t / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, t % 60, 2);
	i = 19;
	if (us != 0) {
		out[i++] = '.';
		put_digits(out + i, us, 6);
		i += 6;
	}
	memcpy(out + i, "+00:00", 7);
	return 0;
}

/* One of the record's integers, or null. */
static void
write_num(struct jw *w, const struct line *l, int i)
{
	if (l->has_num[i])
		jw_i64(w, l->num[i]);
	else
		jw_null(w);
}

/* The metadata object of a record kept by keep_record; p is scratch. */
static void
write_metadata(struct jw *w, const struct line *l, struct pyjson *p)
{
	jw_obj(w);
	KEY(w, "downloads");
	write_num(w, l, N_DOWNLOADS);
	KEY(w, "likes");
	write_num(w, l, N_LIKES);
	KEY(w, "last_modified");
	if (l->isolen > 0)
		jw_str(w, l->text + l->iso, l->isolen);
	else
		jw_null(w);
	KEY(w, "tags");
	/* the array's text alone: it parsed as part of the record */
	if (l->tagslen > 0 &&
	    pyjson_parse(p, l->text + l->tags, l->tagslen, 0, NULL) != -1)
		pyjson_dump(w, p, 0);
	else {
		jw_arr(w);
		jw_end(w);
	}
	KEY(w, "parameter_count");
	write_num(w, l, N_PARAMS);
	jw_end(w);
}

/* A new model: the reference's keys, in its order. */
static void
write_entry(struct jw *w, struct merge *m, const struct line *l)
{
	jw_obj(w);
	KEY(w, "architecture_id");
	jw_raw(w, l->text + l->arch - 1, l->archlen + 2);
	KEY(w, "model_id");
	jw_raw(w, l->text + l->id - 1, l->idlen + 2);
	KEY(w, "status");
	jw_i64(w, 0);
	KEY(w, "verified_date");
	jw_null(w);
	KEY(w, "metadata");
	if (m->no_metadata)
		jw_null(w);
	else
		write_metadata(w, l, &m->rec);
	KEY(w, "note");
	jw_null(w);
	KEY(w, "phase1_score");
	jw_null(w);
	KEY(w, "phase2_score");
	jw_null(w);
	KEY(w, "phase3_score");
	jw_null(w);
	KEY(w, "phase4_score");
	jw_null(w);
	KEY(w, "phase7_score");
	jw_null(w);
	KEY(w, "phase8_score");
	jw_null(w);
	jw_end(w);
}

/* Python's `entry.get("status", 0) == 1` for the status token k (-1:
 * none): true, 1 and 1.0 are equal. */
static int
verified(const struct pyjson *p, int k)
{
	double f;

	if (json_type(&p->j, k) == JSON_TRUE)
		return 1;
	return pyjson_number(p, k, &f) != -1 && f == 1.0;
}

static void
report_dup(struct merge *m, int e)
{
	const struct pyjson *d = &m->doc;
	int id = json_get(&d->j, e, "model_id");
	int a = json_get(&d->j, e, "architecture_id");
	int s = json_get(&d->j, e, "status");

	warnx("%s: duplicate of model_id %.*s dropped (architecture_id %.*s, "
	    "status %.*s)", m->path,
	    (int)(json_end(&d->j, id) - json_start(&d->j, id)),
	    d->text + json_start(&d->j, id),
	    a == -1 ? 7 : (int)(json_end(&d->j, a) - json_start(&d->j, a)),
	    a == -1 ? "missing" : d->text + json_start(&d->j, a),
	    s == -1 ? 7 : (int)(json_end(&d->j, s) - json_start(&d->j, s)),
	    s == -1 ? "missing" : d->text + json_start(&d->j, s));
	m->file_dups++;
}

/* Count an entry that stays: its architecture and whether verified
 * (k: its architecture_id and status tokens). */
static void
count_entry(struct merge *m, const struct pyjson *p, const int k[2],
    struct strset *archs, int64_t *nverified)
{
	if (canon(&m->tmp, p, k[0]) == 0)
		set_add(archs, m->tmp.data, m->tmp.len);
	*nverified += verified(p, k[1]);
}

/* Decide which existing entries stay (the first of each model_id) and
 * which new records are new models; count them for the headers. */
static void
plan_supported(struct merge *m, char *keep_old, char *keep_new,
    int64_t *total, int64_t *narch, int64_t *nverified)
{
	static const char *const keys[] = {
		"model_id", "architecture_id", "status",
	};
	const struct pyjson *d = &m->doc;
	const struct line *l;
	struct strset ids = { 0 }, archs = { 0 };
	int list = m->has_doc ? m->models : -1;
	int e, n, i, k[3];

	*total = *nverified = 0;
	e = json_first(&d->j, list);
	for (i = 0, n = json_size(&d->j, list); i < n; i++,
	    e = json_skip(&d->j, e)) {
		keep_old[i] = 1;
		if (json_type(&d->j, e) == JSON_OBJECT) {
			json_pick(&d->j, e, keys, 3, k);
			if (canon(&m->tmp, d, k[0]) == 0 &&
			    !set_add(&ids, m->tmp.data, m->tmp.len)) {
				keep_old[i] = 0;
				report_dup(m, e);
				continue;
			}
			count_entry(m, d, k + 1, &archs, nverified);
		}
		(*total)++;
	}
	for (i = 0; (size_t)i < m->nin; i++) {
		l = &m->in[i];
		keep_new[i] = (char)set_add(&ids, l->text + l->id, l->idlen);
		if (!keep_new[i]) {
			m->present++;
			continue;
		}
		set_add(&archs, l->text + l->arch, l->archlen);
		(*total)++;
	}
	*narch = (int64_t)archs.n;
	set_free(&ids);
	set_free(&archs);
}

/* supported_models.json as it is to be written, into out. */
static void
format_supported(struct merge *m, struct buf *out, struct atomic *a)
{
	const struct pyjson *d = &m->doc;
	int list = m->has_doc ? m->models : -1;
	int n = json_size(&d->j, list), i, e;
	int64_t total, narch, nverified;
	char *keep_old, *keep_new;
	struct jw w;

	keep_old = xmalloc((size_t)n + 1);
	keep_new = xmalloc(m->nin + 1);
	plan_supported(m, keep_old, keep_new, &total, &narch, &nverified);
	jw_init(&w, out, 1, 2);
	jw_obj(&w);
	write_head(&w, m);
	jw_key(&w, "total_architectures");
	jw_i64(&w, narch);
	jw_key(&w, "total_models");
	jw_i64(&w, total);
	jw_key(&w, "total_verified");
	jw_i64(&w, nverified);
	jw_key(&w, "models");
	jw_arr(&w);
	for (i = 0, e = json_first(&d->j, list); i < n; i++,
	    e = json_skip(&d->j, e))
		if (keep_old[i]) {
			pyjson_dump(&w, d, e);
			spill(out, a, SPILL);
		}
	for (i = 0; (size_t)i < m->nin; i++) {
		if (keep_new[i]) {
			write_entry(&w, m, &m->in[i]);
			spill(out, a, SPILL);
		}
	}
	jw_end(&w);
	if (m->has_doc)
		pyjson_dump_members(&w, d, 0, supported_keys);
	jw_end(&w);
	buf_addc(out, '\n');	/* the reference adds one to this file */
	jw_free(&w);
	free(keep_old);
	free(keep_new);
}

static int
write_supported(struct merge *m)
{
	return write_streamed(m, m->path, format_supported);
}

/* A 64-bit integer member of p's root, as written, or null. */
static void
write_count(struct jw *w, const struct pyjson *p, const char *key)
{
	int k = json_get(&p->j, 0, key);
	int64_t v;

	if (json_i64(&p->j, k, &v) == 0)
		pyjson_dump(w, p, k);
	else
		jw_null(w);
}

/* A gap line as hf-score prints it, in the reference's key order: wrong
 * types become null (sample_models keeps its strings), other keys
 * follow as they came. */
static void
write_gap(struct jw *w, const struct pyjson *p)
{
	const struct json *j = &p->j;
	int k, n, e;

	jw_obj(w);
	jw_key(w, "architecture_id");
	pyjson_dump(w, p, json_get(j, 0, "architecture_id"));
	jw_key(w, "total_models");
	write_count(w, p, "total_models");
	jw_key(w, "total_downloads");
	write_count(w, p, "total_downloads");
	jw_key(w, "min_param_count");
	write_count(w, p, "min_param_count");
	jw_key(w, "sample_models");
	jw_arr(w);
	k = json_get(j, 0, "sample_models");
	for (e = json_first(j, k), n = json_size(j, k); e != -1 && n > 0;
	    n--, e = json_skip(j, e))
		if (json_type(j, e) == JSON_STRING)
			pyjson_dump(w, p, e);
	jw_end(w);
	jw_key(w, "relevancy_score");
	k = json_get(j, 0, "relevancy_score");
	if (json_type(j, k) == JSON_NUMBER)
		pyjson_dump(w, p, k);
	else
		jw_null(w);
	pyjson_dump_members(w, p, 0, gap_fields);
	jw_end(w);
}

/* architecture_gaps.json as it is to be written, into out. */
static void
format_gaps(struct merge *m, struct buf *out, struct atomic *a)
{
	int64_t total = 0, v;
	struct jw w;
	size_t i;

	for (i = 0; i < m->nin; i++) {
		pyjson_parse(&m->rec, m->in[i].text, m->in[i].len, 0, NULL);
		if (json_i64(&m->rec.j, json_get(&m->rec.j, 0, "total_models"),
		    &v) == 0 && __builtin_add_overflow(total, v, &total))
			total = v > 0 ? INT64_MAX : INT64_MIN;
	}
	jw_init(&w, out, 1, 2);
	jw_obj(&w);
	write_head(&w, m);
	jw_key(&w, "total_unsupported_architectures");
	jw_i64(&w, (int64_t)m->nin);
	jw_key(&w, "total_unsupported_models");
	jw_i64(&w, total);
	jw_key(&w, "gaps");
	jw_arr(&w);
	for (i = 0; i < m->nin; i++) {
		pyjson_parse(&m->rec, m->in[i].text, m->in[i].len, 0, NULL);
		write_gap(&w, &m->rec);
		spill(out, a, SPILL);
	}
	jw_end(&w);
	if (m->has_doc)
		pyjson_dump_members(&w, &m->doc, 0, gaps_keys);
	jw_end(&w);
	/* the reference writes this file without a final newline */
	jw_free(&w);
}

static int
write_gaps(struct merge *m)
{
	return write_streamed(m, m->path, format_gaps);
}

/* The reference's placeholder, when there is no history yet. */
static int
write_history(const struct merge *m)
{
	struct buf path = { 0 }, text = { 0 };
	struct stat st;
	int rv = 0;

	buf_addf(&path, "%s/%s", m->dir, HISTORY_FILE);
	if (lstat(buf_cstr(&path), &st) == -1) {
		buf_adds(&text, HISTORY_TEXT);
		if (errno != ENOENT) {
			warn("%s", path.data);
			rv = -1;
		} else
			rv = write_file(path.data, &text);
	}
	buf_free(&path);
	buf_free(&text);
	return rv;
}

static void
part(struct buf *b, int64_t n, const char *one, const char *many)
{
	if (n == 0)
		return;
	buf_addf(b, "%s%" PRId64 " %s", b->len ? ", " : "", n,
	    n == 1 ? one : many);
}

/* The design drops, in one line. */
static void
summary(const struct merge *m)
{
	struct buf b = { 0 };

	part(&b, m->unsupported, "unsupported record", "unsupported records");
	part(&b, m->repeated, m->mode == GAPS ? "repeated architecture" :
	    "repeated record", m->mode == GAPS ? "repeated architectures" :
	    "repeated records");
	part(&b, m->present, "model already in the file",
	    "models already in the file");
	part(&b, m->file_dups, "duplicate entry of the file",
	    "duplicate entries of the file");
	if (b.len > 0)
		warnx("%s: left out: %s", m->path, buf_cstr(&b));
	buf_free(&b);
}

static void
merge_free(struct merge *m)
{
	size_t i;

	for (i = 0; i < m->nin; i++)
		free(m->in[i].text);
	free(m->in);
	free(m->dir);
	free(m->path);
	pyjson_free(&m->scan);
	pyjson_free(&m->doc);
	pyjson_free(&m->rec);
	set_free(&m->input_ids);
	buf_free(&m->tmp);
	buf_free(&m->tmp2);
	buf_free(&m->tmp3);
}

int
merge_main(int argc, char *argv[])
{
	struct merge m = { 0 };
	int rv;

	parse_args(argc, argv, &m);
	argc -= optind + 1;
	argv += optind + 1;

	rv = nd_each(argc, argv, m.mode == SUPPORTED ? take_record :
	    take_gap, &m);
	if (rv == HF_EXIT_FATAL) {
		warnx("%s: not written", m.path);
	} else if (m.mode == GAPS && m.nin == 0) {
		warnx("no gap entries in the input: %s left as it is",
		    m.path);
		rv = HF_EXIT_FATAL;
	} else if (open_dir(&m) == -1 || load_existing(&m) == -1 ||
	    (m.mode == SUPPORTED ? write_supported(&m) : write_gaps(&m)) ==
	    -1 || write_history(&m) == -1) {
		rv = HF_EXIT_FATAL;
	} else
		summary(&m);
	merge_free(&m);
	return hf_finish(rv);
}

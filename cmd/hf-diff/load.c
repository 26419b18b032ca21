/* load.c: a registry directory read as Python's json.load reads it, into
 * what hf-diff compares: the first entry of each model id, the first gap
 * of each architecture, and the totals recomputed from the lists. */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "strmap.h"
#include "util.h"
#include "diff.h"

static int	parse(struct pyjson *, const char *, const char *, size_t,
		    const char *, int *);
static struct str arch_key(struct reg *, const struct pyjson *, int);
static void	take_entry(struct reg *, int);
static void	take_gap(struct reg *, int, int64_t);
static int	put_first(struct reg *, struct strmap *, struct str, size_t,
		    int64_t *, size_t);
/* One side, loaded by a thread of its own. */
struct load {
	struct reg	*r;
	const char	*dir;
	int		 rv;
};

static int	reg_parse(struct reg *, const char *, const char *, size_t,
		    const char *, size_t);
static void	reg_index(struct reg *);
static int	load_parse(struct reg *, const char *);
static void	*load_thread(void *);
static int	open_file(struct buf *, const char *, const char **,
		    size_t *, size_t *, int *);

const char *
reg_s(const struct reg *r, struct str s)
{
	return r->str.data + s.off;
}

/* Parse text as the file name, an object whose key (if there) holds an
 * array: 0 and *list (-1: no key), or -1 (warned). */
static int
parse(struct pyjson *p, const char *name, const char *text, size_t len,
    const char *key, int *list)
{
	const char *why = NULL;

	*list = -1;
	if (pyjson_parse(p, text, len, PYJSON_NAN, &why) == -1) {
		warnx("%s: %s", name, why);
		return -1;
	}
	if (json_type(&p->j, 0) != JSON_OBJECT) {
		warnx("%s: not a JSON object", name);
		return -1;
	}
	*list = json_get(&p->j, 0, key);
	if (*list != -1 && json_type(&p->j, *list) != JSON_ARRAY) {
		warnx("%s: %s: not a list", name, key);
		return -1;
	}
	return 0;
}

/* The key an architecture_id is grouped and sorted by: "s" and the
 * decoded string, or "v" and the JSON text of another value (an absent
 * one is null), so that strings sort first and "null" is not null. */
static struct str
arch_key(struct reg *r, const struct pyjson *p, int i)
{
	struct str s = { r->str.len, 0 };
	struct jw w;

	if (json_type(&p->j, i) == JSON_STRING) {
		buf_addc(&r->str, 's');
		(void)json_str(&p->j, i, &r->str, NULL);
	} else {
		buf_addc(&r->str, 'v');
		jw_init(&w, &r->str, 1, 0);
		if (i == -1 || pyjson_dump(&w, p, i) == -1)
			jw_null(&w);
		jw_free(&w);
	}
	buf_addc(&r->str, '\0');
	s.len = r->str.len - s.off - 1;
	return s;
}

/* Puts r's string k into map with value: 1 the first time; later times
 * count in *repeated, cut r's strings back to mark and give 0. */
static int
put_first(struct reg *r, struct strmap *map, struct str k, size_t mark,
    int64_t *repeated, size_t value)
{
	struct strmap_slot *sl;
	int added;

	sl = strmap_put(map, reg_s(r, k), k.len, &added);
	if (!added) {
		(*repeated)++;
		r->str.len = mark;
		return 0;
	}
	sl->value = value;
	return 1;
}

/* One element of "models": counted in the totals; the first of its id
 * kept. */
static void
take_entry(struct reg *r, int obj)
{
	static const char *const keys[] = {
		"model_id", "architecture_id", "status", "metadata",
	};
	struct strmap_slot *sl;
	struct entry e = { .obj = obj, .downloads = -1 };
	const struct json *j = &r->sup.j;
	size_t mark = r->str.len;
	int k[4];

	r->t.models++;
	if (json_type(j, obj) != JSON_OBJECT) {
		r->unnamed++;
		return;
	}
	json_pick(j, obj, keys, 4, k);
	e.id_tok = k[0];
	e.arch_tok = k[1];
	e.status = k[2];
	e.arch = arch_key(r, &r->sup, k[1]);
	r->t.verified += py_is_one(&r->sup, k[2]);
	(void)strmap_put(&r->archs, reg_s(r, e.arch), e.arch.len, NULL);
	if (json_type(j, k[0]) != JSON_STRING) {
		r->unnamed++;
		r->str.len = mark;
		return;
	}
	e.id.off = r->str.len;
	(void)json_str(j, k[0], &r->str, NULL);
	e.id.len = r->str.len - e.id.off;
	buf_addc(&r->str, '\0');
	if (!put_first(r, &r->ids, e.id, mark, &r->repeated, r->ne))
		return;
	sl = strmap_get(&r->archs, reg_s(r, e.arch), e.arch.len);
	sl->value++;
	if (json_type(j, k[3]) == JSON_OBJECT &&
	    (e.downloads = json_get(j, k[3], "downloads")) != -1 &&
	    pyjson_number(&r->sup, e.downloads, &e.dl) != -1 &&
	    e.dl == e.dl)
		e.has_dl = 1;
	if (r->ne == r->ecap)
		r->e = xreallocarray(r->e, r->ecap = r->ecap * 2 + 64,
		    sizeof(*r->e));
	r->e[r->ne++] = e;
}

/* One element of "gaps", at rank: counted; the first of its
 * architecture kept. */
static void
take_gap(struct reg *r, int obj, int64_t rank)
{
	static const char *const keys[] = {
		"architecture_id", "total_models", "relevancy_score",
	};
	struct gap g = { .rank = rank };
	const struct json *j = &r->gap.j;
	size_t mark = r->str.len;
	int64_t n, sum;
	int k[3];

	r->t.gap_archs++;
	if (json_type(j, obj) != JSON_OBJECT)
		return;
	json_pick(j, obj, keys, 3, k);
	/* A sum beyond int64 stays at its last value: see hf-diff(1). */
	if (json_i64(j, k[1], &n) == 0 &&
	    !__builtin_add_overflow(r->t.gap_models, n, &sum))
		r->t.gap_models = sum;
	g.arch_tok = k[0];
	g.models = k[1];
	g.score = k[2];
	g.arch = arch_key(r, &r->gap, k[0]);
	if (!put_first(r, &r->garch, g.arch, mark, &r->grepeated, r->ng))
		return;
	if (r->ng == r->gcap)
		r->g = xreallocarray(r->g, r->gcap = r->gcap * 2 + 16,
		    sizeof(*r->g));
	r->g[r->ng++] = g;
}

/* The two texts parsed, nothing more: this much runs in a thread of its
 * own (pyjson_parse keeps no static state). */
static int
reg_parse(struct reg *r, const char *name, const char *sup, size_t nsup,
    const char *gaps, size_t ngaps)
{
	struct buf b = { 0 };

	r->list[0] = r->list[1] = -1;
	buf_addf(&b, "%s/%s", name, DIFF_SUPPORTED_FILE);
	r->name[0] = xstrdup(buf_cstr(&b));
	buf_reset(&b);
	buf_addf(&b, "%s/%s", name, DIFF_GAPS_FILE);
	r->name[1] = xstrdup(buf_cstr(&b));
	buf_free(&b);
	if (sup != NULL && parse(&r->sup, r->name[0], sup, nsup, "models",
	    &r->list[0]) == -1)
		return -1;
	if (gaps != NULL && parse(&r->gap, r->name[1], gaps, ngaps, "gaps",
	    &r->list[1]) == -1)
		return -1;
	return 0;
}

/* The parsed lists into the entries, the gaps and the totals. */
static void
reg_index(struct reg *r)
{
	int64_t rank = 0;
	int i, left;

	left = r->list[0] == -1 ? 0 : json_size(&r->sup.j, r->list[0]);
	for (i = r->list[0] + 1; left > 0; left--, i = json_skip(&r->sup.j, i))
		take_entry(r, i);
	r->t.architectures = (int64_t)r->archs.n;
	left = r->list[1] == -1 ? 0 : json_size(&r->gap.j, r->list[1]);
	for (i = r->list[1] + 1; left > 0; left--, i = json_skip(&r->gap.j, i))
		take_gap(r, i, ++rank);
}

int
reg_take(struct reg *r, const char *name, const char *sup, size_t nsup,
    const char *gaps, size_t ngaps)
{
	if (reg_parse(r, name, sup, nsup, gaps, ngaps) == -1)
		return -1;
	reg_index(r);
	return 0;
}

/* The file at path: mapped when it is a regular file (pyjson_parse
 * copies it anyway: a read would copy it twice), else read into b. 0
 * and *text, *len; or -1, with *missing set when it does not exist
 * (else warned). */
static int
open_file(struct buf *b, const char *path, const char **text, size_t *len,
    size_t *map, int *missing)
{
	struct stat st;
	void *p;
	int fd;

	*missing = 0;
	*map = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1 &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX &&
	    (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
	    0)) != MAP_FAILED) {
		close(fd);
		*text = p;
		*len = *map = (size_t)st.st_size;
		return 0;
	}
	if (fd != -1)
		close(fd);
	if (buf_read_file(b, path) == 0) {
		*text = b->data != NULL ? b->data : "";
		*len = b->len;
		return 0;
	}
	if (errno == ENOENT)
		*missing = 1;
	else
		warn("%s", path);
	return -1;
}

/* Read and parse the files of dir into r: 0, or -1 (warned). */
static int
load_parse(struct reg *r, const char *dir)
{
	struct buf path = { 0 }, b[2] = { { 0 }, { 0 } };
	static const char *const files[2] = {
		DIFF_SUPPORTED_FILE, DIFF_GAPS_FILE,
	};
	const char *text[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 }, map[2] = { 0, 0 }, n;
	struct stat st;
	int i, missing, rv = -1;

	/* Both files may be missing, not the directory: a mistyped name
	 * would show every model as added. */
	if (stat(dir, &st) == -1) {
		warn("%s", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("%s: %s", dir, strerror(ENOTDIR));
		return -1;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (i = 0; i < 2; i++) {
		buf_reset(&path);
		buf_addf(&path, "%.*s/%s", (int)n, dir, files[i]);
		if (open_file(&b[i], buf_cstr(&path), &text[i], &len[i],
		    &map[i], &missing) == -1 && !missing)
			goto done;
	}
	buf_reset(&path);
	buf_addf(&path, "%.*s", (int)n, dir);
	rv = reg_parse(r, buf_cstr(&path), text[0], len[0], text[1], len[1]);
done:
	for (i = 0; i < 2; i++) {
		if (map[i] > 0)
			munmap((void *)(uintptr_t)text[i], map[i]);
		buf_free(&b[i]);
	}
	buf_free(&path);
	return rv;
}

static void *
load_thread(void *arg)
{
	struct load *l = arg;

	l->rv = load_parse(l->r, l->dir);
	return NULL;
}

int
reg_load(struct reg *old, const char *dold, struct reg *new,
    const char *dnew)
{
	struct load l = { old, dold, -1 };
	pthread_t t;
	int rv, started;

	/* The two sides are parsed at once, on two cores: parsing is most
	 * of the time. */
	started = pthread_create(&t, NULL, load_thread, &l) == 0;
	if (!started)
		load_thread(&l);
	rv = load_parse(new, dnew);
	if (started)
		pthread_join(t, NULL);
	if (l.rv == -1 || rv == -1)
		return -1;
	reg_index(old);
	reg_index(new);
	return 0;
}

void
reg_report(const struct reg *r)
{
	if (r->repeated > 0)
		warnx("%s: %lld repeated model ids: the first entry of each "
		    "is compared", r->name[0], (long long)r->repeated);
	if (r->unnamed > 0)
		warnx("%s: %lld entries without a string model_id: counted, "
		    "not compared", r->name[0], (long long)r->unnamed);
	if (r->grepeated > 0)
		warnx("%s: %lld repeated architectures: the first gap of each "
		    "is compared", r->name[1], (long long)r->grepeated);
}

void
reg_free(struct reg *r)
{
	free(r->name[0]);
	free(r->name[1]);
	pyjson_free(&r->sup);
	pyjson_free(&r->gap);
	buf_free(&r->str);
	free(r->e);
	free(r->g);
	strmap_free(&r->ids);
	strmap_free(&r->garch);
	strmap_free(&r->archs);
	memset(r, 0, sizeof(*r));
}

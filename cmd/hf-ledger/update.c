/* update.c: the ledger's merge (see ledger.h): one line per unsupported
 * model of the main scans, in the order the models were first seen, a
 * model seen again replaced in place by its newer record. Keys are the
 * ids decoded (two spellings of one id are one model); a gap entry of
 * an imported gaps file is keyed by its whole line. */
#include <sys/mman.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "stage.h"
#include "strmap.h"
#include "util.h"
#include "ledger.h"

/* The first byte of an old line's key: a model's id, or a gap entry. */
#define KEY_ID	'i'
#define KEY_GAP	'g'

/* A key's value in u->keys: the index in rec of its new record plus one
 * (0: none), shifted left a bit, the bit OLD_SEEN set once an old line
 * had the key. The ids of new records and the keys of old lines are one
 * map, so that a key both have is stored once. */
#define OLD_SEEN	1
#define REC_SHIFT	1

static int	scratch_open(struct update *);
static int	keep(struct update *, const char *, size_t);
static int	text_map(struct update *);
static int	old_key(struct update *, struct nd_line *);
static void	put_line(struct update *, const char *, size_t);

/* The temporary file of the kept records: 0, or -1 warned. */
static int
scratch_open(struct update *u)
{
	static char iobuf[1 << 16];	/* one update at a time */
	const char *dir = getenv("TMPDIR");
	struct buf path = { 0 };
	int fd;

	buf_addf(&path, "%s/hf-ledger.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	u->scratch_path = buf_cstr(&path);
	if ((fd = mkstemp(u->scratch_path)) == -1) {
		warn("%s", u->scratch_path);
		return -1;
	}
	unlink(u->scratch_path);
	if ((u->scratch = fdopen(fd, "w+")) == NULL) {
		warn("%s", u->scratch_path);
		close(fd);
		return -1;
	}
	setvbuf(u->scratch, iobuf, _IOFBF, sizeof(iobuf));
	return 0;
}

/* A new record, its key in u->key: kept, in its first place, with its
 * last text (a newline after it, so that it is put in one piece): 0, or
 * -1 warned. */
static int
keep(struct update *u, const char *line, size_t len)
{
	struct strmap_slot *s;
	struct update_rec *r;

	if (u->direct) {
		u->put(u->arg, line, len);
		u->put(u->arg, "\n", 1);
	} else if ((u->scratch == NULL && scratch_open(u) == -1) ||
	    fwrite(line, 1, len, u->scratch) != len ||
	    putc('\n', u->scratch) == EOF) {
		if (u->scratch != NULL)
			warn("%s", u->scratch_path);
		return -1;
	}
	s = strmap_put(&u->keys, u->key.data, u->key.len, NULL);
	u->repeated |= s->value >> REC_SHIFT != 0;
	if (s->value >> REC_SHIFT == 0) {
		if (u->nrec == u->caprec) {
			u->caprec = u->caprec ? u->caprec * 2 : 256;
			u->rec = xreallocarray(u->rec, u->caprec,
			    sizeof(*u->rec));
		}
		s->value = ++u->nrec << REC_SHIFT;
	}
	r = &u->rec[(s->value >> REC_SHIFT) - 1];
	r->off = u->stored;
	r->len = len;
	r->placed = 0;
	u->stored += len + 1;
	return 0;
}

/* The kept records' lines readable at u->text (once there are any): 0,
 * or -1 warned. The file goes; its mapping stays until update_free. */
static int
text_map(struct update *u)
{
	void *m;
	int bad;

	if (u->text != NULL || u->stored == 0)
		return 0;
	if (fflush(u->scratch) == EOF || (m = mmap(NULL, u->stored,
	    PROT_READ, MAP_PRIVATE, fileno(u->scratch), 0)) == MAP_FAILED) {
		warn("%s", u->scratch_path);
		return -1;
	}
	u->text = m;
	bad = fclose(u->scratch) == EOF;
	u->scratch = NULL;
	if (bad) {
		warn("%s", u->scratch_path);
		return -1;
	}
	return 0;
}

int
update_new(struct nd_line *l, void *arg)
{
	static const char *const keys[] = { "id", "supported", "architecture" };
	struct update *u = arg;
	int f[3], rv;

	if ((rv = stage_record(&u->j, l, keys, 3, f)) != HF_EXIT_OK)
		return rv;
	u->records++;
	if (json_type(&u->j, f[1]) == JSON_TRUE) {
		if (u->supported != NULL &&
		    (fwrite(l->data, 1, l->len, u->supported) != l->len ||
		    putc('\n', u->supported) == EOF)) {
			u->write_error = 1;
			return HF_EXIT_FATAL;
		}
		return HF_EXIT_OK;
	}
	if (json_type(&u->j, f[2]) != JSON_STRING) {
		u->no_arch++;
		return HF_EXIT_OK;
	}
	buf_reset(&u->key);
	buf_addc(&u->key, KEY_ID);
	if (json_str(&u->j, f[0], &u->key, NULL) == -1)
		return nd_skip(l, "id: not a valid string");
	return keep(u, l->data, l->len) == 0 ? HF_EXIT_OK : HF_EXIT_FATAL;
}

/* The key of old line l into u->key: HF_EXIT_OK, or the line skipped.
 * A line with a string "id" is a model's, any other with an
 * "architecture_id" an imported gap entry. A line the Python tool's NaN
 * or Infinity made (an earlier import kept them) is read as json.load
 * would. */
static int
old_key(struct update *u, struct nd_line *l)
{
	const struct json *j = &u->j;
	const char *why;
	int id;

	if (json_parse(&u->j, l->data, l->len, JSON_UTF8, &why) == -1) {
		if (pyjson_parse(&u->py, l->data, l->len, PYJSON_NAN,
		    NULL) == -1)
			return nd_skip(l, why);
		j = &u->py.j;
	}
	if (json_type(j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	buf_reset(&u->key);
	id = json_get(j, 0, "id");
	if (json_type(j, id) != JSON_STRING &&
	    json_get(j, 0, "architecture_id") != -1) {
		buf_addc(&u->key, KEY_GAP);
		buf_add(&u->key, l->data, l->len);
		return HF_EXIT_OK;
	}
	if (id == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, id) != JSON_STRING)
		return nd_skip(l, "id: not a string");
	buf_addc(&u->key, KEY_ID);
	if (json_str(j, id, &u->key, NULL) == -1)
		return nd_skip(l, "id: not a valid string");
	return HF_EXIT_OK;
}

static void
put_line(struct update *u, const char *line, size_t len)
{
	u->put(u->arg, line, len);
	u->put(u->arg, "\n", 1);
}

int
update_old(struct nd_line *l, void *arg)
{
	struct update *u = arg;
	struct strmap_slot *s;
	struct update_rec *r;
	int rv;

	if ((rv = old_key(u, l)) != HF_EXIT_OK)
		return rv;
	s = strmap_put(&u->keys, u->key.data, u->key.len, NULL);
	if (s->value & OLD_SEEN) {
		u->old_repeated++;	/* its first place holds it */
		return HF_EXIT_OK;
	}
	s->value |= OLD_SEEN;
	if (s->value >> REC_SHIFT != 0) {
		if (text_map(u) == -1)
			return HF_EXIT_FATAL;
		r = &u->rec[(s->value >> REC_SHIFT) - 1];
		r->placed = 1;
		u->put(u->arg, u->text + r->off, r->len + 1);
	} else
		put_line(u, l->data, l->len);
	return HF_EXIT_OK;
}

int
update_old_text(struct update *u, const char *text, size_t len)
{
	struct nd_line l = { "<import>", 0, NULL, 0 };
	struct buf line = { 0 };
	const char *p, *nl, *end;
	int rv = HF_EXIT_OK;

	if (len == 0)
		return rv;	/* text may be NULL then */
	end = text + len;
	for (p = text; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		buf_reset(&line);
		buf_add(&line, p, (size_t)(nl - p));
		l.data = buf_cstr(&line);
		l.len = line.len;
		l.lineno++;
		rv = hf_worst(rv, update_old(&l, u));
	}
	buf_free(&line);
	return rv;
}

int
update_map(struct update *u, int fd, const char *path)
{
	void *m;

	u->direct = 0;		/* update_rest writes every line again */
	if (u->stored == 0)
		return 0;
	if ((m = mmap(NULL, u->stored, PROT_READ, MAP_PRIVATE, fd, 0)) ==
	    MAP_FAILED) {
		warn("%s", path);
		return -1;
	}
	u->text = m;
	return 0;
}

int
update_rest(struct update *u)
{
	size_t i;

	if (u->direct && !u->repeated)
		return HF_EXIT_OK;	/* every line is in its place */
	if (text_map(u) == -1)
		return HF_EXIT_FATAL;
	for (i = 0; i < u->nrec; i++)
		if (!u->rec[i].placed)
			u->put(u->arg, u->text + u->rec[i].off,
			    u->rec[i].len + 1);
	return HF_EXIT_OK;
}

void
update_free(struct update *u)
{
	json_free(&u->j);
	pyjson_free(&u->py);
	buf_free(&u->key);
	if (u->scratch != NULL)
		fclose(u->scratch);
	if (u->text != NULL)
		munmap(u->text, u->stored);
	free(u->scratch_path);
	free(u->rec);
	strmap_free(&u->keys);
}

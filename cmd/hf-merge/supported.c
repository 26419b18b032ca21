/* supported.c: supported_models.json as hf-merge supported writes it:
 * the entries already there, the first of each model_id, then a new
 * entry for each new model, under headers counted afresh (see merge.h). */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "strmap.h"
#include "util.h"
#include "merge.h"

/* A key that needs no escaping (a literal), copied as it is. */
#define KEY(w, k)	jw_key_raw((w), "" k, sizeof(k) - 1)

/* The top-level keys of the file, in the reference's order. */
static const char *const supported_keys[] = {
	"generated_at", "scan_info", "total_architectures", "total_models",
	"total_verified", "models", NULL,
};

/*
 * The members every new entry has with the same values, as jw writes
 * them at an entry's depth: mid, "status" and "verified_date" after
 * "model_id"; tail, "note" and the phase scores after "metadata". jw
 * writes straight into its buffer and keeps no state but the nesting,
 * which they leave as they found it (the entry is not empty before them
 * and no key is pending after them): so they are formatted once, by jw
 * itself, and copied into each entry.
 */
struct fixed {
	struct buf	 mid, tail;
};

/* An id kept elsewhere. */
struct span {
	const char	*s;
	size_t		 len;
};

/* The new entries, formatted in chunks on two threads (chunks_run). */
struct news {
	const struct merge	*m;
	const struct plan	*p;
	const struct fixed	*f;
	size_t			 first;		/* the first kept, or nin */
	int			 old;		/* an old entry was kept */
	struct pyjson		 rec[2];	/* scratch of each thread */
};

/* What plan decides and counts for the headers. */
struct plan {
	char		*keep_old;	/* per entry of the file */
	struct span	*ids;		/* per entry: its canonical model_id */
	char		*keep_new;	/* per input line */
	int64_t		 total, narch, nverified;
};

static void	write_num(struct jw *, const struct input *, int);
static int	write_plain_tags(struct jw *, const struct input *);
static void	write_tags(struct jw *, const struct input *, struct pyjson *);
static void	write_metadata(struct jw *, const struct input *,
		    struct pyjson *);
static void	fixed_members(struct fixed *);
static void	write_entry(struct jw *, const struct merge *,
		    const struct input *, const struct fixed *, struct pyjson *);
static void	format_new(void *, size_t, size_t, struct buf *, int);
static int	verified(const struct pyjson *, int);
static void	report_dup(struct merge *, int);
static const char *span_id(const void *, size_t, size_t *);
static int	file_id(struct merge *, int, struct buf *, struct span *);
static void	plan_old(struct merge *, struct plan *, struct idtab *,
		    struct strmap *);
static void	plan(struct merge *, struct plan *);
static void	count(struct merge *, const struct plan *, int);

/* One of the record's integers, or null. */
static void
write_num(struct jw *w, const struct input *l, int i)
{
	if (l->has_num[i])
		jw_i64(w, l->num[i]);
	else
		jw_null(w);
}

/* Tags whose array holds only strings written as Python writes them
 * (printable ASCII, no escape), the common case: each string's text is
 * copied as it stands instead of the array being parsed again. 0, or -1
 * (nothing written) if they are not such. The text parsed as an array
 * (input.c): '[' first, ']' last, and with no backslash a '"' always
 * ends the string it is in. */
static int
write_plain_tags(struct jw *w, const struct input *l)
{
	const char *s = input_tags(l), *end = s + l->tagslen - 1, *q;
	const unsigned char *c;
	int in = 0;

	for (c = (const unsigned char *)s + 1; c < (const unsigned char *)end;
	    c++) {
		if (*c == '"')
			in = !in;
		else if (in ? *c < 0x20 || *c > 0x7e || *c == '\\' :
		    *c != ',' && *c != ' ' && *c != '\n' && *c != '\t' &&
		    *c != '\r')
			return -1;
	}
	jw_arr(w);
	while ((s = memchr(s, '"', (size_t)(end - s))) != NULL) {
		q = memchr(s + 1, '"', (size_t)(end - s - 1));
		jw_raw(w, s, (size_t)(q - s) + 1);
		s = q + 1;
	}
	jw_end(w);
	return 0;
}

/* The tags of a record kept by input.c, [] if they are not a list; p is
 * scratch. */
static void
write_tags(struct jw *w, const struct input *l, struct pyjson *p)
{
	if (l->tagslen > 0 && write_plain_tags(w, l) == 0)
		return;
	/* the array's text alone: it parsed as part of the record */
	if (l->tagslen > 0 &&
	    pyjson_parse(p, input_tags(l), l->tagslen, 0, NULL) != -1) {
		pyjson_dump(w, p, 0);
		return;
	}
	jw_arr(w);
	jw_end(w);
}

/* The metadata object of a record kept by input.c; p is scratch. */
static void
write_metadata(struct jw *w, const struct input *l, struct pyjson *p)
{
	char iso[DATE_ISO_MAX];

	jw_obj(w);
	KEY(w, "downloads");
	write_num(w, l, INPUT_DOWNLOADS);
	KEY(w, "likes");
	write_num(w, l, INPUT_LIKES);
	KEY(w, "last_modified");
	if (l->has_modified && date_iso_utc(input_modified(l), l->modlen,
	    iso) == 0)
		jw_str(w, iso, strlen(iso));
	else
		jw_null(w);
	KEY(w, "tags");
	write_tags(w, l, p);
	KEY(w, "parameter_count");
	write_num(w, l, INPUT_PARAMS);
	jw_end(w);
}

/* f's members, formatted by a jw in an entry as deep as supported_format
 * writes them. */
static void
fixed_members(struct fixed *f)
{
	struct buf b = { 0 };
	struct jw w;
	size_t at;

	jw_init(&w, &b, 1, 2);
	jw_obj(&w);		/* the file */
	KEY(&w, "models");
	jw_arr(&w);
	jw_obj(&w);		/* an entry */
	KEY(&w, "model_id");
	jw_null(&w);
	at = b.len;
	KEY(&w, "status");
	jw_i64(&w, 0);
	KEY(&w, "verified_date");
	jw_null(&w);
	buf_add(&f->mid, b.data + at, b.len - at);
	KEY(&w, "metadata");
	jw_null(&w);
	at = b.len;
	KEY(&w, "note");
	jw_null(&w);
	KEY(&w, "phase1_score");
	jw_null(&w);
	KEY(&w, "phase2_score");
	jw_null(&w);
	KEY(&w, "phase3_score");
	jw_null(&w);
	KEY(&w, "phase4_score");
	jw_null(&w);
	KEY(&w, "phase7_score");
	jw_null(&w);
	KEY(&w, "phase8_score");
	jw_null(&w);
	buf_add(&f->tail, b.data + at, b.len - at);
	jw_free(&w);
	buf_free(&b);
}

/* A new model: the reference's keys, in its order (see struct fixed);
 * rec is scratch. */
static void
write_entry(struct jw *w, const struct merge *m, const struct input *l,
    const struct fixed *f, struct pyjson *rec)
{
	jw_obj(w);
	KEY(w, "architecture_id");
	jw_raw(w, input_arch(l) - 1, l->archlen + 2);
	KEY(w, "model_id");
	jw_raw(w, input_id(l) - 1, l->idlen + 2);
	buf_add(w->out, f->mid.data, f->mid.len);
	KEY(w, "metadata");
	if (m->no_metadata)
		jw_null(w);
	else
		write_metadata(w, l, rec);
	buf_add(w->out, f->tail.data, f->tail.len);
	jw_end(w);
}

/* The kept new entries of in[from..to), for chunks_run: a writer of
 * their own goes on inside the models array, which holds members already
 * when an old entry or an earlier new one was kept. */
static void
format_new(void *arg, size_t from, size_t to, struct buf *out, int helper)
{
	struct news *nw = arg;
	struct jw w;
	size_t k;

	jw_init(&w, out, 1, 2);
	jw_resume(&w, 0, 1);			/* the file */
	jw_resume(&w, 1, nw->old || nw->first < from);	/* "models" */
	for (k = from; k < to; k++)
		if (nw->p->keep_new[k])
			write_entry(&w, nw->m, &nw->m->in[k], nw->f,
			    &nw->rec[helper]);
	jw_free(&w);
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

/* idtab's key for the file's ids: entry i's. */
static const char *
span_id(const void *arg, size_t i, size_t *len)
{
	const struct span *sp = arg;

	*len = sp[i].len;
	return sp[i].s;
}

/* The canonical model_id at token k of the file into *sp: in the file's
 * text when it is so already, else in m->store. 0, or -1 if it is not
 * a string input_canon takes. */
static int
file_id(struct merge *m, int k, struct buf *key, struct span *sp)
{
	const struct pyjson *d = &m->doc;
	size_t a;
	char *c;

	if (json_type(&d->j, k) != JSON_STRING)
		return -1;
	a = json_start(&d->j, k) + 1;
	sp->len = json_end(&d->j, k) - a - 1;
	if (pyjson_plain(d->text + a, sp->len)) {
		sp->s = d->text + a;
		return 0;
	}
	if (input_canon(key, d, k) == -1)
		return -1;
	sp->s = c = store_alloc(&m->store, key->len);
	sp->len = key->len;
	memcpy(c, key->data, key->len);
	return 0;
}

/* The file's entries: which stay (the first of each model_id), their
 * model_ids into ids (their texts in p->ids) and architectures into
 * archs (each with its entries), counted in p. */
static void
plan_old(struct merge *m, struct plan *p, struct idtab *ids,
    struct strmap *archs)
{
	static const char *const keys[] = {
		"model_id", "architecture_id", "status",
	};
	const struct pyjson *d = &m->doc;
	struct buf key = { 0 };
	int list = m->has_doc ? m->models : -1;
	int e, n, i, k[3];

	ids->key = span_id;
	ids->arg = p->ids;
	e = json_first(&d->j, list);
	for (i = 0, n = json_size(&d->j, list); i < n; i++,
	    e = json_skip(&d->j, e)) {
		p->keep_old[i] = 1;
		if (json_type(&d->j, e) == JSON_OBJECT) {
			json_pick(&d->j, e, keys, 3, k);
			if (file_id(m, k[0], &key, &p->ids[i]) == 0) {
				if (idtab_find(ids, p->ids[i].s,
				    p->ids[i].len) != 0) {
					p->keep_old[i] = 0;
					report_dup(m, e);
					continue;
				}
				idtab_add(ids, (size_t)i);
			}
			if (input_canon(&key, d, k[1]) == 0)
				strmap_put(archs, key.data, key.len,
				    NULL)->value++;
			p->nverified += verified(d, k[2]);
		}
		p->total++;
	}
	buf_free(&key);
}

/* Decide which existing entries stay and which new records are new
 * models; count them for the headers (and --summary). */
static void
plan(struct merge *m, struct plan *p)
{
	struct idtab ids = { 0 };
	struct strmap archs = { 0 };
	const struct input *l;
	size_t i;

	p->total = p->nverified = 0;
	plan_old(m, p, &ids, &archs);
	for (i = 0; i < m->nin; i++) {
		l = &m->in[i];
		/* input.c kept each id once: only the file's are looked up */
		p->keep_new[i] = idtab_find(&ids, input_id(l), l->idlen) == 0;
		if (!p->keep_new[i]) {
			m->present++;
			continue;
		}
		strmap_put(&archs, input_arch(l), l->archlen, NULL)->value++;
		p->total++;
	}
	p->narch = (int64_t)archs.n;
	if (m->summary_fd != -1)
		report_archs(&m->summary, p->narch, &archs);
	idtab_free(&ids);
	strmap_free(&archs);
}

/* What --stats reports, from the plan and the file's n entries. */
static void
count(struct merge *m, const struct plan *p, int n)
{
	struct merge_stats *st = &m->st;
	size_t i, op;

	st->before = n;
	st->total = p->total;
	st->narch = p->narch;
	st->nverified = p->nverified;
	st->added = 0;
	st->from = xreallocarray(st->from, st->nops + 1, sizeof(*st->from));
	memset(st->from, 0, (st->nops + 1) * sizeof(*st->from));
	for (i = 0, op = 0; i < m->nin; i++) {
		while (op < st->nops && i >= st->upto[op])
			op++;
		if (p->keep_new[i]) {
			st->added++;
			st->from[op]++;
		}
	}
}

void
supported_format(struct merge *m, struct merge_out *out)
{
	const struct pyjson *d = &m->doc;
	int list = m->has_doc ? m->models : -1;
	int n = json_size(&d->j, list), i, e;
	struct fixed f = { 0 };
	struct news news;
	struct plan p;
	struct jw w;
	size_t k, idsize = ((size_t)n + 1) * sizeof(*p.ids);

	p.keep_old = xmalloc((size_t)n + 1);
	p.keep_new = xmalloc(m->nin + 1);
	p.ids = store_array(NULL, 0, &idsize);
	plan(m, &p);
	count(m, &p, n);
	jw_init(&w, &out->buf, 1, 2);
	jw_obj(&w);
	merge_head(&w, m);
	jw_key(&w, "total_architectures");
	jw_i64(&w, p.narch);
	jw_key(&w, "total_models");
	jw_i64(&w, p.total);
	jw_key(&w, "total_verified");
	jw_i64(&w, p.nverified);
	jw_key(&w, "models");
	jw_arr(&w);
	memset(&news, 0, sizeof(news));
	for (i = 0, e = json_first(&d->j, list); i < n; i++,
	    e = json_skip(&d->j, e))
		if (p.keep_old[i]) {
			pyjson_dump(&w, d, e);
			merge_spill(out, MERGE_SPILL);
			news.old = 1;
		}
	fixed_members(&f);
	for (k = 0; k < m->nin && !p.keep_new[k]; k++)
		;
	news.m = m;
	news.p = &p;
	news.f = &f;
	news.first = k;
	chunks_run(&(struct chunks){ m->nin, format_new, &news }, out);
	if (news.first < m->nin)
		jw_fill(&w);	/* the models array holds them */
	pyjson_free(&news.rec[0]);
	pyjson_free(&news.rec[1]);
	buf_free(&f.mid);
	buf_free(&f.tail);
	jw_end(&w);
	if (m->has_doc)
		pyjson_dump_members(&w, d, 0, supported_keys);
	jw_end(&w);
	buf_addc(&out->buf, '\n');	/* the reference adds one to this file */
	jw_free(&w);
	free(p.keep_old);
	free(p.keep_new);
	store_array_free(p.ids, ((size_t)n + 1) * sizeof(*p.ids));
}

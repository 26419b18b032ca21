/* input.c: hf-merge's input lines, taken as they are read: records for
 * supported, gap entries for gaps (see merge.h). */
#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "util.h"
#include "merge.h"

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

static const char *line_id(const void *, size_t, size_t *);
static int	id_new(struct merge *);
static struct input *new_input(struct merge *);
static void	keep_gap(struct merge *, const struct nd_line *);
static char	*put(char *, const char *, size_t);
static void	keep_record(struct merge *, const int []);
static int	parse_line(struct merge *, struct nd_line *);

int
input_canon(struct buf *b, const struct pyjson *p, int i)
{
	size_t a;

	buf_reset(b);
	buf_cstr(b);		/* data is not NULL, even for "" */
	if (json_type(&p->j, i) != JSON_STRING)
		return -1;
	a = json_start(&p->j, i);
	return jw_reescape(b, p->text + a + 1, json_end(&p->j, i) - a - 2);
}

/* idtab's key for m->ids: the id of line i. */
static const char *
line_id(const void *arg, size_t i, size_t *len)
{
	const struct merge *m = arg;

	*len = m->in[i].idlen;
	return input_id(&m->in[i]);
}

/* Whether the id in m->id is not that of a line kept already: then it
 * is taken for the line about to be kept, the next of m->in. */
static int
id_new(struct merge *m)
{
	m->ids.key = line_id;
	m->ids.arg = m;
	if (idtab_find(&m->ids, m->id.data, m->id.len) != 0)
		return 0;
	idtab_add(&m->ids, m->nin);
	return 1;
}

static struct input *
new_input(struct merge *m)
{
	struct input *k;
	size_t size;

	if (m->nin == m->capin) {
		if (m->capin > SIZE_MAX / 2 / sizeof(*m->in))
			errx(HF_EXIT_FATAL, "out of memory");
		size = (m->capin ? m->capin * 2 : 256) * sizeof(*m->in);
		m->in = store_array(m->in, m->capin * sizeof(*m->in), &size);
		m->capin = size / sizeof(*m->in);
	}
	k = &m->in[m->nin++];
	memset(k, 0, sizeof(*k));
	return k;
}

/* Keep gap line l (parsed in m->rec) with its canonical
 * architecture_id (in m->id) and its integer total_models. */
static void
keep_gap(struct merge *m, const struct nd_line *l)
{
	const struct json *j = &m->rec.j;
	struct input *k = new_input(m);

	k->has_num[INPUT_MODELS] = json_i64(j, json_get(j, 0,
	    "total_models"), &k->num[INPUT_MODELS]) == 0;
	k->len = l->len;
	k->idlen = m->id.len;
	k->text = store_alloc(&m->store, k->len + k->idlen + 2);
	memcpy(k->text, l->data, l->len);
	k->text[l->len] = '\0';
	memcpy(k->text + k->len + 1, m->id.data, k->idlen);
	k->text[k->len + 1 + k->idlen] = '\0';
}

/* n bytes at s to o: after them. */
static char *
put(char *o, const char *s, size_t n)
{
	if (n > 0)
		memcpy(o, s, n);
	return o + n;
}

/* Keep the record in m->rec (members k, canonical id in m->id and
 * architecture in m->arch): what supported.c writes, as it writes it. */
static void
keep_record(struct merge *m, const int k[])
{
	const struct json *j = &m->rec.j;
	struct input *l = new_input(m);
	const char *tags = NULL;
	char *o;
	int i;

	l->idlen = m->id.len;
	l->archlen = m->arch.len;
	for (i = 0; i < INPUT_NNUMS; i++)
		l->has_num[i] = json_i64(j, k[K_DOWNLOADS + i],
		    &l->num[i]) == 0;
	/* converted when written: most records of a re-run are not */
	buf_reset(&m->modified);
	if (json_str(j, k[K_LAST_MODIFIED], &m->modified, NULL) == 0) {
		l->has_modified = 1;
		l->modlen = m->modified.len;
	}
	if (json_type(j, k[K_TAGS]) == JSON_ARRAY) {
		tags = m->rec.text + json_start(j, k[K_TAGS]);
		l->tagslen = json_end(j, k[K_TAGS]) - json_start(j, k[K_TAGS]);
	}
	l->text = o = store_alloc(&m->store, l->idlen + l->archlen +
	    l->modlen + l->tagslen + 4);
	*o++ = '"';
	o = put(o, m->id.data, l->idlen);
	*o++ = '"';
	*o++ = '"';
	o = put(o, m->arch.data, l->archlen);
	*o++ = '"';
	o = put(o, m->modified.data, l->modlen);
	(void)put(o, tags, l->tagslen);
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

int
input_record(struct nd_line *l, void *arg)
{
	struct merge *m = arg;
	const struct json *j = &m->rec.j;
	int rv, k[K_NKEYS];

	if ((rv = parse_line(m, l)) != HF_EXIT_OK)
		return rv;
	json_pick(j, 0, record_keys, K_NKEYS, k);
	if (k[K_ID] == -1)
		return nd_skip(l, "id: missing");
	if (input_canon(&m->id, &m->rec, k[K_ID]) == -1)
		return nd_skip(l, "id: not a string");
	if (json_type(j, k[K_SUPPORTED]) != JSON_TRUE ||
	    json_type(j, k[K_ARCH]) != JSON_STRING) {
		m->unsupported++;
		return HF_EXIT_OK;
	}
	if (!id_new(m)) {
		m->repeated++;
		return HF_EXIT_OK;
	}
	input_canon(&m->arch, &m->rec, k[K_ARCH]);
	keep_record(m, k);
	return HF_EXIT_OK;
}

int
input_gap(struct nd_line *l, void *arg)
{
	struct merge *m = arg;
	int rv, id;

	if ((rv = parse_line(m, l)) != HF_EXIT_OK)
		return rv;
	if ((id = json_get(&m->rec.j, 0, "architecture_id")) == -1)
		return nd_skip(l, "architecture_id: missing");
	if (input_canon(&m->id, &m->rec, id) == -1)
		return nd_skip(l, "architecture_id: not a string");
	if (!id_new(m)) {
		m->repeated++;
		return HF_EXIT_OK;
	}
	keep_gap(m, l);
	return HF_EXIT_OK;
}

/* pydump.c: a parsed text written back as Python's json.dump writes what
 * json.load read: a repeated key keeps its first place and takes its last
 * value, strings are re-escaped with ensure_ascii, floats written as repr
 * and integers of any size as their digits. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "util.h"

struct key {
	const char	*s;	/* the key as written out, without quotes: in
				 * the text, or re-escaped in a scratch buffer */
	size_t		 off;	/* there, until the buffer stops growing */
	size_t		 len;
	int		 pos;	/* its place in the object */
	int		 val;	/* its value's token */
};

/* Objects with at most this many keys are checked for repeated keys pair
 * by pair, with their keys on the stack. */
#define SMALL_OBJECT	16

static int	by_key(const void *, const void *);
static int	same_key(const struct key *, const struct key *);
static void	collapse_keys(struct key *, int);
static int	skipped(const char *, size_t, const char *const *);
static int	dump_string(struct jw *, const struct pyjson *, int);
static void	dump_number(struct jw *, const struct pyjson *, int);
static int	dump_value(struct jw *, const struct pyjson *, int);
static int	dump_members(struct jw *, const struct pyjson *, int,
		    const char *const *);

static int
by_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static int
same_key(const struct key *x, const struct key *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Python's dict from pairs: a repeated key keeps its first place and takes
 * its last value. Marks later repeats with val = -1. A small object (all
 * the registry's) is checked pair by pair, a larger one sorted. */
static void
collapse_keys(struct key *k, int n)
{
	struct key *s;
	int i, g;

	if (n <= SMALL_OBJECT) {
		for (i = 1; i < n; i++)
			for (g = 0; g < i; g++)
				if (k[g].val != -1 && same_key(&k[g], &k[i])) {
					k[g].val = k[i].val;
					k[i].val = -1;
					break;
				}
		return;
	}
	s = xreallocarray(NULL, (size_t)n, sizeof(*s));
	memcpy(s, k, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), by_key);
	for (i = 0; i < n; i = g) {
		for (g = i + 1; g < n && same_key(&s[g], &s[i]); g++)
			k[s[g].pos].val = -1;
		k[s[i].pos].val = s[g - 1].val;
	}
	free(s);
}

/* Whether the escaped key k is one of the NULL-terminated skip list. */
static int
skipped(const char *k, size_t n, const char *const *skip)
{
	for (; skip != NULL && *skip != NULL; skip++)
		if (strlen(*skip) == n && memcmp(*skip, k, n) == 0)
			return 1;
	return 0;
}

int
pyjson_dump_members(struct jw *w, const struct pyjson *p, int obj,
    const char *const *skip)
{
	return dump_members(w, p, obj, skip) == -1 ? -1 : 0;
}

/* pyjson_dump_members: the token after obj's subtree, or -1. */
static int
dump_members(struct jw *w, const struct pyjson *p, int obj,
    const char *const *skip)
{
	const struct json *j = &p->j;
	struct buf keys = { 0 };
	struct key small[SMALL_OBJECT], *k = small;
	const char *body, *base;
	size_t len;
	int n = json_size(j, obj), i, e, rv = -1;

	if (json_type(j, obj) != JSON_OBJECT)
		return -1;
	if (n > SMALL_OBJECT)
		k = xreallocarray(NULL, (size_t)n, sizeof(*k));
	for (i = 0, e = obj + 1; i < n; i++, e = json_skip(j, e)) {
		body = p->text + json_start(j, e) + 1;
		len = json_end(j, e) - json_start(j, e) - 2;
		k[i].s = NULL;
		k[i].off = keys.len;
		if (pyjson_plain(body, len))
			k[i].s = body;
		else if (jw_reescape(&keys, body, len) == -1)
			goto out;
		k[i].len = k[i].s != NULL ? len : keys.len - k[i].off;
		k[i].pos = i;
		k[i].val = e + 1;
	}
	base = keys.data != NULL ? keys.data : "";	/* no longer moves */
	for (i = 0; i < n; i++)
		if (k[i].s == NULL)
			k[i].s = base + k[i].off;
	if (n > 1)
		collapse_keys(k, n);
	for (i = 0; i < n; i++) {
		if (k[i].val == -1 || skipped(k[i].s, k[i].len, skip))
			continue;
		jw_key_raw(w, k[i].s, k[i].len);
		if (dump_value(w, p, k[i].val) == -1)
			goto out;
	}
	rv = e;		/* after the last member */
out:
	if (k != small)
		free(k);
	buf_free(&keys);
	return rv;
}

/* A string with escapes or non-ASCII is rare: its own buffer each time,
 * so that threads (hf-merge's formatters) may dump at once. */
static int
dump_string(struct jw *w, const struct pyjson *p, int i)
{
	struct buf s = { 0 };
	size_t a = json_start(&p->j, i), b = json_end(&p->j, i);
	int rv = 0;

	if (pyjson_plain(p->text + a + 1, b - a - 2)) {
		jw_raw(w, p->text + a, b - a);	/* quotes included */
		return 0;
	}
	buf_addc(&s, '"');
	if (jw_reescape(&s, p->text + a + 1, b - a - 2) == -1)
		rv = -1;
	else {
		buf_addc(&s, '"');
		jw_raw(w, s.data, s.len);
	}
	buf_free(&s);
	return rv;
}

static void
dump_number(struct jw *w, const struct pyjson *p, int i)
{
	const char *s = p->text + json_start(&p->j, i);
	size_t n = json_end(&p->j, i) - json_start(&p->j, i);
	double f;
	size_t k;

	/* an integer (no '.', 'e' or 'E') is written as its digits: no
	 * strtod for it */
	k = 0;
	while (k < n && s[k] != '.' && s[k] != 'e' && s[k] != 'E')
		k++;
	if ((k < n || p->nspecial > 0) && pyjson_number(p, i, &f) == 1)
		jw_f64(w, f);
	else if (n == 2 && memcmp(s, "-0", 2) == 0)
		jw_raw(w, "0", 1);	/* int("-0") is 0 */
	else
		jw_raw(w, s, n);
}

/* The value at token i through w: the token after its subtree, or -1. */
static int
dump_value(struct jw *w, const struct pyjson *p, int i)
{
	const struct json *j = &p->j;
	int n, e;

	switch (json_type(j, i)) {
	case JSON_OBJECT:
		jw_obj(w);
		if ((e = dump_members(w, p, i, NULL)) == -1)
			return -1;
		jw_end(w);
		return e;
	case JSON_ARRAY:
		jw_arr(w);
		for (n = json_size(j, i), e = i + 1; n > 0; n--)
			if ((e = dump_value(w, p, e)) == -1)
				return -1;
		jw_end(w);
		return e;
	case JSON_STRING:
		return dump_string(w, p, i) == -1 ? -1 : i + 1;
	case JSON_NUMBER:
		dump_number(w, p, i);
		return i + 1;
	case JSON_TRUE:
	case JSON_FALSE:
	case JSON_NULL:
		jw_raw(w, p->text + json_start(j, i),
		    json_end(j, i) - json_start(j, i));
		return i + 1;
	default:
		return -1;
	}
}

int
pyjson_dump(struct jw *w, const struct pyjson *p, int i)
{
	return dump_value(w, p, i) == -1 ? -1 : 0;
}

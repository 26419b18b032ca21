/* jsonget.c: walking the tokens of a parsed text: types, spans, array
 * elements, object members by key, and an object copied without some of
 * its members. */
#include <string.h>

#include "json.h"
#include "json-internal.h"

static int	key_eq(const struct json *, int, const char *, size_t);
static int	dropped(const struct json *, int, const char *const [], int);

/* The span of token i including the quotes of a string. */
size_t
json_start(const struct json *j, int i)
{
	return (size_t)TOK(j, i).start - (TOK(j, i).type == JSMN_STRING);
}

size_t
json_end(const struct json *j, int i)
{
	return (size_t)TOK(j, i).end + (TOK(j, i).type == JSMN_STRING);
}

enum json_type
json_type(const struct json *j, int i)
{
	if (i < 0 || i >= j->n)
		return JSON_NONE;
	switch (TOK(j, i).type) {
	case JSMN_OBJECT:
		return JSON_OBJECT;
	case JSMN_ARRAY:
		return JSON_ARRAY;
	case JSMN_STRING:
		return JSON_STRING;
	case JSMN_PRIMITIVE:
		switch (j->s[TOK(j, i).start]) {
		case 't':
			return JSON_TRUE;
		case 'f':
			return JSON_FALSE;
		case 'n':
			return JSON_NULL;
		default:
			return JSON_NUMBER;
		}
	default:
		return JSON_NONE;
	}
}

int
json_size(const struct json *j, int i)
{
	return i < 0 || i >= j->n ? 0 : TOK(j, i).size;
}

/* jsmn nests a key's value under the key, so counting sizes walks the
 * whole subtree, keys and values alike. */
int
json_skip(const struct json *j, int i)
{
	int pending = 1;

	while (pending > 0 && i < j->n) {
		pending += TOK(j, i).size - 1;
		i++;
	}
	return i;
}

int
json_first(const struct json *j, int arr)
{
	if (json_type(j, arr) != JSON_ARRAY || TOK(j, arr).size == 0)
		return -1;
	return arr + 1;
}

static int
key_eq(const struct json *j, int k, const char *key, size_t klen)
{
	const jsmntok_t *t = &TOK(j, k);
	size_t n = (size_t)(t->end - t->start);
	const char *p = j->s + t->start;

	if (!json_escaped(j, k))
		return n == klen && memcmp(p, key, klen) == 0;
	return json_str_eq(j, k, key, klen);
}

int
json_get(const struct json *j, int obj, const char *key)
{
	size_t klen = strlen(key);
	int k, found = -1, left;

	if (json_type(j, obj) != JSON_OBJECT)
		return -1;
	left = TOK(j, obj).size;
	for (k = obj + 1; left > 0; left--) {
		if (key_eq(j, k, key, klen))
			found = k + 1;
		k = json_skip(j, k);	/* the key's subtree holds its value */
	}
	return found;
}

/* n is at most 16 (a program's fixed list of fields). */
int
json_pick(const struct json *j, int obj, const char *const keys[], int n,
    int out[])
{
	size_t len[16], kn;
	int k, i, left, found = 0;
	const char *kp;

	for (i = 0; i < n; i++)
		out[i] = -1;
	if (json_type(j, obj) != JSON_OBJECT || n > 16)
		return 0;
	for (i = 0; i < n; i++)
		len[i] = strlen(keys[i]);
	left = TOK(j, obj).size;
	for (k = obj + 1; left > 0; left--, k = json_skip(j, k)) {
		kp = j->s + TOK(j, k).start;
		kn = (size_t)(TOK(j, k).end - TOK(j, k).start);
		if (json_escaped(j, k)) {
			for (i = 0; i < n; i++)
				if (json_str_eq(j, k, keys[i], len[i]))
					break;
		} else {
			for (i = 0; i < n; i++)
				if (kn == len[i] && memcmp(kp, keys[i], kn) == 0)
					break;
		}
		if (i == n)
			continue;
		found += out[i] == -1;
		out[i] = k + 1;
	}
	return found;
}

static int
dropped(const struct json *j, int k, const char *const drop[], int ndrop)
{
	int d;

	for (d = 0; d < ndrop; d++)
		if (key_eq(j, k, drop[d], strlen(drop[d])))
			return 1;
	return 0;
}

int
json_copy_open(struct buf *out, const struct json *j, int obj,
    const char *const drop[], int ndrop)
{
	const char *s = j->s;
	size_t start = json_start(j, obj), close = json_end(j, obj) - 1;
	size_t ks, ve, prev_end = 0, gap_a = 0, gap_b = 0;
	int k, left, kept = 0, prev_kept = 0, any = 0;

	left = TOK(j, obj).size;
	for (k = obj + 1; left > 0 && !any; left--, k = json_skip(j, k))
		any = dropped(j, k, drop, ndrop);
	if (!any) {
		buf_add(out, s + start, close - start);
		return TOK(j, obj).size;
	}
	/* Rebuilt from the original bytes: '{' and the white space after
	 * it, each kept member preceded by the separator that followed the
	 * kept one before it, then the white space after the last one. */
	left = TOK(j, obj).size;
	k = obj + 1;
	buf_add(out, s + start, json_start(j, k) - start);
	for (; left > 0; left--, k = json_skip(j, k)) {
		ks = json_start(j, k);
		ve = json_end(j, k + 1);
		if (prev_kept) {
			gap_a = prev_end;
			gap_b = ks;
		}
		prev_kept = !dropped(j, k, drop, ndrop);
		prev_end = ve;
		if (!prev_kept)
			continue;
		if (kept++ > 0)
			buf_add(out, s + gap_a, gap_b - gap_a);
		buf_add(out, s + ks, ve - ks);
	}
	if (prev_kept)
		buf_add(out, s + prev_end, close - prev_end);
	else if (kept > 0)
		buf_add(out, s + gap_a, (size_t)((const char *)memchr(s + gap_a,
		    ',', gap_b - gap_a) - (s + gap_a)));
	return kept;
}

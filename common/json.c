/* json.c: the only translation unit that holds jsmn's implementation.
 *
 * jsmn tokenizes; it does not validate. Even in strict mode it accepts
 * "tru", "[1 2]", "{"a" "b"}", trailing commas, raw control bytes in
 * strings and stops at a NUL byte. json_parse therefore walks the tokens
 * once more and checks every gap between them, every primitive and every
 * string, so that what it accepts is exactly RFC 8259 JSON. */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

#define TOK(j, i)	(((jsmntok_t *)(j)->tok)[i])

struct frame {
	int	 tok;		/* the container */
	int	 left;		/* values still to come */
	int	 want_value;	/* object: a key was read, its value is next */
	int	 seen;		/* values read so far */
	size_t	 pos;		/* end of what was checked so far */
};

static int	fail(const char **, const char *);
static int	gap_ok(const char *, size_t, size_t, char);
static int	number_ok(const char *, size_t);
static int	primitive_ok(const char *, size_t);
static int	string_ok(const char *, size_t, int);
static int	tokenize(struct json *, const char *, size_t, const char **);
static int	root_primitive(struct json *, const char *, size_t);
static int	is_ws(char);
static int	child_ok(const struct json *, struct frame *, int, int,
		    const char **);
static int	value_ok(const struct json *, int, int, const char **);
static int	walk(struct json *, int, const char **);

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
json_parse(struct json *j, const char *s, size_t len, int flags,
    const char **why)
{
	if (len >= INT_MAX)
		return fail(why, "too long for a JSON value (2 GiB or more)");
	j->s = s;
	j->len = len;
	j->n = 0;
	if (tokenize(j, s, len, why) == -1)
		return -1;
	if (walk(j, flags, why) == -1)
		return -1;
	return j->n;
}

/* jsmn's strict mode wants a primitive followed by a delimiter, so a bare
 * top-level number or literal is tokenized here: 0, or -1 if the text is
 * not one. */
static int
root_primitive(struct json *j, const char *s, size_t len)
{
	size_t a = 0, b = len;
	jsmntok_t *t;

	while (a < b && is_ws(s[a]))
		a++;
	while (b > a && is_ws(s[b - 1]))
		b--;
	if (a == b || s[a] == '{' || s[a] == '[' || s[a] == '"')
		return -1;
	t = &TOK(j, 0);
	t->type = JSMN_PRIMITIVE;
	t->start = (int)a;
	t->end = (int)b;
	t->size = 0;
#ifdef JSMN_PARENT_LINKS
	t->parent = -1;
#endif
	j->n = 1;
	return 0;
}

static int
tokenize(struct json *j, const char *s, size_t len, const char **why)
{
	jsmn_parser p;
	int n;

	if (j->cap == 0) {
		j->cap = 256;
		j->tok = xreallocarray(NULL, j->cap, sizeof(jsmntok_t));
	}
	if (root_primitive(j, s, len) == 0)
		return 0;
	for (;;) {
		jsmn_init(&p);
		n = jsmn_parse(&p, s, len, j->tok, j->cap);
		if (n != JSMN_ERROR_NOMEM)
			break;
		if (j->cap > UINT_MAX / 2)
			return fail(why, "too many JSON tokens");
		j->cap *= 2;
		j->tok = xreallocarray(j->tok, j->cap, sizeof(jsmntok_t));
	}
	if (n == JSMN_ERROR_PART)
		return fail(why, "truncated JSON");
	if (n < 0)
		return fail(why, "not valid JSON");
	if (n == 0)
		return fail(why, len == 0 ? "empty" : "no JSON value");
	j->n = n;
	return 0;
}

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

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s[a, b) must be white space around exactly one sep (none if sep is 0). */
static int
gap_ok(const char *s, size_t a, size_t b, char sep)
{
	int seen = 0;

	if (b < a)
		return 0;
	for (; a < b; a++) {
		if (is_ws(s[a]))
			continue;
		if (s[a] != sep || seen)
			return 0;
		seen = 1;
	}
	return seen == (sep != 0);
}

/* Check token i as a value; containers are pushed by the caller. */
static int
value_ok(const struct json *j, int i, int flags, const char **why)
{
	const jsmntok_t *t = &TOK(j, i);
	const char *p = j->s + t->start;
	size_t n = (size_t)(t->end - t->start);

	if (t->start < 0 || t->end < t->start)
		return fail(why, "not valid JSON");
	switch (t->type) {
	case JSMN_STRING:
		if (t->size != 0)
			return fail(why, "not valid JSON");
		if (!string_ok(p, n, flags & JSON_UTF8))
			return fail(why, (flags & JSON_UTF8) ?
			    "invalid string (control byte or bad UTF-8)" :
			    "invalid string (control byte)");
		return 0;
	case JSMN_PRIMITIVE:
		if (t->size != 0 || !primitive_ok(p, n))
			return fail(why, "not valid JSON (bad literal)");
		return 0;
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		return 0;
	default:
		return fail(why, "not valid JSON");
	}
}

/* Walk the tokens in document order with an explicit stack (deep nesting
 * must not overflow the C stack) and check the bytes between them. */
static int
walk(struct json *j, int flags, const char **why)
{
	struct frame *st = NULL, *f;
	size_t depth = 0, cap = 0, pos;
	int i, r, rv = -1;

	if (!gap_ok(j->s, 0, json_start(j, 0), 0))
		return fail(why, "not valid JSON");
	for (i = 0; i < j->n; i++) {
		const jsmntok_t *t = &TOK(j, i);

		if (depth > 0) {
			f = &st[depth - 1];
			if ((r = child_ok(j, f, i, flags, why)) == -1)
				goto out;
			if (r == 1)
				continue;	/* a key: its value is next */
		} else if (i != 0) {
			fail(why, "more than one JSON value");
			goto out;
		}
		if (value_ok(j, i, flags, why) == -1)
			goto out;
		if ((t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) &&
		    t->size > 0) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 16;
				st = xreallocarray(st, cap, sizeof(*st));
			}
			f = &st[depth++];
			f->tok = i;
			f->left = t->size;
			f->want_value = 0;
			f->seen = 0;
			f->pos = (size_t)t->start + 1;
			continue;
		}
		if ((t->type == JSMN_OBJECT || t->type == JSMN_ARRAY) &&
		    !gap_ok(j->s, (size_t)t->start + 1, (size_t)t->end - 1, 0)) {
			fail(why, "not valid JSON");
			goto out;
		}
		/* A complete value: close every container it completes. */
		pos = json_end(j, i);
		while (depth > 0) {
			f = &st[depth - 1];
			f->pos = pos;
			f->want_value = 0;
			f->seen++;
			if (--f->left > 0)
				break;
			if (!gap_ok(j->s, f->pos,
			    (size_t)TOK(j, f->tok).end - 1, 0)) {
				fail(why, "not valid JSON");
				goto out;
			}
			pos = (size_t)TOK(j, f->tok).end;
			depth--;
		}
	}
	if (depth != 0 || !gap_ok(j->s, json_end(j, 0), j->len, 0)) {
		fail(why, "not valid JSON");
		goto out;
	}
	rv = 0;
out:
	free(st);
	return rv;
}

/* Token i is the next child of f: check the separator before it. Returns
 * 1 for an object key (consumed: f->pos then ends at the key), 0 for a
 * value, -1 for an error. */
static int
child_ok(const struct json *j, struct frame *f, int i, int flags,
    const char **why)
{
	const jsmntok_t *t = &TOK(j, i);
	int object = TOK(j, f->tok).type == JSMN_OBJECT;
	char sep;

	if (object)
		sep = f->want_value ? ':' : f->seen ? ',' : 0;
	else
		sep = f->seen ? ',' : 0;
	if (t->start < 0 || !gap_ok(j->s, f->pos, json_start(j, i), sep))
		return fail(why, "not valid JSON");
	if (!object || f->want_value)
		return 0;
	if (t->type != JSMN_STRING || t->size != 1 ||
	    !string_ok(j->s + t->start, (size_t)(t->end - t->start),
	    flags & JSON_UTF8))
		return fail(why, "not valid JSON (bad object key)");
	f->want_value = 1;
	f->pos = json_end(j, i);
	return 1;
}

static int
number_ok(const char *p, size_t n)
{
	size_t i = 0;

	if (i < n && p[i] == '-')
		i++;
	if (i == n)
		return 0;
	if (p[i] == '0')
		i++;
	else if (p[i] >= '1' && p[i] <= '9')
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && p[i] == '.') {
		if (++i == n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		i++;
		if (i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == n || p[i] < '0' || p[i] > '9')
			return 0;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	return i == n;
}

static int
primitive_ok(const char *p, size_t n)
{
	switch (p[0]) {
	case 't':
		return n == 4 && memcmp(p, "true", 4) == 0;
	case 'f':
		return n == 5 && memcmp(p, "false", 5) == 0;
	case 'n':
		return n == 4 && memcmp(p, "null", 4) == 0;
	default:
		return number_ok(p, n);
	}
}

/* The body of a string: no raw control bytes (jsmn has checked escapes). */
static int
string_ok(const char *p, size_t n, int utf8)
{
	size_t i;
	int high = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20)
			return 0;
		high |= c & 0x80;
	}
	return !utf8 || !high || utf8_valid(p, n);
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		size_t k, need;
		unsigned cp, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else
			return 0;
		if (len - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

void
json_free(struct json *j)
{
	free(j->tok);
	j->tok = NULL;
	j->cap = 0;
	j->n = 0;
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

	if (memchr(p, '\\', n) == NULL)
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

int
json_path(const struct json *j, int obj, ...)
{
	const char *key;
	va_list ap;

	va_start(ap, obj);
	while (obj != -1 && (key = va_arg(ap, const char *)) != NULL)
		obj = json_get(j, obj, key);
	va_end(ap);
	return obj;
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
put_utf8(struct buf *out, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(out, u, n);
}

/* \uXXXX at p (p[0] == 'u'), with a low surrogate after a high one. */
static int
unescape_u(const char *p, size_t left, struct buf *out, size_t *used,
    const char **why)
{
	unsigned cp, lo;

	if (left < 5 || hex4(p + 1, &cp) == -1)
		return fail(why, "bad \\u escape");
	*used = 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(why, "lone low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (left < 11 || p[5] != '\\' || p[6] != 'u' ||
		    hex4(p + 7, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return fail(why, "lone high surrogate in \\u escape");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*used = 11;
	}
	put_utf8(out, cp);
	return 0;
}

int
json_unescape(const char *s, size_t len, struct buf *out, const char **why)
{
	size_t i = 0, run, used;
	const char *bs;

	while (i < len) {
		bs = memchr(s + i, '\\', len - i);
		run = (bs ? (size_t)(bs - s) : len) - i;
		if (!utf8_valid(s + i, run))
			return fail(why, "invalid UTF-8 in string");
		buf_add(out, s + i, run);
		i += run;
		if (i == len)
			break;
		if (++i == len)
			return fail(why, "bad escape");
		switch (s[i]) {
		case '"': case '\\': case '/':
			buf_addc(out, s[i]);
			break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u':
			if (unescape_u(s + i, len - i, out, &used, why) == -1)
				return -1;
			i += used;
			continue;
		default:
			return fail(why, "bad escape");
		}
		i++;
	}
	return 0;
}

int
json_str(const struct json *j, int i, struct buf *out, const char **why)
{
	if (json_type(j, i) != JSON_STRING)
		return fail(why, "not a string");
	return json_unescape(j->s + TOK(j, i).start,
	    (size_t)(TOK(j, i).end - TOK(j, i).start), out, why);
}

int
json_str_eq(const struct json *j, int i, const char *s, size_t len)
{
	static struct buf tmp;	/* single-threaded programs */

	buf_reset(&tmp);
	if (json_str(j, i, &tmp, NULL) == -1)
		return 0;
	return tmp.len == len && memcmp(tmp.data, s, len) == 0;
}

int
json_i64(const struct json *j, int i, int64_t *out)
{
	const char *why;

	if (json_type(j, i) != JSON_NUMBER)
		return -1;
	return str_to_i64(j->s + TOK(j, i).start,
	    (size_t)(TOK(j, i).end - TOK(j, i).start), out, &why);
}

int
json_f64(const struct json *j, int i, double *out)
{
	char tmp[64], *end;
	size_t n;

	if (json_type(j, i) != JSON_NUMBER)
		return -1;
	n = (size_t)(TOK(j, i).end - TOK(j, i).start);
	if (n >= sizeof(tmp)) {
		char *p = xstrndup(j->s + TOK(j, i).start, n);

		*out = strtod(p, &end);
		free(p);
		return 0;
	}
	memcpy(tmp, j->s + TOK(j, i).start, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &end);
	return 0;
}

void
json_minify(struct buf *out, const char *s, size_t start, size_t end)
{
	size_t i = start;
	char *o;

	buf_reserve(out, end - start);
	o = out->data + out->len;
	while (i < end) {
		char c = s[i++];

		if (is_ws(c))
			continue;
		*o++ = c;
		if (c != '"')
			continue;
		/* a validated string: copy through to its closing quote */
		while (i < end && (c = s[i++]) != '"') {
			*o++ = c;
			if (c == '\\' && i < end)
				*o++ = s[i++];
		}
		*o++ = c;
	}
	out->len = (size_t)(o - out->data);
}

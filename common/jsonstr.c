/* jsonstr.c: what a token holds, as C data: strings decoded to UTF-8,
 * numbers read; and validated text without its insignificant white
 * space. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json-internal.h"
#include "utf8.h"
#include "util.h"

static void	put_utf8(struct buf *, unsigned);
static int	unescape_u(const char *, size_t, struct buf *, size_t *,
		    const char **);
static size_t	minify_to(char *, const char *, size_t, size_t);

/* Code point cp as UTF-8, one to four bytes. */
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

	*used = 5;
	if (left < 5 || json_hex4(p + 1, &cp) == -1)
		return fail_why(why, "bad \\u escape");
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_why(why, "lone low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (left < 11 || p[5] != '\\' || p[6] != 'u' ||
		    json_hex4(p + 7, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return fail_why(why,
			    "lone high surrogate in \\u escape");
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
			return fail_why(why, "invalid UTF-8 in string");
		buf_add(out, s + i, run);
		i += run;
		if (i == len)
			break;
		if (++i == len)
			return fail_why(why, "bad escape");
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
			return fail_why(why, "bad escape");
		}
		i++;
	}
	return 0;
}

int
json_str(const struct json *j, int i, struct buf *out, const char **why)
{
	if (json_type(j, i) != JSON_STRING)
		return fail_why(why, "not a string");
	return json_unescape(j->s + TOK(j, i).start,
	    (size_t)(TOK(j, i).end - TOK(j, i).start), out, why);
}

/* A string with no escape is its own decoding and is compared where it
 * lies; only an escaped one is decoded, into a buffer of this call's, so
 * that threads may compare at once. */
int
json_escaped(const struct json *j, int i)
{
	return j->escapes && memchr(j->s + TOK(j, i).start, '\\',
	    (size_t)(TOK(j, i).end - TOK(j, i).start)) != NULL;
}

int
json_str_eq(const struct json *j, int i, const char *s, size_t len)
{
	struct buf tmp = { 0 };
	const char *p;
	size_t n;
	int eq;

	if (json_type(j, i) != JSON_STRING)
		return 0;
	p = j->s + TOK(j, i).start;
	n = (size_t)(TOK(j, i).end - TOK(j, i).start);
	if (!json_escaped(j, i))
		return n == len && memcmp(p, s, len) == 0 && utf8_valid(p, n);
	eq = json_str(j, i, &tmp, NULL) == 0 && tmp.len == len &&
	    (len == 0 || memcmp(tmp.data, s, len) == 0);
	buf_free(&tmp);
	return eq;
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

/* Copies validated JSON without its insignificant white space to o (which
 * may be s + start: it never overtakes what it reads); its length. */
static size_t
minify_to(char *o, const char *s, size_t start, size_t end)
{
	char *o0 = o;
	size_t i = start;

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
	return (size_t)(o - o0);
}

void
json_minify(struct buf *out, const char *s, size_t start, size_t end)
{
	buf_reserve(out, end - start);
	out->len += minify_to(out->data + out->len, s, start, end);
}

size_t
json_minify_in_place(char *s, size_t start, size_t end)
{
	return minify_to(s + start, s, start, end);
}

/* jsonw.c: JSON output with the escaping rules spelled out. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "util.h"

/* level[] holds ']' or '}' for an empty container, ')' or '>' once it has
 * a member (so the closing bracket knows whether to break the line). */
#define FILLED(c)	((c) == ')' || (c) == '>')
#define CLOSER(c)	((c) == ')' ? ']' : (c) == '>' ? '}' : (c))
#define MARK(c)		((c) == ']' ? ')' : '>')

void
jw_init(struct jw *w, struct buf *out, int ascii, int indent)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->ascii = ascii;
	w->indent = indent;
}

void
jw_free(struct jw *w)
{
	free(w->level);
	w->level = NULL;
	w->cap = w->depth = 0;
}

static void
newline(struct jw *w)
{
	size_t n = w->depth * (size_t)w->indent;

	buf_reserve(w->out, n + 1);
	w->out->data[w->out->len++] = '\n';
	memset(w->out->data + w->out->len, ' ', n);
	w->out->len += n;
}

/* Separator and indentation before a value or a key. */
static void
before(struct jw *w)
{
	char *c;

	if (w->pending_key) {
		w->pending_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	c = &w->level[w->depth - 1];
	if (FILLED(*c))
		buf_addc(w->out, ',');
	else
		*c = MARK(*c);
	if (w->indent)
		newline(w);
}

static void
open_level(struct jw *w, char open, char close)
{
	before(w);
	buf_addc(w->out, open);
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->level = xrealloc(w->level, w->cap);
	}
	w->level[w->depth++] = close;
}

void
jw_obj(struct jw *w)
{
	open_level(w, '{', '}');
}

void
jw_arr(struct jw *w)
{
	open_level(w, '[', ']');
}

void
jw_end(struct jw *w)
{
	char c = w->level[--w->depth];

	if (w->indent && FILLED(c))
		newline(w);
	buf_addc(w->out, CLOSER(c));
}

void
jw_key(struct jw *w, const char *k)
{
	before(w);
	buf_addc(w->out, '"');
	jw_escape(w->out, k, strlen(k), w->ascii);
	buf_adds(w->out, w->indent ? "\": " : "\":");
	w->pending_key = 1;
}

void
jw_str(struct jw *w, const char *s, size_t n)
{
	before(w);
	buf_addc(w->out, '"');
	jw_escape(w->out, s, n, w->ascii);
	buf_addc(w->out, '"');
}

void
jw_strz(struct jw *w, const char *s)
{
	if (s == NULL)
		jw_null(w);
	else
		jw_str(w, s, strlen(s));
}

void
jw_i64(struct jw *w, int64_t v)
{
	before(w);
	buf_addf(w->out, "%" PRId64, v);
}

void
jw_bool(struct jw *w, int v)
{
	jw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void
jw_null(struct jw *w)
{
	jw_raw(w, "null", 4);
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	before(w);
	buf_add(w->out, s, n);
}

static void
put_u(struct buf *b, unsigned u)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', hex[u >> 12 & 15], hex[u >> 8 & 15],
	    hex[u >> 4 & 15], hex[u & 15] };

	buf_add(b, e, sizeof(e));
}

/* Decode one UTF-8 sequence at s (valid input assumed checked by caller's
 * length); returns its length, or 0 if invalid. */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t need, k;
	unsigned c = s[0], min;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; *cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; *cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; *cp = c & 0x07; min = 0x10000;
	} else
		return 0;
	if (n <= need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return need + 1;
}

static int
escape_one(struct buf *b, const unsigned char *p, size_t left, int ascii,
    size_t *used)
{
	unsigned c = p[0], cp;

	*used = 1;
	switch (c) {
	case '"':  buf_adds(b, "\\\""); return 0;
	case '\\': buf_adds(b, "\\\\"); return 0;
	case '\b': buf_adds(b, "\\b"); return 0;
	case '\f': buf_adds(b, "\\f"); return 0;
	case '\n': buf_adds(b, "\\n"); return 0;
	case '\r': buf_adds(b, "\\r"); return 0;
	case '\t': buf_adds(b, "\\t"); return 0;
	}
	if (c < 0x20 || (ascii && c == 0x7f)) {
		put_u(b, c);
		return 0;
	}
	if (c < 0x80 || !ascii) {
		buf_addc(b, (char)c);
		return 0;
	}
	if ((*used = utf8_decode(p, left, &cp)) == 0)
		return -1;
	if (cp < 0x10000) {
		put_u(b, cp);
	} else {
		cp -= 0x10000;
		put_u(b, 0xd800 | cp >> 10);
		put_u(b, 0xdc00 | (cp & 0x3ff));
	}
	return 0;
}

int
jw_escape(struct buf *b, const char *s, size_t n, int ascii)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, used;

	while (i < n) {
		/* copy runs that need no escaping in one go */
		for (run = i; run < n && p[run] >= 0x20 && p[run] != '"' &&
		    p[run] != '\\' && (!ascii || p[run] < 0x7f); run++)
			;
		buf_add(b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (escape_one(b, p + i, n - i, ascii, &used) == -1)
			return -1;
		i += used;
	}
	return 0;
}

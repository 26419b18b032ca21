/* jsonw.c: JSON output with the escaping rules spelled out. Floats are
 * written as Python's repr, in pyfloat.c. */
#include <stdlib.h>
#include <string.h>

#include "json-internal.h"
#include "jsonw.h"
#include "utf8.h"
#include "util.h"

static char	*room(struct buf *, size_t);
static char	*put_newline(const struct jw *, char *);
static void	before(struct jw *);
static size_t	plain_run(const char *, size_t);
static int	plain(const char *, size_t);
static void	put(struct buf *, const char *, size_t);
static void	push_level(struct jw *, char);
static void	open_level(struct jw *, char, char);
static void	put_u(struct buf *, unsigned);
static int	escape_one(struct buf *, const unsigned char *, size_t, int,
		    size_t *);
static void	put_unit(struct buf *, unsigned);
static int	unit_escape(const char *, size_t, unsigned *, size_t *);

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

/* Room for n more bytes in b: where they go. The caller adds n to len.
 * Checked here, so the common case costs no call. */
static char *
room(struct buf *b, size_t n)
{
	if (b->cap - b->len <= n)
		buf_reserve(b, n);
	return b->data + b->len;
}

/* A line break and the indentation of the current depth, at o. */
static char *
put_newline(const struct jw *w, char *o)
{
	size_t n = w->depth * (size_t)w->indent;

	*o++ = '\n';
	while (n-- > 0)
		*o++ = ' ';	/* a few: cheaper than a call to memset */
	return o;
}

/* Separator and indentation before a value or a key. */
static void
before(struct jw *w)
{
	char *c, *o;

	if (w->pending_key) {
		w->pending_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	c = &w->level[w->depth - 1];
	o = room(w->out, w->depth * (size_t)w->indent + 2);
	if (FILLED(*c))
		*o++ = ',';
	else
		*c = MARK(*c);
	if (w->indent)
		o = put_newline(w, o);
	w->out->len = (size_t)(o - w->out->data);
}

/* The bytes every string writer copies as they are: printable ASCII but
 * '"' and '\\' (a table: one load a byte instead of four compares). */
#define PLAIN_ROW(a)	a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a
static const unsigned char plain_byte[256] = {
	PLAIN_ROW(0), PLAIN_ROW(0),			/* 0x00-0x1f */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x22 '"' */
	PLAIN_ROW(1), PLAIN_ROW(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x5c '\\' */
	PLAIN_ROW(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,	/* 0x7f DEL */
	PLAIN_ROW(0), PLAIN_ROW(0), PLAIN_ROW(0), PLAIN_ROW(0),
	PLAIN_ROW(0), PLAIN_ROW(0), PLAIN_ROW(0), PLAIN_ROW(0),
};

/* How many bytes from s[0] are plain, at most n. */
static size_t
plain_run(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n && plain_byte[p[i]])
		i++;
	return i;
}

static int
plain(const char *s, size_t n)
{
	return plain_run(s, n) == n;
}

/* Append s[0..n) to b. */
static void
put(struct buf *b, const char *s, size_t n)
{
	if (n > 0) {
		memcpy(room(b, n), s, n);
		b->len += n;
	}
}

static void
push_level(struct jw *w, char close)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->level = xrealloc(w->level, w->cap);
	}
	w->level[w->depth++] = close;
}

static void
open_level(struct jw *w, char open, char close)
{
	before(w);
	buf_addc(w->out, open);
	push_level(w, close);
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
jw_resume(struct jw *w, int arr, int filled)
{
	push_level(w, arr ? ']' : '}');
	if (filled)
		jw_fill(w);
}

void
jw_fill(struct jw *w)
{
	char *c = &w->level[w->depth - 1];

	if (!FILLED(*c))
		*c = MARK(*c);
}

void
jw_end(struct jw *w)
{
	char c = w->level[--w->depth], *o;

	o = room(w->out, w->depth * (size_t)w->indent + 2);
	if (w->indent && FILLED(c))
		o = put_newline(w, o);
	*o++ = CLOSER(c);
	w->out->len = (size_t)(o - w->out->data);
}

void
jw_key(struct jw *w, const char *k)
{
	size_t n = strlen(k);

	if (plain(k, n)) {
		jw_key_raw(w, k, n);
		return;
	}
	before(w);
	buf_addc(w->out, '"');
	jw_escape(w->out, k, n, w->ascii);
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
	buf_add_i64(w->out, v);
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
	if (n > 0)
		memcpy(room(w->out, n), s, n);
	w->out->len += n;
}

/* The escape \uXXXX of code unit u, lowercase hex as Python writes it. */
static void
put_u(struct buf *b, unsigned u)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', hex[u >> 12 & 15], hex[u >> 8 & 15],
	    hex[u >> 4 & 15], hex[u & 15] };

	buf_add(b, e, sizeof(e));
}

/* The escape of the byte at p, or with ascii of the UTF-8 sequence there
 * (left bytes); *used is how many bytes it took. 0, or -1 on invalid
 * UTF-8. */
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
	if ((*used = utf8_seq((const char *)p, left, &cp)) == 0)
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
		run = i + plain_run(s + i, n - i);
		while (!ascii && run < n && p[run] >= 0x7f)
			run += 1 + plain_run(s + run + 1, n - run - 1);
		put(b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (escape_one(b, p + i, n - i, ascii, &used) == -1)
			return -1;
		i += used;
	}
	return 0;
}

void
jw_key_raw(struct jw *w, const char *k, size_t n)
{
	char *o;

	before(w);
	o = room(w->out, n + 4);
	*o++ = '"';
	if (n > 0)
		memcpy(o, k, n);
	o += n;
	*o++ = '"';
	*o++ = ':';
	if (w->indent)
		*o++ = ' ';
	w->out->len = (size_t)(o - w->out->data);
	w->pending_key = 1;
}

/* One UTF-16 code unit as Python's ensure_ascii encoder writes it. */
static void
put_unit(struct buf *b, unsigned u)
{
	switch (u) {
	case '"':  buf_adds(b, "\\\""); return;
	case '\\': buf_adds(b, "\\\\"); return;
	case '\b': buf_adds(b, "\\b"); return;
	case '\f': buf_adds(b, "\\f"); return;
	case '\n': buf_adds(b, "\\n"); return;
	case '\r': buf_adds(b, "\\r"); return;
	case '\t': buf_adds(b, "\\t"); return;
	}
	if (u >= 0x20 && u < 0x7f)
		buf_addc(b, (char)u);
	else
		put_u(b, u);
}

/* The escape at s[0] == '\\': its code unit and length, or -1. */
static int
unit_escape(const char *s, size_t n, unsigned *u, size_t *used)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;

	if (n < 2)
		return -1;
	*used = 2;
	if (s[1] == 'u') {
		*used = 6;
		return n < 6 ? -1 : json_hex4(s + 2, u);
	}
	if (s[1] == '\0' || (p = strchr(from, s[1])) == NULL)
		return -1;
	*u = (unsigned char)to[p - from];
	return 0;
}

int
jw_reescape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, used;
	unsigned cp;

	while (i < n) {
		run = i + plain_run(s + i, n - i);
		put(b, s + i, run - i);
		if ((i = run) == n)
			break;
		if (p[i] == '\\') {
			if (unit_escape(s + i, n - i, &cp, &used) == -1)
				return -1;
		} else if (p[i] < 0x80) {
			cp = p[i];	/* a raw control byte or DEL */
			used = 1;
		} else if ((used = utf8_seq(s + i, n - i, &cp)) == 0)
			return -1;
		if (cp >= 0x10000) {
			put_u(b, 0xd800 | (cp - 0x10000) >> 10);
			put_u(b, 0xdc00 | ((cp - 0x10000) & 0x3ff));
		} else
			put_unit(b, cp);
		i += used;
	}
	return 0;
}

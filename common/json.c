/* json.c: JSON reading, strict and validated.
 *
 * The tokens are jsmn's (jsmntok_t from <jsmn.h>, Debian's 1.1.0): in
 * document order, a string without its quotes, an object key holding its
 * value as its one child, parent links with JSMN_PARENT_LINKS. Callers
 * see only token indices. The text is tokenized here, though, not by
 * jsmn_parse, in one pass that also validates it: jsmn accepts "tru",
 * "[1 2]", trailing commas and raw control bytes, stops at a NUL byte, and
 * closes a run of k brackets in O(k^2) steps (a line of 200,000 '[' then
 * ']' took a minute and a half), so it needed a second pass over every
 * token and every string. This parser accepts exactly RFC 8259 JSON, in
 * time linear in the text, without recursion, and skips the plain bytes of
 * strings a word at a time. */
#define JSMN_HEADER	/* jsmn's types only */
#include <jsmn.h>

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

#define TOK(j, i)	(((jsmntok_t *)(j)->tok)[i])
#define ONES		0x0101010101010101ULL
#define HIGHS		0x8080808080808080ULL

/* What the parser expects next. */
enum want {
	W_VALUE,		/* a value */
	W_ELEM_OR_END,		/* after '[': a value or ']' */
	W_KEY_OR_END,		/* after '{': a key or '}' */
	W_KEY,			/* after ',' in an object */
	W_COLON,		/* after a key */
	W_NEXT,			/* after a value: ',', the closer or the end */
};

struct parser {
	struct json	*j;
	const char	*s;
	size_t		 len;
	size_t		 pos;
	int		 utf8;
	const char	*why;
	size_t		 keep;	/* JSON_MEMBERS: tokens inside at most this
				 * many containers are stored; 0: all */
};

/* A value that is checked but not stored (JSON_MEMBERS), and, on the
 * stack, the kind of such a container. */
#define NOT_KEPT	(-2)
#define NOT_KEPT_OBJ	(-2)
#define NOT_KEPT_ARR	(-3)

static int	fail(const char **, const char *);
static int	perr(struct parser *, const char *);
static int	is_ws(char);
static int	tok_add(struct parser *, jsmntype_t, size_t, int);
static void	push(struct parser *, int);
static int	parse(struct parser *);
static int	parse_value(struct parser *, int *, enum want *);
static int	parse_string(struct parser *, int);
static int	parse_escape(struct parser *, size_t *);
static int	parse_primitive(struct parser *, int);
static int	after_root(struct parser *);
static size_t	special_prefix8(const char *);
static int	number_ok(const char *, size_t);
static int	primitive_ok(const char *, size_t);
static size_t	escape_u_ok(const char *, size_t);
static size_t	utf8_seq(const char *, size_t);

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

static int
perr(struct parser *p, const char *reason)
{
	p->why = reason;
	return -1;
}

int
json_parse(struct json *j, const char *s, size_t len, int flags,
    const char **why)
{
	struct parser p = { j, s, len, 0, flags & JSON_UTF8, NULL,
	    flags & JSON_MEMBERS ? 2 : 0 };

	if (len >= INT_MAX)
		return fail(why, "too long for a JSON value (2 GiB or more)");
	j->s = s;
	j->len = len;
	j->n = 0;
	j->depth = 0;
	j->ws = 0;
	if (j->cap == 0) {
		j->cap = 256;
		j->tok = xreallocarray(NULL, j->cap, sizeof(jsmntok_t));
	}
	if (parse(&p) == -1) {
		/* a NUL byte anywhere says more than where it broke things */
		if (len > 0 && memchr(s, '\0', len) != NULL)
			p.why = "NUL byte";
		j->n = 0;
		return fail(why, p.why);
	}
	return j->n;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
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

/* A new token; its parent counts one more child (an object counts keys,
 * a key its value, an array its elements). */
static int
tok_add(struct parser *p, jsmntype_t type, size_t start, int parent)
{
	struct json *j = p->j;
	jsmntok_t *t;

	if (p->keep > 0 && j->depth > p->keep)
		return NOT_KEPT;
	if ((unsigned)j->n == j->cap) {
		j->cap *= 2;
		j->tok = xreallocarray(j->tok, j->cap, sizeof(jsmntok_t));
	}
	t = &TOK(j, j->n);
	t->type = type;
	t->start = (int)start;
	t->end = -1;
	t->size = 0;
#ifdef JSMN_PARENT_LINKS
	t->parent = parent;
#endif
	if (parent >= 0)
		TOK(j, parent).size++;
	return j->n++;
}

/* Open container t (or a NOT_KEPT_* one). */
static void
push(struct parser *p, int t)
{
	struct json *j = p->j;

	if (j->depth == j->stack_cap) {
		j->stack_cap = j->stack_cap ? j->stack_cap * 2 : 64;
		j->stack = xreallocarray(j->stack, j->stack_cap,
		    sizeof(*j->stack));
	}
	j->stack[j->depth++] = t;
	p->pos++;
}

/* Whether the open container top is an object. */
static int
is_object(const struct json *j, int top)
{
	if (top < 0)
		return top == NOT_KEPT_OBJ;
	return TOK(j, top).type == JSMN_OBJECT;
}

/* The whole text, as a state machine over what may come next; the open
 * containers are on an explicit stack, so depth costs no C stack. */
static int
parse(struct parser *p)
{
	struct json *j = p->j;
	const char *s = p->s;
	enum want want = W_VALUE;
	int parent = -1, top, key = -1;
	char c;

	for (;;) {
		while (p->pos < p->len && is_ws(s[p->pos])) {
			p->pos++;
			j->ws++;
		}
		if (p->pos == p->len) {
			if (want == W_NEXT && j->depth == 0)
				return 0;
			if (j->n == 0)
				return perr(p, p->len == 0 ? "empty" :
				    "no JSON value");
			return perr(p, "truncated JSON");
		}
		c = s[p->pos];
		top = j->depth > 0 ? j->stack[j->depth - 1] : -1;
		switch (want) {
		case W_ELEM_OR_END:
			if (c == ']')
				goto close;
			/* FALLTHROUGH */
		case W_VALUE:
			if (parse_value(p, &parent, &want) == -1)
				return -1;
			break;
		case W_KEY_OR_END:
			if (c == '}')
				goto close;
			/* FALLTHROUGH */
		case W_KEY:
			if (c != '"')
				return perr(p, "not valid JSON (bad object key)");
			if ((key = parse_string(p, top)) == -1)
				return -1;
			want = W_COLON;
			break;
		case W_COLON:
			if (c != ':')
				return perr(p, "not valid JSON");
			p->pos++;
			parent = key;
			want = W_VALUE;
			break;
		case W_NEXT:
			if (top == -1)
				return after_root(p);
			if (c == (is_object(j, top) ? '}' : ']'))
				goto close;
			if (c != ',')
				return perr(p, "not valid JSON");
			p->pos++;
			parent = top;
			want = is_object(j, top) ? W_KEY : W_VALUE;
			break;
		}
		continue;
close:
		if (top >= 0)
			TOK(j, top).end = (int)(p->pos + 1);
		p->pos++;
		j->depth--;
		want = W_NEXT;
	}
}

/* A value at p->pos under *parent; an opened container becomes the
 * parent of what comes next. 0 or -1. */
static int
parse_value(struct parser *p, int *parent, enum want *want)
{
	int t;

	switch (p->s[p->pos]) {
	case '{':
		t = tok_add(p, JSMN_OBJECT, p->pos, *parent);
		push(p, t == NOT_KEPT ? NOT_KEPT_OBJ : t);
		*parent = t;
		*want = W_KEY_OR_END;
		return 0;
	case '[':
		t = tok_add(p, JSMN_ARRAY, p->pos, *parent);
		push(p, t == NOT_KEPT ? NOT_KEPT_ARR : t);
		*parent = t;
		*want = W_ELEM_OR_END;
		return 0;
	case '"':
		t = parse_string(p, *parent);
		break;
	case ',': case ':': case ']': case '}':
		return perr(p, "not valid JSON");
	default:
		t = parse_primitive(p, *parent);
		break;
	}
	*want = W_NEXT;
	return t == -1 ? -1 : 0;
}

/* Something after a complete value at the top level. */
static int
after_root(struct parser *p)
{
	if (strchr("{[\"-0123456789tfn", p->s[p->pos]) != NULL &&
	    p->s[p->pos] != '\0')
		return perr(p, "more than one JSON value");
	return perr(p, "not valid JSON");
}

/* A number or a literal, up to the next delimiter. */
static int
parse_primitive(struct parser *p, int parent)
{
	const char *s = p->s;
	size_t a = p->pos, b = a;
	int t;

	while (b < p->len && !is_ws(s[b]) && s[b] != ',' && s[b] != ']' &&
	    s[b] != '}' && s[b] != ':')
		b++;
	if (!primitive_ok(s + a, b - a))
		return perr(p, "not valid JSON (bad literal)");
	if ((t = tok_add(p, JSMN_PRIMITIVE, a, parent)) >= 0)
		TOK(p->j, t).end = (int)b;
	p->pos = b;
	return t;
}

/* The offset of the first byte in the 8 at s that ends a run of plain
 * string bytes ('"', '\\', a control byte or a byte from 0x80), or 8.
 * The lowest flagged lane is exact: a borrow starts only in a lane that
 * is itself flagged. */
static size_t
special_prefix8(const char *s)
{
	uint64_t w, m;

	memcpy(&w, s, sizeof(w));
	m = ((w - 0x20 * ONES) | w | ((w ^ '\\' * ONES) - ONES) |
	    ((w ^ '"' * ONES) - ONES)) & HIGHS;
	if (m == 0)
		return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	return 0;
#endif
}

/* A string at p->pos (its opening quote): no raw control byte, valid
 * escapes; with JSON_UTF8, valid UTF-8 and no lone surrogate escape. */
static int
parse_string(struct parser *p, int parent)
{
	const char *s = p->s;
	size_t i = p->pos + 1, n = p->len, k;
	unsigned char c;
	int t;

	for (;;) {
		if (n - i >= 8 && (k = special_prefix8(s + i)) > 0) {
			i += k;
			continue;
		}
		if (i >= n)
			return perr(p, "truncated JSON");
		c = (unsigned char)s[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (parse_escape(p, &i) == -1)
				return -1;
		} else if (c < 0x20)
			return perr(p, "control byte in a string");
		else if (c < 0x80 || !p->utf8)
			i++;
		else if ((k = utf8_seq(s + i, n - i)) == 0)
			return perr(p, "invalid UTF-8 in a string");
		else
			i += k;
	}
	if ((t = tok_add(p, JSMN_STRING, p->pos + 1, parent)) >= 0)
		TOK(p->j, t).end = (int)i;
	p->pos = i + 1;
	return t;
}

/* The escape at *i (its backslash); *i moves past it. */
static int
parse_escape(struct parser *p, size_t *i)
{
	const char *e = p->s + *i + 1;
	size_t left = p->len - *i - 1, k;
	unsigned cp;

	if (left == 0)
		return perr(p, "truncated JSON");
	switch (*e) {
	case '"': case '\\': case '/':
	case 'b': case 'f': case 'n': case 'r': case 't':
		*i += 2;
		return 0;
	case 'u':
		break;
	default:
		return perr(p, "bad escape in a string");
	}
	if (left < 5)
		return perr(p, "truncated JSON");
	if (json_hex4(e + 1, &cp) == -1)
		return perr(p, "bad escape in a string");
	k = p->utf8 ? escape_u_ok(e, left) : 5;
	if (k == 0)
		return perr(p, "lone surrogate escape in a string");
	*i += 1 + k;
	return 0;
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

/* The \uXXXX escape at p (p[0] == 'u') and, for a high surrogate, the
 * low one after it: its length from p, or 0 for a lone surrogate. */
static size_t
escape_u_ok(const char *p, size_t left)
{
	unsigned cp, lo;

	if (left < 5 || json_hex4(p + 1, &cp) == -1)
		return 0;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return 0;
	if (cp < 0xd800 || cp > 0xdbff)
		return 5;
	if (left < 11 || p[5] != '\\' || p[6] != 'u' ||
	    json_hex4(p + 7, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
		return 0;
	return 11;
}

/* The length of the UTF-8 sequence at s (s[0] >= 0x80), or 0 if it is
 * not valid: no overlong form, no surrogate, nothing above U+10FFFF. */
static size_t
utf8_seq(const char *s, size_t left)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0], cp, min;
	size_t k, need;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; cp = c & 0x07; min = 0x10000;
	} else
		return 0;
	if (left <= need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

int
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, used;
	uint64_t w;

	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, s + i, sizeof(w));
			if ((w & HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((used = utf8_seq(s + i, len - i)) == 0)
			return 0;
		i += used;
	}
	return 1;
}

void
json_free(struct json *j)
{
	free(j->tok);
	free(j->stack);
	j->tok = NULL;
	j->stack = NULL;
	j->cap = 0;
	j->stack_cap = 0;
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
		if (memchr(kp, '\\', kn) != NULL) {
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

int
json_hex4(const char *p, unsigned *out)
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

	if (left < 5 || json_hex4(p + 1, &cp) == -1)
		return fail(why, "bad \\u escape");
	*used = 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(why, "lone low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (left < 11 || p[5] != '\\' || p[6] != 'u' ||
		    json_hex4(p + 7, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
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

/* json.c: JSON reading, strict and validated: the tokenizer.
 *
 * The tokens are jsmn's (jsmntok_t from <jsmn.h>, Debian's 1.1.0): in
 * document order, a string without its quotes, an object key holding its
 * value as its one child, parent links with JSMN_PARENT_LINKS. Callers
 * see only token indices (jsonget.c walks them, jsonstr.c decodes them).
 * The text is tokenized here, though, not by jsmn_parse, in one pass that
 * also validates it: jsmn accepts "tru", "[1 2]", trailing commas and raw
 * control bytes, stops at a NUL byte, and closes a run of k brackets in
 * O(k^2) steps, so it needed a second pass over every token and every
 * string. This parser accepts exactly RFC 8259 JSON, in time linear in the
 * text, without recursion, and skips the plain bytes of strings a word at
 * a time (16 bytes with SSE2, else 8). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "json-internal.h"
#include "utf8.h"
#include "util.h"

#define ONES		0x0101010101010101ULL
#define HIGHS		0x8080808080808080ULL

/* What the rare paths of a parse need. The hot state (position, tokens,
 * open containers) lives in parse()'s own variables: nothing else can
 * write them, so the compiler keeps them in registers across the token
 * stores. */
struct parser {
	struct json	*j;
	const char	*s;
	size_t		 len;
	size_t		 pos;	/* after a failure: where the text broke */
	int		 utf8;
	const char	*why;
};

/* A value that is checked but not stored (JSON_MEMBERS), and, on the
 * stack, the kind of such a container. */
#define NOT_KEPT	(-2)
#define NOT_KEPT_OBJ	(-2)
#define NOT_KEPT_ARR	(-3)

static int	perr(struct parser *, size_t, const char *);
static int	over_cap(struct parser *, size_t, size_t, const char *);
static int	tok_grow(struct parser *);
static int	stack_grow(struct parser *);
static int	parse(struct parser *, size_t);
static int	after_root(struct parser *, size_t);
static size_t	string_end(struct parser *, size_t);
static size_t	string_rest(struct parser *, size_t);
static size_t	escape_end(struct parser *, size_t);
static size_t	primitive_end(const char *, size_t, size_t);
static size_t	special_prefix8(const char *);
static int	number_ok(const char *, size_t);
static int	primitive_ok(const char *, size_t);
static size_t	escape_u_ok(const char *, size_t);

/* A fault at s[at]: -1. */
static int
perr(struct parser *p, size_t at, const char *reason)
{
	p->pos = at;
	p->why = reason;
	return -1;
}

int
json_parse(struct json *j, const char *s, size_t len, int flags,
    const char **why)
{
	struct parser p = { j, s, len, 0, flags & JSON_UTF8, NULL };
	const char *nul;

	j->err = 0;
	j->too_big = 0;
	j->escapes = 0;
	if (len >= INT_MAX)
		return fail_why(why,
		    "too long for a JSON value (2 GiB or more)");
	j->s = s;
	j->len = len;
	j->n = 0;
	j->depth = 0;
	j->ws = 0;
	if (j->cap == 0) {
		j->cap = 256;
		j->tok = xreallocarray(NULL, j->cap, sizeof(jsmntok_t));
	}
	if (j->stack_cap == 0) {
		j->stack_cap = 64;
		j->stack = xreallocarray(NULL, j->stack_cap,
		    sizeof(*j->stack));
	}
	if (parse(&p, flags & JSON_MEMBERS ? 2 : 0) == -1) {
		/* a NUL byte anywhere says more than where it broke things */
		j->err = p.pos;
		if (len > 0 && (nul = memchr(s, '\0', len)) != NULL) {
			p.why = "NUL byte";
			j->err = (size_t)(nul - s);
		}
		j->n = 0;
		return fail_why(why, p.why);
	}
	return j->n;
}

/* Whether an array of n elements of size each, full, may not grow within
 * max_bytes: then the parse fails with why. */
static int
over_cap(struct parser *p, size_t n, size_t size, const char *why)
{
	struct json *j = p->j;

	if (j->max_bytes == 0 || n < j->max_bytes / size)
		return 0;
	j->too_big = 1;
	p->why = why;
	return 1;
}

/* The token array, full, made larger: 0, or -1 past max_bytes. */
static int
tok_grow(struct parser *p)
{
	struct json *j = p->j;

	if (over_cap(p, j->cap, sizeof(jsmntok_t),
	    "too many JSON tokens for the memory cap"))
		return -1;
	j->cap = j->max_bytes > 0 && j->cap * 2 >
	    j->max_bytes / sizeof(jsmntok_t) ?
	    (unsigned)(j->max_bytes / sizeof(jsmntok_t)) : j->cap * 2;
	j->tok = xreallocarray(j->tok, j->cap, sizeof(jsmntok_t));
	return 0;
}

/* The stack of open containers, full, made larger: 0, or -1 past
 * max_bytes. It only grows (pyjson.c relies on it). */
static int
stack_grow(struct parser *p)
{
	struct json *j = p->j;

	if (over_cap(p, j->stack_cap, sizeof(*j->stack),
	    "JSON nested too deeply for the memory cap"))
		return -1;
	j->stack_cap = j->max_bytes > 0 &&
	    j->stack_cap * 2 > j->max_bytes / sizeof(*j->stack) ?
	    j->max_bytes / sizeof(*j->stack) : j->stack_cap * 2;
	j->stack = xreallocarray(j->stack, j->stack_cap, sizeof(*j->stack));
	return 0;
}

/* White space from pos skipped, and counted in *ws: the new pos. */
static inline size_t
skip_ws(const char *s, size_t pos, size_t len, size_t *ws)
{
	size_t from = pos;

	while (pos < len && is_ws(s[pos]))
		pos++;
	*ws += pos - from;
	return pos;
}

/* Room for token n in *tok (j's array, *cap long): 0, or -1 past
 * max_bytes. */
static inline int
room(struct parser *p, jsmntok_t **tok, unsigned *cap, int n)
{
	if ((unsigned)n < *cap)
		return 0;
	if (tok_grow(p) == -1)
		return -1;
	*tok = p->j->tok;
	*cap = p->j->cap;
	return 0;
}

/* Token n, s[start, end); its parent counts one more child (an object
 * counts keys, a key its value, an array its elements). */
static inline void
tok_set(jsmntok_t *tok, int n, jsmntype_t type, size_t start, int end,
    int parent)
{
	jsmntok_t *t = &tok[n];

	t->type = type;
	t->start = (int)start;
	t->end = end;
	t->size = 0;
#ifdef JSMN_PARENT_LINKS
	t->parent = parent;
#endif
	if (parent >= 0)
		tok[parent].size++;
}

/* The whole text in one pass, each label a place in the grammar: a value,
 * what follows a value, a container opened, an object's key. The open
 * containers are on an explicit stack, so depth costs no C stack. With
 * keep > 0 (JSON_MEMBERS) only the tokens inside at most keep containers
 * are stored; top is then NOT_KEPT_* for a container that is not. The
 * counts live here, where nothing else can write them, and are stored in
 * j at the end. */
static int
parse(struct parser *p, size_t keep)
{
	struct json *j = p->j;
	const char *s = p->s;
	size_t len = p->len, pos = 0, ws = 0, depth = 0, end;
	jsmntok_t *tok = j->tok;
	int *stack = j->stack;
	unsigned cap = j->cap;
	int n = 0, parent = -1, top = -1, at, in_object = 0;
	jsmntype_t type;

value:	/* a value under parent */
	if ((pos = skip_ws(s, pos, len, &ws)) == len)
		return perr(p, pos, n > 0 ? "truncated JSON" : len == 0 ?
		    "empty" : "no JSON value");
	switch (s[pos]) {
	case '{':
		type = JSMN_OBJECT;
		goto open;
	case '[':
		type = JSMN_ARRAY;
		goto open;
	case '"':
		type = JSMN_STRING;
		if ((end = string_end(p, pos)) == 0)
			return -1;
		break;
	case ',': case ':': case ']': case '}':
		return perr(p, pos, "not valid JSON");
	default:
		type = JSMN_PRIMITIVE;
		end = primitive_end(s, pos, len);
		if (!primitive_ok(s + pos, end - pos))
			return perr(p, pos, "not valid JSON (bad literal)");
		break;
	}
	if (keep == 0 || depth <= keep) {
		if (room(p, &tok, &cap, n) == -1)
			return perr(p, end, p->why);
		tok_set(tok, n++, type, pos + (type == JSMN_STRING),
		    (int)(end - (type == JSMN_STRING)), parent);
	}
	pos = end;
next:	/* after a value: ',', the closer or the end */
	pos = skip_ws(s, pos, len, &ws);
	/* cppcheck-suppress knownConditionTrueFalse ; close: comes back */
	if (depth == 0) {
		if (pos < len)
			return after_root(p, pos);
		j->n = n;
		j->ws = ws;
		j->depth = 0;
		return 0;
	}
	if (pos == len)
		return perr(p, pos, "truncated JSON");
	if (s[pos] == ',') {
		pos++;
		parent = top;
		if (in_object)
			goto key;
		goto value;
	}
	if (s[pos] != (in_object ? '}' : ']'))
		return perr(p, pos, "not valid JSON");
close:
	if (top >= 0)
		tok[top].end = (int)(pos + 1);
	pos++;
	if (--depth > 0) {
		top = stack[depth - 1];
		in_object = top >= 0 ? tok[top].type == JSMN_OBJECT :
		    top == NOT_KEPT_OBJ;
	}
	goto next;
open:	/* s[pos] opens a container of type under parent */
	in_object = type == JSMN_OBJECT;
	at = in_object ? NOT_KEPT_OBJ : NOT_KEPT_ARR;
	if (keep == 0 || depth <= keep) {
		if (room(p, &tok, &cap, n) == -1)
			return perr(p, pos, p->why);
		tok_set(tok, at = n++, type, pos, -1, parent);
	}
	if (depth == j->stack_cap) {
		if (stack_grow(p) == -1)
			return perr(p, pos, p->why);
		stack = j->stack;
	}
	stack[depth++] = top = parent = at;
	if ((pos = skip_ws(s, pos + 1, len, &ws)) == len)
		return perr(p, pos, "truncated JSON");
	if (s[pos] == (in_object ? '}' : ']'))
		goto close;
	if (!in_object)
		goto value;
key:	/* an object's key under top, its colon, then its value */
	if ((pos = skip_ws(s, pos, len, &ws)) == len)
		return perr(p, pos, "truncated JSON");
	if (s[pos] != '"')
		return perr(p, pos, "not valid JSON (bad object key)");
	if ((end = string_end(p, pos)) == 0)
		return -1;
	at = NOT_KEPT;
	if (keep == 0 || depth <= keep) {
		if (room(p, &tok, &cap, n) == -1)
			return perr(p, end, p->why);
		tok_set(tok, at = n++, JSMN_STRING, pos + 1, (int)(end - 1),
		    top);
	}
	if ((pos = skip_ws(s, end, len, &ws)) == len)
		return perr(p, pos, "truncated JSON");
	if (s[pos] != ':')
		return perr(p, pos, "not valid JSON");
	pos++;
	parent = at;
	goto value;
}

/* Something after a complete value at the top level. */
static int
after_root(struct parser *p, size_t pos)
{
	if (strchr("{[\"-0123456789tfn", p->s[pos]) != NULL &&
	    p->s[pos] != '\0')
		return perr(p, pos, "more than one JSON value");
	return perr(p, pos, "not valid JSON");
}

/* The end of the number or literal at s[a], at the next delimiter. */
static size_t
primitive_end(const char *s, size_t a, size_t len)
{
	while (a < len && !is_ws(s[a]) && s[a] != ',' && s[a] != ']' &&
	    s[a] != '}' && s[a] != ':')
		a++;
	return a;
}

#ifdef __SSE2__
/* The offset of the first byte in the 16 at s that ends a run of plain
 * string bytes ('"', '\\', a control byte or a byte from 0x80), or 16:
 * a byte from 0x80 is below 0x20 as a signed char. */
static inline size_t
special_prefix16(const char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i m = _mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
	    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
	unsigned bits = (unsigned)_mm_movemask_epi8(m);

	return bits == 0 ? 16 : (size_t)__builtin_ctz(bits);
}
#endif

/* The offset of the first byte in the 8 at s that ends a run of plain
 * string bytes ('"', '\\', a control byte or a byte from 0x80), or 8.
 * The lowest flagged lane is exact: a borrow starts only in a lane that
 * is itself flagged. */
static inline size_t
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

/* The index of the first byte from i that is not a plain string byte,
 * or n. */
static inline size_t
plain_run(const char *s, size_t i, size_t n)
{
	size_t k;

	for (;;) {
#ifdef __SSE2__
		if (n - i >= 16) {
			if ((k = special_prefix16(s + i)) == 16) {
				i += 16;
				continue;
			}
			return i + k;
		}
#endif
		if (n - i >= 8 && (k = special_prefix8(s + i)) > 0) {
			i += k;
			if (k < 8)
				return i;
			continue;
		}
		while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' &&
		    s[i] != '\\' && (unsigned char)s[i] < 0x80)
			i++;
		return i;
	}
}

/* The string at s[pos] (its opening quote): the index past its closing
 * quote, or 0 (p->why, p->pos set). Plain strings end here; the rest go
 * on in string_rest. */
static inline size_t
string_end(struct parser *p, size_t pos)
{
	size_t i = plain_run(p->s, pos + 1, p->len);

	if (i < p->len && p->s[i] == '"')
		return i + 1;
	return string_rest(p, i);
}

/* The rest of a string from s[i], a byte that is not plain or its end:
 * no raw control byte, valid escapes; with JSON_UTF8, valid UTF-8 and no
 * lone surrogate escape. The index past the closing quote, or 0. */
static size_t
string_rest(struct parser *p, size_t i)
{
	const char *s = p->s;
	size_t n = p->len, k;
	unsigned char c;
	unsigned cp;

	for (;;) {
		i = plain_run(s, i, n);
		if (i >= n) {
			perr(p, n, "truncated JSON");
			return 0;
		}
		c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c == '\\') {
			if ((i = escape_end(p, i)) == 0)
				return 0;
		} else if (c < 0x20) {
			perr(p, i, "control byte in a string");
			return 0;
		} else if (!p->utf8)
			i++;
		else if ((k = utf8_seq(s + i, n - i, &cp)) == 0) {
			perr(p, i, "invalid UTF-8 in a string");
			return 0;
		} else
			i += k;
	}
}

/* The escape at s[i] (its backslash): the index past it, or 0. */
static size_t
escape_end(struct parser *p, size_t i)
{
	const char *e = p->s + i + 1;
	size_t left = p->len - i - 1, k;
	unsigned cp;

	if (left == 0) {
		perr(p, p->len, "truncated JSON");
		return 0;
	}
	p->j->escapes = 1;
	switch (*e) {
	case '"': case '\\': case '/':
	case 'b': case 'f': case 'n': case 'r': case 't':
		return i + 2;
	case 'u':
		break;
	default:
		perr(p, i, "bad escape in a string");
		return 0;
	}
	if (left < 5) {
		perr(p, p->len, "truncated JSON");
		return 0;
	}
	if (json_hex4(e + 1, &cp) == -1) {
		perr(p, i, "bad escape in a string");
		return 0;
	}
	k = p->utf8 ? escape_u_ok(e, left) : 5;
	if (k == 0) {
		perr(p, i, "lone surrogate escape in a string");
		return 0;
	}
	return i + 1 + k;
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

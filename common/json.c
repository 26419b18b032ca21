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

static int	perr(struct parser *, const char *);
static int	perr_at(struct parser *, size_t, const char *);
static int	tok_add(struct parser *, jsmntype_t, size_t, int);
static int	over_cap(struct parser *, size_t, size_t, const char *);
static int	push(struct parser *, int);
static int	is_object(const struct json *, int);
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

static int
perr(struct parser *p, const char *reason)
{
	p->why = reason;
	return -1;
}

/* The same for a fault at s[at] inside the token at p->pos. */
static int
perr_at(struct parser *p, size_t at, const char *reason)
{
	p->pos = at;
	return perr(p, reason);
}

int
json_parse(struct json *j, const char *s, size_t len, int flags,
    const char **why)
{
	struct parser p = { j, s, len, 0, flags & JSON_UTF8, NULL,
	    flags & JSON_MEMBERS ? 2 : 0 };
	const char *nul;

	j->err = 0;
	j->too_big = 0;
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
	if (parse(&p) == -1) {
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
		if (over_cap(p, j->cap, sizeof(jsmntok_t),
		    "too many JSON tokens for the memory cap"))
			return -1;
		j->cap = j->max_bytes > 0 && j->cap * 2 >
		    j->max_bytes / sizeof(jsmntok_t) ?
		    (unsigned)(j->max_bytes / sizeof(jsmntok_t)) : j->cap * 2;
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

/* Whether an array of n elements of size each, full, may not grow within
 * max_bytes: then the parse fails with why. */
static int
over_cap(struct parser *p, size_t n, size_t size, const char *why)
{
	struct json *j = p->j;

	if (j->max_bytes == 0 || n < j->max_bytes / size)
		return 0;
	j->too_big = 1;
	perr(p, why);
	return 1;
}

/* Open container t (or a NOT_KEPT_* one): 0, or -1 past max_bytes. */
static int
push(struct parser *p, int t)
{
	struct json *j = p->j;

	if (j->depth == j->stack_cap) {
		if (j->stack_cap > 0 && over_cap(p, j->stack_cap,
		    sizeof(*j->stack), "JSON nested too deeply for the memory "
		    "cap"))
			return -1;
		j->stack_cap = j->stack_cap == 0 ? 64 : j->max_bytes > 0 &&
		    j->stack_cap * 2 > j->max_bytes / sizeof(*j->stack) ?
		    j->max_bytes / sizeof(*j->stack) : j->stack_cap * 2;
		j->stack = xreallocarray(j->stack, j->stack_cap,
		    sizeof(*j->stack));
	}
	j->stack[j->depth++] = t;
	p->pos++;
	return 0;
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
		if ((t = tok_add(p, JSMN_OBJECT, p->pos, *parent)) == -1 ||
		    push(p, t == NOT_KEPT ? NOT_KEPT_OBJ : t) == -1)
			return -1;
		*parent = t;
		*want = W_KEY_OR_END;
		return 0;
	case '[':
		if ((t = tok_add(p, JSMN_ARRAY, p->pos, *parent)) == -1 ||
		    push(p, t == NOT_KEPT ? NOT_KEPT_ARR : t) == -1)
			return -1;
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

#ifdef __SSE2__
/* The offset of the first byte in the 16 at s that ends a run of plain
 * string bytes ('"', '\\', a control byte or a byte from 0x80), or 16:
 * a byte from 0x80 is below 0x20 as a signed char. */
static size_t
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
	unsigned cp;
	int t;

	for (;;) {
#ifdef __SSE2__
		if (n - i >= 16 && (k = special_prefix16(s + i)) > 0) {
			i += k;
			continue;
		}
#endif
		if (n - i >= 8 && (k = special_prefix8(s + i)) > 0) {
			i += k;
			continue;
		}
		if (i >= n)
			return perr_at(p, n, "truncated JSON");
		c = (unsigned char)s[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (parse_escape(p, &i) == -1)
				return -1;
		} else if (c < 0x20)
			return perr_at(p, i, "control byte in a string");
		else if (c < 0x80 || !p->utf8)
			i++;
		else if ((k = utf8_seq(s + i, n - i, &cp)) == 0)
			return perr_at(p, i, "invalid UTF-8 in a string");
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
		return perr_at(p, p->len, "truncated JSON");
	switch (*e) {
	case '"': case '\\': case '/':
	case 'b': case 'f': case 'n': case 'r': case 't':
		*i += 2;
		return 0;
	case 'u':
		break;
	default:
		return perr_at(p, *i, "bad escape in a string");
	}
	if (left < 5)
		return perr_at(p, p->len, "truncated JSON");
	if (json_hex4(e + 1, &cp) == -1)
		return perr_at(p, *i, "bad escape in a string");
	k = p->utf8 ? escape_u_ok(e, left) : 5;
	if (k == 0)
		return perr_at(p, *i, "lone surrogate escape in a string");
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

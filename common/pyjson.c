/* pyjson.c: JSON as Python's json module reads and writes it.
 *
 * json.load accepts NaN, Infinity and -Infinity, keeps integers of any
 * size exactly, reads other numbers as doubles and lets a repeated key
 * keep its first place with its last value; json.dump(indent=2) writes
 * strings with ensure_ascii and floats as repr. pyjson_parse hides the
 * three literals from the strict parser (common/json.c) by replacing them
 * with numbers of the same length and remembering where they were. */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, madvise */
#include <sys/mman.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

#define BIG_TEXT	((size_t)4 << 20)	/* texts copied into huge pages */
#define BIG_TEXT_ALIGN	((size_t)2 << 20)	/* x86-64's huge page size */

/* Objects with at most this many keys are checked for repeated keys pair
 * by pair, with their keys on the stack. */
#define SMALL_OBJECT	16

static int	dump_value(struct jw *, const struct pyjson *, int);
static int	dump_members(struct jw *, const struct pyjson *, int,
		    const char *const *);

static const struct {
	const char	*word, *stand_in;
	size_t		 len;
} specials[] = {
	[PYJSON_NAN_VALUE] = { "NaN", "0.0", 3 },
	[PYJSON_INF] = { "Infinity", "0.000000", 8 },
	[PYJSON_NEG_INF] = { "-Infinity", "-0.000000", 9 },
};

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether a value may start at s[i]: after [ , : or at the start. */
static int
value_place(const char *s, size_t i)
{
	while (i > 0 && is_ws(s[i - 1]))
		i--;
	return i == 0 || s[i - 1] == '[' || s[i - 1] == ',' ||
	    s[i - 1] == ':';
}

static int
value_end(const char *s, size_t len, size_t i)
{
	return i == len || is_ws(s[i]) || s[i] == ',' || s[i] == ']' ||
	    s[i] == '}';
}

/* Which literal starts at s[i] as a whole value, or PYJSON_FINITE. */
static int
special_at(const char *s, size_t len, size_t i)
{
	int k;

	for (k = PYJSON_NAN_VALUE; k <= PYJSON_NEG_INF; k++)
		if (len - i >= specials[k].len &&
		    memcmp(s + i, specials[k].word, specials[k].len) == 0 &&
		    value_end(s, len, i + specials[k].len) &&
		    value_place(s, i))
			return k;
	return PYJSON_FINITE;
}

/* Whether the word w (n bytes) occurs anywhere in s[0..len). memchr for
 * its first letter: glibc's memmem walks short needles a byte at a time,
 * and capital N and I are rare in the registry files. */
static int
has_word(const char *s, size_t len, const char *w, size_t n)
{
	const char *p = s, *end = s + len;

	while ((size_t)(end - p) >= n &&
	    (p = memchr(p, w[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, w, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

static void
hide_specials(struct pyjson *p, size_t len)
{
	char *s = p->text;
	size_t i, cap = 0;
	int k, in_str = 0;

	/* Most files hold neither word: two memchr scans instead of a
	 * walk a byte at a time (-Infinity contains Infinity). */
	if (!has_word(s, len, "NaN", 3) && !has_word(s, len, "Infinity", 8))
		return;
	for (i = 0; i < len; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
			continue;
		}
		if (s[i] == '"') {
			in_str = 1;
			continue;
		}
		if ((s[i] != 'N' && s[i] != 'I' && s[i] != '-') ||
		    (k = special_at(s, len, i)) == PYJSON_FINITE)
			continue;
		if (p->nspecial == cap) {
			cap = cap ? cap * 2 : 8;
			p->special = xreallocarray(p->special, cap,
			    sizeof(*p->special));
			p->kind = xrealloc(p->kind, cap);
		}
		p->special[p->nspecial] = i;
		p->kind[p->nspecial++] = (unsigned char)k;
		memcpy(s + i, specials[k].stand_in, specials[k].len);
		i += specials[k].len - 1;
	}
}

/* More than PYJSON_MAX_DEPTH containers nested: json.load gives up
 * sooner (RecursionError, at about 998), and pyjson_dump recurses.
 * depth counts the containers around i. Returns the token after i's
 * subtree, or -1. */
static int
check_depth(const struct json *j, int i, int depth)
{
	enum json_type t = json_type(j, i);
	int n, e;

	if (t != JSON_OBJECT && t != JSON_ARRAY)
		return i + 1;
	if (depth >= PYJSON_MAX_DEPTH)
		return -1;
	for (n = json_size(j, i), e = i + 1; n > 0; n--)
		if ((e = check_depth(j, e + (t == JSON_OBJECT), depth + 1)) ==
		    -1)
			return -1;
	return e;
}

/* Whether the text just parsed may nest deeper than PYJSON_MAX_DEPTH.
 * The parser keeps its open containers on a stack that only grows, so
 * its capacity bounds the nesting of every text parsed with it: only
 * after a text nested that deep (rare) are the tokens walked. */
static int
too_deep(const struct json *j)
{
	return j->stack_cap > PYJSON_MAX_DEPTH && check_depth(j, 0, 0) == -1;
}

static void
text_free(struct pyjson *p)
{
	if (p->text_map > 0)
		munmap(p->text, p->text_map);
	else
		free(p->text);
	p->text = NULL;
	p->text_map = 0;
}

/* Room for the copy of an n-byte text. A large one (an existing registry
 * file, 13 MB for 18,000 models) is mapped and marked for transparent huge
 * pages, which Linux faults in 2 MiB at a time: a page fault every 4 KiB
 * cost more than the parse in a virtual machine. Without them, or if the
 * mapping fails, it is an ordinary allocation. */
static char *
text_alloc(struct pyjson *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	size_t size = (n + BIG_TEXT_ALIGN - 1) & ~(BIG_TEXT_ALIGN - 1);
	void *m;

	if (n >= BIG_TEXT && size > n &&
	    (m = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) != MAP_FAILED) {
		(void)madvise(m, size, MADV_HUGEPAGE);	/* a hint */
		p->text_map = size;
		return m;
	}
#endif
	return xmalloc(n);
}

int
pyjson_parse(struct pyjson *p, const char *s, size_t len, int flags,
    const char **why)
{
	text_free(p);
	p->text = text_alloc(p, len + 1);
	memcpy(p->text, s, len);
	p->text[len] = '\0';
	p->nspecial = 0;
	if (flags & PYJSON_NAN)
		hide_specials(p, len);
	/* Not JSON_UTF8, which refuses a lone surrogate escape that
	 * json.load takes: outside its strings valid JSON is ASCII, so the
	 * whole text is checked as UTF-8 instead. */
	if (json_parse(&p->j, p->text, len, 0, why) == -1)
		return -1;
	if (!utf8_valid(p->text, len))
		return fail(why, "invalid UTF-8");
	if (too_deep(&p->j))
		return fail(why, "nested too deeply");
	return p->j.n;
}

void
pyjson_free(struct pyjson *p)
{
	json_free(&p->j);
	text_free(p);
	free(p->special);
	free(p->kind);
	memset(p, 0, sizeof(*p));
}

enum pyjson_special
pyjson_special(const struct pyjson *p, int i)
{
	size_t lo = 0, hi = p->nspecial, mid, at;

	if (p->nspecial == 0 || json_type(&p->j, i) != JSON_NUMBER)
		return PYJSON_FINITE;
	at = json_start(&p->j, i);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->special[mid] == at)
			return (enum pyjson_special)p->kind[mid];
		if (p->special[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return PYJSON_FINITE;
}

int
pyjson_number(const struct pyjson *p, int i, double *f)
{
	const char *s;
	size_t n;

	if (json_type(&p->j, i) != JSON_NUMBER)
		return -1;
	s = p->text + json_start(&p->j, i);
	n = json_end(&p->j, i) - json_start(&p->j, i);
	switch (pyjson_special(p, i)) {
	case PYJSON_NAN_VALUE:
		*f = NAN;
		return 1;
	case PYJSON_INF:
		*f = INFINITY;
		return 1;
	case PYJSON_NEG_INF:
		*f = -INFINITY;
		return 1;
	default:
		break;
	}
	json_f64(&p->j, i, f);
	return memchr(s, '.', n) != NULL || memchr(s, 'e', n) != NULL ||
	    memchr(s, 'E', n) != NULL;
}

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

/* Whether a string body is written out as it came: printable ASCII, no
 * escape (a '"' in a body always follows a '\\'). */
static int
plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] - 0x20u >= 0x5fu || s[i] == '\\')
			return 0;
	return 1;
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
		if (plain(body, len))
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

static int
dump_string(struct jw *w, const struct pyjson *p, int i)
{
	static struct buf s;	/* single-threaded programs */
	size_t a = json_start(&p->j, i), b = json_end(&p->j, i);

	if (plain(p->text + a + 1, b - a - 2)) {
		jw_raw(w, p->text + a, b - a);	/* quotes included */
		return 0;
	}
	buf_reset(&s);
	buf_addc(&s, '"');
	if (jw_reescape(&s, p->text + a + 1, b - a - 2) == -1)
		return -1;
	buf_addc(&s, '"');
	jw_raw(w, s.data, s.len);
	return 0;
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

/*
 * round(x, ndigits) as CPython computes it (float.__round__ via dtoa mode
 * 3): the exact binary value of x rounded to ndigits decimals, half to
 * even, then read back as the nearest double. x = M * 2^E exactly with a
 * 53-bit M, so x * 10^ndigits = M * 10^ndigits * 2^E is an integer
 * shifted right by -E bits: its integer part, remainder and half are
 * exact in 64 bits. The quotient k / 10^ndigits of two exact doubles is
 * correctly rounded, as reading the decimal string back is.
 */
double
py_round(double x, int nd)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000 };
	uint64_t m, v, k, rem, half;
	double a = fabs(x), r;
	int e, s;

	if (!isfinite(x) || x == 0 || nd < 0 || nd > 3)
		return x;
	if (a >= 4503599627370496.0)	/* 2^52: already integral */
		return x;
	m = (uint64_t)ldexp(frexp(a, &e), 53);
	s = 53 - e;			/* a = m / 2^s, s > 0 here */
	v = m * pow10[nd];		/* < 2^63 */
	if (s >= 64)
		k = 0;			/* a * 10^nd < 2^63 / 2^64 */
	else {
		k = v >> s;
		rem = v & (((uint64_t)1 << s) - 1);
		half = (uint64_t)1 << (s - 1);
		if (rem > half || (rem == half && (k & 1)))
			k++;
	}
	if (k >= ((uint64_t)1 << 53)) {	/* k not exact as a double */
		char tmp[64];

		snprintf(tmp, sizeof(tmp), "%.*f", nd, a);
		r = strtod(tmp, NULL);
	} else
		r = (double)k / (double)pow10[nd];
	return copysign(r, x);
}

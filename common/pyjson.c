/* pyjson.c: JSON as Python's json module reads and writes it.
 *
 * json.load accepts NaN, Infinity and -Infinity, keeps integers of any
 * size exactly, reads other numbers as doubles and lets a repeated key
 * keep its first place with its last value; json.dump(indent=2) writes
 * strings with ensure_ascii and floats as repr. pyjson_parse hides the
 * three literals from the strict parser (common/json.c) by replacing them
 * with numbers of the same length and remembering where they were.
 * pydump.c writes the tokens back. */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, madvise */
#include <sys/mman.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json-internal.h"
#include "pyjson.h"
#include "utf8.h"
#include "util.h"

/* The literals json.load reads and the strict parser does not. */
enum special {
	PYJSON_FINITE = 0,
	PYJSON_NAN_VALUE,
	PYJSON_INF,
	PYJSON_NEG_INF,
};

#define BIG_TEXT	((size_t)4 << 20)	/* texts copied into huge pages */
#define BIG_TEXT_ALIGN	((size_t)2 << 20)	/* x86-64's huge page size */

static const struct {
	const char	*word, *stand_in;
	size_t		 len;
} specials[] = {
	[PYJSON_NAN_VALUE] = { "NaN", "0.0", 3 },
	[PYJSON_INF] = { "Infinity", "0.000000", 8 },
	[PYJSON_NEG_INF] = { "-Infinity", "-0.000000", 9 },
};

static int	value_place(const char *, size_t);
static int	value_end(const char *, size_t, size_t);
static int	special_at(const char *, size_t, size_t);
static int	has_word(const char *, size_t, const char *, size_t);
static void	hide_specials(struct pyjson *, size_t);
static int	check_depth(const struct json *, int, int, size_t *);
static int	too_deep(const struct json *, size_t *);
static size_t	bad_utf8_at(const char *, size_t);
static void	text_free(struct pyjson *);
static char	*text_alloc(struct pyjson *, size_t);
static enum special special_of(const struct pyjson *, int);

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
 * subtree, or -1 and in *at the start of the container too deep. */
static int
check_depth(const struct json *j, int i, int depth, size_t *at)
{
	enum json_type t = json_type(j, i);
	int n, e;

	if (t != JSON_OBJECT && t != JSON_ARRAY)
		return i + 1;
	if (depth >= PYJSON_MAX_DEPTH) {
		*at = json_start(j, i);
		return -1;
	}
	for (n = json_size(j, i), e = i + 1; n > 0; n--)
		if ((e = check_depth(j, e + (t == JSON_OBJECT), depth + 1,
		    at)) == -1)
			return -1;
	return e;
}

/* Whether the text just parsed may nest deeper than PYJSON_MAX_DEPTH
 * (*at: where). The parser keeps its open containers on a stack that
 * only grows, so its capacity bounds the nesting of every text parsed
 * with it: only after a text nested that deep (rare) are the tokens
 * walked. */
static int
too_deep(const struct json *j, size_t *at)
{
	return j->stack_cap > PYJSON_MAX_DEPTH &&
	    check_depth(j, 0, 0, at) == -1;
}

/* The offset of the first byte of s that is not valid UTF-8 (len if
 * none): only for a text utf8_valid refused, so a byte at a time. */
static size_t
bad_utf8_at(const char *s, size_t len)
{
	size_t i = 0, k;
	unsigned cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80)
			i++;
		else if ((k = utf8_seq(s + i, len - i, &cp)) == 0)
			return i;
		else
			i += k;
	}
	return len;
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
 * file) is mapped and marked for transparent huge pages, which Linux
 * faults in 2 MiB at a time rather than 4 KiB: the faults, not the parse,
 * were what a large text cost. Without them, or if the mapping fails, it
 * is an ordinary allocation. */
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
	if (json_parse(&p->j, p->text, len, 0, why) == -1) {
		p->err = p->j.err;
		return -1;
	}
	if (!utf8_valid(p->text, len)) {
		p->err = bad_utf8_at(p->text, len);
		return fail_why(why, "invalid UTF-8");
	}
	if (too_deep(&p->j, &p->err))
		return fail_why(why, "nested too deeply");
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

/* Which literal a number token stands for, or PYJSON_FINITE. */
static enum special
special_of(const struct pyjson *p, int i)
{
	size_t lo = 0, hi = p->nspecial, mid, at;

	if (p->nspecial == 0 || json_type(&p->j, i) != JSON_NUMBER)
		return PYJSON_FINITE;
	at = json_start(&p->j, i);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->special[mid] == at)
			return (enum special)p->kind[mid];
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
	switch (special_of(p, i)) {
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

/* value.c: two values of two JSON texts compared as Python compares what
 * json.load made of them: 1 == 1.0 == true, integers of any size
 * exactly, strings after decoding, objects whatever their key order (a
 * repeated key holding its last value). One difference: NaN equals NaN,
 * so that a registry compared with itself has no change. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "util.h"
#include "diff.h"

enum vkind { V_NULL, V_INT, V_FLOAT, V_STR, V_ARR, V_OBJ };

struct member {
	size_t	 off, len;	/* the decoded key in a buffer */
	int	 pos, val;
};

static enum vkind kind(const struct pyjson *, int, double *);
static int	int_of(const struct pyjson *, int, int64_t *);
static int	int_eq(const struct pyjson *, int, const struct pyjson *, int);
static int	int_float_eq(const struct pyjson *, int, double);
static int	str_eq(const struct pyjson *, int, const struct pyjson *, int);
static int	arr_eq(const struct pyjson *, int, const struct pyjson *, int);
static int	obj_eq(const struct pyjson *, int, const struct pyjson *, int);
static size_t	members(const struct pyjson *, int, struct buf *,
		    struct member **);
static int	by_key(const void *, const void *);

static const char *sort_keys;	/* by_key's buffer */

static enum vkind
kind(const struct pyjson *p, int i, double *f)
{
	*f = 0;
	switch (i == -1 ? JSON_NULL : json_type(&p->j, i)) {
	case JSON_TRUE:
		*f = 1;
		return V_INT;
	case JSON_FALSE:
		return V_INT;
	case JSON_NUMBER:
		return pyjson_number(p, i, f) == 1 ? V_FLOAT : V_INT;
	case JSON_STRING:
		return V_STR;
	case JSON_ARRAY:
		return V_ARR;
	case JSON_OBJECT:
		return V_OBJ;
	default:
		return V_NULL;
	}
}

/* An integer (or bool) that fits int64: 0 and *v, else -1. */
static int
int_of(const struct pyjson *p, int i, int64_t *v)
{
	if (json_type(&p->j, i) != JSON_NUMBER) {
		*v = json_type(&p->j, i) == JSON_TRUE;
		return 0;
	}
	return json_i64(&p->j, i, v);
}

static int
int_eq(const struct pyjson *p, int i, const struct pyjson *q, int k)
{
	int64_t a, b;
	int fa, fb;
	size_t n;

	fa = int_of(p, i, &a) == 0;
	fb = int_of(q, k, &b) == 0;
	if (fa && fb)
		return a == b;
	if (fa || fb)
		return 0;
	/* Both beyond int64: JSON writes an integer one way only. */
	n = json_end(&p->j, i) - json_start(&p->j, i);
	return n == json_end(&q->j, k) - json_start(&q->j, k) &&
	    memcmp(p->text + json_start(&p->j, i),
	    q->text + json_start(&q->j, k), n) == 0;
}

/* Integer i == the float f, exactly, as Python compares them. */
static int
int_float_eq(const struct pyjson *p, int i, double f)
{
	char d[400];
	int64_t v;
	size_t n;

	if (!isfinite(f) || f != floor(f))
		return 0;
	if (int_of(p, i, &v) == 0)
		return f >= -9223372036854775808.0 &&
		    f < 9223372036854775808.0 && (int64_t)f == v;
	/* %.0f writes a double's integer value exactly (glibc). */
	snprintf(d, sizeof(d), "%.0f", f);
	n = json_end(&p->j, i) - json_start(&p->j, i);
	return strlen(d) == n &&
	    memcmp(d, p->text + json_start(&p->j, i), n) == 0;
}

static int
str_eq(const struct pyjson *p, int i, const struct pyjson *q, int k)
{
	static struct buf a, b;	/* single-threaded */
	size_t n;

	n = json_end(&p->j, i) - json_start(&p->j, i);
	if (n == json_end(&q->j, k) - json_start(&q->j, k) &&
	    memcmp(p->text + json_start(&p->j, i),
	    q->text + json_start(&q->j, k), n) == 0)
		return 1;
	buf_reset(&a);
	buf_reset(&b);
	if (json_str(&p->j, i, &a, NULL) == -1 ||
	    json_str(&q->j, k, &b, NULL) == -1)
		return 0;
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

static int
arr_eq(const struct pyjson *p, int i, const struct pyjson *q, int k)
{
	int left;

	if ((left = json_size(&p->j, i)) != json_size(&q->j, k))
		return 0;
	for (i++, k++; left > 0; left--) {
		if (!py_equal(p, i, q, k))
			return 0;
		i = json_skip(&p->j, i);
		k = json_skip(&q->j, k);
	}
	return 1;
}

static int
by_key(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c;

	if ((c = memcmp(sort_keys + a->off, sort_keys + b->off, n)) != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The members of obj sorted by key, a repeated key's last value only. */
static size_t
members(const struct pyjson *p, int obj, struct buf *keys,
    struct member **out)
{
	struct member *m;
	size_t n, w, r;
	int k, left;

	left = json_size(&p->j, obj);
	m = *out = xreallocarray(NULL, (size_t)left + 1, sizeof(*m));
	n = 0;
	for (k = obj + 1; left > 0; left--, k = json_skip(&p->j, k)) {
		m[n].off = keys->len;
		(void)json_str(&p->j, k, keys, NULL);
		m[n].len = keys->len - m[n].off;
		m[n].pos = (int)n;
		m[n++].val = k + 1;
	}
	sort_keys = keys->data;
	if (n > 1)
		qsort(m, n, sizeof(*m), by_key);
	for (w = r = 0; r < n; r++) {
		if (r + 1 < n && m[r].len == m[r + 1].len &&
		    memcmp(keys->data + m[r].off, keys->data + m[r + 1].off,
		    m[r].len) == 0)
			continue;	/* the later one holds the value */
		m[w++] = m[r];
	}
	return w;
}

static int
obj_eq(const struct pyjson *p, int i, const struct pyjson *q, int k)
{
	struct buf ka = { 0 }, kb = { 0 };
	struct member *a, *b;
	size_t na, nb, x;
	int eq;

	na = members(p, i, &ka, &a);
	nb = members(q, k, &kb, &b);
	eq = na == nb;
	for (x = 0; eq && x < na; x++)
		eq = a[x].len == b[x].len && memcmp(ka.data + a[x].off,
		    kb.data + b[x].off, a[x].len) == 0 &&
		    py_equal(p, a[x].val, q, b[x].val);
	free(a);
	free(b);
	buf_free(&ka);
	buf_free(&kb);
	return eq;
}

int
py_equal(const struct pyjson *p, int i, const struct pyjson *q, int k)
{
	enum vkind a, b;
	double fa, fb;
	size_t n;

	a = kind(p, i, &fa);
	b = kind(q, k, &fb);
	if (a == V_NULL || b == V_NULL)
		return a == b;
	if ((a == V_INT || a == V_FLOAT) && (b == V_INT || b == V_FLOAT)) {
		if (a == V_FLOAT && b == V_FLOAT)
			return fa == fb || (isnan(fa) && isnan(fb));
		if (a == V_INT && b == V_INT)
			return int_eq(p, i, q, k);
		return a == V_INT ? int_float_eq(p, i, fb) :
		    int_float_eq(q, k, fa);
	}
	if (a != b)
		return 0;
	if (a == V_STR)
		return str_eq(p, i, q, k);
	/* The same text is the same value when no NaN or Infinity hides
	 * behind a stand-in number. */
	n = json_end(&p->j, i) - json_start(&p->j, i);
	if (p->nspecial == 0 && q->nspecial == 0 &&
	    n == json_end(&q->j, k) - json_start(&q->j, k) &&
	    memcmp(p->text + json_start(&p->j, i),
	    q->text + json_start(&q->j, k), n) == 0)
		return 1;
	return a == V_ARR ? arr_eq(p, i, q, k) : obj_eq(p, i, q, k);
}

int
py_is_one(const struct pyjson *p, int i)
{
	double f;

	switch (kind(p, i, &f)) {
	case V_INT:
		return json_type(&p->j, i) == JSON_TRUE ||
		    (json_type(&p->j, i) == JSON_NUMBER && f == 1 &&
		    int_float_eq(p, i, 1.0));
	case V_FLOAT:
		return f == 1;
	default:
		return 0;
	}
}

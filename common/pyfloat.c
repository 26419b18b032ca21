/* pyfloat.c: floats as Python writes and rounds them: repr, as
 * json.dump writes a float (jw_f64), and round(x, ndigits) (py_round). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "pyjson.h"

#define F64_MAX	32	/* fmt_f64's longest text and its NUL */

static int	bump_digits(char *, double);
static int	shortest_digits(double, char [20], int *);
static size_t	fmt_f64(char [F64_MAX], double);

/*
 * Floats as Python's repr: the shortest digit string that reads back as
 * the same double (the nearest one when several have that length), laid
 * out in fixed notation for decimal exponents -4..15 with ".0" on integral
 * values, else as d.ddde+XX.
 */

/* At a power of two the doubles below are twice as dense as above, so
 * the nearest p-digit decimal can fall just outside x's rounding interval
 * while the next one up is inside it: try that one (in place, "d.ddde+XX"
 * form). 1 if it reads back as x. */
static int
bump_digits(char *tmp, double x)
{
	char alt[40], *e = strchr(tmp, 'e'), *q;
	int exp10, e2;

	if (frexp(x, &e2) != 0.5 || !(strtod(tmp, NULL) < x))
		return 0;
	snprintf(alt, sizeof(alt), "%s", tmp);
	exp10 = atoi(e + 1);
	for (q = alt + (e - tmp) - 1; q >= alt; q--) {
		if (*q == '.')
			continue;
		if (*q != '9') {
			(*q)++;
			break;
		}
		*q = '0';
	}
	if (q < alt) {		/* 9.99 became 0.00: 1.000 one decade up */
		alt[0] = '1';
		exp10++;
	}
	snprintf(alt + (e - tmp), sizeof(alt) - (size_t)(e - tmp), "e%+d",
	    exp10);
	if (strtod(alt, NULL) != x)
		return 0;
	memcpy(tmp, alt, strlen(alt) + 1);
	return 1;
}

/* The shortest round-trip digits of x > 0 (finite) into d, no trailing
 * zeros; returns their count, the decimal exponent in *exp10. */
static int
shortest_digits(double x, char d[20], int *exp10)
{
	char tmp[40], *e;
	int p, n, m;

	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
		if (p < 17 && bump_digits(tmp, x))
			break;
	}
	e = strchr(tmp, 'e');
	*exp10 = atoi(e + 1);
	for (n = 0, m = 0; tmp + m < e; m++)
		if (tmp[m] != '.')
			d[n++] = tmp[m];
	while (n > 1 && d[n - 1] == '0')
		n--;
	d[n] = '\0';
	return n;
}

/* The text jw_f64 writes for x, NUL-terminated into buf; its length. */
static size_t
fmt_f64(char buf[F64_MAX], double x)
{
	char d[20], *o = buf;
	int n, e, i;

	if (isnan(x))
		return (size_t)snprintf(buf, F64_MAX, "NaN");
	if (isinf(x))
		return (size_t)snprintf(buf, F64_MAX, "%sInfinity",
		    x < 0 ? "-" : "");
	if (signbit(x))
		*o++ = '-';
	if (x == 0)
		return (size_t)(o - buf) + (size_t)snprintf(o, 4, "0.0");
	n = shortest_digits(fabs(x), d, &e);
	if (e < -4 || e >= 16) {
		*o++ = d[0];
		if (n > 1) {
			*o++ = '.';
			memcpy(o, d + 1, (size_t)n - 1);
			o += n - 1;
		}
		o += snprintf(o, 8, "e%c%02d", e < 0 ? '-' : '+', abs(e));
	} else if (e < 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = -1; i > e; i--)
			*o++ = '0';
		memcpy(o, d, (size_t)n);
		o += n;
	} else {
		for (i = 0; i <= e; i++)
			*o++ = i < n ? d[i] : '0';
		*o++ = '.';
		if (n <= e + 1)
			*o++ = '0';
		for (; i < n; i++)
			*o++ = d[i];
	}
	*o = '\0';
	return (size_t)(o - buf);
}

void
jw_f64(struct jw *w, double x)
{
	char b[F64_MAX];
	size_t n = fmt_f64(b, x);

	jw_raw(w, b, n);
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

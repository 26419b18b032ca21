/* date.c: calendar dates and ISO 8601 times (see date.h). The day
 * counts are Howard Hinnant's days_from_civil and civil_from_days. */
#include <string.h>

#include "date.h"
#include "util.h"

static int	leap(int);
static int	month_days(int, int);
static int	digits(const char *, int);
static int	utc_offset(const char *, size_t, long *);
static char	*put(char *, int64_t, int);

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* n decimal digits at s: their value, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int
date_valid(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= month_days(y, m);
}

int64_t
date_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The UTC offset s[0..n) ("Z", "+HH:MM", "+HHMM", or none: UTC) into
 * *off, in seconds: 0, or -1 if malformed. */
static int
utc_offset(const char *s, size_t n, long *off)
{
	int h, mi;

	*off = 0;
	if (n == 0 || (n == 1 && (s[0] == 'Z' || s[0] == 'z')))
		return 0;
	if ((s[0] != '+' && s[0] != '-') || (n != 6 && n != 5))
		return -1;
	h = digits(s + 1, 2);
	mi = n == 6 ? (s[3] == ':' ? digits(s + 4, 2) : -1) : digits(s + 3, 2);
	if (h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600L + mi * 60L);
	return 0;
}

/* v (0 <= v < 10^width) as width digits at o: the byte after them. */
static char *
put(char *o, int64_t v, int width)
{
	char d[FMT_I64_MAX];
	size_t n = fmt_i64(d, v, width);

	memcpy(o, d, n);
	return o + n;
}

int
date_iso_utc(const char *s, size_t n, char out[DATE_ISO_MAX])
{
	int y, mo, d, h, mi, sec;
	long us = 0, scale = 100000, off;
	int64_t t;
	size_t i = 19;
	char *o;

	if (n < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	if (i < n && s[i] == '.') {
		if (++i == n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			us += (s[i] - '0') * scale;
	}
	if (utc_offset(s + i, n - i, &off) == -1)
		return -1;
	t = date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - off;
	date_civil_from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400, &y,
	    &mo, &d);
	t = ((t % 86400) + 86400) % 86400;
	if (y < 1 || y > 9999)
		return -1;
	/* by hand, not snprintf: this runs for each of thousands of models */
	o = put(out, y, 4);
	*o++ = '-';
	o = put(o, mo, 2);
	*o++ = '-';
	o = put(o, d, 2);
	*o++ = 'T';
	o = put(o, t / 3600, 2);
	*o++ = ':';
	o = put(o, t / 60 % 60, 2);
	*o++ = ':';
	o = put(o, t % 60, 2);
	if (us != 0) {
		*o++ = '.';
		o = put(o, us, 6);
	}
	memcpy(o, "+00:00", 7);
	return 0;
}

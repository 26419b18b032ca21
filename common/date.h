/* date.h: calendar dates and ISO 8601 times, proleptic Gregorian, as
 * Python's datetime module sees them (years 1 to 9999). */
#ifndef HF_DATE_H
#define HF_DATE_H

#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" and its NUL. */
#define DATE_ISO_MAX	33

/* 1 if s is exactly "YYYY-MM-DD", a day that exists in a year from 1
 * on (what date.fromisoformat accepts in that form), else 0. */
int	date_valid(const char *s);
/* The days from 1970-01-01 to the day d of month m (1..12) of year y,
 * negative before it. Does not fail: m and d are not checked. */
int64_t	date_days_from_civil(int64_t y, int m, int d);
/* The inverse: the year, month and day of the day z days from
 * 1970-01-01. Does not fail; *y is only meaningful within int. */
void	date_civil_from_days(int64_t z, int *y, int *m, int *d);
/* The time s[0..n), "YYYY-MM-DDTHH:MM:SS" ('T', 't' or ' ' between),
 * then an optional fraction ".d..." and an optional offset ("Z",
 * "+HH:MM", "+HHMM"; none: UTC), as Python's datetime.isoformat()
 * prints that instant in UTC: "2025-01-02T03:04:05+00:00", with
 * ".123000" when the fraction is not zero (microseconds, further digits
 * dropped). 0 with out NUL-terminated, or -1 if s is not such a time or
 * the instant in UTC falls outside years 1 to 9999 (out then unset). */
int	date_iso_utc(const char *s, size_t n, char out[DATE_ISO_MAX]);

#endif

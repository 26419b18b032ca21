/* idset.c: the hashes of the ids seen, 8 bytes an id and a little: a
 * sorted array, and a small table of the newest hashes merged into it (in
 * place, from the back) each time the table is 3/4 full. No step holds two
 * copies of the set, as rehashing a table that doubles does.
 * The table is an ordered hash table (Amble and Knuth, 1974) on the high
 * bits, without wrap-around: its hashes lie in ascending order, so a merge
 * needs no sort. The hashes are uniform, so a search of the array starts
 * where the hash says it should be.
 * Two different ids share a 64-bit hash with odds of about n^2/2^65:
 * negligible for the Hub's few million models. */
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "util.h"

#define RECENT_MIN	10	/* log2 of the table's slots at first */
#define RECENT_TAIL	64	/* slots past the last home: no wrap-around */

/* FNV-1a with a final avalanche (splitmix64's), so all the bits are well
 * mixed. */
uint64_t
idset_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}

/* Whether h is in a[0, n): a gallop from the interpolated place, then a
 * binary search. */
static int
in_sorted(const uint64_t *a, size_t n, uint64_t h)
{
	size_t lo, hi, step, mid;

	if (n == 0)
		return 0;
	mid = n < ((size_t)1 << 32) ?
	    (size_t)(((h >> 32) * (uint64_t)n) >> 32) : n / 2;
	if (a[mid] == h)
		return 1;
	if (a[mid] < h) {
		lo = mid + 1;
		for (step = 1; lo + step <= n && a[lo + step - 1] < h;
		    step *= 2)
			lo += step;
		hi = lo + step <= n ? lo + step : n;
	} else {
		hi = mid;
		for (step = 1; step <= hi && a[hi - step] > h; step *= 2)
			hi -= step;
		lo = step <= hi ? hi - step : 0;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] < h)
			lo = mid + 1;
		else if (a[mid] > h)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

static size_t
recent_slots(const struct idset *s)
{
	return ((size_t)1 << s->recent_bits) + RECENT_TAIL;
}

static void
recent_new(struct idset *s, unsigned bits)
{
	free(s->recent);
	s->recent_bits = bits;
	s->recent = xreallocarray(NULL, recent_slots(s), sizeof(*s->recent));
	memset(s->recent, 0, recent_slots(s) * sizeof(*s->recent));
	s->nrecent = 0;
}

/* The table into the array; then the table is emptied, and made larger
 * once the array outgrows it 32 times, so that merges (each moving the
 * whole array) stay a fixed number a doubling. */
static void
merge(struct idset *s)
{
	size_t i, k = 0, need, cap;
	uint64_t *a, *r = s->recent;

	for (i = 0; i < recent_slots(s); i++)
		if (r[i] != 0)
			r[k++] = r[i];	/* ascending already */
	need = s->nsorted + k;
	if (need > s->sorted_cap) {
		cap = s->sorted_cap + s->sorted_cap / 4;
		if (cap < need)
			cap = need;
		s->sorted = xreallocarray(s->sorted, cap, sizeof(*s->sorted));
		s->sorted_cap = cap;
	}
	a = s->sorted;
	for (i = s->nsorted; k > 0; ) {	/* the largest first, from the end */
		if (i > 0 && a[i - 1] > r[k - 1]) {
			a[i + k - 1] = a[i - 1];
			i--;
		} else {
			a[i + k - 1] = r[k - 1];
			k--;
		}
	}
	s->nsorted = need;
	if (s->nsorted / 32 > ((size_t)1 << s->recent_bits))
		recent_new(s, s->recent_bits + 1);
	else {
		memset(r, 0, recent_slots(s) * sizeof(*r));
		s->nrecent = 0;
	}
}

int
idset_add(struct idset *s, const char *id, size_t n)
{
	uint64_t h = idset_hash(id, n), *r;
	size_t i, j, end;

	if (s->recent == NULL)
		recent_new(s, RECENT_MIN);
	r = s->recent;
	end = recent_slots(s);
	/* the run from h's home holds the hashes below h first */
	for (i = (size_t)(h >> (64 - s->recent_bits));
	    i < end && r[i] != 0 && r[i] < h; i++)
		;
	if ((i < end && r[i] == h) || in_sorted(s->sorted, s->nsorted, h))
		return 0;
	for (j = i; j < end && r[j] != 0; j++)
		;
	if (j == end) {		/* the run reaches the end: merge first */
		merge(s);
		r = s->recent;
		i = (size_t)(h >> (64 - s->recent_bits));
	} else
		memmove(r + i + 1, r + i, (j - i) * sizeof(*r));
	r[i] = h;
	s->n++;
	/* at most 3/4 full: the runs stay short */
	if (++s->nrecent * 4 >= ((size_t)1 << s->recent_bits) * 3)
		merge(s);
	return 1;
}

void
idset_free(struct idset *s)
{
	free(s->sorted);
	free(s->recent);
	memset(s, 0, sizeof(*s));
}

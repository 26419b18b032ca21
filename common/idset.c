/* idset.c: the hashes of the ids seen, 8 bytes an id and a little: a
 * sorted array, binary-searched, and a small open-addressed table of the
 * newest hashes, merged into the array (in place, from the back) each
 * time it is 3/4 full. No step holds two copies of the set, as rehashing
 * a table that doubles does (3 MiB for a moment at 100k ids, where this
 * holds 0.8 MiB).
 * Two different ids share a 64-bit hash with odds of about n^2/2^65:
 * negligible for the Hub's few million models. */
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "util.h"

#define RECENT_MIN	1024	/* slots: 8 KiB */

/* FNV-1a with a final avalanche (splitmix64's), so the low bits used for
 * the slot index are well mixed. */
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

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int
in_sorted(const struct idset *s, uint64_t h)
{
	size_t lo = 0, hi = s->nsorted, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->sorted[mid] < h)
			lo = mid + 1;
		else if (s->sorted[mid] > h)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* The recent table into the sorted array; then the table is emptied, and
 * made larger once the array outgrows it 32 times, so that merges (each
 * moving the whole array) stay a fixed number a doubling. */
static void
merge(struct idset *s)
{
	size_t i, k = 0, need, cap;
	uint64_t *a;

	for (i = 0; i < s->recent_cap; i++)
		if (s->recent[i] != 0)
			s->recent[k++] = s->recent[i];
	qsort(s->recent, k, sizeof(*s->recent), cmp_u64);
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
		if (i > 0 && a[i - 1] > s->recent[k - 1]) {
			a[i + k - 1] = a[i - 1];
			i--;
		} else {
			a[i + k - 1] = s->recent[k - 1];
			k--;
		}
	}
	s->nsorted = need;
	s->nrecent = 0;
	if (s->nsorted / 32 > s->recent_cap) {
		s->recent_cap *= 2;
		free(s->recent);
		s->recent = xreallocarray(NULL, s->recent_cap,
		    sizeof(*s->recent));
	}
	memset(s->recent, 0, s->recent_cap * sizeof(*s->recent));
}

int
idset_add(struct idset *s, const char *id, size_t n)
{
	uint64_t h = idset_hash(id, n);
	size_t i;

	if (s->recent == NULL) {
		s->recent_cap = RECENT_MIN;
		s->recent = xreallocarray(NULL, s->recent_cap,
		    sizeof(*s->recent));
		memset(s->recent, 0, s->recent_cap * sizeof(*s->recent));
	}
	for (i = (size_t)h & (s->recent_cap - 1); s->recent[i] != 0;
	    i = (i + 1) & (s->recent_cap - 1))
		if (s->recent[i] == h)
			return 0;
	if (in_sorted(s, h))
		return 0;
	s->recent[i] = h;
	s->n++;
	/* at most 3/4 full: linear probing stays short */
	if (++s->nrecent * 4 >= s->recent_cap * 3)
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

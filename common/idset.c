/* idset.c: open addressing over 64-bit hashes, 16 bytes a model at most.
 * Two different ids share a 64-bit hash with odds of about n^2/2^65:
 * negligible for the Hub's few million models. */
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "util.h"

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
insert(uint64_t *slot, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slot[i] != 0) {
		if (slot[i] == h)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	slot[i] = h;
	return 1;
}

static void
grow(struct idset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i;
	uint64_t *slot = xreallocarray(NULL, cap, sizeof(*slot));

	memset(slot, 0, cap * sizeof(*slot));	/* 0: an empty slot */
	for (i = 0; i < s->cap; i++)
		if (s->slot[i] != 0)
			insert(slot, cap, s->slot[i]);
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

int
idset_add(struct idset *s, const char *id, size_t n)
{
	/* at most 3/4 full: linear probing stays short, and a million ids
	 * take 16 MiB at most */
	if ((s->n + 1) * 4 > s->cap * 3)
		grow(s);
	if (!insert(s->slot, s->cap, idset_hash(id, n)))
		return 0;
	s->n++;
	return 1;
}

void
idset_free(struct idset *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

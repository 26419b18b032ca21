/* idtab.c: ids found by their text through a table of indexes (see
 * merge.h). A slot holds 32 bits of the id's hash and the index of the
 * id where its owner keeps it: the ids themselves are not copied, and
 * a slot is 8 bytes. */
#include <err.h>
#include <stdint.h>
#include <string.h>

#include "idset.h"
#include "util.h"
#include "merge.h"

static size_t	home(const struct idtab *, const char *, size_t, uint32_t);
static void	grow(struct idtab *);

/* The slot that holds the id, else the empty one where it would go. */
static size_t
home(const struct idtab *t, const char *id, size_t len, uint32_t h)
{
	size_t mask = t->cap - 1, i, klen;
	const char *k;
	uint64_t s;

	for (i = h & mask; (s = t->slot[i]) != 0; i = (i + 1) & mask) {
		if ((uint32_t)(s >> 32) != h)
			continue;
		k = t->key(t->arg, (uint32_t)s - 1, &klen);
		if (klen == len && memcmp(k, id, len) == 0)
			break;
	}
	return i;
}

/* Twice the slots (or the first ones), each id at its new place: the
 * hash bits a slot keeps are enough to find it. */
static void
grow(struct idtab *t)
{
	uint64_t *old = t->slot;
	size_t oldcap = t->cap, i, k, mask, size;

	if (t->cap > SIZE_MAX / 2 / sizeof(*t->slot))
		errx(HF_EXIT_FATAL, "out of memory");
	size = (t->cap ? t->cap * 2 : 1024) * sizeof(*t->slot);
	t->slot = store_array(NULL, 0, &size);
	t->cap = size / sizeof(*t->slot);	/* a power of two */
	mask = t->cap - 1;
	for (i = 0; i < oldcap; i++) {
		if (old[i] == 0)
			continue;
		for (k = (uint32_t)(old[i] >> 32) & mask; t->slot[k] != 0;
		    k = (k + 1) & mask)
			;
		t->slot[k] = old[i];
	}
	store_array_free(old, oldcap * sizeof(*old));
}

size_t
idtab_find(struct idtab *t, const char *id, size_t len)
{
	uint64_t h = idset_hash(id, len);

	t->hash = (uint32_t)(h ^ h >> 32);
	t->id = id;
	t->len = len;
	if (t->cap == 0)
		return 0;
	t->at = home(t, id, len, t->hash);
	return (uint32_t)t->slot[t->at];
}

void
idtab_add(struct idtab *t, size_t i)
{
	if (i >= UINT32_MAX - 1)
		errx(HF_EXIT_FATAL, "more than %u ids", UINT32_MAX - 2);
	if (2 * (t->n + 1) > t->cap) {
		grow(t);
		t->at = home(t, t->id, t->len, t->hash);
	}
	t->slot[t->at] = (uint64_t)t->hash << 32 | (uint64_t)(i + 1);
	t->n++;
}

void
idtab_free(struct idtab *t)
{
	store_array_free(t->slot, t->cap * sizeof(*t->slot));
	t->slot = NULL;
	t->cap = t->n = 0;
}

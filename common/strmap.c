/* strmap.c: exact strings to size_t, open addressing (see strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "idset.h"
#include "strmap.h"
#include "util.h"

#define STRMAP_FIRST_CAP	64

static void	grow(struct strmap *);
static size_t	home(const struct strmap *, const char *, size_t, uint64_t);

/* Twice the slots, every key moved to its new home. */
static void
grow(struct strmap *m)
{
	struct strmap_slot *old = m->slot;
	size_t oldcap = m->cap, i, k;

	m->cap = m->cap ? m->cap * 2 : STRMAP_FIRST_CAP;
	m->slot = xreallocarray(NULL, m->cap, sizeof(*m->slot));
	memset(m->slot, 0, m->cap * sizeof(*m->slot));
	for (i = 0; i < oldcap; i++) {
		if (old[i].hash == 0)
			continue;
		for (k = old[i].hash & (m->cap - 1); m->slot[k].hash != 0;
		    k = (k + 1) & (m->cap - 1))
			;
		m->slot[k] = old[i];
	}
	free(old);
}

/* The slot holding key, else the empty slot where it would go. */
static size_t
home(const struct strmap *m, const char *key, size_t len, uint64_t h)
{
	const struct strmap_slot *e;
	size_t i;

	for (i = h & (m->cap - 1); (e = &m->slot[i])->hash != 0;
	    i = (i + 1) & (m->cap - 1))
		if (e->hash == h && e->len == len &&
		    memcmp(m->keys.data + e->off, key, len) == 0)
			break;
	return i;
}

struct strmap_slot *
strmap_put(struct strmap *m, const char *key, size_t len, int *added)
{
	uint64_t h = idset_hash(key, len);	/* never 0 */
	struct strmap_slot *e;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	e = &m->slot[home(m, key, len, h)];
	if (added != NULL)
		*added = e->hash == 0;
	if (e->hash != 0)
		return e;
	e->hash = h;
	e->off = m->keys.len;
	e->len = len;
	e->value = 0;
	buf_add(&m->keys, key, len);
	buf_addc(&m->keys, '\0');
	m->n++;
	return e;
}

struct strmap_slot *
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	struct strmap_slot *e;

	if (m->cap == 0)
		return NULL;
	e = &m->slot[home(m, key, len, idset_hash(key, len))];
	return e->hash != 0 ? e : NULL;
}

int
strmap_add(struct strmap *m, const char *key, size_t len)
{
	int added;

	strmap_put(m, key, len, &added);
	return added;
}

const char *
strmap_key(const struct strmap *m, const struct strmap_slot *e)
{
	return m->keys.data + e->off;
}

void
strmap_free(struct strmap *m)
{
	free(m->slot);
	buf_free(&m->keys);
	memset(m, 0, sizeof(*m));
}

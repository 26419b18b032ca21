/* strmap.h: a map from exact byte strings to a size_t (a set when the
 * value is not used). Open addressing over 64-bit hashes; the keys are
 * copied one after another into one buffer, so a large map costs one
 * allocation for its keys, not one per key. For a set of model ids that
 * only needs "seen before?" at the size of the whole Hub, see idset.h. */
#ifndef HF_STRMAP_H
#define HF_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct strmap_slot {
	uint64_t	 hash;		/* 0: empty (a key never hashes to 0) */
	size_t		 off, len;	/* the key in keys (NUL after it) */
	size_t		 value;
};

struct strmap {
	struct strmap_slot	*slot;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
	struct buf		 keys;
};

/* The slot of key, added with value 0 if it was not there (*added then
 * 1, else 0; added may be NULL). Valid until the next strmap_put. */
struct strmap_slot *strmap_put(struct strmap *, const char *key, size_t len,
	    int *added);
/* The slot of key, or NULL. */
struct strmap_slot *strmap_get(const struct strmap *, const char *key,
	    size_t len);
/* Add key: 1 if it was new, 0 if it was there already. */
int	 strmap_add(struct strmap *, const char *key, size_t len);
/* The stored key of a slot, NUL-terminated; valid until strmap_put. */
const char *strmap_key(const struct strmap *, const struct strmap_slot *);
void	 strmap_free(struct strmap *);

#endif

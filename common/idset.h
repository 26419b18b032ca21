/* idset.h: a set of 64-bit hashes of ids (de-duplication). */
#ifndef HF_IDSET_H
#define HF_IDSET_H

#include <stddef.h>
#include <stdint.h>

struct idset {
	uint64_t	*sorted;	/* the older hashes, ascending */
	size_t		 nsorted;
	size_t		 sorted_cap;
	uint64_t	*recent;	/* the newer ones, an ordered hash
					 * table: 0 = empty, a hash of 0 is
					 * stored as 1 */
	size_t		 nrecent;
	unsigned	 recent_bits;	/* log2 of its homes */
	size_t		 n;		/* nsorted + nrecent */
};

uint64_t idset_hash(const char *, size_t);
/* Add; 1 if it was new, 0 if already there. */
int	 idset_add(struct idset *, const char *, size_t);
void	 idset_free(struct idset *);

#endif

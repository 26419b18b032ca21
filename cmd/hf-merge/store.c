/* store.c: the memory that holds what hf-merge keeps of its input lines
 * (see merge.h). One malloc a line cost more than the line's parse, and
 * a registry's worth of small blocks is faulted in a page at a time:
 * here the lines go one after another into large blocks, freed all at
 * once, and the arrays of the lines and of their ids grow the same way.
 * Memory of STORE_SMALL or more is mapped in whole blocks marked for
 * transparent huge pages; less is malloc'd, since a huge page is
 * cleared whole when first touched, which a small input would pay for
 * nothing. */
#define _GNU_SOURCE	/* MAP_ANONYMOUS, madvise, mremap */
#include <sys/mman.h>

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "merge.h"

#define STORE_BLOCK	((size_t)2 << 20)	/* x86-64's huge page size */
#define STORE_SMALL	((size_t)256 << 10)	/* less is malloc'd */
#define STORE_FIRST	((size_t)64 << 10)	/* the store's first block */

/* At the start of each block: the blocks filled before it. */
struct store_block {
	struct store_block *next;
	size_t		 size;		/* of the whole block */
};

#define HEADER	((sizeof(struct store_block) + 15) & ~(size_t)15)

static void	*map_blocks(size_t);
static int	 move_blocks(void *, size_t, void *);
static size_t	 round_size(size_t);

/* size bytes (a multiple of STORE_BLOCK), aligned on STORE_BLOCK so
 * that each block can be one huge page. */
static void *
map_blocks(size_t size)
{
	size_t span = size + STORE_BLOCK, head;
	char *p, *a;

	if (size > SIZE_MAX - STORE_BLOCK ||
	    (p = mmap(NULL, span, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		err(HF_EXIT_FATAL, "mmap");
	a = (char *)(((uintptr_t)p + STORE_BLOCK - 1) &
	    ~(uintptr_t)(STORE_BLOCK - 1));
	head = (size_t)(a - p);
	if (head > 0)
		(void)munmap(p, head);
	(void)munmap(a + size, span - head - size);
#ifdef MADV_HUGEPAGE
	(void)madvise(a, size, MADV_HUGEPAGE);	/* a hint */
#endif
	return a;
}

/* Move the size bytes mapped at old to the start of p, mapped too:
 * their pages, faulted in already, are not copied, nor cleared again.
 * 0, or -1 with nothing moved. */
static int
move_blocks(void *old, size_t size, void *p)
{
#ifdef MREMAP_FIXED
	return mremap(old, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, p) ==
	    MAP_FAILED ? -1 : 0;
#else
	(void)old;
	(void)size;
	(void)p;
	return -1;
#endif
}

/* The size of the memory store_array gives for n bytes: n if it is
 * malloc'd, else whole blocks. */
static size_t
round_size(size_t n)
{
	if (n < STORE_SMALL)
		return n;
	if (n > SIZE_MAX - STORE_BLOCK)
		errx(HF_EXIT_FATAL, "out of memory");
	return (n + STORE_BLOCK - 1) & ~(STORE_BLOCK - 1);
}

void *
store_array(void *old, size_t oldsize, size_t *size)
{
	void *p;

	if ((*size = round_size(*size)) < STORE_SMALL) {
		p = xrealloc(old, *size);
		memset((char *)p + oldsize, 0, *size - oldsize);
		return p;
	}
	p = map_blocks(*size);
	if (round_size(oldsize) >= STORE_SMALL &&
	    move_blocks(old, round_size(oldsize), p) == 0)
		return p;
	if (oldsize > 0) {
		memcpy(p, old, oldsize);
		store_array_free(old, oldsize);
	}
	return p;
}

void
store_array_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	if ((size = round_size(size)) < STORE_SMALL)
		free(p);
	else
		(void)munmap(p, size);
}

char *
store_alloc(struct store *s, size_t n)
{
	struct store_block *b;
	size_t size;
	char *p;

	if (n > (size_t)(s->end - s->at)) {
		size = s->head == NULL ? STORE_FIRST : STORE_BLOCK;
		if (n > size - HEADER) {
			if (n > SIZE_MAX - HEADER)
				errx(HF_EXIT_FATAL, "out of memory");
			size = n + HEADER;
		}
		b = store_array(NULL, 0, &size);
		b->next = s->head;
		b->size = size;
		s->head = b;
		s->at = (char *)b + HEADER;
		s->end = (char *)b + size;
	}
	p = s->at;
	s->at += n;
	return p;
}

void
store_free(struct store *s)
{
	struct store_block *b, *next;

	for (b = s->head; b != NULL; b = next) {
		next = b->next;
		store_array_free(b, b->size);
	}
	s->head = NULL;
	s->at = s->end = NULL;
}

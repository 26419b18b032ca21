/* store.c: the memory that holds what hf-merge keeps of its input lines
 * (see merge.h). One malloc a line cost more than the line's parse, and
 * a registry's worth of small blocks is faulted in a page at a time:
 * here the lines go one after another into large blocks, mapped and
 * marked for transparent huge pages, and freed all at once. The arrays
 * of the lines and of their ids are mapped the same way. */
#define _DEFAULT_SOURCE	/* MAP_ANONYMOUS, madvise */
#include <sys/mman.h>

#include <err.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "merge.h"

#define STORE_BLOCK	((size_t)2 << 20)	/* x86-64's huge page size */

/* At the start of each block: the blocks filled before it. */
struct store_block {
	struct store_block *next;
	size_t		 size;		/* of the whole block */
};

#define HEADER	((sizeof(struct store_block) + 15) & ~(size_t)15)

static struct store_block *map_block(size_t);
static size_t	blocks(size_t);

/* A block of size bytes (a multiple of STORE_BLOCK), aligned on
 * STORE_BLOCK so that it can be one huge page, or a few. */
static struct store_block *
map_block(size_t size)
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
	return (struct store_block *)(void *)a;
}

/* n bytes rounded up to whole blocks. */
static size_t
blocks(size_t n)
{
	if (n > SIZE_MAX - STORE_BLOCK)
		errx(HF_EXIT_FATAL, "out of memory");
	return n == 0 ? STORE_BLOCK : (n + STORE_BLOCK - 1) & ~(STORE_BLOCK - 1);
}

void *
store_array(void *old, size_t oldsize, size_t *size)
{
	void *p;

	*size = blocks(*size);
	p = map_block(*size);
	if (oldsize > 0) {
		memcpy(p, old, oldsize);
		store_array_free(old, oldsize);
	}
	return p;
}

void
store_array_free(void *p, size_t size)
{
	if (p != NULL)
		(void)munmap(p, blocks(size));
}

char *
store_alloc(struct store *s, size_t n)
{
	struct store_block *b;
	size_t size;
	char *p;

	if (n > (size_t)(s->end - s->at)) {
		size = STORE_BLOCK;
		if (n > STORE_BLOCK - HEADER) {
			if (n > SIZE_MAX - HEADER)
				errx(HF_EXIT_FATAL, "out of memory");
			size = blocks(n + HEADER);
		}
		b = map_block(size);
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
		(void)munmap(b, b->size);
	}
	s->head = NULL;
	s->at = s->end = NULL;
}

/* chunks.c: a long run of items formatted on two threads, in chunks of
 * CHUNK_ITEMS: the odd chunks by a second thread, into two buffers of its
 * own, the even ones here, straight into the output; each is put in
 * order, so the text is the one a single thread makes. Memory stays at
 * three chunks. Where the thread cannot be started, every chunk is
 * formatted here. */
#include <pthread.h>

#include "buf.h"
#include "merge.h"

#define CHUNK_ITEMS	512	/* about 400 KB of supported_models.json */

struct helper {
	const struct chunks	*c;
	size_t			 nchunks;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct buf		 slot[2];
	size_t			 ready[2];	/* its chunk + 1; 0: free */
};

static void	chunk_format(const struct chunks *, size_t, struct buf *,
		    int);
static void	*helper_run(void *);
static void	slot_wait(struct helper *, size_t, size_t);
static void	slot_set(struct helper *, size_t, size_t);

static void
chunk_format(const struct chunks *c, size_t k, struct buf *out, int helper)
{
	size_t from = k * CHUNK_ITEMS;
	size_t to = c->n - from > CHUNK_ITEMS ? from + CHUNK_ITEMS : c->n;

	c->format(c->arg, from, to, out, helper);
}

/* Wait until slot s holds what (a chunk + 1, or 0: free). */
static void
slot_wait(struct helper *h, size_t s, size_t what)
{
	pthread_mutex_lock(&h->mu);
	while (h->ready[s] != what)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static void
slot_set(struct helper *h, size_t s, size_t what)
{
	pthread_mutex_lock(&h->mu);
	h->ready[s] = what;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

/* The second thread: chunks 1, 3, 5..., into slots 0, 1, 0... */
static void *
helper_run(void *arg)
{
	struct helper *h = arg;
	size_t k, s;

	for (k = 1; k < h->nchunks; k += 2) {
		s = k / 2 % 2;
		slot_wait(h, s, 0);
		buf_reset(&h->slot[s]);
		chunk_format(h->c, k, &h->slot[s], 1);
		slot_set(h, s, k + 1);
	}
	return NULL;
}

void
chunks_run(const struct chunks *c, struct merge_out *out)
{
	struct helper h = { .c = c };
	pthread_t t;
	size_t k, s;
	int threaded = 0;

	h.nchunks = (c->n + CHUNK_ITEMS - 1) / CHUNK_ITEMS;
	if (h.nchunks > 1) {
		pthread_mutex_init(&h.mu, NULL);
		pthread_cond_init(&h.cv, NULL);
		threaded = pthread_create(&t, NULL, helper_run, &h) == 0;
	}
	for (k = 0; k < h.nchunks; k++) {
		if (!threaded || k % 2 == 0) {
			chunk_format(c, k, &out->buf, 0);
			merge_spill(out, MERGE_SPILL);
			continue;
		}
		s = k / 2 % 2;
		slot_wait(&h, s, k + 1);
		if (out->buf.len > 0)
			merge_spill(out, 0);
		out->put(out->arg, h.slot[s].data, h.slot[s].len);
		slot_set(&h, s, 0);
	}
	if (threaded)
		pthread_join(t, NULL);
	if (h.nchunks > 1) {
		pthread_cond_destroy(&h.cv);
		pthread_mutex_destroy(&h.mu);
	}
	buf_free(&h.slot[0]);
	buf_free(&h.slot[1]);
}

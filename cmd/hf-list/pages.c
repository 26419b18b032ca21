/* pages.c: a listing's pages, fetched by a thread of their own (the
 * fetcher) while the page before is printed (the printer, the listing's
 * thread), so that the Hub prepares the next page while this one goes
 * out. One page is handed over at a time: the fetcher is at most one
 * page ahead, and with --limit, whose end only printing tells, it waits
 * for each page to be printed before it asks for the next. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "json.h"
#include "util.h"
#include "list.h"

static void	*fetcher(void *);
static int	 printed_locked(struct listing *);
static int	 page_put(struct listing *, char *, int64_t);
static int	 page_printed(struct listing *);
static void	 page_end(struct listing *, int);
static int	 page_get(struct listing *);
static void	 page_done(struct listing *, int);

void
listing_take(struct listing *l)
{
	struct buf b = l->page.body;
	struct json j = l->page.json;

	l->page.body = l->http.body;
	l->page.json = l->json;
	l->http.body = b;
	l->json = j;
}

int
listing_sleep(struct listing *l, double secs)
{
	struct timespec until;
	int stop;

	if (!(secs > 0))
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &until);	/* cv's clock: pages_run */
	if (secs > 1e6)
		secs = 1e6;
	until.tv_sec += (time_t)secs;
	until.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&l->mu);
	while (!l->stop &&
	    pthread_cond_timedwait(&l->cv, &l->mu, &until) != ETIMEDOUT)
		;
	stop = l->stop;
	pthread_mutex_unlock(&l->mu);
	return stop ? -1 : 0;
}

/* The fetcher: each page fetched and handed over with the page after it,
 * until there is none, the printer stops it or a fetch fails. */
static void *
fetcher(void *arg)
{
	struct listing *l = arg;
	char *next;
	int64_t part;
	int failed = 0;

	run_label(l->label, l->orgs);
	while (l->url != NULL) {
		l->fetching++;
		if (listing_orphaned(l) || fetch_page(l) == -1 ||
		    listing_after(l, &next, &part) == -1) {
			failed = 1;
			break;
		}
		free(l->url);
		l->url = next != NULL ? xstrdup(next) : NULL;
		if (page_put(l, next, part) == -1 ||
		    (l->a->limit > 0 && page_printed(l) == -1))
			break;
	}
	page_end(l, failed);
	return NULL;
}

/* With mu held: wait until the page handed over, if any, is printed.
 * Whether the printer stopped. */
static int
printed_locked(struct listing *l)
{
	while (l->full && !l->stop)
		pthread_cond_wait(&l->cv, &l->mu);
	return l->stop;
}

/* Hand the page fetched over, once the one before is printed: 0, or -1
 * (next freed) if the printer stopped. */
static int
page_put(struct listing *l, char *next, int64_t part)
{
	pthread_mutex_lock(&l->mu);
	if (printed_locked(l)) {
		pthread_mutex_unlock(&l->mu);
		free(next);
		return -1;
	}
	listing_take(l);
	free(l->page.next);
	l->page.next = next;
	l->page.part = part;
	l->full = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

/* Wait until the page handed over is printed: 0, or -1 if the printer
 * stopped (the listing is done). */
static int
page_printed(struct listing *l)
{
	int stop;

	pthread_mutex_lock(&l->mu);
	stop = printed_locked(l);
	pthread_mutex_unlock(&l->mu);
	return stop ? -1 : 0;
}

static void
page_end(struct listing *l, int failed)
{
	pthread_mutex_lock(&l->mu);
	l->ended = 1;
	l->fetch_failed = failed;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

/* Wait for a page to print: 1, or 0 once the fetcher has ended and
 * handed over every page it fetched. */
static int
page_get(struct listing *l)
{
	int full;

	pthread_mutex_lock(&l->mu);
	while (!l->full && !l->ended)
		pthread_cond_wait(&l->cv, &l->mu);
	full = l->full;
	pthread_mutex_unlock(&l->mu);
	return full;
}

/* The page is printed; stop: the fetcher is to fetch no more. */
static void
page_done(struct listing *l, int stop)
{
	pthread_mutex_lock(&l->mu);
	l->full = 0;
	if (stop)
		l->stop = 1;
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

int
pages_run(struct listing *l)
{
	pthread_condattr_t ca;
	pthread_t tid;
	int e, rv = 0;

	l->url = xstrdup(l->st.next);
	l->fpart = l->st.part;
	l->fetching = l->pages;
	l->page.json.max_bytes = l->json.max_bytes;
	run_label_get(&l->label, &l->orgs);
	pthread_mutex_init(&l->mu, NULL);
	/* listing_sleep's waits do not move with the wall clock */
	pthread_condattr_init(&ca);
	(void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cv, &ca);
	pthread_condattr_destroy(&ca);
	if ((e = pthread_create(&tid, NULL, fetcher, l)) != 0) {
		errno = e;
		say_errno("pthread_create");
		rv = -1;
		goto out;
	}
	while (page_get(l)) {
		if (listing_emit(l) == -1 || listing_advance(l) == -1) {
			rv = -1;
			page_done(l, 1);
			break;
		}
		page_done(l, l->st.done);
	}
	pthread_join(tid, NULL);
	if (l->fetch_failed)
		rv = -1;
out:
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	return rv;
}

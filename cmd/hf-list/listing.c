/* listing.c: one listing of models as NDJSON, one item a line, following
 * the Link pagination, de-duplicating by id, --author after --author. */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "http.h"
#include "hub.h"
#include "idset.h"
#include "json.h"
#include "util.h"
#include "list.h"

static int	listing_open(struct listing *);
static int	orphaned(const struct listing *);
static double	downloads(const struct json *, int);
static int	repeated(struct listing *, int);
static int	find_next(struct listing *, char **);
static int	advance(struct listing *, char *);
static void	progress(const struct listing *, int);

/* The listing, page after page and --author after --author. */
int
listing_run(const struct list_args *a)
{
	struct listing l = { 0 };
	char *next = NULL;
	int rv = HF_EXIT_OK;

	l.a = a;
	if (env_true("HF_LIST_DIE_WITH_PARENT")) {
		l.parent = getppid();
		run_die_with_parent();
	}
	if (listing_open(&l) == -1 || (l.st.path != NULL &&
	    (state_load(&l.st) == -1 ||
	    (!l.st.done && state_save(&l.st) == -1))))
		rv = HF_EXIT_FATAL;
	while (!l.st.done && rv == HF_EXIT_OK) {
		if (orphaned(&l) || fetch_page(&l) == -1 ||
		    find_next(&l, &next) == -1 || listing_emit(&l) == -1 ||
		    advance(&l, next) == -1)
			rv = HF_EXIT_FATAL;
	}
	progress(&l, 1);
	if (l.repeats > 0)
		warnx("%" PRId64 " repeated id%s left out", l.repeats,
		    l.repeats == 1 ? "" : "s");
	listing_free(&l);
	return rv;
}

/* The first page, or where --state says to go on from; the Hub opened. */
static int
listing_open(struct listing *l)
{
	l->endpoint = hub_endpoint();
	if (run_offline(l->endpoint))
		return -1;
	l->query = query_build(l->a, 0, l->a->nauthors);
	l->st.path = l->a->state_path;
	l->st.endpoint = l->endpoint;
	l->st.query = l->query;
	l->st.nauthors = l->a->nauthors;
	l->st.next = query_url(l->endpoint, l->a, 0);
	clock_gettime(CLOCK_MONOTONIC, &l->start);
	l->tty = isatty(STDERR_FILENO);
	return fetch_open(l);
}

/* HF_LIST_DIE_WITH_PARENT (set by hf-scraper): where no signal comes when
 * the parent dies, and for a parent gone before that was set up, the
 * parent is checked before every page. */
static int
orphaned(const struct listing *l)
{
	if (!run_orphaned(l->parent))
		return 0;
	warnx("the parent process is gone: stopping");
	return 1;
}

void
listing_free(struct listing *l)
{
	http_close(&l->http);
	json_free(&l->json);
	idset_free(&l->seen);
	free(l->endpoint);
	free(l->query);
	free(l->st.next);
}

/* downloads of an item, a missing or non-numeric one counting as 0. */
static double
downloads(const struct json *j, int item)
{
	double d;

	if (json_f64(j, json_get(j, item, "downloads"), &d) == -1)
		return 0;
	return d;
}

/* Whether item's id was printed before (items without an id pass). */
static int
repeated(struct listing *l, int item)
{
	static struct buf id;
	int k = json_get(&l->json, item, "id");

	buf_reset(&id);
	if (json_str(&l->json, k, &id, NULL) == -1)
		return 0;
	return !idset_add(&l->seen, id.data ? id.data : "", id.len);
}

int
listing_emit(struct listing *l)
{
	const struct json *j = &l->json;
	char *body = l->http.body.data;
	size_t start, n;
	int64_t limit = l->a->limit;
	int e, left = json_size(j, 0);

	for (e = json_first(j, 0); left-- > 0; e = json_skip(j, e)) {
		if (l->a->min_downloads >= 0 &&
		    downloads(j, e) < (double)l->a->min_downloads) {
			l->part_done = 1;
			break;
		}
		if (repeated(l, e)) {
			l->repeats++;
			continue;
		}
		/* Minified where it lies: no second copy of the page. */
		start = (size_t)json_start(j, e);
		n = j->ws == 0 ? (size_t)json_end(j, e) - start :
		    json_minify_in_place(body, start, (size_t)json_end(j, e));
		if (fwrite(body + start, 1, n, stdout) != n ||
		    putchar('\n') == EOF)
			break;
		if (++l->st.count == limit && limit > 0) {
			l->st.done = 1;
			break;
		}
	}
	l->pages++;
	if (ferror(stdout) || fflush(stdout) == EOF) {
		warn("stdout");
		return -1;
	}
	progress(l, 0);
	return 0;
}

/* The next page from Link rel="next", checked before the page is printed:
 * same origin only, since the token must not leave it. */
static int
find_next(struct listing *l, char **next)
{
	char *v = http_header(&l->http, "Link");

	*next = v != NULL ? link_next(v) : NULL;
	free(v);
	if (*next != NULL && url_same_origin(l->endpoint, *next) != 1) {
		warnx("page %" PRId64 ": Link to another origin refused: %s",
		    l->pages + 1, *next);
		free(*next);
		*next = NULL;
		return -1;
	}
	return 0;
}

/* Record the position once the page is safely out, and move on: to the
 * next page, else to the next --author's first page, else done. */
static int
advance(struct listing *l, char *next)
{
	if (!l->st.done && (l->part_done || next == NULL) &&
	    (size_t)l->st.part + 1 < l->a->nauthors) {
		free(next);
		next = query_url(l->endpoint, l->a, (size_t)++l->st.part);
		l->part_done = 0;
	}
	if (l->st.done || l->part_done || next == NULL) {
		free(next);
		next = NULL;
		l->st.done = 1;
	}
	free(l->st.next);
	l->st.next = next;
	return state_save(&l->st);
}

/* On a terminal a line redrawn; otherwise (--progress) one line a page,
 * for a log or a wrapper to read. */
static void
progress(const struct listing *l, int last)
{
	if (!l->a->progress || (last && !l->tty))
		return;
	fprintf(stderr, "%shf-list: %" PRId64 " models, %" PRId64
	    " pages, %.1f s%s", l->tty ? "\r" : "", l->st.count, l->pages,
	    run_elapsed(&l->start), l->tty && !last ? "" : "\n");
}

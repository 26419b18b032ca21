/* listing.c: one listing of models as NDJSON, one item a line, following
 * the Link pagination, de-duplicating by id, --author after --author. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "headers.h"
#include "http.h"
#include "hub.h"
#include "idset.h"
#include "json.h"
#include "strmap.h"
#include "util.h"
#include "list.h"

static int	listing_open(struct listing *);
static int	downloads(const struct json *, int, double *, const char **);
static void	skip_item(struct listing *, int, int, const char *);
static const struct buf *item_id(struct listing *, int, struct buf *);
static int	mark_like(const struct listing *, int);
static int	repeated(struct listing *, const struct buf *);
static int	registered(struct listing *, const struct buf *);
static int	find_next(struct listing *, char **);
static int	part_ends(const struct listing *);
static void	progress(struct listing *, int);

/* The listing, page after page and --author after --author. */
int
listing_run(const struct list_args *a, struct list_stats *stats)
{
	struct listing l = { 0 };
	int rv = HF_EXIT_OK;

	l.a = a;
	l.st.marks = a->state_marks;
	l.st.marks_fp = a->out;
	/* the lanes' process asked for the signal before they started */
	if (env_true("HF_LIST_DIE_WITH_PARENT")) {
		l.parent = getppid();
		if (!a->lane)
			run_die_with_parent();
	}
	/* the file is there from the start, unless a consumer of the marks
	 * keeps it */
	if ((rv = listing_open(&l)) == HF_EXIT_OK && l.st.path != NULL &&
	    !l.st.done && !l.st.marks && state_save(&l.st) == -1)
		rv = HF_EXIT_FATAL;
	if (rv == HF_EXIT_OK && !l.st.done && pages_run(&l) == -1)
		rv = HF_EXIT_FATAL;
	progress(&l, 1);
	if (l.repeats > 0)
		say("%" PRId64 " repeated id%s left out", l.repeats,
		    l.repeats == 1 ? "" : "s");
	if (l.skipped > 0 && rv == HF_EXIT_OK)
		rv = HF_EXIT_SKIPPED;
	stats->listed = l.st.count;
	stats->pages = l.pages;
	stats->hub_items = l.hub_items;
	stats->registered = l.registered;
	stats->malformed = l.skipped;
	stats->complete = l.st.done;
	listing_free(&l);
	return rv;
}

/* The first page, or where --state says to go on from (checked before
 * anything is sent); the Hub opened. An exit status: with st.done set, a
 * listing already complete. */
static int
listing_open(struct listing *l)
{
	int rv;

	l->endpoint = hub_endpoint();
	if (run_offline(l->endpoint))
		return HF_EXIT_FATAL;
	l->query = query_build(l->a, 0, l->a->nauthors);
	l->st.path = l->a->state_path;
	l->st.endpoint = l->endpoint;
	l->st.query = l->query;
	l->st.nauthors = l->a->nauthors;
	l->st.next = query_url(l->endpoint, l->a, 0);
	clock_gettime(CLOCK_MONOTONIC, &l->start);
	l->tty = isatty(STDERR_FILENO);
	if (l->st.path != NULL) {
		if ((rv = state_load(&l->st)) == -1)
			return HF_EXIT_FATAL;
		if (rv == 1 && (rv = run_resume_check(l->a, &l->st)) != 0)
			return rv == 1 ? HF_EXIT_OK : HF_EXIT_USAGE;
	}
	return fetch_open(l) == -1 ? HF_EXIT_FATAL : HF_EXIT_OK;
}

/* HF_LIST_DIE_WITH_PARENT (set by hf-scraper): where no signal comes when
 * the parent dies, and for a parent gone before that was set up, the
 * parent is checked before every page. */
int
listing_orphaned(const struct listing *l)
{
	if (!run_orphaned(l->parent))
		return 0;
	say("the parent process is gone: stopping");
	return 1;
}

void
listing_free(struct listing *l)
{
	http_close(&l->http);
	json_free(&l->json);
	idset_free(&l->seen);
	idset_free(&l->fetched);
	free(l->endpoint);
	free(l->query);
	free(l->st.next);
	free(l->url);
	buf_free(&l->page.body);
	json_free(&l->page.json);
	free(l->page.next);
}

/* The downloads of an item into *d, a missing count being 0: 0, or -1
 * (*d = 0, *why set) for an item that is not an object or whose count is
 * not a number. */
static int
downloads(const struct json *j, int item, double *d, const char **why)
{
	int k;

	*d = 0;
	if (json_type(j, item) != JSON_OBJECT) {
		*why = "not an object";
		return -1;
	}
	if ((k = json_get(j, item, "downloads")) == -1 ||
	    json_f64(j, k, d) == 0)
		return 0;
	*d = 0;
	*why = "downloads is not a number";
	return -1;
}

/* An item --min-downloads cannot place (item n of the page, from 1): it is
 * reported and skipped, and the listing goes on (exit 3 at the end). */
static void
skip_item(struct listing *l, int item, int n, const char *why)
{
	struct buf id = { 0 };
	size_t i;

	if (json_type(&l->page.json, item) != JSON_OBJECT ||
	    json_str(&l->page.json, json_get(&l->page.json, item, "id"), &id,
	    NULL) == -1)
		buf_reset(&id);
	buf_cstr(&id);
	/* the Hub's text: no control byte reaches a terminal */
	for (i = 0; i < id.len; i++)
		if ((unsigned char)id.data[i] < 0x20 || id.data[i] == 0x7f)
			id.data[i] = '?';
	say("page %" PRId64 ": item %d%s%s%s: %s: skipped", l->pages + 1, n,
	    id.len > 0 ? " (" : "", id.len > 0 ? id.data : "",
	    id.len > 0 ? ")" : "", why);
	buf_free(&id);
	l->skipped++;
}

/* The id of an item, decoded into id, or NULL (no string id). */
static const struct buf *
item_id(struct listing *l, int item, struct buf *id)
{
	buf_reset(id);
	if (json_str(&l->page.json, json_get(&l->page.json, item, "id"), id,
	    NULL) == -1)
		return NULL;
	return id;
}

/* With --state-marks, whether an item would read as a mark: an object
 * whose first member is hf_list_state. */
static int
mark_like(const struct listing *l, int item)
{
	static const char key[] = "hf_list_state";
	const struct json *j = &l->page.json;

	return l->st.marks && json_type(j, item) == JSON_OBJECT &&
	    json_size(j, item) > 0 && json_str_eq(j, item + 1, key,
	    sizeof(key) - 1);
}

/* Whether an id was printed before (items without an id pass). */
static int
repeated(struct listing *l, const struct buf *id)
{
	return id != NULL &&
	    !idset_add(&l->seen, id->data ? id->data : "", id->len);
}

/* Whether an id is one of --skip-ids. */
static int
registered(struct listing *l, const struct buf *id)
{
	return id != NULL && l->a->skip->n > 0 &&
	    strmap_get(l->a->skip, id->data ? id->data : "", id->len) != NULL;
}

/* The ids are decoded into a buffer of the page's, each lane having its
 * own. */
int
listing_emit(struct listing *l)
{
	FILE *out = l->a->out != NULL ? l->a->out : stdout;
	struct buf idbuf = { 0 };
	const struct json *j = &l->page.json;
	char *body = l->page.body.data;
	size_t start, n;
	int64_t limit = l->a->limit;
	int e, k = 0, left = json_size(j, 0);
	const struct buf *id;
	const char *why;
	double d;

	l->hub_items += left;
	run_pipe_room(fileno(out), l->page.body.len, &l->pipe_size);
	for (e = json_first(j, 0); left-- > 0; e = json_skip(j, e)) {
		k++;
		if (l->a->min_downloads >= 0) {
			/* (a threshold of 0 is met by anything) */
			if (downloads(j, e, &d, &why) == -1 &&
			    l->a->min_downloads > 0) {
				skip_item(l, e, k, why);
				continue;
			}
			if (d < (double)l->a->min_downloads) {
				l->part_done = 1;
				break;
			}
		}
		if (mark_like(l, e)) {
			skip_item(l, e, k, "looks like a state mark");
			continue;
		}
		id = item_id(l, e, &idbuf);
		if (repeated(l, id)) {
			l->repeats++;
			continue;
		}
		if (registered(l, id)) {
			l->registered++;
			continue;
		}
		/* Minified where it lies: no second copy of the page. */
		start = (size_t)json_start(j, e);
		n = j->ws == 0 ? (size_t)json_end(j, e) - start :
		    json_minify_in_place(body, start, (size_t)json_end(j, e));
		if (fwrite(body + start, 1, n, out) != n ||
		    putc('\n', out) == EOF)
			break;
		if (++l->st.count == limit && limit > 0) {
			l->st.done = 1;
			break;
		}
	}
	l->pages++;
	buf_free(&idbuf);
	if (ferror(out) || fflush(out) == EOF) {
		say_errno("stdout");
		return -1;
	}
	progress(l, 0);
	return 0;
}

/* The next page from Link rel="next" (a relative one resolved against
 * the page's URL), checked before the page is printed: same origin only,
 * since the token must not leave it, and not a page fetched before in
 * this listing, which would loop for ever. */
static int
find_next(struct listing *l, char **next)
{
	char *v = http_header(&l->http, "Link"), *ref;

	ref = v != NULL ? link_next(v) : NULL;
	free(v);
	if (ref == NULL) {
		*next = NULL;
		return 0;
	}
	(void)idset_add(&l->fetched, l->url, strlen(l->url));
	*next = url_resolve(l->url, ref);
	if (*next == NULL || url_same_origin(l->endpoint, *next) != 1)
		say("page %" PRId64 ": Link to another origin refused: %s",
		    l->fetching, ref);
	else if (!idset_add(&l->fetched, *next, strlen(*next)))
		say("page %" PRId64 ": the Link points back to a page "
		    "already fetched: %s", l->fetching, ref);
	else {
		free(ref);
		return 0;
	}
	free(ref);
	free(*next);
	*next = NULL;
	return -1;
}

/* Whether --min-downloads ends the part on the page just fetched: it has
 * an item under it, where listing_emit stops. */
static int
part_ends(const struct listing *l)
{
	const struct json *j = &l->json;
	int e, left = json_size(j, 0);
	const char *why;
	double d;

	if (l->a->min_downloads < 0)
		return 0;
	for (e = json_first(j, 0); left-- > 0; e = json_skip(j, e))
		if (downloads(j, e, &d, &why) == 0 &&
		    d < (double)l->a->min_downloads)
			return 1;
	return 0;
}

int
listing_after(struct listing *l, char **next, int64_t *part)
{
	if (find_next(l, next) == -1)
		return -1;
	if (*next != NULL && part_ends(l)) {
		free(*next);
		*next = NULL;
	}
	if (*next == NULL && (size_t)l->fpart + 1 < l->a->nauthors)
		*next = query_url(l->endpoint, l->a, (size_t)++l->fpart);
	*part = l->fpart;
	return 0;
}

int
listing_advance(struct listing *l)
{
	free(l->st.next);
	l->st.next = NULL;
	if (!l->st.done && l->page.next != NULL) {
		l->st.next = l->page.next;
		l->st.part = l->page.part;
		l->page.next = NULL;
	} else
		l->st.done = 1;
	l->part_done = 0;
	return state_save(&l->st);
}

/* On a terminal a line redrawn; otherwise (--progress) one line a page,
 * or with --progress-every n one each time the count passes a multiple
 * of n, for a log or a wrapper to read. */
static void
progress(struct listing *l, int last)
{
	int64_t every = l->a->progress_every;

	if (!l->a->progress || (last && !l->tty))
		return;
	if (!l->tty && every > 0) {
		if (l->st.count / every <= l->shown)
			return;
		l->shown = l->st.count / every;
	}
	if (l->tty)
		fputc('\r', stderr);
	run_prefix(stderr);
	fprintf(stderr, "%" PRId64 " models, %" PRId64 " pages, %.1f s%s",
	    l->st.count, l->pages, run_elapsed(&l->start),
	    l->tty && !last ? "" : "\n");
}

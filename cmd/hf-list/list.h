/* list.h: the units of hf-list. main.c parses the options and runs either
 * one listing (listing.c, its pages fetched by fetch.c) or the lanes
 * (lanes.c, each lane a listing in a thread); both build their query
 * with query.c, keep their --state with state.c and set up the run with
 * run.c; beside.c runs the listings after a "+" in forked copies. Nothing
 * here calls back into lanes.c or main.c. */
#ifndef HF_LIST_H
#define HF_LIST_H

#include <sys/types.h>

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "http.h"
#include "idset.h"
#include "json.h"
#include "strmap.h"

#define LIST_MAX_JOBS		64	/* --jobs, and the lanes of a state */
#define LIST_MAX_LISTINGS	8	/* listings joined by "+" */
#define LIST_MAX_PAGE_SIZE	1000	/* the Hub's largest page */

struct list_args {
	struct buf	 filters;	/* the query's filter part, "&k=v"... */
	size_t		 author_at;	/* where --author goes in filters */
	char		**authors;	/* --author, each listed in turn */
	size_t		 nauthors;
	char		**expand;	/* fields, each once */
	size_t		 nexpand;
	const char	*sort;
	const char	*state_path;
	int		 state_marks;	/* --state-marks: print, not write */
	const struct strmap *skip;	/* --skip-ids: never printed */
	const char	*label;		/* --label: in every message */
	int64_t		 limit;
	int64_t		 jobs;		/* lanes for several --author */
	int64_t		 page_size;
	int64_t		 min_downloads;	/* -1: no threshold */
	long		 timeout;
	int		 progress;
	int64_t		 progress_every;	/* not a terminal: a line a n models */
	int		 lane;		/* a lane's listing, in a thread */
	FILE		*out;		/* the items (NULL: stdout) */
};

/* What --stats reports: listed and complete of the whole listing (across
 * resumes), the rest of this run's, all lanes added up. */
struct list_stats {
	int64_t		 listed;	/* models printed */
	int64_t		 pages;		/* pages fetched */
	int64_t		 hub_items;	/* items the Hub returned */
	int64_t		 registered;	/* items left out by --skip-ids */
	int64_t		 malformed;	/* items skipped as malformed */
	int		 complete;	/* the listing reached its end */
};

/* query.c: the Hub's query strings. */

/* "&key=value", both percent-encoded, appended to q. */
void	 query_param(struct buf *q, const char *key, const char *value);
/* The first page's query: the filters with authors [from, to), sort, page
 * size, expanded fields (malloc'd). */
char	*query_build(const struct list_args *, size_t from, size_t to);
/* The URL of the first page of part i, the listing of the i-th --author
 * (malloc'd). */
char	*query_url(const char *endpoint, const struct list_args *, size_t i);

/* state.c: the --state file, of a listing in turn or of the lanes. */

struct list_state {
	/* Which listing: a state of another endpoint or query is refused,
	 * and part and lanes must fit nauthors. */
	const char	*path;		/* NULL: no --state */
	const char	*endpoint;
	const char	*query;
	size_t		 nauthors;
	/* Where it stands. lanes is 0 for a listing in turn: next, part;
	 * else the number of lanes: out. */
	int64_t		 lanes;
	char		*next;		/* the page to fetch next */
	int64_t		 part;		/* the --author next belongs to */
	int64_t		 out;		/* lanes copied to stdout */
	int64_t		 count;		/* items printed */
	int		 done;
	int		 marks;		/* --state-marks: to marks_fp */
	FILE		*marks_fp;	/* where the marks go (NULL: stdout) */
	size_t		 saved;		/* path's length as the last save left
					 * it (atomic_rewrite) */
};

/* What a --state file holds: 0 nothing, 1 a listing in turn (or no state
 * at all), N >= 2 one in N lanes, -1 (reported). */
int64_t	 state_lanes(const char *path);
/* Read s->path into s, a state of the kind s->lanes says (0: a listing in
 * turn, else lanes): 1, 0 when there is no such file (s unchanged), -1
 * (reported). */
int	 state_load(struct list_state *s);
/* The same from a state file's text. */
int	 state_take(struct list_state *s, const char *text, size_t len);
/* Rewrite s->path (none: nothing to do) so that a kill leaves the old
 * state or the new one (atomic_rewrite), or with s->marks print the mark
 * {"hf_list_state":STATE} on s->marks_fp: 0, or -1 (reported). */
int	 state_save(struct list_state *s);

/* run.c: what a listing and the lanes set up alike. */

/* What every message of the calling thread starts with after "hf-list: "
 * (--label; NULL: nothing) and ends with (a lane's orgs; NULL: nothing). */
void	 run_label(const char *label, const char *orgs);
/* The calling thread's, for another thread to take. */
void	 run_label_get(const char **label, const char **orgs);
/* Standard output made path, opened for appending (created if need be):
 * 0, or -1 (reported). */
int	 run_output(const char *path);
/* Room in the pipe fd (if it is one) for a page of bytes, up to
 * RUN_PIPE_MAX: *size is its buffer's, 0 before the first call, -1 once
 * there is nothing to grow. */
#define RUN_PIPE_MAX	(1 << 20)
void	 run_pipe_room(int fd, size_t bytes, int *size);
/* "hf-list: " and the label, for a line written by hand. */
void	 run_prefix(FILE *);
/* warnx(3) and warn(3) with the label. */
void	 say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 say_errno(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* Before a resume from the state s (loaded): 0 to go on, 1 if the listing
 * is already complete, -1 (reported) if standard output is a regular file
 * not open for appending (a '>' emptied what was printed before). */
int	 run_resume_check(const struct list_args *, const struct list_state *);
/* HF_HUB_OFFLINE: 1 (reported) if the Hub must not be contacted. */
int	 run_offline(const char *endpoint);
/* Have this process sent SIGTERM when its parent dies, where the system
 * can (Linux); elsewhere poll run_orphaned. */
void	 run_die_with_parent(void);
/* Whether parent (0: none watched) is no longer this process's parent. */
int	 run_orphaned(pid_t parent);
/* --stats: the lines "name value" in one write to fd: 0, or -1
 * (reported). */
int	 run_stats_write(int fd, const struct list_stats *);
/* --skip-ids: the ids of path, one a line, into m: 0, or -1 (reported). */
int	 run_skip_load(struct strmap *m, const char *path);
/* Seconds since start (CLOCK_MONOTONIC). */
double	 run_elapsed(const struct timespec *start);

/* listing.c: one listing, its --author in turn; fetch.c: its pages. */

/* A page fetched, handed to the thread that prints it (listing.c), with
 * where the listing goes after it. */
struct page {
	struct buf	 body;
	struct json	 json;
	char		*next;		/* the page after it; NULL: the end */
	int64_t		 part;		/* the --author next belongs to */
};

/*
 * One listing. Its pages are fetched by a thread of their own (the
 * fetcher: url, fetching, fpart, http, json, fetched and the pacing are
 * its) while the one before is printed (the printer: page, st, seen and
 * the counts); they meet under mu.
 */
struct listing {
	const struct list_args *a;
	struct list_state st;	/* next: the page to print next */
	char		*url;		/* the page being fetched */
	int64_t		 fetching;	/* its number, from 1 */
	int64_t		 fpart;		/* the --author it belongs to */
	struct http	 http;
	struct json	 json;	/* the page fetched */
	struct page	 page;	/* the page to print */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 full;		/* page holds a page not yet printed */
	int		 stop;		/* the printer asks the fetcher to stop */
	int		 ended;		/* the fetcher has stopped */
	int		 fetch_failed;	/* and why: an error it reported */
	const char	*label, *orgs;	/* the messages' (run_label) */
	struct idset	 seen;
	char		*endpoint;
	char		*query;		/* identifies the listing in --state */
	int		 part_done;	/* --min-downloads reached in st.part */
	int		 tty;		/* stderr is a terminal */
	int		 pipe_size;	/* the output's pipe buffer: 0 not
					 * asked yet, -1 no pipe to grow */
	struct timespec	 start;
	int64_t		 pages;
	int64_t		 repeats;
	int64_t		 skipped;	/* items --min-downloads could not read */
	int64_t		 hub_items;	/* items of the pages fetched */
	int64_t		 registered;	/* items left out by --skip-ids */
	int64_t		 shown;		/* --progress-every: lines so far */
	struct idset	 fetched;	/* the URLs of the pages fetched */
	int		 reached;	/* the Hub answered at least once */
	double		 pace;		/* wait this long before the next request */
	double		 scale;		/* HF_LIST_WAIT_SCALE */
	pid_t		 parent;	/* HF_LIST_DIE_WITH_PARENT: else 0 */
	unsigned	 seed;
};

/* The listing of a's authors in turn (or of none): an exit status, and
 * its counts in *stats. */
int	 listing_run(const struct list_args *a, struct list_stats *stats);
/* Print the page's items not printed before, minified, up to --limit
 * and --min-downloads, on a->out: 0, or -1 (reported) on a write error. */
int	 listing_emit(struct listing *l);
/* The fetcher: where the listing goes after the page just fetched, in
 * *next (NULL: nowhere) and *part: its Link, or once the part is over (no
 * Link, or --min-downloads reached on it) the next --author's first
 * page: 0, or -1 (reported) for a Link that cannot be followed. */
int	 listing_after(struct listing *l, char **next, int64_t *part);
/* The printer: once the page is printed, the state moves past it and is
 * saved (state_save): 0, or -1 (reported). */
int	 listing_advance(struct listing *l);
/* Whether the parent watched (HF_LIST_DIE_WITH_PARENT) is gone (said). */
int	 listing_orphaned(const struct listing *l);
/* pages.c: fetch and print the pages from l->st.next on: 0, or -1
 * (reported). */
int	 pages_run(struct listing *l);
/* The page just fetched (http.body, json) becomes the page to print. */
void	 listing_take(struct listing *l);
/* Sleep secs unless the printer asks the fetcher to stop: 0, or -1 when
 * it does. */
int	 listing_sleep(struct listing *l, double secs);
void	 listing_free(struct listing *l);

/* Whether the token (if any) can be sent at all: 0, or -1 (reported)
 * when it holds a control character (a CR or LF would add headers). */
int	 fetch_token_ok(void);
/* Open the connection to the Hub with the token: 0, or -1 (reported). */
int	 fetch_open(struct listing *l);
/* Fetch l->url into l->json, retrying and pacing: 0, or -1 (reported,
 * unless the printer asked to stop). */
int	 fetch_page(struct listing *l);
/* The body in l->http.body into l->json: 0 if it is a JSON array. */
int	 fetch_parse(struct listing *l);

/* lanes.c: the listing in a->jobs lanes, each a thread, printed in
 * order: an exit status, and the counts of all lanes in *stats. */
int	 lanes_run(const struct list_args *a, struct list_stats *stats);

/* beside.c: listings beside this one, each in a forked copy. */

/* Start n copies, copy i exiting with run(arg, i), before any thread:
 * 0, or -1 (reported; those started are stopped). */
int	 beside_start(size_t n, int (*run)(void *, size_t), void *arg);
/* Send them SIGTERM (their --state resumes them). */
void	 beside_stop(void);
/* Wait for them all: the worst of their exit statuses. */
int	 beside_wait(void);

#endif

/* hf-list.h: what hf-list.c and its lanes (hf-list-lanes.c) share. */
#ifndef HF_LIST_H
#define HF_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct args {
	struct buf	 filters;	/* the query's filter part, "&k=v"... */
	size_t		 author_at;	/* where --author goes in filters */
	char		**authors;	/* --author, each listed in turn */
	size_t		 nauthors;
	char		**expand;	/* fields, each once */
	size_t		 nexpand;
	const char	*sort;
	const char	*state_path;
	int64_t		 limit;
	int64_t		 jobs;		/* lanes for several --author */
	int64_t		 page_size;
	int64_t		 min_downloads;	/* -1: no threshold */
	long		 timeout;
	int		 progress;	/* -1: when stderr is a terminal */
};

int	 list_main(int, char *[]);

/* The first page's query: the filters with authors [from, to), sort, page
 * size, expanded fields (malloc'd). */
char	*build_query(const struct args *, size_t from, size_t to);
/* The listing of a's authors in turn (or none): an exit status. */
int	 list_parts(struct args *);
/* The same in a->jobs lanes of forked copies, printed in order. */
int	 list_lanes(struct args *);
/* What a --state file holds: 0 nothing, 1 a listing in turn (or no state
 * at all), N >= 2 one in N lanes, -1 (reported). */
int64_t	 state_lanes(const char *);

#endif

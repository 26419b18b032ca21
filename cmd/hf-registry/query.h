/* query.h: hf-registry's questions to the architecture registry, each
 * answered in lines on a stream (hf-registry(1)). main.c parses the
 * options and calls these; so does tests/fuzz/fuzz-registry.c. */
#ifndef HF_QUERY_H
#define HF_QUERY_H

#include <stddef.h>
#include <stdio.h>

#include "registry.h"

enum query_kind {
	QUERY_COUNT,	/* count: the number of supported architectures */
	QUERY_LIST,	/* list: the supported architectures */
	QUERY_ORGS,	/* orgs [arch]: canonical orgs, of every arch or one */
	QUERY_CHECK,	/* check arch: supported, case, closest or none */
	QUERY_PATH,	/* path: the registry file read, once checked */
	QUERY_PLAN,	/* plan [arch]: path, count, orgs (and arch's), keyed */
};

struct query {
	enum query_kind	 kind;
	const char	*arch;	/* orgs, plan: NULL for every architecture */
};

/* The operands (the query word and its argument): 0, or -1 with a usage
 * message in err. */
int	query_parse(struct query *, int argc, char *argv[], char *err,
	    size_t errlen);

/* registry_load, then refuse a registry holding a name that no output
 * line can show: an empty one, or one with a control byte (below 0x20,
 * or 0x7f). 0, or -1 with "FILE: reason" in err (r then empty, to be
 * freed all the same). */
int	query_load(struct registry *, const char *path, char *err,
	    size_t errlen);

/* Print the answer to q on fp: 0, or -1 if writing failed. */
int	query_run(const struct query *, const struct registry *, FILE *fp);

/* The edit distance (Levenshtein: insert, delete, substitute one byte)
 * between a and b, ASCII letters compared without case. */
size_t	query_distance(const char *a, size_t alen, const char *b,
	    size_t blen);

/* The supported architecture nearest to name by query_distance, the
 * first in byte order among equals, its distance in *dist; NULL if the
 * registry supports none. */
const char *query_closest(const struct registry *, const char *name,
	    size_t len, size_t *dist);

#endif

/* query.c: the query strings hf-list sends to the Hub's /api/models. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "list.h"

void
query_param(struct buf *q, const char *key, const char *value)
{
	buf_addc(q, '&');
	url_encode(q, key);
	buf_addc(q, '=');
	url_encode(q, value);
}

/* All the authors make the --state identity; a page asks for one. With
 * --limit N the Hub is asked for at most N items a page, N plus the
 * --skip-ids ids when some may be left out, as huggingface_hub's
 * list_models is asked for max_models + len(existing). */
char *
query_build(const struct list_args *a, size_t from, size_t to)
{
	struct buf q = { 0 };
	int64_t n = a->page_size;
	char num[32];
	size_t i;

	if (a->limit > 0 && a->skip->n < (size_t)n &&
	    a->limit < n - (int64_t)a->skip->n)
		n = a->limit + (int64_t)a->skip->n;
	buf_add(&q, a->filters.data, a->author_at);
	for (i = from; i < to; i++)
		query_param(&q, "author", a->authors[i]);
	buf_add(&q, a->filters.data + a->author_at,
	    a->filters.len - a->author_at);
	query_param(&q, "sort", a->sort);
	snprintf(num, sizeof(num), "%" PRId64, n);
	query_param(&q, "limit", num);
	for (i = 0; i < a->nexpand; i++)
		query_param(&q, "expand", a->expand[i]);
	q.len--;	/* without the first '&' */
	memmove(q.data, q.data + 1, q.len);
	return buf_cstr(&q);
}

char *
query_url(const char *endpoint, const struct list_args *a, size_t i)
{
	struct buf u = { 0 };
	char *q;

	q = a->nauthors == 0 ? query_build(a, 0, 0) :
	    query_build(a, i, i + 1);
	buf_addf(&u, "%s/api/models?%s", endpoint, q);
	free(q);
	return buf_cstr(&u);
}

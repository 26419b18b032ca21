/* query.c: hf-registry's queries. Each answer is lines of names as the
 * registry holds them, in byte order, so the wrapper reads them with no
 * JSON parsing of its own; a name a line cannot hold is refused when
 * the registry is loaded, not escaped, so every line is a name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "registry.h"
#include "util.h"
#include "query.h"

static int	 fold(int);
static const char *bad_name(const char *);
static void	 shown(struct buf *, const char *);
static int	 check_names(const struct registry *, char *, size_t);
static int	 by_string(const void *, const void *);
static void	 print_orgs(const struct registry *, const char *,
		    const char *, FILE *);
static void	 print_plan(const struct registry *, const char *, FILE *);
static void	 print_check(const struct registry *, const char *, FILE *);

int
query_parse(struct query *q, int argc, char *argv[], char *err, size_t n)
{
	static const struct {
		const char	*word;
		enum query_kind	 kind;
		int		 min, max;	/* operands after the word */
	} words[] = {
		{ "check",	QUERY_CHECK,	1, 1 },
		{ "count",	QUERY_COUNT,	0, 0 },
		{ "list",	QUERY_LIST,	0, 0 },
		{ "orgs",	QUERY_ORGS,	0, 1 },
		{ "path",	QUERY_PATH,	0, 0 },
		{ "plan",	QUERY_PLAN,	0, 1 },
	};
	size_t i;

	memset(q, 0, sizeof(*q));
	if (argc < 1) {
		snprintf(err, n, "a query expected: count, list, orgs, "
		    "path, plan or check");
		return -1;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(argv[0], words[i].word) == 0)
			break;
	if (i == sizeof(words) / sizeof(words[0])) {
		snprintf(err, n, "%s: not a query (count, list, orgs, "
		    "path, plan or check)", argv[0]);
		return -1;
	}
	if (argc - 1 < words[i].min || argc - 1 > words[i].max) {
		snprintf(err, n, "%s: %s", argv[0], words[i].max == 0 ?
		    "takes no operand" : words[i].min == 0 ?
		    "one architecture at most" : "one architecture expected");
		return -1;
	}
	q->kind = words[i].kind;
	q->arch = argc > 1 ? argv[1] : NULL;
	return 0;
}

/* ASCII letters without case; the C locale's tolower, without a locale. */
static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Why a name cannot be one output line, or NULL if it can. */
static const char *
bad_name(const char *s)
{
	const unsigned char *p;

	if (*s == '\0')
		return "an empty name";
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "a control byte in a name";
	return NULL;
}

/* A name for a message: quoted, its control bytes as \xHH. */
static void
shown(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			buf_addf(b, "\\x%02x", *p);
		else
			buf_addc(b, (char)*p);
	buf_addc(b, '"');
}

/* Every architecture name first, so that an org's message can name its
 * architecture as it is. */
static int
check_names(const struct registry *r, char *err, size_t n)
{
	struct buf b = { 0 };
	const char *why = NULL;
	size_t i, k;

	for (i = 0; i < r->narch && why == NULL; i++)
		if ((why = bad_name(r->arch[i].name)) != NULL) {
			buf_adds(&b, "architecture ");
			shown(&b, r->arch[i].name);
		}
	for (i = 0; i < r->narch && why == NULL; i++)
		for (k = 0; k < r->arch[i].norgs && why == NULL; k++)
			if ((why = bad_name(r->arch[i].orgs[k])) != NULL) {
				buf_addf(&b, "canonical_authors_by_arch.%s: "
				    "org ", r->arch[i].name);
				shown(&b, r->arch[i].orgs[k]);
			}
	if (why != NULL)
		snprintf(err, n, "%s: %s: %s", r->path, buf_cstr(&b), why);
	buf_free(&b);
	return why == NULL ? 0 : -1;
}

int
query_load(struct registry *r, const char *path, char *err, size_t n)
{
	if (registry_load(r, path, err, n) == -1)
		return -1;
	if (check_names(r, err, n) == -1) {
		registry_free(r);
		return -1;
	}
	return 0;
}

size_t
query_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t *row, i, j, diag, up, d;

	/* one row of the table: row[j] is d(a[0..i), b[0..j)) */
	row = xreallocarray(NULL, blen + 1, sizeof(*row));
	for (j = 0; j <= blen; j++)
		row[j] = j;
	for (i = 1; i <= alen; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= blen; j++) {
			up = row[j];
			d = diag + (fold((unsigned char)a[i - 1]) !=
			    fold((unsigned char)b[j - 1]));
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			diag = up;
			row[j] = d;
		}
	}
	d = row[blen];
	free(row);
	return d;
}

const char *
query_closest(const struct registry *r, const char *name, size_t len,
    size_t *dist)
{
	const char *best = NULL;
	size_t i, k, d, bestd = 0;

	for (i = 0; i < r->narch; i++) {
		if (!r->arch[i].supported)
			continue;
		/* the distance is at least the difference in length: a
		 * name that cannot do better is not measured */
		k = strlen(r->arch[i].name);
		if (best != NULL && (k > len ? k - len : len - k) >= bestd)
			continue;
		d = query_distance(name, len, r->arch[i].name, k);
		if (best == NULL || d < bestd) {
			best = r->arch[i].name;
			bestd = d;
		}
	}
	*dist = bestd;
	return best;
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The canonical orgs of arch (NULL: of every architecture), each once,
 * each line begun by prefix. */
static void
print_orgs(const struct registry *r, const char *arch, const char *prefix,
    FILE *fp)
{
	const struct registry_arch *a, *end;
	char **v;
	size_t i, n = 0;

	if (r->narch == 0)	/* r->arch is NULL: no pointer arithmetic */
		return;
	a = r->arch;
	end = a + r->narch;
	if (arch != NULL) {
		if ((a = registry_find(r, arch, strlen(arch))) == NULL)
			return;
		end = a + 1;
	}
	for (i = 0; a + i < end; i++)
		n += a[i].norgs;
	v = xreallocarray(NULL, n + 1, sizeof(*v));
	for (n = 0; a < end; a++)
		for (i = 0; i < a->norgs; i++)
			v[n++] = a->orgs[i];
	if (n > 0)
		qsort(v, n, sizeof(*v), by_string);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i - 1], v[i]) != 0)
			fprintf(fp, "%s%s\n", prefix, v[i]);
	free(v);
}

static void
print_check(const struct registry *r, const char *arch, FILE *fp)
{
	const char *best;
	size_t len = strlen(arch), d;

	if (registry_supported(r, arch, len)) {
		fputs("supported\n", fp);
		return;
	}
	if ((best = query_closest(r, arch, len, &d)) == NULL)
		fputs("none\n", fp);
	else
		fprintf(fp, "%s %s\n", d == 0 ? "case" : "closest", best);
}

/* What hf-scraper asks before a scan, in one program start: the file,
 * the count, every canonical org, and with arch its orgs and its check,
 * each line a key, a space and the answer of that query. */
static void
print_plan(const struct registry *r, const char *arch, FILE *fp)
{
	fprintf(fp, "path %s\ncount %zu\n", r->path, r->nsupported);
	print_orgs(r, NULL, "org ", fp);
	if (arch == NULL)
		return;
	print_orgs(r, arch, "arch_org ", fp);
	fputs("check ", fp);
	print_check(r, arch, fp);
}

int
query_run(const struct query *q, const struct registry *r, FILE *fp)
{
	size_t i;

	switch (q->kind) {
	case QUERY_COUNT:
		fprintf(fp, "%zu\n", r->nsupported);
		break;
	case QUERY_LIST:
		for (i = 0; i < r->narch; i++)
			if (r->arch[i].supported)
				fprintf(fp, "%s\n", r->arch[i].name);
		break;
	case QUERY_ORGS:
		print_orgs(r, q->arch, "", fp);
		break;
	case QUERY_CHECK:
		print_check(r, q->arch, fp);
		break;
	case QUERY_PATH:
		fprintf(fp, "%s\n", r->path);
		break;
	case QUERY_PLAN:
		print_plan(r, q->arch, fp);
		break;
	}
	return ferror(fp) ? -1 : 0;
}

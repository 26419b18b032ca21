/* fuzz-registry.c: hf-registry's queries on arbitrary bytes as the
 * registry file: query_load, then query_run for count, list, orgs, orgs
 * of each architecture, and check of names taken from the registry (as
 * they are, with their case changed, cut short, lengthened) and of the
 * input itself. Oracles: query_load refuses exactly what registry_load
 * refuses (with its message) plus a registry holding an empty name or a
 * control byte; every answer is lines without control bytes, in
 * strictly increasing byte order where a list; count and list agree with
 * the registry; orgs print each canonical org once; check says
 * "supported" exactly for a supported name, else names the first
 * supported architecture at the least edit distance (computed here
 * independently, with the whole table), "case" when that distance is 0;
 * plan is path, count and orgs keyed, and with an architecture its orgs
 * and its check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "registry.h"
#include "fuzz.h"
#include "../../cmd/hf-registry/query.h"

#define PROBES	16	/* names of each kind checked, at most */
#define TABLE_MAX (1 << 20)	/* cells of the reference distance table */
#define BUDGET	(1 << 20)	/* cells of distance tables an input */

static void	 remove_file(void);
static const char	*file_of(const uint8_t *, size_t);
static char	*answer(const struct registry *, enum query_kind,
		    const char *, size_t *);
static int	 line_ok(const char *);
static char	**lines_sorted(char *, size_t, size_t *);
static int	 by_string(const void *, const void *);
static int	 printed(char **, size_t, const char *);
static int	 names_ok(const struct registry *);
static int	 lower(int);
static size_t	 distance(const char *, const char *);
static void	 check_one(const struct registry *, const char *);
static void	 check_names(const struct registry *, const uint8_t *,
		    size_t);
static void	 check_orgs(const struct registry *);

/* The registry file holding data: one kept open, rewritten each time,
 * read by its descriptor (Linux), else by name (removed at exit). */
static char	 path[64];
static char	 tmpl[] = "/tmp/fuzz-registry.XXXXXX";
static int	 fd = -1;

/* What checking a name costs (check_one). */
static size_t	 supported_bytes;	/* of the supported names, + 1 each */
static size_t	 spent;

static void
remove_file(void)
{
	unlink(tmpl);
}

static const char *
file_of(const uint8_t *data, size_t size)
{
	if (fd == -1) {
		if ((fd = mkstemp(tmpl)) == -1)
			fuzz_fail("mkstemp");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (access(path, R_OK) == 0)
			unlink(tmpl);
		else {
			snprintf(path, sizeof(path), "%s", tmpl);
			atexit(remove_file);
		}
	}
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		fuzz_fail("cannot write the registry file");
	return path;
}

/* query_run's output for one query, NUL-terminated (free it). */
static char *
answer(const struct registry *r, enum query_kind kind, const char *arch,
    size_t *len)
{
	struct query q = { .kind = kind, .arch = arch };
	char *out = NULL;
	FILE *fp;

	if ((fp = open_memstream(&out, len)) == NULL)
		fuzz_fail("open_memstream");
	if (query_run(&q, r, fp) == -1)
		fuzz_fail("query_run failed on a memory stream");
	if (fclose(fp) == EOF)
		fuzz_fail("fclose");
	if (memchr(out, '\0', *len) != NULL)
		fuzz_fail("a NUL byte in the output");
	if (*len > 0 && out[*len - 1] != '\n')
		fuzz_fail("the output does not end in a newline");
	return out;
}

/* A line as a name can be: not empty, no control byte. */
static int
line_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Split out into lines in place (newlines become NULs); check each is a
 * name and greater than the one before. Returns them, *n how many. */
static char **
lines_sorted(char *out, size_t len, size_t *n)
{
	char *p, *nl, **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (p = out; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		*nl = '\0';
		if (!line_ok(p))
			fuzz_fail("an empty line or a control byte in a name");
		if (*n > 0 && strcmp(v[*n - 1], p) >= 0)
			fuzz_fail("names not in strictly increasing order");
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				fuzz_fail("realloc");
		}
		v[(*n)++] = p;
	}
	return v;
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether name is one of the n sorted lines v. */
static int
printed(char **v, size_t n, const char *name)
{
	return n > 0 && bsearch(&name, v, n, sizeof(*v), by_string) != NULL;
}

/* Whether every name of r is one a line can show. */
static int
names_ok(const struct registry *r)
{
	size_t i, k;

	for (i = 0; i < r->narch; i++) {
		if (!line_ok(r->arch[i].name))
			return 0;
		for (k = 0; k < r->arch[i].norgs; k++)
			if (!line_ok(r->arch[i].orgs[k]))
				return 0;
	}
	return 1;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The edit distance, ASCII case ignored, with the whole table; beyond
 * TABLE_MAX cells, query_distance's answer is taken on trust. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v, *d;

	if ((la + 1) * (lb + 1) > TABLE_MAX)
		return query_distance(a, la, b, lb);

	if ((d = calloc((la + 1) * (lb + 1), sizeof(*d))) == NULL)
		fuzz_fail("calloc");
#define D(i, j)	d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = D(i - 1, j - 1) + (lower((unsigned char)a[i - 1]) !=
			    lower((unsigned char)b[j - 1]));
			if (D(i - 1, j) + 1 < v)
				v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			D(i, j) = v;
		}
	v = D(la, lb);
#undef D
	free(d);
	return v;
}

/* check name: its answer against the registry and the table above. A
 * name that is not supported costs its length times the supported names'
 * (spent counts it): past BUDGET, such names are skipped, so that a
 * large input does not make the run time out. */
static void
check_one(const struct registry *r, const char *name)
{
	const char *best = NULL, *got;
	size_t len, i, d, bestd = 0, cost;
	char *out;

	len = strlen(name);
	if (registry_supported(r, name, len)) {
		out = answer(r, QUERY_CHECK, name, &len);
		if (strcmp(out, "supported\n") != 0)
			fuzz_fail("check: a supported name not \"supported\"");
		free(out);
		return;
	}
	cost = (len + 1) * supported_bytes;
	if (spent > 0 && spent + cost > BUDGET)
		return;
	spent += cost;
	out = answer(r, QUERY_CHECK, name, &len);
	if (len == 0 || memchr(out, '\n', len) != out + len - 1)
		fuzz_fail("check: not one line");
	out[len - 1] = '\0';
	for (i = 0; i < r->narch; i++) {
		if (!r->arch[i].supported)
			continue;
		d = distance(name, r->arch[i].name);
		if (best == NULL || d < bestd) {
			best = r->arch[i].name;
			bestd = d;
		}
	}
	if (best == NULL) {
		if (strcmp(out, "none") != 0)
			fuzz_fail("check: no supported name but not \"none\"");
	} else {
		got = bestd == 0 ? "case " : "closest ";
		if (strncmp(out, got, strlen(got)) != 0)
			fuzz_fail("check: case or closest wrongly told");
		if (strcmp(out + strlen(got), best) != 0)
			fuzz_fail("check: not the first nearest name");
	}
	free(out);
}

/* check of names from the registry, changed, and of the input. */
static void
check_names(const struct registry *r, const uint8_t *data, size_t size)
{
	char *s, *t;
	size_t i, k, n, len, probes = 0;

	/* the input's first bytes, as a command line could pass them;
	 * first, so that the budget never skips it */
	n = size < 64 ? size : 64;
	if ((t = malloc(n + 1)) == NULL)
		fuzz_fail("malloc");
	for (i = k = 0; i < n; i++)
		if (data[i] != '\0')
			t[k++] = (char)data[i];
	t[k] = '\0';
	check_one(r, t);
	free(t);
	for (i = 0; i < r->narch && probes < PROBES; i++, probes++) {
		s = r->arch[i].name;
		len = strlen(s);
		check_one(r, s);
		if ((t = malloc(len + 2)) == NULL)
			fuzz_fail("malloc");
		for (k = 0; k <= len; k++)	/* case swapped */
			t[k] = (char)(s[k] >= 'a' && s[k] <= 'z' ? s[k] - 32 :
			    s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
		check_one(r, t);
		memcpy(t, s, len);		/* one byte more, one less */
		t[len] = 'x';
		t[len + 1] = '\0';
		check_one(r, t);
		t[len - (len > 0)] = '\0';
		check_one(r, t);
		free(t);
		for (k = 0; k < r->arch[i].norgs && k < 2; k++)
			check_one(r, r->arch[i].orgs[k]);
	}
}

/* orgs and orgs ARCH: each canonical org once, and only those. */
static void
check_orgs(const struct registry *r)
{
	char *all, *mine, **va, **vm;
	size_t len, n, m, i, k;

	all = answer(r, QUERY_ORGS, NULL, &len);
	va = lines_sorted(all, len, &n);
	for (i = 0; i < r->narch; i++) {
		mine = answer(r, QUERY_ORGS, r->arch[i].name, &len);
		vm = lines_sorted(mine, len, &m);
		for (k = 0; k < r->arch[i].norgs; k++) {
			if (!printed(vm, m, r->arch[i].orgs[k]))
				fuzz_fail("orgs ARCH: an org left out");
			if (!printed(va, n, r->arch[i].orgs[k]))
				fuzz_fail("orgs: an org left out");
		}
		for (k = 0; k < m; k++)
			if (!registry_canonical(r, r->arch[i].name,
			    strlen(r->arch[i].name), vm[k], strlen(vm[k])))
				fuzz_fail("orgs ARCH: not a canonical org");
		free(vm);
		free(mine);
	}
	free(va);
	free(all);
	all = answer(r, QUERY_ORGS, "", &len);	/* no such architecture */
	if (len != 0 && registry_find(r, "", 0) == NULL)
		fuzz_fail("orgs of no architecture printed something");
	free(all);
}

/* Each line of src with prefix before it, added to b. */
static void
keyed(struct buf *b, const char *prefix, const char *src)
{
	const char *nl;

	for (; *src != '\0'; src = nl + 1) {
		nl = strchr(src, '\n');
		buf_adds(b, prefix);
		buf_add(b, src, (size_t)(nl - src + 1));
	}
}

/* plan and plan ARCH: the other queries' answers, keyed. */
static void
check_plan(const struct registry *r, const char *arch)
{
	struct buf want = { 0 };
	char *got, *part;
	size_t len;

	buf_addf(&want, "path %s\ncount %zu\n", r->path, r->nsupported);
	part = answer(r, QUERY_ORGS, NULL, &len);
	keyed(&want, "org ", part);
	free(part);
	if (arch != NULL) {
		part = answer(r, QUERY_ORGS, arch, &len);
		keyed(&want, "arch_org ", part);
		free(part);
		part = answer(r, QUERY_CHECK, arch, &len);
		keyed(&want, "check ", part);
		free(part);
	}
	got = answer(r, QUERY_PLAN, arch, &len);
	if (strcmp(got, buf_cstr(&want)) != 0)
		fuzz_fail("plan: not the other queries' answers, keyed");
	free(got);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry r, plain;
	char err[1024], err2[1024], *out, **v;
	const char *file = file_of(data, size);
	size_t len, n, i;
	int ok, plain_ok;

	ok = query_load(&r, file, err, sizeof(err)) == 0;
	plain_ok = registry_load(&plain, file, err2, sizeof(err2)) == 0;
	if (!plain_ok && (ok || strcmp(err, err2) != 0))
		fuzz_fail("query_load and registry_load disagree");
	if (plain_ok && ok != names_ok(&plain))
		fuzz_fail("a name refused or let through wrongly");
	if (!ok && strncmp(err, file, strlen(file)) != 0)
		fuzz_fail("the message does not name the file");
	registry_free(&plain);
	if (!ok) {
		registry_free(&r);
		return 0;
	}
	out = answer(&r, QUERY_COUNT, NULL, &len);
	if (strtoul(out, NULL, 10) != r.nsupported)
		fuzz_fail("count: not the number supported");
	free(out);
	out = answer(&r, QUERY_LIST, NULL, &len);
	v = lines_sorted(out, len, &n);
	if (n != r.nsupported)
		fuzz_fail("list: not as many as count");
	for (i = 0; i < r.narch; i++)
		if (r.arch[i].supported != printed(v, n, r.arch[i].name))
			fuzz_fail("list: not the supported architectures");
	free(v);
	free(out);
	check_orgs(&r);
	check_plan(&r, NULL);
	if (r.narch > 0)
		check_plan(&r, r.arch[0].name);
	check_plan(&r, file);
	supported_bytes = spent = 0;
	for (i = 0; i < r.narch; i++)
		if (r.arch[i].supported)
			supported_bytes += strlen(r.arch[i].name) + 1;
	check_names(&r, data, size);
	registry_free(&r);
	return 0;
}

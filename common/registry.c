/* registry.c: load and query registry.json. registry_load reports in the
 * caller's buffer as "FILE: reason"; registry_open, for the programs,
 * prints that and returns an hf_exit status. */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "registry.h"
#include "util.h"

static int	load_error(char *, size_t, const char *, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static int	exists(const char *);
static char	*default_path(void);
static int	by_name(const void *, const void *);
static struct registry_arch *entry(struct registry *, const char *);
static char	*string_of(const struct json *, int);
static int	load_supported(struct registry *, const struct json *, int,
		    char *, size_t);
static int	load_orgs(struct registry *, const struct json *, int, char *,
		    size_t);

/* "path: " and the formatted reason into err (n bytes, truncated to fit):
 * registry_load's one way to fail. Returns -1. */
static int
load_error(char *err, size_t n, const char *path, const char *fmt, ...)
{
	va_list ap;
	size_t k;

	k = (size_t)snprintf(err, n, "%s: ", path);
	if (k < n) {
		va_start(ap, fmt);
		vsnprintf(err + k, n - k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Whether p can be read (it may still fail to load). */
static int
exists(const char *p)
{
	return access(p, R_OK) == 0;
}

/* The default registry: $HF_SCRAPER_REGISTRY, else beside the program
 * (../share/hf-scraper/registry.json installed, ../data/registry.json in
 * the build tree). A malloc'd path: the first that exists, else the
 * installed one, else, without /proc/self/exe, the one under /usr/local.
 * Never NULL. */
static char *
default_path(void)
{
	static const char *rel[] = {
		"/../share/hf-scraper/registry.json", "/../data/registry.json",
	};
	const char *env = getenv("HF_SCRAPER_REGISTRY");
	char exe[PATH_MAX], *slash;
	struct buf b = { 0 };
	ssize_t n;
	size_t i;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return xstrdup("/usr/local/share/hf-scraper/registry.json");
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		buf_reset(&b);
		buf_addf(&b, "%s%s", exe, rel[i]);
		if (exists(buf_cstr(&b)))
			return b.data;
	}
	buf_reset(&b);
	buf_addf(&b, "%s%s", exe, rel[0]);
	return buf_cstr(&b);
}

/* qsort's order for the entries: by name, bytewise (registry_find's order). */
static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct registry_arch *)a)->name,
	    ((const struct registry_arch *)b)->name);
}

/* The entry for name, created if absent (entries are sorted later, so a
 * linear search: the registry holds a few hundred). Never NULL. */
static struct registry_arch *
entry(struct registry *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->narch; i++)
		if (strcmp(r->arch[i].name, name) == 0)
			return &r->arch[i];
	r->arch = xreallocarray(r->arch, r->narch + 1, sizeof(*r->arch));
	memset(&r->arch[r->narch], 0, sizeof(*r->arch));
	r->arch[r->narch].name = xstrdup(name);
	return &r->arch[r->narch++];
}

/* A decoded string token as a new C string; NULL if it is not a string,
 * or holds a NUL byte that a C string cannot. */
static char *
string_of(const struct json *j, int k)
{
	struct buf b = { 0 };

	if (json_str(j, k, &b, NULL) == -1 || memchr(buf_cstr(&b), '\0',
	    b.len) != NULL) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* The supported_architectures array at arr: each name marked supported.
 * 0, or -1 with the reason in err when arr is not an array of strings. */
static int
load_supported(struct registry *r, const struct json *j, int arr,
    char *err, size_t n)
{
	int e, left = json_size(j, arr);
	struct registry_arch *a;
	char *s;

	if (json_type(j, arr) != JSON_ARRAY)
		return load_error(err, n, r->path,
		    "supported_architectures: not an array");
	for (e = json_first(j, arr); left-- > 0; e = json_skip(j, e)) {
		if ((s = string_of(j, e)) == NULL)
			return load_error(err, n, r->path,
			    "supported_architectures: not a string");
		a = entry(r, s);
		if (!a->supported)
			r->nsupported++;
		a->supported = 1;
		free(s);
	}
	return 0;
}

/* The canonical_authors_by_arch object at obj: each architecture's list
 * of orgs, in file order. 0, or -1 with the reason in err when obj is not
 * an object of arrays of strings. */
static int
load_orgs(struct registry *r, const struct json *j, int obj, char *err,
    size_t n)
{
	int k, e, left, nel;
	struct registry_arch *a;
	char *s;

	if (json_type(j, obj) != JSON_OBJECT)
		return load_error(err, n, r->path,
		    "canonical_authors_by_arch: not an object");
	left = json_size(j, obj);
	for (k = obj + 1; left-- > 0; k = json_skip(j, k)) {
		if ((s = string_of(j, k)) == NULL)
			return load_error(err, n, r->path,
			    "bad architecture name");
		a = entry(r, s);
		free(s);
		if (json_type(j, k + 1) != JSON_ARRAY)
			return load_error(err, n, r->path,
			    "canonical_authors_by_arch.%s: not an array",
			    a->name);
		nel = json_size(j, k + 1);
		for (e = json_first(j, k + 1); nel-- > 0; e = json_skip(j, e)) {
			if ((s = string_of(j, e)) == NULL)
				return load_error(err, n, r->path,
				    "canonical_authors_by_arch.%s: not a "
				    "string", a->name);
			a->orgs = xreallocarray(a->orgs, a->norgs + 1,
			    sizeof(*a->orgs));
			a->orgs[a->norgs++] = s;
		}
	}
	return 0;
}

/* The whole file is read, then parsed with JSON_UTF8; unknown keys are
 * ignored, supported_architectures is required. On failure r is freed
 * (empty, but safe to free again). */
int
registry_load(struct registry *r, const char *path, char *err, size_t n)
{
	struct buf text = { 0 };
	struct json j = { 0 };
	const char *why;
	int k, rv = -1;

	memset(r, 0, sizeof(*r));
	r->path = path != NULL ? xstrdup(path) : default_path();
	if (buf_read_file(&text, r->path) == -1) {
		load_error(err, n, r->path, "%s", strerror(errno));
		goto out;
	}
	if (json_parse(&j, text.data ? text.data : "", text.len, JSON_UTF8,
	    &why) == -1) {
		load_error(err, n, r->path, "%s", why);
		goto out;
	}
	if (json_type(&j, 0) != JSON_OBJECT) {
		load_error(err, n, r->path, "not a JSON object");
		goto out;
	}
	if ((k = json_get(&j, 0, "supported_architectures")) == -1) {
		load_error(err, n, r->path, "no supported_architectures");
		goto out;
	}
	if (load_supported(r, &j, k, err, n) == -1)
		goto out;
	k = json_get(&j, 0, "canonical_authors_by_arch");
	if (k != -1 && load_orgs(r, &j, k, err, n) == -1)
		goto out;
	if (r->narch > 0)
		qsort(r->arch, r->narch, sizeof(*r->arch), by_name);
	rv = 0;
out:
	buf_free(&text);
	json_free(&j);
	if (rv == -1)
		registry_free(r);
	return rv;
}

/* The edge of the convention: a program's registry, or its reason on
 * stderr. */
int
registry_open(struct registry *r, const char *path)
{
	char err[1024];

	if (registry_load(r, path, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return HF_EXIT_FATAL;
	}
	return HF_EXIT_OK;
}

/* The entry named name[0..len) (not NUL-terminated), by binary search
 * over the sorted entries; NULL if there is none. */
const struct registry_arch *
registry_find(const struct registry *r, const char *name, size_t len)
{
	size_t lo = 0, hi = r->narch, mid, k;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		k = strlen(r->arch[mid].name);
		c = memcmp(r->arch[mid].name, name, k < len ? k : len);
		if (c == 0)
			c = k < len ? -1 : k > len ? 1 : 0;
		if (c == 0)
			return &r->arch[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* 1 if name[0..len) is listed in supported_architectures, else 0. */
int
registry_supported(const struct registry *r, const char *name, size_t len)
{
	const struct registry_arch *a = registry_find(r, name, len);

	return a != NULL && a->supported;
}

/* 1 if author[0..olen) is one of arch[0..alen)'s canonical orgs, else 0
 * (also when arch is not in the registry). */
int
registry_canonical(const struct registry *r, const char *arch, size_t alen,
    const char *author, size_t olen)
{
	const struct registry_arch *a = registry_find(r, arch, alen);
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < a->norgs; i++)
		if (strlen(a->orgs[i]) == olen &&
		    memcmp(a->orgs[i], author, olen) == 0)
			return 1;
	return 0;
}

/* Everything registry_load allocated; r is left empty, and may be freed
 * again. */
void
registry_free(struct registry *r)
{
	size_t i, k;

	for (i = 0; i < r->narch; i++) {
		for (k = 0; k < r->arch[i].norgs; k++)
			free(r->arch[i].orgs[k]);
		free(r->arch[i].orgs);
		free(r->arch[i].name);
	}
	free(r->arch);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* registry.c: load and query registry.json. */
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

static int
fail(char *err, size_t n, const char *path, const char *fmt, ...)
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

static int
exists(const char *p)
{
	return access(p, R_OK) == 0;
}

char *
registry_default_path(void)
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

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct registry_arch *)a)->name,
	    ((const struct registry_arch *)b)->name);
}

/* The entry for name, created if absent (entries are sorted later). */
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

/* A decoded string token as a new C string; NULL if not a plain string. */
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

static int
load_supported(struct registry *r, const struct json *j, int arr,
    char *err, size_t n)
{
	int e, left = json_size(j, arr);
	struct registry_arch *a;
	char *s;

	if (json_type(j, arr) != JSON_ARRAY)
		return fail(err, n, r->path,
		    "supported_architectures: not an array");
	for (e = json_first(j, arr); left-- > 0; e = json_skip(j, e)) {
		if ((s = string_of(j, e)) == NULL)
			return fail(err, n, r->path,
			    "supported_architectures: not a string");
		a = entry(r, s);
		if (!a->supported)
			r->nsupported++;
		a->supported = 1;
		free(s);
	}
	return 0;
}

static int
load_orgs(struct registry *r, const struct json *j, int obj, char *err,
    size_t n)
{
	int k, e, left, nel;
	struct registry_arch *a;
	char *s;

	if (json_type(j, obj) != JSON_OBJECT)
		return fail(err, n, r->path,
		    "canonical_authors_by_arch: not an object");
	left = json_size(j, obj);
	for (k = obj + 1; left-- > 0; k = json_skip(j, k)) {
		if ((s = string_of(j, k)) == NULL)
			return fail(err, n, r->path, "bad architecture name");
		a = entry(r, s);
		free(s);
		if (json_type(j, k + 1) != JSON_ARRAY)
			return fail(err, n, r->path,
			    "canonical_authors_by_arch.%s: not an array",
			    a->name);
		nel = json_size(j, k + 1);
		for (e = json_first(j, k + 1); nel-- > 0; e = json_skip(j, e)) {
			if ((s = string_of(j, e)) == NULL)
				return fail(err, n, r->path,
				    "canonical_authors_by_arch.%s: not a "
				    "string", a->name);
			a->orgs = xreallocarray(a->orgs, a->norgs + 1,
			    sizeof(*a->orgs));
			a->orgs[a->norgs++] = s;
		}
	}
	return 0;
}

static int
read_file(const char *path, struct buf *b)
{
	char chunk[65536];
	size_t n;
	FILE *fp;
	int rv = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (ferror(fp))
		rv = -1;
	fclose(fp);
	return rv;
}

int
registry_load(struct registry *r, const char *path, char *err, size_t n)
{
	struct buf text = { 0 };
	struct json j = { 0 };
	const char *why;
	int k, rv = -1;

	memset(r, 0, sizeof(*r));
	r->path = path != NULL ? xstrdup(path) : registry_default_path();
	if (read_file(r->path, &text) == -1) {
		fail(err, n, r->path, "%s", strerror(errno));
		goto out;
	}
	if (json_parse(&j, text.data ? text.data : "", text.len, JSON_UTF8,
	    &why) == -1) {
		fail(err, n, r->path, "%s", why);
		goto out;
	}
	if (json_type(&j, 0) != JSON_OBJECT) {
		fail(err, n, r->path, "not a JSON object");
		goto out;
	}
	if ((k = json_get(&j, 0, "supported_architectures")) == -1) {
		fail(err, n, r->path, "no supported_architectures");
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

int
registry_supported(const struct registry *r, const char *name, size_t len)
{
	const struct registry_arch *a = registry_find(r, name, len);

	return a != NULL && a->supported;
}

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

/* import.c: the gap entries of an architecture_gaps.json the Python tool
 * wrote (see ledger.h). The whole file is read and checked before any
 * entry is taken: a file cut short or holding git's conflict markers is
 * refused whole, so that nothing of it reaches a ledger (issue 20). */
#include <err.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "ledger.h"

static unsigned long	line_of(const char *, size_t);
static int	nonfinite(const struct pyjson *, int);
static void	entry(struct buf *, const struct pyjson *, const char *, int);
static int	check_entry(const char *, const char *, const struct pyjson *,
		    int, size_t);

/* The line of byte off of text, from 1. */
static unsigned long
line_of(const char *text, size_t off)
{
	unsigned long n = 1;
	const char *p, *end = text + off;

	for (p = text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	return n;
}

/* Whether token i is NaN, Infinity or -Infinity (json.load's literals). */
static int
nonfinite(const struct pyjson *p, int i)
{
	double f;

	return pyjson_number(p, i, &f) == 1 && !isfinite(f);
}

/* Element e of p, minified from text (the bytes pyjson_parse read), one
 * line: NaN, Infinity and -Infinity become null, which every stage reads
 * (they are not JSON; the reference writes them only for a float it
 * could not compute, and hf-score recomputes those). */
static void
entry(struct buf *out, const struct pyjson *p, const char *text, int e)
{
	size_t at = json_start(&p->j, e), end;
	int i, last = json_skip(&p->j, e);

	for (i = e; i < last; i++) {
		if (!nonfinite(p, i))
			continue;
		end = json_start(&p->j, i);
		json_minify(out, text, at, end);
		buf_adds(out, "null");
		at = json_end(&p->j, i);
	}
	json_minify(out, text, at, json_end(&p->j, e));
	buf_addc(out, '\n');
}

/* Whether element e (the k-th) is a gap entry hf-score can read: 0, or
 * -1 warned as PATH:LINE: gaps[K]: reason. */
static int
check_entry(const char *path, const char *text, const struct pyjson *p,
    int e, size_t k)
{
	const char *why = NULL;
	int a;

	if (json_type(&p->j, e) != JSON_OBJECT)
		why = "not an object";
	else if ((a = json_get(&p->j, e, "architecture_id")) == -1)
		why = "architecture_id: missing";
	else if (json_type(&p->j, a) != JSON_STRING)
		why = "architecture_id: not a string";
	if (why == NULL)
		return 0;
	warnx("%s:%lu: gaps[%zu]: %s; not imported", path,
	    line_of(text, json_start(&p->j, e)), k, why);
	return -1;
}

int
import_take(const char *path, const char *text, size_t len,
    struct buf *out, int64_t *n)
{
	struct pyjson p = { 0 };
	const char *why = NULL;
	size_t was = out->len, k = 0;
	int g, e, left, rv = -1;

	*n = 0;
	if (pyjson_parse(&p, text, len, PYJSON_NAN, &why) == -1) {
		warnx("%s: %s; not imported", path, why);
		goto out;
	}
	if (json_type(&p.j, 0) != JSON_OBJECT) {
		warnx("%s: not a JSON object; not imported", path);
		goto out;
	}
	if ((g = json_get(&p.j, 0, "gaps")) == -1) {
		rv = 0;		/* no gaps: nothing to take */
		goto out;
	}
	if (json_type(&p.j, g) != JSON_ARRAY) {
		warnx("%s: gaps: not a list; not imported", path);
		goto out;
	}
	for (e = json_first(&p.j, g), left = json_size(&p.j, g);
	    left > 0; e = json_skip(&p.j, e), left--, k++)
		if (check_entry(path, text, &p, e, k) == -1)
			goto out;
	for (e = json_first(&p.j, g), left = json_size(&p.j, g);
	    left > 0; e = json_skip(&p.j, e), left--)
		entry(out, &p, text, e);
	*n = (int64_t)k;
	rv = 0;
out:
	if (rv == -1)
		out->len = was;
	pyjson_free(&p);
	return rv;
}

int
import_load(const char *path, struct buf *out, int64_t *n)
{
	struct buf text = { 0 };
	int rv;

	*n = 0;
	if (buf_read_file(&text, path) == -1) {
		warn("%s", path);
		buf_free(&text);
		return -1;
	}
	rv = import_take(path, text.data ? text.data : "", text.len, out, n);
	buf_free(&text);
	return rv;
}

/* fuzz-ledger.c: hf-ledger's units on arbitrary bytes, through ledger.h.
 * The input up to the first NUL byte is an old ledger (none if there is
 * no NUL), the rest new records.
 * dedupe (the whole input): every printed line is a JSON object with a
 * string id, no id twice, as many as it counted; de-duplicating the
 * output again changes nothing.
 * import (the whole input, then the old part, as a gaps file): when
 * taken, as many lines as entries, each a JSON object with a string
 * architecture_id; when refused, nothing added.
 * update (the old part as a ledger file, and again as an imported gaps
 * file when import takes it): every ledger line is a JSON object, no key
 * twice, each kept record is a line; updating the new ledger with the
 * same records again gives the same ledger and the same supported
 * records. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "strmap.h"
#include "util.h"
#include "fuzz.h"
#include "../../cmd/hf-ledger/ledger.h"

static void	put_buf(void *, const char *, size_t);
static void	dedupe(const uint8_t *, size_t);
static void	import(const char *, size_t);
static void	update(const char *, size_t, const char *, size_t, int,
		    struct buf *, struct buf *);
static void	check_ledger(const struct buf *);
static void	update_twice(const char *, size_t, const char *, size_t, int);

static void
put_buf(void *arg, const char *data, size_t len)
{
	buf_add(arg, data, len);
}

static void
dedupe(const uint8_t *data, size_t size)
{
	struct dedupe d = { 0 }, again = { 0 };
	struct json j = { 0 };
	struct strmap ids = { 0 };
	struct buf out = { 0 }, id = { 0 };
	const char *p, *nl, *o;
	size_t len;

	fuzz_begin(data, size);
	nd_each(0, NULL, dedupe_line, &d);
	o = fuzz_end(&len);
	buf_add(&out, o, len);
	buf_cstr(&out);		/* not NULL, also when empty */
	fuzz_check_ndjson(out.data, out.len, (size_t)d.kept, "id");
	for (p = out.data; p < out.data + out.len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out.data + out.len - p));
		json_parse(&j, p, (size_t)(nl - p), JSON_UTF8, NULL);
		buf_reset(&id);
		if (json_str(&j, json_get(&j, 0, "id"), &id, NULL) == -1)
			fuzz_fail("dedupe: an id that does not decode");
		if (!strmap_add(&ids, id.data ? id.data : "", id.len))
			fuzz_fail("dedupe: an id printed twice");
	}
	fuzz_begin((const uint8_t *)out.data, out.len);
	nd_each(0, NULL, dedupe_line, &again);
	o = fuzz_end(&len);
	if (len != out.len || (len > 0 && memcmp(o, out.data, len) != 0))
		fuzz_fail("dedupe: de-duplicating again changes the output");
	dedupe_free(&d);
	dedupe_free(&again);
	json_free(&j);
	strmap_free(&ids);
	buf_free(&out);
	buf_free(&id);
}

static void
import(const char *text, size_t len)
{
	struct buf out = { 0 };
	int64_t n;

	buf_adds(&out, "x");
	if (import_take("fuzz", text, len, &out, &n) == -1) {
		if (out.len != 1 || n != 0)
			fuzz_fail("import: a refused file added lines");
	} else
		fuzz_check_ndjson(out.data + 1, out.len - 1, (size_t)n,
		    "architecture_id");
	buf_free(&out);
}

/* One update: the records new[0..nnew), the old ledger old[0..nold)
 * as a file (as_text 0) or as imported lines; the ledger into led, the
 * supported records into sup. */
static void
update(const char *old, size_t nold, const char *new, size_t nnew,
    int as_text, struct buf *led, struct buf *sup)
{
	struct update u = { 0 };
	const char *o;
	size_t len;
	int rv;

	u.put = put_buf;
	u.arg = led;
	fuzz_begin((const uint8_t *)new, nnew);
	u.supported = stdout;
	rv = nd_each(0, NULL, update_new, &u);
	o = fuzz_end(&len);
	buf_add(sup, o, len);
	if (rv == HF_EXIT_FATAL)
		fuzz_fail("update: reading the records failed");
	if (as_text)
		update_old_text(&u, old, nold);
	else {
		fuzz_begin((const uint8_t *)old, nold);
		nd_each(0, NULL, update_old, &u);
		fuzz_end(&len);
	}
	update_rest(&u);
	update_free(&u);
}

/* Every line a JSON object (as json.load reads it: an old import kept
 * NaN), no key twice. */
static void
check_ledger(const struct buf *led)
{
	struct pyjson p = { 0 };
	struct strmap keys = { 0 };
	struct buf key = { 0 };
	const char *s, *nl, *end;
	int id;

	if (led->len == 0)
		return;
	end = led->data + led->len;
	if (end[-1] != '\n')
		fuzz_fail("update: the ledger does not end with a newline");
	for (s = led->data; s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (pyjson_parse(&p, s, (size_t)(nl - s), PYJSON_NAN,
		    NULL) == -1 || json_type(&p.j, 0) != JSON_OBJECT)
			fuzz_fail("update: a ledger line is not an object");
		buf_reset(&key);
		id = json_get(&p.j, 0, "id");
		if (json_type(&p.j, id) == JSON_STRING) {
			buf_addc(&key, 'i');
			if (json_str(&p.j, id, &key, NULL) == -1)
				fuzz_fail("update: an id that does not decode");
		} else if (json_get(&p.j, 0, "architecture_id") != -1) {
			buf_addc(&key, 'g');
			buf_add(&key, s, (size_t)(nl - s));
		} else
			fuzz_fail("update: a ledger line without a key");
		if (!strmap_add(&keys, key.data, key.len))
			fuzz_fail("update: a key twice in the ledger");
	}
	pyjson_free(&p);
	strmap_free(&keys);
	buf_free(&key);
}

static void
update_twice(const char *old, size_t nold, const char *new, size_t nnew,
    int as_text)
{
	struct buf led = { 0 }, sup = { 0 }, led2 = { 0 }, sup2 = { 0 };

	update(old, nold, new, nnew, as_text, &led, &sup);
	check_ledger(&led);
	update(led.data ? led.data : "", led.len, new, nnew, 0, &led2, &sup2);
	if (led.len != led2.len || (led.len > 0 &&
	    memcmp(led.data, led2.data, led.len) != 0))
		fuzz_fail("update: the same records again change the ledger");
	if (sup.len != sup2.len || (sup.len > 0 &&
	    memcmp(sup.data, sup2.data, sup.len) != 0))
		fuzz_fail("update: the same records again, other supported");
	buf_free(&led);
	buf_free(&sup);
	buf_free(&led2);
	buf_free(&sup2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *old = "", *new = (const char *)data, *nul;
	struct buf imported = { 0 };
	size_t nold = 0, nnew = size;
	int64_t n;

	if ((nul = memchr(data, '\0', size)) != NULL) {
		old = (const char *)data;
		nold = (size_t)(nul - old);
		new = nul + 1;
		nnew = size - nold - 1;
	}
	dedupe(data, size);
	import((const char *)data, size);
	import(old, nold);
	update_twice(old, nold, new, nnew, 0);
	if (import_take("fuzz", old, nold, &imported, &n) == 0)
		update_twice(imported.data ? imported.data : "", imported.len,
		    new, nnew, 1);
	buf_free(&imported);
	return 0;
}

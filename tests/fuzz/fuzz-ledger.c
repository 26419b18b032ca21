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
 * records. A new ledger (no old part) made directly, its lines put as
 * they come and written again from there when a model comes twice (as
 * run.c does), is the one made through the scratch file.
 * append (the whole input, as the stream of a scan): the records file is
 * the record lines before the last mark taken (a JSON object whose
 * "hf_list_state" is an object), each state saved is one line, a JSON
 * object whose first member is "records_bytes", the size of the records
 * file then; the counts add up.
 * reclassify (the old part as a ledger, fuzz_registry): every moved
 * record a JSON object with "supported":true, every line kept, moved,
 * dropped or skipped; reclassifying what was kept moves nothing and
 * keeps it byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "registry.h"
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
static void	update_direct(const char *, size_t);
static int	flush_buf(void *, struct buf *, int64_t *);
static int	save_buf(void *, const char *, size_t);
static int	mark_taken(const char *, size_t);
static void	append(const uint8_t *, size_t);
static size_t	reclassify(const char *, size_t, struct buf *, struct buf *,
		    int64_t *);
static void	reclassify_twice(const char *, size_t);

/* append's files, in memory. */
struct append_files {
	struct buf	 records;
	int64_t		 saves;
};


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
	if (!fuzz_same(o, len, out.data, out.len))
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

/* A new ledger of the records new[0..nnew) made directly must be the one
 * update makes through its scratch file from an empty ledger. */
static void
update_direct(const char *new, size_t nnew)
{
	struct update u = { 0 };
	struct buf led = { 0 }, want = { 0 }, sup = { 0 };
	FILE *fp = NULL;
	size_t len;

	u.put = put_buf;
	u.arg = &led;
	u.direct = 1;
	fuzz_begin((const uint8_t *)new, nnew);
	nd_each(0, NULL, update_new, &u);
	fuzz_end(&len);
	if (u.repeated) {
		/* run.c's rewrite: the lines put so far become the scratch */
		if ((fp = tmpfile()) == NULL || (led.len > 0 &&
		    fwrite(led.data, 1, led.len, fp) != led.len) ||
		    fflush(fp) == EOF ||
		    update_map(&u, fileno(fp), "fuzz") == -1)
			fuzz_fail("update: the direct ledger cannot be mapped");
		buf_reset(&led);
	}
	update_rest(&u);
	update_free(&u);
	if (fp != NULL)
		fclose(fp);
	update("", 0, new, nnew, 0, &want, &sup);
	if (!fuzz_same(led.data, led.len, want.data, want.len))
		fuzz_fail("update: a new ledger made directly differs");
	buf_free(&led);
	buf_free(&want);
	buf_free(&sup);
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
	if (!fuzz_same(led.data, led.len, led2.data, led2.len))
		fuzz_fail("update: the same records again change the ledger");
	if (!fuzz_same(sup.data, sup.len, sup2.data, sup2.len))
		fuzz_fail("update: the same records again, other supported");
	buf_free(&led);
	buf_free(&sup);
	buf_free(&led2);
	buf_free(&sup2);
}

static int
flush_buf(void *arg, struct buf *page, int64_t *size)
{
	struct append_files *f = arg;

	buf_add(&f->records, page->data, page->len);
	*size = (int64_t)f->records.len;
	return 0;
}

/* A state as append saves it: one line, an object, "records_bytes" its
 * first member, the records file's size. */
static int
save_buf(void *arg, const char *data, size_t len)
{
	struct append_files *f = arg;
	struct json j = { 0 };
	int64_t n;

	if (len == 0 || data[len - 1] != '\n' ||
	    memchr(data, '\n', len - 1) != NULL)
		fuzz_fail("append: a state that is not one line");
	if (json_parse(&j, data, len - 1, JSON_UTF8, NULL) == -1 ||
	    json_type(&j, 0) != JSON_OBJECT)
		fuzz_fail("append: a state that is not a JSON object");
	if (!json_str_eq(&j, 1, "records_bytes", 13) ||
	    json_i64(&j, 2, &n) == -1 || n != (int64_t)f->records.len)
		fuzz_fail("append: records_bytes is not first, or wrong");
	json_free(&j);
	f->saves++;
	return 0;
}

/* Whether mark line p[0..len) commits: a JSON object whose
 * "hf_list_state" is an object. */
static int
mark_taken(const char *p, size_t len)
{
	struct json j = { 0 };
	int taken;

	taken = json_parse(&j, p, len, JSON_UTF8, NULL) != -1 &&
	    json_type(&j, 0) == JSON_OBJECT &&
	    json_type(&j, json_get(&j, 0, "hf_list_state")) == JSON_OBJECT;
	json_free(&j);
	return taken;
}

static void
append(const uint8_t *data, size_t size)
{
	static const size_t marklen = sizeof(APPEND_MARK) - 1;
	struct append_files f = { 0 };
	struct append a = { 0 };
	struct buf want = { 0 }, page = { 0 };
	const char *p, *nl, *end = (const char *)data + size;
	int64_t records = 0;
	size_t len;

	a.flush = flush_buf;
	a.save = save_buf;
	a.arg = &f;
	fuzz_begin(data, size);
	nd_each(0, NULL, append_line, &a);
	fuzz_end(&len);
	for (p = (const char *)data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if ((size_t)(nl - p) < marklen ||
		    memcmp(p, APPEND_MARK, marklen) != 0) {
			buf_add(&page, p, (size_t)(nl - p));
			buf_addc(&page, '\n');
			records++;
		} else if (mark_taken(p, (size_t)(nl - p))) {
			buf_add(&want, page.data, page.len);
			buf_reset(&page);
		}
	}
	if (!fuzz_same(want.data, want.len, f.records.data, f.records.len))
		fuzz_fail("append: the records file is not the committed lines");
	if (a.marks != f.saves || a.appended + a.pending != records)
		fuzz_fail("append: the counts do not add up");
	append_free(&a);
	buf_free(&f.records);
	buf_free(&want);
	buf_free(&page);
}

/* One reclassify of ledger[0..len): the kept lines into kept, the moved
 * records into moved, the lines moved or dropped into *out; returns the
 * lines skipped. */
static size_t
reclassify(const char *ledger, size_t len, struct buf *kept,
    struct buf *moved, int64_t *out)
{
	struct reclassify r = { 0 };
	const char *o;
	size_t n;
	int rv;

	r.reg = fuzz_registry();
	r.put = put_buf;
	r.arg = kept;
	fuzz_begin((const uint8_t *)ledger, len);
	r.supported = stdout;
	rv = nd_each(0, NULL, reclassify_line, &r);
	o = fuzz_end(&n);
	buf_add(moved, o, n);
	if (rv == HF_EXIT_FATAL)
		fuzz_fail("reclassify: reading the ledger failed");
	*out = r.moved + r.dropped;
	if (fuzz_count_lines(moved->data ? moved->data : "", moved->len) !=
	    (size_t)r.moved)
		fuzz_fail("reclassify: not one line a moved record");
	reclassify_free(&r);
	return fuzz_count_lines(ledger, len) - (size_t)*out -
	    fuzz_count_lines(kept->data ? kept->data : "", kept->len);
}

static void
reclassify_twice(const char *ledger, size_t len)
{
	struct buf kept = { 0 }, moved = { 0 }, kept2 = { 0 }, moved2 = { 0 };
	struct pyjson p = { 0 };
	const char *s, *nl, *end;
	int64_t out, out2;

	reclassify(ledger, len, &kept, &moved, &out);
	end = moved.data + moved.len;
	for (s = moved.data; s != NULL && s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (pyjson_parse(&p, s, (size_t)(nl - s), PYJSON_NAN,
		    NULL) == -1 || json_type(&p.j, json_get(&p.j, 0,
		    "supported")) != JSON_TRUE)
			fuzz_fail("reclassify: a moved record not supported");
	}
	if (reclassify(kept.data ? kept.data : "", kept.len, &kept2, &moved2,
	    &out2) != 0 || out2 != 0 ||
	    !fuzz_same(kept.data, kept.len, kept2.data, kept2.len))
		fuzz_fail("reclassify: what was kept changes again");
	pyjson_free(&p);
	buf_free(&kept);
	buf_free(&moved);
	buf_free(&kept2);
	buf_free(&moved2);
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
	update_direct(new, nnew);
	append(data, size);
	reclassify_twice(old, nold);
	if (import_take("fuzz", old, nold, &imported, &n) == 0)
		update_twice(imported.data ? imported.data : "", imported.len,
		    new, nnew, 1);
	buf_free(&imported);
	return 0;
}

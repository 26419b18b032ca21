/* fuzz-merge.c: hf-merge's code on arbitrary bytes: the input up to the
 * first NUL byte is the existing registry file (none if there is no NUL),
 * the rest the NDJSON input. For each of supported, supported
 * --no-metadata and gaps: nd_each calling input_record or input_gap,
 * existing_take, then supported_format or gaps_format, as hf-merge does
 * (without the directory, the lock and the atomic write: the formatter's
 * text goes to a buffer here, to the temporary file there).
 * Oracles: the file written parses (as json.load would read it) into an
 * object, and merging the same input into it again reproduces it byte
 * for byte (SPEC 2.6: no duplicates, recomputed headers, stable format).
 * hf-merge summary and ids then read the file written (and ids the
 * existing one as it came), for the sanitizers; the part of the summary
 * --summary makes while writing (summary_fd is 0 here, so it is made)
 * is the one summary reads from the file written. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "util.h"
#include "fuzz.h"
#include "../../cmd/hf-merge/merge.h"

static void	put_buf(void *, const char *, size_t);
static int	merge(struct merge *, enum merge_mode, int, const char *,
		    size_t, struct buf *);
static void	report(const struct merge *, enum merge_mode);
static void	check_summary(const struct merge *, const struct merge *,
		    enum merge_mode);
static void	run(const uint8_t *, size_t, enum merge_mode, int);

/* merge_out's put into the buffer arg. */
static void
put_buf(void *arg, const char *data, size_t len)
{
	buf_add(arg, data, len);
}

/* The file hf-merge would write, into file: 0, or -1 if it would write
 * none (no gap entries, or an existing file it refuses). */
static int
merge(struct merge *m, enum merge_mode mode, int no_metadata,
    const char *doc, size_t ndoc, struct buf *file)
{
	struct merge_out out = { .put = put_buf, .arg = file };

	m->mode = mode;
	m->no_metadata = no_metadata;
	m->path = xstrdup(mode == MODE_SUPPORTED ? MERGE_SUPPORTED_FILE :
	    MERGE_GAPS_FILE);
	memcpy(m->date, "2026-11-28", 11);
	if (mode == MODE_GAPS && m->nin == 0)
		return -1;
	if (doc != NULL && existing_take(m, doc, ndoc) == -1)
		return -1;
	if (mode == MODE_SUPPORTED)
		supported_format(m, &out);
	else
		gaps_format(m, &out);
	merge_spill(&out, 0);
	buf_free(&out.buf);
	return 0;
}

/* summary and ids over m's file, of mode. */
static void
report(const struct merge *m, enum merge_mode mode)
{
	struct merge none = { 0 };
	struct buf b = { 0 };

	if (mode == MODE_SUPPORTED) {
		report_summary_text(&b, m, &none);
		report_ids_text(&b, m);
	} else
		report_summary_text(&b, &none, m);
	buf_free(&b);
}

/* m's --summary text against summary's over again's file, which is the
 * one m wrote: supported's part comes first, gaps's last. */
static void
check_summary(const struct merge *m, const struct merge *again,
    enum merge_mode mode)
{
	struct merge none = { 0 };
	struct buf b = { 0 };
	const struct buf *s = &m->summary;
	size_t at;

	if (mode == MODE_SUPPORTED)
		report_summary_text(&b, again, &none);
	else
		report_summary_text(&b, &none, again);
	at = mode == MODE_SUPPORTED ? 0 : b.len - s->len;
	if (s->len >= b.len || memcmp(b.data + at, s->data, s->len) != 0 ||
	    b.data[mode == MODE_SUPPORTED ? s->len : at - 1] != '\n')
		fuzz_fail("--summary is not summary's part of the file");
	buf_free(&b);
}

static void
run(const uint8_t *data, size_t size, enum merge_mode mode, int no_metadata)
{
	const char *doc = NULL, *nul;
	struct merge m = { 0 }, again = { 0 };
	struct buf out = { 0 }, out2 = { 0 };
	struct pyjson p = { 0 };
	size_t ndoc = 0, len;

	if ((nul = memchr(data, '\0', size)) != NULL) {
		doc = (const char *)data;
		ndoc = (size_t)(nul - doc);
		size -= ndoc + 1;
		data += ndoc + 1;
	}
	m.mode = mode;
	fuzz_begin(data, size);
	nd_each(0, NULL, mode == MODE_SUPPORTED ? input_record : input_gap,
	    &m);
	fuzz_end(&len);
	if (merge(&m, mode, no_metadata, doc, ndoc, &out) == -1)
		goto out;
	if (pyjson_parse(&p, out.data, out.len, PYJSON_NAN, NULL) == -1 ||
	    json_type(&p.j, 0) != JSON_OBJECT)
		fuzz_fail("the file written does not parse");
	/* the same lines, shared: again's are not its own to free */
	again.in = m.in;
	again.nin = m.nin;
	if (merge(&again, mode, no_metadata, out.data, out.len, &out2) == -1)
		fuzz_fail("the file written is refused");
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		fuzz_fail("merging again changes the file");
	report(&m, mode);
	report(&again, mode);
	check_summary(&m, &again, mode);
out:
	again.in = NULL;
	again.nin = 0;
	merge_free(&again);
	merge_free(&m);
	pyjson_free(&p);
	buf_free(&out);
	buf_free(&out2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, MODE_SUPPORTED, 0);
	run(data, size, MODE_SUPPORTED, 1);
	run(data, size, MODE_GAPS, 0);
	return 0;
}

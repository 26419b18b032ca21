/* fuzz-diff.c: hf-diff's code on arbitrary bytes. The input, split at
 * its first three NUL bytes, is OLD's supported_models.json, OLD's
 * architecture_gaps.json, NEW's supported_models.json and NEW's
 * architecture_gaps.json; a part past the last NUL is missing (as a
 * missing file). reg_take reads each side as hf-diff reads a directory;
 * diff_compute, diff_ndjson, diff_markdown and diff_summary run as in
 * the program, into buffers.
 * Oracles: the records are one JSON object a line (NaN allowed, as
 * json.loads reads it), the totals first, then one a change; the
 * Markdown stays under MD_LIMIT plus its closing lines and has no '<'
 * but those of its own tags; each side compared with itself gives no
 * change and "No changes." */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "pyjson.h"
#include "util.h"
#include "fuzz.h"
#include "../../cmd/hf-diff/diff.h"

/* What closes a section past its share: at most a few lines. */
#define MD_SLACK	2048

static void	split(const uint8_t *, size_t, const char *[4], size_t[4]);
static void	check_records(const struct diff *, const struct buf *);
static void	check_markdown(const struct buf *);
static void	check_same(struct reg *);

static void
split(const uint8_t *data, size_t size, const char *part[4], size_t len[4])
{
	const char *p = (const char *)data, *end = p + size, *nul;
	int i;

	for (i = 0; i < 4; i++) {
		part[i] = NULL;
		len[i] = 0;
	}
	for (i = 0; i < 4 && p <= end; i++) {
		part[i] = p;
		if (i == 3 || (nul = memchr(p, '\0', (size_t)(end - p))) ==
		    NULL) {
			len[i] = (size_t)(end - p);
			break;
		}
		len[i] = (size_t)(nul - p);
		p = nul + 1;
	}
}

static void
check_records(const struct diff *d, const struct buf *out)
{
	struct pyjson p = { 0 };
	const char *s = out->data, *end = s + out->len, *nl;
	size_t lines = 0, want = 1;
	int k;

	for (k = 0; k < CH_NKINDS; k++)
		want += d->k[k].n;
	if (out->len == 0 || out->data[out->len - 1] != '\n')
		fuzz_fail("records do not end with a newline");
	for (; s < end; s = nl + 1, lines++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (pyjson_parse(&p, s, (size_t)(nl - s), PYJSON_NAN, NULL) ==
		    -1 || json_type(&p.j, 0) != JSON_OBJECT ||
		    json_type(&p.j, json_get(&p.j, 0, "change")) != JSON_STRING)
			fuzz_fail("a record is not a JSON object with a change");
		if (lines == 0 && !json_str_eq(&p.j, json_get(&p.j, 0,
		    "change"), "totals", 6))
			fuzz_fail("the first record is not the totals");
	}
	pyjson_free(&p);
	if (lines != want)
		fuzz_fail("not one record a change");
}

/* Every '<' opens or closes <details> or <summary>: none from the data. */
static void
check_markdown(const struct buf *md)
{
	static const char *const tags[] = {
		"<details markdown=\"1\">", "<summary>", "</summary>",
		"</details>",
	};
	const char *s = md->data, *end = s + md->len;
	size_t i;

	if (md->len > MD_LIMIT + MD_SLACK)
		fuzz_fail("the Markdown is over its limit");
	for (; s < end && (s = memchr(s, '<', (size_t)(end - s))) != NULL;
	    s++) {
		for (i = 0; i < 4; i++)
			if ((size_t)(end - s) >= strlen(tags[i]) &&
			    memcmp(s, tags[i], strlen(tags[i])) == 0)
				break;
		if (i == 4)
			fuzz_fail("a '<' from the data in the Markdown");
	}
}

static void
check_same(struct reg *r)
{
	struct diff d = { 0 };
	struct buf md = { 0 };
	int k;

	diff_compute(&d, r, r);
	for (k = 0; k < CH_NKINDS; k++)
		if (d.k[k].n != 0)
			fuzz_fail("a registry differs from itself");
	diff_markdown(&d, 10, &md);
	buf_addc(&md, '\0');
	if (strstr(md.data, "\nNo changes.\n") == NULL)
		fuzz_fail("no \"No changes.\" for identical inputs");
	buf_free(&md);
	diff_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reg old = { 0 }, new = { 0 };
	struct diff d = { 0 };
	struct buf out = { 0 };
	const char *part[4];
	size_t len[4];

	split(data, size, part, len);
	if (reg_take(&old, "old", part[0], len[0], part[1], len[1]) == -1 ||
	    reg_take(&new, "new", part[2], len[2], part[3], len[3]) == -1)
		goto done;
	diff_compute(&d, &old, &new);
	diff_ndjson(&d, &out);
	check_records(&d, &out);
	buf_reset(&out);
	diff_markdown(&d, 3, &out);
	check_markdown(&out);
	buf_reset(&out);
	diff_markdown(&d, 0, &out);
	check_markdown(&out);
	buf_reset(&out);
	diff_summary(&d, &out);
	check_same(&old);
	check_same(&new);
done:
	buf_free(&out);
	diff_free(&d);
	reg_free(&old);
	reg_free(&new);
	return 0;
}

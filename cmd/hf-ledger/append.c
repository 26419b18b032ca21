/* append.c: a scan's records committed page by page (see ledger.h). A
 * page's records are held until hf-list's mark says the page is whole;
 * then they go to the records file first and the state naming its new
 * size second, so that whatever kills the process, the state never
 * names records that are not on disk, and records the state does not
 * name are cut away at the next start (their page is fetched again). */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "util.h"
#include "ledger.h"

static int	mark_object(struct json *, const char *, size_t,
		    const char **);
static void	state_text(const struct json *, int, int64_t, struct buf *);

/* Parse mark line text[0..len): the token of its "hf_list_state"
 * object, or -1 with *why. */
static int
mark_object(struct json *j, const char *text, size_t len, const char **why)
{
	int s;

	if (json_parse(j, text, len, JSON_UTF8, why) == -1)
		return -1;
	if (json_type(j, 0) != JSON_OBJECT)
		return fail_why(why, "mark: not a JSON object");
	s = json_get(j, 0, "hf_list_state");
	if (json_type(j, s) != JSON_OBJECT)
		return fail_why(why, "mark: hf_list_state: not an object");
	return s;
}

/* hf-list's state s with "records_bytes":size as its first member (one
 * the mark already had is replaced), one line, into out. */
static void
state_text(const struct json *j, int s, int64_t size, struct buf *out)
{
	static const char *const drop[] = { "records_bytes" };
	size_t open;

	buf_adds(out, "{\"records_bytes\":");
	buf_add_i64(out, size);
	open = out->len;
	if (json_copy_open(out, j, s, drop, 1) > 0)
		out->data[open] = ',';	/* the copy's '{' */
	else
		out->len = open;
	buf_adds(out, "}\n");
}

int
append_line(struct nd_line *l, void *arg)
{
	static const size_t marklen = sizeof(APPEND_MARK) - 1;
	struct append *a = arg;
	const char *why;
	int64_t size;
	int s;

	if (l->len == 0)
		return HF_EXIT_OK;
	if (l->len < marklen || memcmp(l->data, APPEND_MARK, marklen) != 0) {
		buf_add(&a->page, l->data, l->len);
		buf_addc(&a->page, '\n');
		a->pending++;
		return HF_EXIT_OK;
	}
	/* A mark that cannot be read commits nothing: its page's records
	 * wait for the next mark, which commits both pages. */
	if ((s = mark_object(&a->j, l->data, l->len, &why)) == -1)
		return nd_skip(l, why);
	if (a->flush(a->arg, &a->page, &size) == -1)
		return HF_EXIT_FATAL;
	buf_reset(&a->state);
	state_text(&a->j, s, size, &a->state);
	if (a->save(a->arg, a->state.data, a->state.len) == -1)
		return HF_EXIT_FATAL;
	a->appended += a->pending;
	a->pending = 0;
	a->marks++;
	buf_reset(&a->page);	/* its memory serves the next page */
	return HF_EXIT_OK;
}

void
append_free(struct append *a)
{
	json_free(&a->j);
	buf_free(&a->page);
	buf_free(&a->state);
}

/* state.c: the --state file, rewritten after every page (a listing in
 * turn) or every lane copied out (the lanes) so that a kill leaves the old
 * state or the new one. A listing in turn:
 * {"hf_list_state":1,"endpoint":…,"query":…,"next":URL|null,"part":I,
 * "count":N,"done":bool}, part being the --author next belongs to. The
 * lanes: {"hf_list_state":1,"endpoint":…,"query":…,"lanes":N,"out":K,
 * "count":C,"done":bool}. With --state-marks the same line is printed on
 * stdout as {"hf_list_state":STATE}, and whoever stores it adds
 * "records_bytes" first: a key of no other meaning here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "buf.h"
#include "http.h"
#include "json.h"
#include "jsonw.h"
#include "util.h"
#include "list.h"

static int	state_read(const char *, struct buf *);
static int	known_keys(const struct list_state *, const struct json *);
static int	take_turn(struct list_state *, const struct json *);
static int	take_lanes(struct list_state *, const struct json *);

/* A whole file into b: 1, 0 when it does not exist, -1 (warned). */
static int
state_read(const char *path, struct buf *b)
{
	if (buf_read_file(b, path) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	say_errno("%s", path);
	return -1;
}

/* Not a state at all counts as a listing in turn, which reports it. */
int64_t
state_lanes(const char *path)
{
	struct buf text = { 0 };
	struct json j = { 0 };
	int64_t n = 1;
	int k, rv;

	if ((rv = state_read(path, &text)) <= 0) {
		buf_free(&text);
		return rv;
	}
	if (json_parse(&j, text.data ? text.data : "", text.len, JSON_UTF8,
	    NULL) != -1 && json_type(&j, 0) == JSON_OBJECT &&
	    (k = json_get(&j, 0, "lanes")) != -1 &&
	    (json_i64(&j, k, &n) == -1 || n < 2 || n > LIST_MAX_JOBS)) {
		say("%s: bad lanes", path);
		n = -1;
	}
	json_free(&j);
	buf_free(&text);
	return n;
}

int
state_load(struct list_state *s)
{
	struct buf text = { 0 };
	int rv;

	if ((rv = state_read(s->path, &text)) == 1 &&
	    state_take(s, text.data ? text.data : "", text.len) == -1)
		rv = -1;
	buf_free(&text);
	return rv;
}

int
state_take(struct list_state *s, const char *text, size_t len)
{
	const char *why = NULL;
	struct json j = { 0 };
	int rv = -1;

	if (json_parse(&j, text, len, JSON_UTF8, &why) == -1 ||
	    json_type(&j, 0) != JSON_OBJECT ||
	    json_get(&j, 0, "hf_list_state") == -1)
		say("%s: not an hf-list state file%s%s", s->path,
		    why ? ": " : "", why ? why : "");
	else if (!json_str_eq(&j, json_get(&j, 0, "endpoint"), s->endpoint,
	    strlen(s->endpoint)) || !json_str_eq(&j, json_get(&j, 0, "query"),
	    s->query, strlen(s->query)))
		say("%s: the state of another listing (endpoint or query "
		    "differ); use another file or remove it", s->path);
	else if (known_keys(s, &j) == 0)
		rv = s->lanes == 0 ? take_turn(s, &j) : take_lanes(s, &j);
	json_free(&j);
	return rv;
}

/* The keys a state is written with, and the one a consumer of the marks
 * adds; any other is no state of this program's. */
static int
known_keys(const struct list_state *s, const struct json *j)
{
	static const char *const keys[] = {
		"hf_list_state", "endpoint", "query", "next", "part", "lanes",
		"out", "count", "done", "records_bytes",
	};
	struct buf name = { 0 };
	size_t i;
	int k, left = json_size(j, 0);

	for (k = 1; left-- > 0; k = json_skip(j, k)) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (json_str_eq(j, k, keys[i], strlen(keys[i])))
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			(void)json_str(j, k, &name, NULL);
			say("%s: not an hf-list state file: unknown key %s",
			    s->path, buf_cstr(&name));
			buf_free(&name);
			return -1;
		}
	}
	return 0;
}

/* A listing in turn: the count, the part and the page to go on from. */
static int
take_turn(struct list_state *s, const struct json *j)
{
	const char *why = NULL;
	struct buf next = { 0 };
	int64_t part = 0;
	int k;

	if (json_i64(j, json_get(j, 0, "count"), &s->count) == -1 ||
	    s->count < 0) {
		say("%s: bad count", s->path);
		return -1;
	}
	if ((k = json_get(j, 0, "part")) != -1 &&
	    (json_i64(j, k, &part) == -1 || part < 0 ||
	    (uint64_t)part >= (s->nauthors > 0 ? s->nauthors : 1))) {
		say("%s: bad part", s->path);
		return -1;
	}
	s->part = part;
	k = json_get(j, 0, "next");
	s->done = json_type(j, json_get(j, 0, "done")) == JSON_TRUE ||
	    json_type(j, k) == JSON_NULL;
	if (s->done)
		return 0;
	if (json_str(j, k, &next, &why) == -1 ||
	    url_same_origin(s->endpoint, buf_cstr(&next)) != 1) {
		say("%s: bad next URL", s->path);
		buf_free(&next);
		return -1;
	}
	free(s->next);
	s->next = buf_cstr(&next);
	return 0;
}

/* The lanes: how many, how many are out, the items they printed. */
static int
take_lanes(struct list_state *s, const struct json *j)
{
	if (json_i64(j, json_get(j, 0, "lanes"), &s->lanes) == -1 ||
	    s->lanes < 2 || s->lanes > LIST_MAX_JOBS ||
	    (size_t)s->lanes > s->nauthors ||
	    json_i64(j, json_get(j, 0, "out"), &s->out) == -1 ||
	    s->out < 0 || s->out > s->lanes ||
	    json_i64(j, json_get(j, 0, "count"), &s->count) == -1 ||
	    s->count < 0) {
		say("%s: bad lanes, out or count", s->path);
		return -1;
	}
	s->done = s->out == s->lanes;
	return 0;
}

int
state_save(struct list_state *s)
{
	FILE *out = s->marks_fp != NULL ? s->marks_fp : stdout;
	struct buf b = { 0 };
	struct jw w;
	int rv = 0;

	if (s->path == NULL)
		return 0;
	if (s->marks)
		buf_adds(&b, "{\"hf_list_state\":");
	jw_init(&w, &b, 0, 0);
	jw_obj(&w);
	jw_key(&w, "hf_list_state");
	jw_i64(&w, 1);
	jw_key(&w, "endpoint");
	jw_strz(&w, s->endpoint);
	jw_key(&w, "query");
	jw_strz(&w, s->query);
	if (s->lanes == 0) {
		jw_key(&w, "next");
		jw_strz(&w, s->next);
		jw_key(&w, "part");
		jw_i64(&w, s->part);
	} else {
		jw_key(&w, "lanes");
		jw_i64(&w, s->lanes);
		jw_key(&w, "out");
		jw_i64(&w, s->out);
	}
	jw_key(&w, "count");
	jw_i64(&w, s->count);
	jw_key(&w, "done");
	jw_bool(&w, s->done);
	jw_end(&w);
	if (s->marks)
		buf_addc(&b, '}');
	buf_addc(&b, '\n');
	jw_free(&w);
	if (s->marks) {
		/* after the page's items, which it vouches for */
		if (fwrite(b.data, 1, b.len, out) != b.len ||
		    fflush(out) == EOF) {
			say_errno("stdout");
			rv = -1;
		}
	} else if ((rv = atomic_rewrite(s->path, b.data, b.len,
	    &s->saved)) == -1)
		say_errno("%s", s->path);
	buf_free(&b);
	return rv;
}

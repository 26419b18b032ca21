/* gaps.c: architecture_gaps.json as hf-merge gaps writes it: the gap
 * lines of the input, in their order, under headers counted afresh
 * (see merge.h). */
#include <stdint.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "merge.h"

/* The top-level keys of the file and the keys of a gap, in the
 * reference's order. */
static const char *const gaps_keys[] = {
	"generated_at", "scan_info", "total_unsupported_architectures",
	"total_unsupported_models", "gaps", NULL,
};
static const char *const gap_fields[] = {
	"architecture_id", "total_models", "total_downloads",
	"min_param_count", "sample_models", "relevancy_score", NULL,
};

static void	write_count(struct jw *, const struct pyjson *, const char *);
static void	write_gap(struct jw *, const struct pyjson *);
static int64_t	total_models(struct merge *);

/* A 64-bit integer member of p's root, as written, or null. */
static void
write_count(struct jw *w, const struct pyjson *p, const char *key)
{
	int k = json_get(&p->j, 0, key);
	int64_t v;

	if (json_i64(&p->j, k, &v) == 0)
		pyjson_dump(w, p, k);
	else
		jw_null(w);
}

/* A gap line as hf-score prints it, in the reference's key order: wrong
 * types become null (sample_models keeps its strings), other keys
 * follow as they came. */
static void
write_gap(struct jw *w, const struct pyjson *p)
{
	const struct json *j = &p->j;
	int k, n, e;

	jw_obj(w);
	jw_key(w, "architecture_id");
	pyjson_dump(w, p, json_get(j, 0, "architecture_id"));
	jw_key(w, "total_models");
	write_count(w, p, "total_models");
	jw_key(w, "total_downloads");
	write_count(w, p, "total_downloads");
	jw_key(w, "min_param_count");
	write_count(w, p, "min_param_count");
	jw_key(w, "sample_models");
	jw_arr(w);
	k = json_get(j, 0, "sample_models");
	for (e = json_first(j, k), n = json_size(j, k); e != -1 && n > 0;
	    n--, e = json_skip(j, e))
		if (json_type(j, e) == JSON_STRING)
			pyjson_dump(w, p, e);
	jw_end(w);
	jw_key(w, "relevancy_score");
	k = json_get(j, 0, "relevancy_score");
	if (json_type(j, k) == JSON_NUMBER)
		pyjson_dump(w, p, k);
	else
		jw_null(w);
	pyjson_dump_members(w, p, 0, gap_fields);
	jw_end(w);
}

/* The sum of the gaps' integer total_models (taken by input.c); an
 * addition that overflows gives INT64_MAX or INT64_MIN. */
static int64_t
total_models(struct merge *m)
{
	const struct input *l;
	int64_t total = 0;
	size_t i;

	for (i = 0; i < m->nin; i++) {
		l = &m->in[i];
		if (l->has_num[INPUT_MODELS] && __builtin_add_overflow(total,
		    l->num[INPUT_MODELS], &total))
			total = l->num[INPUT_MODELS] > 0 ? INT64_MAX :
			    INT64_MIN;
	}
	return total;
}

void
gaps_format(struct merge *m, struct merge_out *out)
{
	int64_t total = total_models(m), rest = 0;
	struct jw w;
	size_t i;

	m->st.narch = (int64_t)m->nin;
	m->st.total = total;
	jw_init(&w, &out->buf, 1, 2);
	jw_obj(&w);
	merge_head(&w, m);
	jw_key(&w, "total_unsupported_architectures");
	jw_i64(&w, (int64_t)m->nin);
	jw_key(&w, "total_unsupported_models");
	jw_i64(&w, total);
	jw_key(&w, "gaps");
	jw_arr(&w);
	if (m->summary_fd != -1)
		report_gaps_head(&m->summary, (int)m->nin);
	for (i = 0; i < m->nin; i++) {
		pyjson_parse(&m->rec, m->in[i].text, m->in[i].len, 0, NULL);
		write_gap(&w, &m->rec);
		merge_spill(out, MERGE_SPILL);
		if (m->summary_fd == -1)
			continue;
		if (i < REPORT_TOP_GAPS)	/* the summary of what is written */
			report_gap(&m->summary, &m->rec, 0);
		else
			rest += report_i64(&m->rec, 0, "total_models");
	}
	if (m->summary_fd != -1)
		report_gaps_rest(&m->summary, (int)m->nin, rest);
	jw_end(&w);
	if (m->has_doc)
		pyjson_dump_members(&w, &m->doc, 0, gaps_keys);
	jw_end(&w);
	/* the reference writes this file without a final newline */
	jw_free(&w);
}

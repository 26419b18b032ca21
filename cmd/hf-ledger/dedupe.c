/* dedupe.c: the first record of each id, exactly (see ledger.h). A
 * page fetched again after a kill, or a model two listings name, gives
 * the same id twice; the first one is kept. */
#include <stdio.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "stage.h"
#include "strmap.h"
#include "util.h"
#include "ledger.h"

int
dedupe_line(struct nd_line *l, void *arg)
{
	static const char *const keys[] = { "id" };
	struct dedupe *d = arg;
	int f[1], rv;

	if ((rv = stage_record(&d->j, l, keys, 1, f)) != HF_EXIT_OK)
		return rv;
	d->records++;
	buf_reset(&d->id);
	if (json_str(&d->j, f[0], &d->id, NULL) == -1)
		return nd_skip(l, "id: not a valid string");
	if (!strmap_add(&d->seen, d->id.data ? d->id.data : "", d->id.len))
		return HF_EXIT_OK;
	d->kept++;
	if ((rv = stage_write(l->data, l->len)) != HF_EXIT_OK)
		return rv;
	return stage_write("\n", 1);
}

void
dedupe_free(struct dedupe *d)
{
	json_free(&d->j);
	buf_free(&d->id);
	strmap_free(&d->seen);
}

/* summary.c: the diff in one plain line, for hf-scraper's log: the
 * wrapper prints it as it is and parses nothing (SPEC 9.6). */
#include <stdint.h>

#include "buf.h"
#include "diff.h"

void
diff_summary(const struct diff *d, struct buf *out)
{
	const struct changes *k = d->k;
	int64_t supported = 0;
	size_t i;

	for (i = 0; i < k[CH_GAP_REMOVED].n; i++)
		supported += k[CH_GAP_REMOVED].c[i].n;
	buf_addf(out, "+%zu supported models, %zu removed, %zu changed, "
	    "+%zu architectures, %lld gaps now supported; models %lld -> "
	    "%lld, verified %lld -> %lld\n", k[CH_MODEL_ADDED].n,
	    k[CH_MODEL_REMOVED].n, k[CH_MODEL_CHANGED].n, k[CH_ARCH_ADDED].n,
	    (long long)supported, (long long)d->old->t.models,
	    (long long)d->new->t.models, (long long)d->old->t.verified,
	    (long long)d->new->t.verified);
}

/* hf-classify: mark model records supported or not by TransformerLens, and
 * canonical or not, from the architecture registry (SPEC 2.4). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "registry.h"
#include "stage.h"
#include "util.h"
#include "classify.h"

/* The record's keys hf-classify reads, and the ones it writes. */
enum { F_ID, F_AUTHOR, F_ARCHITECTURE, F_DOWNLOADS, F_NFIELDS };
static const char *const fields[F_NFIELDS] = {
	"id", "author", "architecture", "downloads",
};
static const char *const added[] = { "supported", "canonical" };

struct classify {
	struct stage_base base;		/* the record; the record marked */
	struct registry	 reg;
	const char	*registry_path;	/* --registry, NULL: the default */
	struct buf	 arch;		/* decoded strings */
	struct buf	 author;
	const char	*only_arch;	/* --architecture */
	int64_t		 min_downloads;	/* --min-downloads, -1: none */
	int		 canonical_only;
	int64_t		 records;
	int64_t		 out_arch;	/* left out by each filter */
	int64_t		 out_unsupported;	/* --canonical-only's */
	int64_t		 out_noncanonical;
	int64_t		 out_downloads;
};

static const struct stage_option options[] = {
	STAGE_STRING_OPT("architecture", struct classify, only_arch),
	STAGE_FLAG_OPT("canonical-only", struct classify, canonical_only),
	STAGE_INT64_OPT("min-downloads", struct classify, min_downloads, 0,
	    INT64_MAX),
	STAGE_STRING_OPT("registry", struct classify, registry_path),
	{ 0 },
};

static void	classify_init(void *);
static int	classify_start(void *);
static int	classify_line(struct nd_line *, void *);
static void	author_of(struct classify *, int, int);
static int	wanted(struct classify *, int, int, int, int64_t);
static int	emit(struct classify *, const struct nd_line *, int, int);
static int	classify_end(void *, int);
static void	classify_free(void *);

static void
classify_init(void *arg)
{
	struct classify *c = arg;

	c->min_downloads = -1;
}

static int
classify_start(void *arg)
{
	struct classify *c = arg;

	return registry_open(&c->reg, c->registry_path);
}

static int
classify_line(struct nd_line *l, void *arg)
{
	struct classify *c = arg;
	const struct json *j = &c->base.j;
	int f[F_NFIELDS], supported = 0, canonical = 0, has_arch, rv;
	int64_t downloads;

	if ((rv = stage_record(&c->base.j, l, fields, F_NFIELDS, f)) != HF_EXIT_OK)
		return rv;
	c->records++;

	buf_reset(&c->arch);
	has_arch = json_str(j, f[F_ARCHITECTURE], &c->arch, NULL) == 0;
	buf_cstr(&c->arch);
	if (has_arch) {
		author_of(c, f[F_AUTHOR], f[F_ID]);
		supported = registry_supported(&c->reg, c->arch.data,
		    c->arch.len);
		canonical = registry_canonical(&c->reg, c->arch.data,
		    c->arch.len, c->author.data, c->author.len);
	}
	if (json_i64(j, f[F_DOWNLOADS], &downloads) == -1)
		downloads = 0;
	if (!wanted(c, has_arch, supported, canonical, downloads))
		return HF_EXIT_OK;
	/* a record that would read as a state mark is skipped: no record */
	if ((rv = emit(c, l, supported, canonical)) == HF_EXIT_SKIPPED)
		c->records--;
	return rv;
}

/* The record's author, else the id's part before the first '/'. */
static void
author_of(struct classify *c, int author, int id)
{
	const char *slash;

	buf_reset(&c->author);
	if (json_str(&c->base.j, author, &c->author, NULL) == 0) {
		buf_cstr(&c->author);
		return;
	}
	buf_reset(&c->author);
	json_str(&c->base.j, id, &c->author, NULL);	/* a string: checked */
	buf_cstr(&c->author);
	if ((slash = memchr(c->author.data, '/', c->author.len)) != NULL)
		c->author.len = (size_t)(slash - c->author.data);
}

/* The filters, in this order; a record left out is counted once, under
 * the first filter that leaves it out. */
static int
wanted(struct classify *c, int has_arch, int supported, int canonical,
    int64_t downloads)
{
	size_t n;

	if (c->only_arch != NULL) {
		n = strlen(c->only_arch);
		if (!has_arch || c->arch.len != n ||
		    memcmp(c->arch.data, c->only_arch, n) != 0) {
			c->out_arch++;
			return 0;
		}
	}
	if (c->canonical_only && !(supported && canonical)) {
		if (supported)
			c->out_noncanonical++;
		else
			c->out_unsupported++;
		return 0;
	}
	if (c->min_downloads >= 0 && downloads < c->min_downloads &&
	    !canonical) {
		c->out_downloads++;
		return 0;
	}
	return 1;
}

/* The record's bytes up to its closing brace, then the two keys (an
 * earlier "supported" or "canonical" is replaced, never duplicated). */
static int
emit(struct classify *c, const struct nd_line *l, int supported,
    int canonical)
{
	buf_reset(&c->base.out);
	if (json_copy_open(&c->base.out, &c->base.j, 0, added, 2) > 0)
		buf_addc(&c->base.out, ',');
	buf_adds(&c->base.out, supported ? "\"supported\":true," :
	    "\"supported\":false,");
	buf_adds(&c->base.out, canonical ? "\"canonical\":true}\n" :
	    "\"canonical\":false}\n");
	return stage_write_record(l, c->base.out.data, c->base.out.len);
}

/* The one line for the records left out by design, each reason in
 * words (the log of a wrapper that passed the options shows it to
 * someone who never typed them). */
static int
classify_end(void *arg, int status)
{
	const struct classify *c = arg;
	struct buf what = { 0 };
	char min[FMT_I64_MAX + 32];

	buf_add_count(&what, c->out_arch, "of another architecture",
	    "of other architectures");
	buf_add_count(&what, c->out_unsupported, "unsupported",
	    "unsupported");
	buf_add_count(&what, c->out_noncanonical,
	    "supported but not of a canonical org",
	    "supported but not of a canonical org");
	snprintf(min, sizeof(min), "under %" PRId64 " downloads",
	    c->min_downloads);
	buf_add_count(&what, c->out_downloads, min, min);
	stage_left_out(c->out_arch + c->out_unsupported + c->out_noncanonical +
	    c->out_downloads, c->records, buf_cstr(&what));
	buf_free(&what);
	return status;
}

static void
classify_free(void *arg)
{
	struct classify *c = arg;

	registry_free(&c->reg);
	buf_free(&c->arch);
	buf_free(&c->author);
}

const struct stage classify_stage = {
	.usage = "usage: hf-classify [--canonical-only] [--line-buffered] "
	    "[--quiet]\n"
	    "                   [--architecture arch] [--label text]\n"
	    "                   [--min-downloads n] [--registry file] "
	    "[file ...]\n",
	.help =
	    "  --architecture arch    only the records of this "
	    "architecture\n"
	    "  --canonical-only       only supported records of a canonical "
	    "org\n"
	    "  --min-downloads n      leave out records below n downloads, "
	    "but canonical ones\n"
	    "  --registry file        the architecture registry (default: "
	    "HF_SCRAPER_REGISTRY,\n"
	    "                         else the installed one)\n",
	.options = options,
	.size = sizeof(struct classify),
	.init = classify_init,
	.start = classify_start,
	.line = classify_line,
	.end = classify_end,
	.free = classify_free,
};

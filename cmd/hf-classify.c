/* hf-classify: mark model records supported or not by TransformerLens, and
 * canonical or not, from the architecture registry (SPEC 2.4). */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "registry.h"
#include "util.h"

enum {
	OPT_ARCHITECTURE = 256, OPT_CANONICAL_ONLY, OPT_LINE_BUFFERED,
	OPT_MIN_DOWNLOADS, OPT_REGISTRY,
};

static const struct option longopts[] = {
	{ "architecture",	required_argument,	NULL, OPT_ARCHITECTURE },
	{ "canonical-only",	no_argument,		NULL, OPT_CANONICAL_ONLY },
	{ "help",		no_argument,		NULL, 'h' },
	{ "line-buffered",	no_argument,		NULL, OPT_LINE_BUFFERED },
	{ "min-downloads",	required_argument,	NULL, OPT_MIN_DOWNLOADS },
	{ "registry",		required_argument,	NULL, OPT_REGISTRY },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL,			0,			NULL, 0 },
};

/* The record's keys hf-classify reads, and the ones it writes. */
enum { F_ID, F_AUTHOR, F_ARCHITECTURE, F_DOWNLOADS, F_NFIELDS };
static const char *const fields[F_NFIELDS] = {
	"id", "author", "architecture", "downloads",
};
static const char *const added[] = { "supported", "canonical" };

struct classify {
	struct registry	 reg;
	struct json	 j;
	struct buf	 arch;		/* decoded strings */
	struct buf	 author;
	struct buf	 out;
	const char	*only_arch;	/* --architecture */
	int64_t		 min_downloads;	/* --min-downloads, -1: none */
	int		 canonical_only;
	int64_t		 records;
	int64_t		 out_arch;	/* left out by each filter */
	int64_t		 out_canonical;
	int64_t		 out_downloads;
};

static void	usage(FILE *, int) __attribute__((noreturn));
static int	classify_line(struct nd_line *, void *);
static void	author_of(struct classify *, int, int);
static int	wanted(struct classify *, int, int, int, int64_t);
static int	emit(struct classify *, int, int);
static void	summary(const struct classify *);

static void
usage(FILE *fp, int status)
{
	fputs("usage: hf-classify [--canonical-only] [--line-buffered]\n"
	    "                   [--architecture arch] [--min-downloads n]\n"
	    "                   [--registry file] [file ...]\n", fp);
	exit(status == 0 ? hf_finish(0) : status);
}

int
main(int argc, char *argv[])
{
	static char obuf[1 << 16];
	struct classify c = { 0 };
	const char *registry = NULL;
	char err[1024];
	int ch, line_buffered = 0, rv;

	c.min_downloads = -1;
	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_ARCHITECTURE:
			c.only_arch = optarg;
			break;
		case OPT_CANONICAL_ONLY:
			c.canonical_only = 1;
			break;
		case OPT_LINE_BUFFERED:
			line_buffered = 1;
			break;
		case OPT_MIN_DOWNLOADS:
			c.min_downloads = parse_i64(optarg, 0, INT64_MAX,
			    "--min-downloads");
			break;
		case OPT_REGISTRY:
			registry = optarg;
			break;
		case 'V':
			hf_version();
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, HF_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (registry_load(&c.reg, registry, err, sizeof(err)) == -1)
		errx(HF_EXIT_FATAL, "%s", err);
	if (line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	rv = nd_each(argc, argv, classify_line, &c);
	summary(&c);
	rv = hf_finish(rv);
	registry_free(&c.reg);
	json_free(&c.j);
	buf_free(&c.arch);
	buf_free(&c.author);
	buf_free(&c.out);
	return rv;
}

static int
classify_line(struct nd_line *l, void *arg)
{
	struct classify *c = arg;
	const struct json *j = &c->j;
	const char *why;
	int f[F_NFIELDS], supported = 0, canonical = 0, has_arch;
	int64_t downloads;

	if (json_parse(&c->j, l->data, l->len, JSON_UTF8, &why) == -1)
		return nd_skip(l, why);
	if (json_type(j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	json_pick(j, 0, fields, F_NFIELDS, f);
	if (f[F_ID] == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, f[F_ID]) != JSON_STRING)
		return nd_skip(l, "id: not a string");
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
	return emit(c, supported, canonical);
}

/* The record's author, else the id's part before the first '/'. */
static void
author_of(struct classify *c, int author, int id)
{
	const char *slash;

	buf_reset(&c->author);
	if (json_str(&c->j, author, &c->author, NULL) == 0) {
		buf_cstr(&c->author);
		return;
	}
	buf_reset(&c->author);
	json_str(&c->j, id, &c->author, NULL);	/* a string: checked */
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
		c->out_canonical++;
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
emit(struct classify *c, int supported, int canonical)
{
	buf_reset(&c->out);
	if (json_copy_open(&c->out, &c->j, 0, added, 2) > 0)
		buf_addc(&c->out, ',');
	buf_addf(&c->out, "\"supported\":%s,\"canonical\":%s}\n",
	    supported ? "true" : "false", canonical ? "true" : "false");
	if (fwrite(c->out.data, 1, c->out.len, stdout) != c->out.len) {
		warn("stdout");
		return HF_EXIT_FATAL;
	}
	return HF_EXIT_OK;
}

/* The one line for the records left out by design. */
static void
summary(const struct classify *c)
{
	int64_t n = c->out_arch + c->out_canonical + c->out_downloads;

	if (n == 0)
		return;
	warnx("%" PRId64 " of %" PRId64 " record%s left out (--architecture: "
	    "%" PRId64 ", --canonical-only: %" PRId64 ", --min-downloads: "
	    "%" PRId64 ")", n, c->records, c->records == 1 ? "" : "s",
	    c->out_arch, c->out_canonical, c->out_downloads);
}

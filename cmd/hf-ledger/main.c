/* hf-ledger: the scrape ledger of hf-scraper and the de-duplication of
 * its records: dedupe, import, update, append and reclassify
 * (hf-ledger(1)). main parses the
 * arguments and runs the mode (run.c). */
#include <err.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "util.h"
#include "ledger.h"

#define ARG(name, member)	STAGE_STRING_OPT(name, struct ledger_args, member)
static const struct stage_option options[] = {
	ARG("architecture", arch),
	ARG("count", count),
	ARG("import", import),
	{ "ledger", required_argument, 'l', STAGE_STRING,
	    offsetof(struct ledger_args, ledger), 0, 0 },
	STAGE_FLAG_OPT("no-lock", struct ledger_args, no_lock),
	{ "output", required_argument, 'o', STAGE_STRING,
	    offsetof(struct ledger_args, output), 0, 0 },
	ARG("registry", registry),
	ARG("state", state),
	STAGE_INT64_OPT("stats", struct ledger_args, stats, 0, INT_MAX),
	ARG("supported", supported),
	STAGE_FLAG_OPT("tee", struct ledger_args, tee),
	{ 0 },
};

static void	args(struct ledger_args *, int, char *[]);
static void	modes_required(const struct ledger_args *);
static void	usage(const char *) __attribute__((noreturn));

static const struct stage ledger_usage_stage = {
	.usage = "usage: hf-ledger dedupe [--count file] [file ...]\n"
	    "       hf-ledger import [--count file] gaps-file\n"
	    "       hf-ledger update -l ledger [--no-lock] [--quiet] "
	    "[--count file]\n"
	    "                 [--import gaps-file] [-o file] "
	    "[--supported file] [file ...]\n"
	    "       hf-ledger append --state state [--stats fd] [--tee] "
	    "records\n"
	    "       hf-ledger reclassify -l ledger [--no-lock] "
	    "[--architecture arch]\n"
	    "                 [--registry file] [--stats fd] "
	    "--supported file\n",
.help =
	    "  --architecture arch    reclassify: only the models of this "
	    "architecture\n"
	    "  --count file           write the number of records printed "
	    "(dedupe) or gap\n"
	    "                         entries imported (import, update) to "
	    "file\n"
	    "  --import gaps-file     update: with no ledger yet, import this "
	    "gaps file first\n"
	    "  -l, --ledger ledger    update, reclassify: the ledger to "
	    "replace\n"
	    "  --no-lock              update, reclassify: the caller holds "
	    "the lock on the\n"
	    "                         ledger's directory already\n"
	    "  -o, --output file      update: write the new ledger to file, "
	    "leaving the\n"
	    "                         ledger as it is\n"
	    "  --registry file        reclassify: the architecture registry "
	    "(default:\n"
	    "                         HF_SCRAPER_REGISTRY, else the installed "
	    "one)\n"
	    "  --state state          append: hf-list's state, the records "
	    "it covers added\n"
	    "  --stats fd             append, reclassify: write the counts to "
	    "descriptor fd\n"
	    "  --supported file       update, reclassify: write the supported "
	    "records to file\n"
	    "  --tee                  append: print each page's records on "
	    "stdout too\n",
	.options = options,
	.quiet_option = 1,
};

/* The options, the mode at the first operand and what goes with which. */
static void
args(struct ledger_args *a, int argc, char *argv[])
{
	static const char *const modes[] = { "dedupe", "import", "update",
	    "append", "reclassify", NULL };	/* enum ledger_mode's order */
	int first;

	a->stats = -1;
	first = stage_options(&ledger_usage_stage, a, argc, argv, NULL);

	argc -= first;
	argv += first;
	a->mode = stage_mode(&ledger_usage_stage, modes, argc, argv);
	a->argc = argc - 1;
	a->argv = argv + 1;
	if (a->mode != LEDGER_UPDATE && a->mode != LEDGER_RECLASSIFY &&
	    (a->ledger != NULL || a->supported != NULL))
		usage("-l and --supported are for hf-ledger update and "
		    "reclassify");
	if (a->mode != LEDGER_UPDATE && a->import != NULL)
		usage("--import is for hf-ledger update");
	if (a->mode != LEDGER_UPDATE && a->output != NULL)
		usage("-o is for hf-ledger update");
	if (a->mode != LEDGER_APPEND && a->tee)
		usage("--tee is for hf-ledger append");
	if (a->mode != LEDGER_RECLASSIFY && (a->registry != NULL ||
	    a->arch != NULL))
		usage("--architecture and --registry are for hf-ledger "
		    "reclassify");
	if (a->mode != LEDGER_APPEND && a->state != NULL)
		usage("--state is for hf-ledger append");
	if (a->mode != LEDGER_APPEND && a->mode != LEDGER_RECLASSIFY &&
	    a->stats >= 0)
		usage("--stats is for hf-ledger append and reclassify");
	if (a->mode >= LEDGER_APPEND && a->count != NULL)
		usage("--count is for hf-ledger dedupe, import and update");
	modes_required(a);
}

/* What each mode cannot do without. */
static void
modes_required(const struct ledger_args *a)
{
	if ((a->mode == LEDGER_UPDATE || a->mode == LEDGER_RECLASSIFY) &&
	    (a->ledger == NULL || *a->ledger == '\0'))
		usage("-l ledger is required");
	if (a->output != NULL && *a->output == '\0')
		usage("-o: an empty file name");
	if (a->mode == LEDGER_IMPORT && a->argc != 1)
		usage("one gaps-file expected");
	if (a->mode == LEDGER_APPEND && (a->state == NULL ||
	    *a->state == '\0'))
		usage("--state state is required");
	if (a->mode == LEDGER_APPEND && (a->argc != 1 || *a->argv[0] == '\0'))
		usage("one records file expected");
	if (a->mode == LEDGER_RECLASSIFY && (a->supported == NULL ||
	    *a->supported == '\0'))
		usage("--supported file is required");
	if (a->mode == LEDGER_RECLASSIFY && a->argc != 0)
		usage("reclassify takes no file operand");
}

static void
usage(const char *what)
{
	stage_usage_errorx(&ledger_usage_stage, "%s", what);
}

int
main(int argc, char *argv[])
{
	static int (*const run[])(const struct ledger_args *) = {
		run_dedupe, run_import, run_update, run_append,
		run_reclassify,				/* enum ledger_mode */
	};
	static char ibuf[1 << 16];	/* stdio's own is a page a read */
	struct ledger_args a = { 0 };

	args(&a, argc, argv);
	setvbuf(stdin, ibuf, _IOFBF, sizeof(ibuf));
	return hf_finish(run[a.mode](&a));
}

/* hf-ledger: the scrape ledger of hf-scraper and the de-duplication of
 * its records: dedupe, import and update (hf-ledger(1)). main parses the
 * arguments and runs the mode (run.c). */
#include <err.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "stage.h"
#include "util.h"
#include "ledger.h"

#define ARG(name, member)	STAGE_STRING_OPT(name, struct ledger_args, member)
static const struct stage_option options[] = {
	ARG("count", count),
	ARG("import", import),
	{ "ledger", required_argument, 'l', STAGE_STRING,
	    offsetof(struct ledger_args, ledger), 0, 0 },
	ARG("supported", supported),
	{ 0 },
};

static void	args(struct ledger_args *, int, char *[]);

static const struct stage ledger_usage_stage = {
	.usage = "usage: hf-ledger dedupe [--count file] [file ...]\n"
	    "       hf-ledger import [--count file] gaps-file\n"
	    "       hf-ledger update -l ledger [--count file] "
	    "[--import gaps-file]\n"
	    "                 [--supported file] [file ...]\n",
	.help =
	    "  --count file           write the number of records printed "
	    "(dedupe) or gap\n"
	    "                         entries imported (import, update) to "
	    "file\n"
	    "  --import gaps-file     update: with no ledger yet, import this "
	    "gaps file first\n"
	    "  -l, --ledger ledger    update: the ledger to replace\n"
	    "  --supported file       update: write the supported records to "
	    "file\n",
	.options = options,
};

/* The options, the mode at the first operand and what goes with which. */
static void
args(struct ledger_args *a, int argc, char *argv[])
{
	static const char *const modes[] = { "dedupe", "import", "update",
	    NULL };	/* in enum ledger_mode's order */
	int first = stage_options(&ledger_usage_stage, a, argc, argv, NULL);

	argc -= first;
	argv += first;
	a->mode = stage_mode(&ledger_usage_stage, modes, argc, argv);
	a->argc = argc - 1;
	a->argv = argv + 1;
	if (a->mode != LEDGER_UPDATE && (a->ledger != NULL ||
	    a->import != NULL || a->supported != NULL))
		stage_usage_errorx(&ledger_usage_stage,
		    "%s", "-l, --import and --supported are for "
		    "hf-ledger update");
	if (a->mode == LEDGER_UPDATE && (a->ledger == NULL ||
	    *a->ledger == '\0'))
		stage_usage_errorx(&ledger_usage_stage,
		    "%s", "-l ledger is required");
	if (a->mode == LEDGER_IMPORT && a->argc != 1)
		stage_usage_errorx(&ledger_usage_stage,
		    "%s", "one gaps-file expected");
}

int
main(int argc, char *argv[])
{
	static int (*const run[])(const struct ledger_args *) = {
		run_dedupe, run_import, run_update,	/* enum ledger_mode */
	};
	struct ledger_args a = { 0 };

	args(&a, argc, argv);
	return hf_finish(run[a.mode](&a));
}

/* hf-diff: what changed between two registry directories: NDJSON change
 * records, a pull-request body in Markdown, or a one-line summary. */
#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "stage.h"
#include "util.h"
#include "diff.h"

enum { OPT_MARKDOWN = 256, OPT_SUMMARY };
enum mode { MODE_NDJSON, MODE_MARKDOWN, MODE_SUMMARY };

struct args {
	enum mode	 mode;
	int		 modes;		/* how many of --markdown, --summary */
	int64_t		 top;
};

static const struct stage_option options[] = {
	STAGE_CALL_OPT("markdown", no_argument, OPT_MARKDOWN),
	STAGE_CALL_OPT("summary", no_argument, OPT_SUMMARY),
	STAGE_INT64_OPT("top", struct args, top, 0, 1000000),
	{ 0 },
};

static int	option(void *, int, const char *);

static const struct stage diff_usage_stage = {
	.usage = "usage: hf-diff [--markdown | --summary] [--top n] old new\n",
	.help =
	    "  --markdown             print a pull-request body (GitHub "
	    "Markdown) instead\n"
	    "  --summary              print one line: the headline "
	    "figures\n"
	    "  --top n                with --markdown: list n new models an "
	    "architecture\n"
	    "                         (default 10)\n",
	.options = options,
	.option = option,
};

static int
option(void *state, int val, const char *arg)
{
	struct args *a = state;

	(void)arg;
	switch (val) {
	case OPT_MARKDOWN:
		a->mode = MODE_MARKDOWN;
		a->modes++;
		break;
	case OPT_SUMMARY:
		a->mode = MODE_SUMMARY;
		a->modes++;
		break;
	default:
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct args a = { .top = 10 };
	struct reg old = { 0 }, new = { 0 };
	struct diff d = { 0 };
	struct buf out = { 0 };
	int first, rv = HF_EXIT_OK;

	first = stage_options(&diff_usage_stage, &a, argc, argv, NULL);
	if (argc - first != 2)
		stage_usage_errorx(&diff_usage_stage, "%s",
		    "two directories expected: old new");
	if (a.modes > 1)
		stage_usage_errorx(&diff_usage_stage, "%s",
		    "--markdown and --summary exclude each other");
	if (reg_load(&old, argv[first], &new, argv[first + 1]) == -1) {
		rv = HF_EXIT_FATAL;
		goto done;
	}
	reg_report(&old);
	reg_report(&new);
	diff_compute(&d, &old, &new);
	if (a.mode == MODE_MARKDOWN)
		diff_markdown(&d, a.top, &out);
	else if (a.mode == MODE_SUMMARY)
		diff_summary(&d, &out);
	else
		diff_ndjson(&d, &out);
	if (fwrite(out.data, 1, out.len, stdout) != out.len)
		rv = HF_EXIT_FATAL;
done:
	buf_free(&out);
	diff_free(&d);
	reg_free(&old);
	reg_free(&new);
	return hf_finish(rv);
}

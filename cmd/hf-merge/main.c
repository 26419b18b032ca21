/* hf-merge: merge supported model records into supported_models.json, or
 * write hf-score's gap list into architecture_gaps.json, formatted as
 * Python's json.dump(obj, f, indent=2) and replaced atomically. */
#include <err.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "buf.h"
#include "date.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "stage.h"
#include "util.h"
#include "merge.h"

enum {
	OPT_DATE = 256, OPT_SCAN_INFO,
};

static const struct stage_option longopts[] = {
	STAGE_CALL_OPT("date", required_argument, OPT_DATE),
	STAGE_FLAG_OPT("no-metadata", struct merge, no_metadata),
	STAGE_CALL_OPT("output", required_argument, 'o'),
	STAGE_CALL_OPT("scan-info", required_argument, OPT_SCAN_INFO),
	{ 0 },
};

static int	option(void *, int, const char *);

static const struct stage merge_usage_stage = {
	.usage = "usage: hf-merge supported -o dir [--no-metadata] "
	    "[--date yyyy-mm-dd]\n"
	    "                [--scan-info json] [file ...]\n"
	    "       hf-merge gaps -o dir [--date yyyy-mm-dd] "
	    "[--scan-info json] [file ...]\n",
	.help =
	    "  -o, --output dir       the directory of the registry files "
	    "(required)\n"
	    "  --no-metadata          new entries get \"metadata\": null "
	    "(supported only)\n"
	    "  --date yyyy-mm-dd      generated_at (default: today, local "
	    "time)\n"
	    "  --scan-info json       the scan_info object to write\n",
	.options = longopts,
	.option = option,
};

static void	check_args(struct merge *, int, char *[]);
static int	run(struct merge *, int, char *[]);

/* One option: 0, or -1 for a usage error (warned). */
static int
option(void *state, int val, const char *arg)
{
	struct merge *m = state;
	const char *why = NULL;

	switch (val) {
	case OPT_DATE:
		if (!date_valid(arg)) {
			warnx("--date: not a date as YYYY-MM-DD: %s", arg);
			return -1;
		}
		memcpy(m->date, arg, sizeof(m->date));
		break;
	case OPT_SCAN_INFO:
		if (pyjson_parse(&m->scan, arg, strlen(arg), PYJSON_NAN,
		    &why) == -1 || json_type(&m->scan.j, 0) != JSON_OBJECT) {
			warnx("--scan-info: not a JSON object: %s", arg);
			return -1;
		}
		m->has_scan = 1;
		break;
	case 'o':
		free(m->dir);
		m->dir = xstrdup(arg);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The operand "supported" or "gaps" at argv[0], -o, what goes with
 * which, m->path, and today's date when --date was not given. */
static void
check_args(struct merge *m, int argc, char *argv[])
{
	/* in enum merge_mode's order */
	static const char *const modes[] = { "supported", "gaps", NULL };
	struct buf path = { 0 };
	time_t now;
	struct tm tm;
	size_t n;

	m->mode = stage_mode(&merge_usage_stage, modes, argc, argv);
	if (m->dir == NULL || *m->dir == '\0')
		stage_usage_errorx(&merge_usage_stage,
		    "%s", "-o dir is required");
	if (m->no_metadata && m->mode == MODE_GAPS)
		stage_usage_errorx(&merge_usage_stage,
		    "%s", "--no-metadata is for hf-merge supported");
	for (n = strlen(m->dir); n > 1 && m->dir[n - 1] == '/'; n--)
		m->dir[n - 1] = '\0';
	buf_addf(&path, "%s/%s", m->dir, m->mode == MODE_SUPPORTED ?
	    MERGE_SUPPORTED_FILE : MERGE_GAPS_FILE);
	m->path = xstrdup(buf_cstr(&path));
	buf_free(&path);
	if (m->date[0] != '\0')
		return;
	now = time(NULL);	/* date.today(): the local date */
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(m->date, sizeof(m->date), "%Y-%m-%d", &tm) != 10)
		errx(HF_EXIT_FATAL, "cannot tell today's date");
}

/* All the input first, then the directory: nothing is written when an
 * input file cannot be read. Every step that can fail comes before the
 * rename of m->path but the directory's fsync after it: an exit 1
 * leaves the files as they were unless it said "replaced, but". */
static int
run(struct merge *m, int argc, char *argv[])
{
	struct atomic a;
	char *made = NULL;
	int rv, w;

	rv = nd_each(argc, argv, m->mode == MODE_SUPPORTED ? input_record :
	    input_gap, m);
	if (rv == HF_EXIT_FATAL) {
		warnx("%s: not written", m->path);
		return rv;
	}
	if (m->mode == MODE_GAPS && m->nin == 0) {
		warnx("no gap entries in the input: %s left as it is",
		    m->path);
		return HF_EXIT_FATAL;
	}
	if (merge_open_dir(m) == -1 || existing_load(m) == -1 ||
	    merge_write(m, m->mode == MODE_SUPPORTED ? supported_format :
	    gaps_format, &a) == -1)
		return HF_EXIT_FATAL;
	if (merge_history(m, &made) == -1) {
		atomic_abort(&a);
		return HF_EXIT_FATAL;
	}
	if ((w = merge_replace(m, &a)) == -1 && made != NULL)
		(void)unlink(made);	/* created for this write alone */
	free(made);
	if (w != 0)
		return HF_EXIT_FATAL;
	merge_summary(m);
	return rv;
}

int
main(int argc, char *argv[])
{
	struct merge m = { 0 };
	int first, rv;

	first = stage_options(&merge_usage_stage, &m, argc, argv, NULL);
	check_args(&m, argc - first, argv + first);
	rv = run(&m, argc - first - 1, argv + first + 1);
	merge_free(&m);
	return hf_finish(rv);
}

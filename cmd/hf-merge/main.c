/* hf-merge: merge supported model records into supported_models.json, or
 * write hf-score's gap list into architecture_gaps.json, formatted as
 * Python's json.dump(obj, f, indent=2) and replaced atomically. */
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
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
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "stage.h"
#include "util.h"
#include "merge.h"

enum {
	OPT_DATE = 256, OPT_SCAN_INFO, OPT_STATS, OPT_SUMMARY, OPT_TASK,
	OPT_DURATION, OPT_SCAN_FROM,
};

static const struct stage_option longopts[] = {
	STAGE_CALL_OPT("date", required_argument, OPT_DATE),
	STAGE_CALL_OPT("duration", required_argument, OPT_DURATION),
	STAGE_FLAG_OPT("keep-scan-info", struct merge, keep_scan),
	STAGE_INT64_OPT("min-downloads", struct merge, min_downloads, 0,
	    INT64_MAX),
	STAGE_FLAG_OPT("no-lock", struct merge, no_lock),
	STAGE_FLAG_OPT("no-metadata", struct merge, no_metadata),
	STAGE_CALL_OPT("output", required_argument, 'o'),
	STAGE_CALL_OPT("scan-from", required_argument, OPT_SCAN_FROM),
	STAGE_CALL_OPT("scan-info", required_argument, OPT_SCAN_INFO),
	STAGE_INT64_OPT("scanned", struct merge, scanned, 0, INT64_MAX),
	STAGE_CALL_OPT("stats", required_argument, OPT_STATS),
	STAGE_CALL_OPT("summary", required_argument, OPT_SUMMARY),
	STAGE_CALL_OPT("task", required_argument, OPT_TASK),
	{ 0 },
};

static int	option(void *, int, const char *);

#define SCAN_OPTS \
	"[--scan-info json | --keep-scan-info]\n" \
	"                [--scanned n --task task --min-downloads n " \
	"--duration seconds]\n" \
	"                [--task task --min-downloads n --scan-from file]\n" \
	"                [file ...]\n"

static const struct stage merge_usage_stage = {
	.usage = "usage: hf-merge supported -o dir [--no-metadata] "
	    "[--no-lock] [--quiet]\n"
	    "                [--date yyyy-mm-dd] [--stats fd] "
	    "[--summary fd]\n"
	    "                " SCAN_OPTS
	    "       hf-merge gaps -o dir [--no-lock] [--quiet] "
	    "[--date yyyy-mm-dd]\n"
	    "                [--stats fd] [--summary fd]\n"
	    "                " SCAN_OPTS
	    "       hf-merge summary -o dir\n"
	    "       hf-merge ids -o dir\n",
	.help =
	    "  -o, --output dir       the directory of the registry files "
	    "(required)\n"
	    "  --no-metadata          new entries get \"metadata\": null "
	    "(supported only)\n"
	    "  --no-lock              the caller holds the lock on dir\n"
	    "  --date yyyy-mm-dd      generated_at (default: today, local "
	    "time)\n"
	    "  --stats fd             write the statistics to descriptor fd\n"
	    "  --summary fd           write the file's part of the summary "
	    "to fd\n"
	    "  --scan-info json       the scan_info object to write\n"
	    "  --keep-scan-info       keep the file's scan_info\n"
	    "  --scanned n            scan_info's total_scanned\n"
	    "  --task task            scan_info's task_filter (repeatable)\n"
	    "  --min-downloads n      scan_info's min_downloads\n"
	    "  --duration seconds     scan_info's scan_duration_seconds\n"
	    "  --scan-from file       total_scanned and the duration, read "
	    "from file as\n"
	    "                         one line \"n seconds\" once the input "
	    "is read\n",
	.options = longopts,
	.quiet_option = 1,
	.option = option,
};

static int	duration_valid(const char *);
static int	fd_option(const char *, const char *, int *);
static int	scan_line_read(struct merge *);
static void	build_scan_info(struct merge *);
static void	check_scan_args(struct merge *);
static void	check_args(struct merge *, int, char *[]);
static int	read_input(struct merge *, int, char *[]);
static int	run(struct merge *, int, char *[]);

/* Whether s is a decimal as a JSON number writes it, without sign or
 * exponent: 12, 0.5, 12.30. */
static int
duration_valid(const char *s)
{
	const char *p = s;

	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0' && p - s <= 64;
}

/* --stats FD or --summary FD (name): a descriptor open for writing,
 * checked now, before any input is read, into *out. 0, or -1 (warned). */
static int
fd_option(const char *name, const char *arg, int *out)
{
	int64_t fd;
	int fl;

	if (str_to_i64(arg, strlen(arg), &fd, NULL) == -1 || fd < 0 ||
	    fd > INT_MAX) {
		warnx("--%s: not a file descriptor: %s", name, arg);
		return -1;
	}
	if ((fl = fcntl((int)fd, F_GETFL)) == -1) {
		warn("--%s %s", name, arg);
		return -1;
	}
	if ((fl & O_ACCMODE) == O_RDONLY) {
		warnx("--%s %s: not open for writing", name, arg);
		return -1;
	}
	*out = (int)fd;
	return 0;
}

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
	case OPT_DURATION:
		if (!duration_valid(arg)) {
			warnx("--duration: not seconds as a decimal such as "
			    "12.3: %s", arg);
			return -1;
		}
		m->duration = arg;
		break;
	case OPT_SCAN_INFO:
		pyjson_free(&m->scan);
		if (pyjson_parse(&m->scan, arg, strlen(arg), PYJSON_NAN,
		    &why) == -1 || json_type(&m->scan.j, 0) != JSON_OBJECT) {
			warnx("--scan-info: not a JSON object: %s", arg);
			return -1;
		}
		m->has_scan = 1;
		break;
	case OPT_STATS:
		return fd_option("stats", arg, &m->stats_fd);
	case OPT_SUMMARY:
		return fd_option("summary", arg, &m->summary_fd);
	case OPT_SCAN_FROM:
		if (*arg == '\0') {
			warnx("--scan-from: an empty file name");
			return -1;
		}
		m->scan_from = arg;
		break;
	case OPT_TASK:
		if (m->ntasks++ > 0)
			buf_addc(&m->tasks, ',');
		buf_add(&m->tasks, arg, strlen(arg));
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

/* scan_info from the --scanned group, as the object the wrapper passed
 * to --scan-info before, and through the same parse: the file is the
 * same byte for byte. */
static void
build_scan_info(struct merge *m)
{
	struct buf text = { 0 };

	buf_adds(&text, "{\"total_scanned\":");
	buf_add_i64(&text, m->scanned);
	buf_adds(&text, ",\"task_filter\":\"");
	if (jw_escape(&text, m->tasks.data, m->tasks.len, 0) == -1)
		stage_usage_errorx(&merge_usage_stage, "--task: not UTF-8: %s",
		    buf_cstr(&m->tasks));
	buf_adds(&text, "\",\"min_downloads\":");
	buf_add_i64(&text, m->min_downloads);
	buf_adds(&text, ",\"scan_duration_seconds\":");
	buf_adds(&text, m->duration);
	buf_addc(&text, '}');
	if (pyjson_parse(&m->scan, text.data, text.len, 0, NULL) == -1)
		stage_usage_errorx(&merge_usage_stage, "--task: not UTF-8: %s",
		    buf_cstr(&m->tasks));
	m->has_scan = 1;
	buf_free(&text);
}

/* The options of scan_info: one way at most, and the --scanned group
 * whole. */
static void
check_scan_args(struct merge *m)
{
	int from = m->scan_from != NULL;
	int given = (m->scanned != -1) + (m->ntasks > 0) +
	    (m->min_downloads != -1) + (m->duration != NULL) + 2 * from;

	if (m->has_scan + m->keep_scan + (given > 0) > 1)
		stage_usage_errorx(&merge_usage_stage, "%s", "--scan-info, "
		    "--keep-scan-info and --scanned ... exclude each other");
	if (from && (m->scanned != -1 || m->duration != NULL))
		stage_usage_errorx(&merge_usage_stage, "%s", "--scan-from "
		    "reads what --scanned and --duration give");
	if (given > 0 && given < 4)
		stage_usage_errorx(&merge_usage_stage, "%s", "--scanned, "
		    "--task, --min-downloads and --duration go together");
	if (given == 4 && from) {	/* the task checked now, built later */
		m->scanned = 0;
		m->duration = "0";
	}
	if (given == 4)
		build_scan_info(m);
}

/* --scan-from: the file's one line "N S", as --scanned N --duration S
 * would give them, read once the input is (the caller writes the file
 * when it knows the figures, before it ends the input): 0, or -1
 * (warned). */
static int
scan_line_read(struct merge *m)
{
	char *line, *sp;
	int64_t scanned;
	size_t len;

	buf_reset(&m->scan_line);
	if (buf_read_file_max(&m->scan_line, m->scan_from, 96) == -1) {
		warn("--scan-from %s", m->scan_from);
		return -1;
	}
	len = m->scan_line.len;
	line = buf_cstr(&m->scan_line);
	if (len == 0) {
		warnx("--scan-from %s: empty", m->scan_from);
		return -1;
	}
	if (memchr(line, '\0', len) != NULL ||
	    strchr(line, '\n') != line + len - 1 ||
	    (sp = strchr(line, ' ')) == NULL ||
	    str_to_i64(line, (size_t)(sp - line), &scanned, NULL) == -1 ||
	    scanned < 0) {
		warnx("--scan-from %s: not one line \"scanned seconds\": %.*s",
		    m->scan_from, (int)strcspn(line, "\n"), line);
		return -1;
	}
	line[len - 1] = '\0';
	if (!duration_valid(sp + 1)) {
		warnx("--scan-from %s: not seconds as a decimal such as "
		    "12.3: %s", m->scan_from, sp + 1);
		return -1;
	}
	pyjson_free(&m->scan);
	m->scanned = scanned;
	m->duration = sp + 1;
	build_scan_info(m);
	return 0;
}

/* The operand "supported", "gaps", "summary" or "ids" at argv[0], -o,
 * what goes with which, m->path, and today's date when --date was not
 * given. */
static void
check_args(struct merge *m, int argc, char *argv[])
{
	/* in enum merge_mode's order */
	static const char *const modes[] = {
		"supported", "gaps", "summary", "ids", NULL,
	};
	struct buf path = { 0 };
	time_t now;
	struct tm tm;
	size_t n;

	m->mode = stage_mode(&merge_usage_stage, modes, argc, argv);
	if (m->dir == NULL || *m->dir == '\0')
		stage_usage_errorx(&merge_usage_stage,
		    "%s", "-o dir is required");
	if (m->no_metadata && m->mode != MODE_SUPPORTED)
		stage_usage_errorx(&merge_usage_stage,
		    "%s", "--no-metadata is for hf-merge supported");
	if (m->mode == MODE_SUMMARY || m->mode == MODE_IDS) {
		if (m->no_lock || m->date[0] != '\0' || m->stats_fd != -1 ||
		    m->summary_fd != -1 || m->scan_from != NULL ||
		    m->has_scan || m->keep_scan || m->ntasks > 0 ||
		    m->scanned != -1 || m->min_downloads != -1 ||
		    m->duration != NULL)
			stage_usage_errorx(&merge_usage_stage, "hf-merge %s "
			    "takes -o dir alone", modes[m->mode]);
		if (argc > 1)
			stage_usage_errorx(&merge_usage_stage, "hf-merge %s "
			    "reads no file: %s", modes[m->mode], argv[1]);
		m->read_only = 1;
	}
	check_scan_args(m);
	for (n = strlen(m->dir); n > 1 && m->dir[n - 1] == '/'; n--)
		m->dir[n - 1] = '\0';
	buf_addf(&path, "%s/%s", m->dir, m->mode == MODE_GAPS ?
	    MERGE_GAPS_FILE : MERGE_SUPPORTED_FILE);
	m->path = xstrdup(buf_cstr(&path));
	buf_free(&path);
	if (m->date[0] != '\0')
		return;
	now = time(NULL);	/* date.today(): the local date */
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(m->date, sizeof(m->date), "%Y-%m-%d", &tm) != 10)
		errx(HF_EXIT_FATAL, "cannot tell today's date");
}

/* Every operand (none: stdin) into m->in, one at a time, so that
 * m->st.upto tells which operand each line came from: an hf_exit
 * status. */
static int
read_input(struct merge *m, int argc, char *argv[])
{
	int (*fn)(struct nd_line *, void *) = m->mode == MODE_SUPPORTED ?
	    input_record : input_gap;
	int i, rv = HF_EXIT_OK;

	m->st.nops = argc > 0 ? (size_t)argc : 1;
	m->st.upto = xreallocarray(NULL, m->st.nops, sizeof(*m->st.upto));
	if (argc == 0) {
		rv = nd_each(0, argv, fn, m);
		m->st.upto[0] = m->nin;
		return rv;
	}
	for (i = 0; i < argc && rv != HF_EXIT_FATAL; i++) {
		rv = hf_worst(rv, nd_each(1, argv + i, fn, m));
		m->st.upto[i] = m->nin;
	}
	return rv;
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

	if (m->mode == MODE_SUMMARY)
		return report_summary(m);
	if (m->mode == MODE_IDS)
		return report_ids(m);
	rv = read_input(m, argc, argv);
	if (rv != HF_EXIT_FATAL && m->scan_from != NULL &&
	    scan_line_read(m) == -1)
		rv = HF_EXIT_FATAL;
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
	m->st.history_made = made != NULL;
	free(made);
	if (w != 0)
		return HF_EXIT_FATAL;
	merge_summary(m);
	if (merge_stats(m, argv) == -1)
		return HF_EXIT_FATAL;
	/* one write, as --stats: a reader of a pipe gets all or nothing */
	if (m->summary_fd != -1 && write_all(m->summary_fd, m->summary.data,
	    m->summary.len) == -1) {
		warn("--summary %d", m->summary_fd);
		return HF_EXIT_FATAL;
	}
	return rv;
}

int
main(int argc, char *argv[])
{
	struct merge m = { 0 };
	int first, rv;

	m.stats_fd = m.summary_fd = -1;
	m.scanned = m.min_downloads = -1;
	first = stage_options(&merge_usage_stage, &m, argc, argv, NULL);
	check_args(&m, argc - first, argv + first);
	rv = run(&m, argc - first - 1, argv + first + 1);
	merge_free(&m);
	return hf_finish(rv);
}

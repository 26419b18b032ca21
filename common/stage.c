/* stage.c: the shared driver of the programs (see stage.h). */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "ndjson.h"
#include "stage.h"
#include "util.h"

#define STAGE_IOBUF	(1 << 16)	/* stdio buffer of stdin and stdout */

enum {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_LINE_BUFFERED = 255,	/* below every stage's own (>= 256) */
};

static size_t	add_options(struct option *, const struct stage *);
static int	own_option(const struct stage *, int);
static void	buffer_stdio(int line_buffered);
static int	run(const struct stage *, int, char *[], int);

/* The shared options after the stage's own; returns how many in all. */
static size_t
add_options(struct option *all, const struct stage *s)
{
	size_t n = 0;

	for (; s->options != NULL && s->options[n].name != NULL; n++) {
		if (n + 4 > STAGE_MAX_OPTIONS)
			errx(HF_EXIT_FATAL, "stage: too many options");
		all[n] = s->options[n];
	}
	all[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	all[n++] = (struct option){ "version", no_argument, NULL,
	    OPT_VERSION };
	if (s->line != NULL)
		all[n++] = (struct option){ "line-buffered", no_argument, NULL,
		    OPT_LINE_BUFFERED };
	all[n] = (struct option){ NULL, 0, NULL, 0 };
	return n;
}

/* Whether getopt_long's ch is one of the stage's own options (not '?'
 * or ':', which report an unknown option or a missing argument). */
static int
own_option(const struct stage *s, int ch)
{
	if (ch >= 256)
		return 1;
	return s->shortopts != NULL && ch != ':' && ch != '?' &&
	    strchr(s->shortopts, ch) != NULL;
}

void
stage_usage_error(const struct stage *s)
{
	fputs(s->usage, stderr);
	exit(HF_EXIT_USAGE);
}

int
stage_options(const struct stage *s, void *state, int argc, char *argv[],
    int *line_buffered)
{
	struct option all[STAGE_MAX_OPTIONS + 1];
	char shortopts[STAGE_MAX_OPTIONS * 2 + 3] = "hV";
	int ch;

	add_options(all, s);
	if (s->shortopts != NULL) {
		if (strlen(s->shortopts) > STAGE_MAX_OPTIONS * 2)
			errx(HF_EXIT_FATAL, "stage: too many options");
		strcat(shortopts, s->shortopts);
	}
	optind = 0;	/* glibc: start afresh, also on a second run */
	while ((ch = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		switch (ch) {
		case OPT_HELP:
			fputs(s->usage, stdout);
			exit(hf_finish(HF_EXIT_OK));
		case OPT_VERSION:
			hf_version();
		case OPT_LINE_BUFFERED:
			if (line_buffered != NULL)
				*line_buffered = 1;
			break;
		default:
			if (!own_option(s, ch) || s->option == NULL ||
			    s->option(state, ch, optarg) == -1)
				stage_usage_error(s);
			break;
		}
	}
	return optind;
}

/* Line-buffered output for a reader that waits on each record; else one
 * large buffer each way, as a pipe stage wants (not on a terminal). */
static void
buffer_stdio(int line_buffered)
{
	static char ibuf[STAGE_IOBUF], obuf[STAGE_IOBUF];

	if (line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	else if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	setvbuf(stdin, ibuf, _IOFBF, sizeof(ibuf));
}

/* The run, stdout's buffering and closing done only when own_stdout. */
static int
run(const struct stage *s, int argc, char *argv[], int own_stdout)
{
	void *state = xmalloc(s->size);
	int first, line_buffered = 0, rv = HF_EXIT_OK;

	memset(state, 0, s->size);
	if (s->init != NULL)
		s->init(state);
	first = stage_options(s, state, argc, argv, &line_buffered);
	if (own_stdout)
		buffer_stdio(line_buffered);
	if (s->start != NULL)
		rv = s->start(state);
	if (rv == HF_EXIT_OK)
		rv = nd_each(argc - first, argv + first, s->line, state);
	if (s->end != NULL)
		rv = s->end(state, rv);
	if (own_stdout)
		rv = hf_finish(rv);
	if (s->free != NULL)
		s->free(state);
	free(state);
	return rv;
}

int
stage_main(const struct stage *s, int argc, char *argv[])
{
	return run(s, argc, argv, 1);
}

int
stage_run(const struct stage *s, int argc, char *argv[])
{
	return run(s, argc, argv, 0);
}

int
stage_record(struct json *j, const struct nd_line *l,
    const char *const keys[], int n, int f[])
{
	const char *why;

	if (json_parse(j, l->data, l->len, JSON_UTF8, &why) == -1)
		return nd_skip(l, why);
	if (json_type(j, 0) != JSON_OBJECT)
		return nd_skip(l, "not a JSON object");
	json_pick(j, 0, keys, n, f);
	if (f[0] == -1)
		return nd_skip(l, "id: missing");
	if (json_type(j, f[0]) != JSON_STRING)
		return nd_skip(l, "id: not a string");
	return HF_EXIT_OK;
}

int
stage_write(const char *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len) {
		warn("stdout");
		return HF_EXIT_FATAL;
	}
	return HF_EXIT_OK;
}

void
stage_left_out(int64_t n, int64_t of, const char *what)
{
	if (n == 0)
		return;
	warnx("%" PRId64 " of %" PRId64 " record%s left out (%s)", n, of,
	    of == 1 ? "" : "s", what);
}

/* stage.c: the shared driver of the programs (see stage.h). */
#define _GNU_SOURCE	/* program_invocation_short_name, as err(3) uses */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "stage.h"
#include "util.h"

#define STAGE_IOBUF	(1 << 16)	/* stdio buffer of stdin and stdout */

enum {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_LINE_BUFFERED = 255,	/* below every stage's own (>= 256) */
	OPT_LABEL = 254,
	OPT_QUIET = 253,
};

/* The shared options of a record stage, for the run under way: the
 * summary line (stage_summary) reads quiet without a state. */
static struct shared {
	int		 line_buffered;
	int		 quiet;
	const char	*label;
} shared;

/* What nd_each hands each line to: the stage and its state. */
struct drive {
	const struct stage	*s;
	void			*state;
};

static void	print_help(const struct stage *);
static size_t	add_options(struct option *, char *, const struct stage *);
static const struct stage_option *find_option(const struct stage *, int);
static int	take_option(const struct stage *, void *,
		    const struct stage_option *, const char *);
static void	buffer_stdio(int line_buffered);
static int	parse(const struct stage *, void *, int, char *[]);
static const char *label_check(const struct stage *, const char *);
static int	drive_line(struct nd_line *, void *);
static char	*label_on(const char *);
static void	label_off(char *, char *);
static int	run(const struct stage *, int, char *[], int);

/* getopt_long's val of a stage option that has none of its own. */
#define STAGE_VAL0	1000

/* The shared options after the stage's own, for getopt_long, and the
 * short options into shortopts; returns how many options in all. */
static size_t
add_options(struct option *all, char *shortopts, const struct stage *s)
{
	const struct stage_option *o;
	size_t n = 0, k = strlen(shortopts);

	for (o = s->options; o != NULL && o->name != NULL; o++, n++) {
		if (n + 6 > STAGE_MAX_OPTIONS)
			errx(HF_EXIT_FATAL, "stage: too many options");
		all[n] = (struct option){ o->name, o->has_arg, NULL,
		    o->val != 0 ? o->val : STAGE_VAL0 + (int)n };
		if (o->val > 0 && o->val < 256) {
			shortopts[k++] = (char)o->val;
			if (o->has_arg == required_argument)
				shortopts[k++] = ':';
		}
	}
	shortopts[k] = '\0';
	all[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	all[n++] = (struct option){ "version", no_argument, NULL,
	    OPT_VERSION };
	if (s->line != NULL) {
		all[n++] = (struct option){ "line-buffered", no_argument, NULL,
		    OPT_LINE_BUFFERED };
		all[n++] = (struct option){ "label", required_argument, NULL,
		    OPT_LABEL };
		all[n++] = (struct option){ "quiet", no_argument, NULL,
		    OPT_QUIET };
	} else if (s->quiet_option)
		all[n++] = (struct option){ "quiet", no_argument, NULL,
		    OPT_QUIET };
	all[n] = (struct option){ NULL, 0, NULL, 0 };
	return n;
}

/* The stage's option that getopt_long returned as ch, or NULL ('?' and
 * ':' report an unknown option or a missing argument). */
static const struct stage_option *
find_option(const struct stage *s, int ch)
{
	const struct stage_option *o;
	int n = 0;

	if (ch == '?' || ch == ':')
		return NULL;
	for (o = s->options; o != NULL && o->name != NULL; o++, n++)
		if (ch == (o->val != 0 ? o->val : STAGE_VAL0 + n))
			return o;
	return NULL;
}

/* Store o's value, or hand it to the stage: 0, or -1 (a usage error). */
static int
take_option(const struct stage *s, void *state,
    const struct stage_option *o, const char *arg)
{
	char *at = (char *)state + o->offset, what[64];

	switch (o->store) {
	case STAGE_FLAG:
		*(int *)(void *)at = 1;
		return 0;
	case STAGE_STRING:
		*(const char **)(void *)at = arg;
		return 0;
	case STAGE_INT64:
		snprintf(what, sizeof(what), "--%s", o->name);
		*(int64_t *)(void *)at = parse_i64(arg, o->min, o->max, what);
		return 0;
	case STAGE_CALL:
		break;
	}
	return s->option != NULL ? s->option(state, o->val, arg) : -1;
}

/* The usage, then one line an option: the stage's, then the shared. */
static void
print_help(const struct stage *s)
{
	printf("%s\n", s->usage);
	if (s->help != NULL)
		fputs(s->help, stdout);
	if (s->line != NULL)
		puts("  --label text           put \"text: \" after the "
		    "program's name in each message\n"
		    "  --line-buffered        write each line as soon as it is "
		    "made\n"
		    "  --quiet                no summary line; warnings and "
		    "errors still");
	else if (s->quiet_option)
		puts("  --quiet                no summary line; warnings and "
		    "errors still");
	puts("  -h, --help             print this help and exit\n"
	    "  -V, --version          print the version and exit");
}

void
stage_usage_error(const struct stage *s)
{
	fputs(s->usage, stderr);
	exit(HF_EXIT_USAGE);
}

void
stage_usage_errorx(const struct stage *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	stage_usage_error(s);
}

int
stage_options(const struct stage *s, void *state, int argc, char *argv[],
    int *line_buffered)
{
	int first = parse(s, state, argc, argv);

	if (line_buffered != NULL)
		*line_buffered = shared.line_buffered;
	return first;
}

/* stage_options, with the shared options into shared. */
static int
parse(const struct stage *s, void *state, int argc, char *argv[])
{
	struct option all[STAGE_MAX_OPTIONS + 1];
	char shortopts[STAGE_MAX_OPTIONS * 2 + 4] = "hV";
	const struct stage_option *o;
	int ch;

	if (s->in_order)
		strcpy(shortopts, "+hV");
	add_options(all, shortopts, s);
	memset(&shared, 0, sizeof(shared));
	optind = 0;	/* glibc: start afresh, also on a second run */
	while ((ch = getopt_long(argc, argv, shortopts, all, NULL)) != -1) {
		switch (ch) {
		case OPT_HELP:
			print_help(s);
			exit(hf_finish(HF_EXIT_OK));
		case OPT_VERSION:
			hf_version();
		case OPT_LINE_BUFFERED:
			shared.line_buffered = 1;
			break;
		case OPT_LABEL:
			shared.label = label_check(s, optarg);
			break;
		case OPT_QUIET:
			shared.quiet = 1;
			break;
		default:
			if ((o = find_option(s, ch)) == NULL ||
			    take_option(s, state, o, optarg) == -1)
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

/* A label is text for a message of one line: not empty, no control
 * byte (a newline would split each message in two). */
static const char *
label_check(const struct stage *s, const char *label)
{
	const unsigned char *p;

	if (*label == '\0')
		stage_usage_errorx(s, "--label: empty");
	for (p = (const unsigned char *)label; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			stage_usage_errorx(s, "--label: a control character");
	return label;
}

/* A state mark is passed on (or dropped) here, before any parsing: the
 * check is one memcmp on the line's first bytes. */
static int
drive_line(struct nd_line *l, void *arg)
{
	const struct drive *d = arg;

	if (l->len >= sizeof(STAGE_MARK) - 1 &&
	    memcmp(l->data, STAGE_MARK, sizeof(STAGE_MARK) - 1) == 0)
		return d->s->drop_marks ? HF_EXIT_OK :
		    stage_write_line(l->data, l->len);
	return d->s->line(l, d->state);
}

/* err(3) begins each message with program_invocation_short_name: with a
 * label, that is "PROG: TEXT" for the run, so that every message says it
 * (nd_skip's, the wrong-format hint, registry_open's, the summary).
 * Returns the name to give back to label_off, which restores the old. */
static char *
label_on(const char *label)
{
	char *name;
	size_t n;

	if (label == NULL)
		return NULL;
	n = strlen(program_invocation_short_name) + strlen(label) + 3;
	name = xmalloc(n);
	snprintf(name, n, "%s: %s", program_invocation_short_name, label);
	program_invocation_short_name = name;
	return name;
}

static void
label_off(char *name, char *old)
{
	if (name == NULL)
		return;
	program_invocation_short_name = old;
	free(name);
}

/* The run, stdout's buffering and closing done only when own_stdout. */
static int
run(const struct stage *s, int argc, char *argv[], int own_stdout)
{
	void *state = xmalloc(s->size);
	struct drive d = { s, state };
	char *old = program_invocation_short_name, *name;
	int first, rv = HF_EXIT_OK;

	memset(state, 0, s->size);
	if (s->init != NULL)
		s->init(state);
	first = parse(s, state, argc, argv);
	name = label_on(shared.label);
	if (own_stdout)
		buffer_stdio(shared.line_buffered);
	if (s->start != NULL)
		rv = s->start(state);
	if (rv == HF_EXIT_OK)
		rv = nd_each(argc - first, argv + first, drive_line, &d);
	if (s->end != NULL)
		rv = s->end(state, rv);
	if (own_stdout)
		rv = hf_finish(rv);
	label_off(name, old);
	if (s->free != NULL)
		s->free(state);
	if (s->line != NULL) {
		json_free(&((struct stage_base *)state)->j);
		buf_free(&((struct stage_base *)state)->out);
	}
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
stage_mode(const struct stage *s, const char *const modes[], int argc,
    char *argv[])
{
	char list[256];
	size_t len = 0;
	int i;

	for (i = 0; argc > 0 && modes[i] != NULL; i++)
		if (strcmp(argv[0], modes[i]) == 0)
			return i;
	for (i = 0; modes[i] != NULL && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i == 0 ? "" : modes[i + 1] == NULL ? " or " : ", ",
		    modes[i]);
	if (argc == 0)
		stage_usage_errorx(s, "%s expected", list);
	stage_usage_errorx(s, "not %s: %s", list, argv[0]);
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

int
stage_write_line(const char *data, size_t len)
{
	if (stage_write(data, len) != HF_EXIT_OK)
		return HF_EXIT_FATAL;
	return stage_write("\n", 1);
}

int
stage_write_record(const struct nd_line *l, const char *data, size_t len)
{
	if (len >= sizeof(STAGE_MARK) - 1 &&
	    memcmp(data, STAGE_MARK, sizeof(STAGE_MARK) - 1) == 0)
		return nd_skip(l, "hf_list_state: the key of hf-list's state "
		    "marks, not of a record");
	return stage_write(data, len);
}

void
stage_summary(const char *fmt, ...)
{
	va_list ap;

	if (shared.quiet)
		return;
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

void
stage_left_out(int64_t n, int64_t of, const char *what)
{
	if (n == 0)
		return;
	stage_summary("%" PRId64 " of %" PRId64 " record%s left out (%s)", n, of,
	    of == 1 ? "" : "s", what);
}

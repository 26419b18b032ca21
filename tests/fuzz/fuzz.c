/* fuzz.c: stdin and stdout redirection, a record stage's run and output
 * checks for the harnesses (see fuzz.h). */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "ndjson.h"
#include "registry.h"
#include "stage.h"
#include "util.h"
#include "fuzz.h"

#define FUZZ_MAX_OPTS	16

static FILE	*saved_in, *saved_out;
static char	*out_data;
static size_t	 out_len;

/* The stage fuzz_stage runs, and what it saw so far. */
static const struct stage	*run_stage;
static struct fuzz_run		*run_seen;

/* The input not yet given to the stage: the line at p is lineno; the
 * output is checked up to out_pos. */
static struct {
	const char	*p, *end;
	unsigned long	 lineno;
	size_t		 out_pos;
} run_in;

static int	count_line(struct nd_line *, void *);
static int	is_mark(const char *, size_t);
static size_t	next_line(void);
static void	pass_marks(unsigned long);
static void	drop_marks(struct fuzz_run *);
static void	left_out_line(const char *, size_t, struct fuzz_run *);
static void	remove_registry(void);

static char	registry_file[] = "/tmp/fuzz-registry.XXXXXX";
static char	registry_path[64];

int
fuzz_same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

void
fuzz_fail(const char *what)
{
	/* not through stderr, which the driver may have sent to /dev/null */
	write(STDERR_FILENO, "fuzz: ", 6);
	write(STDERR_FILENO, what, strlen(what));
	write(STDERR_FILENO, "\n", 1);
	abort();
}

void
fuzz_begin(const uint8_t *data, size_t size)
{
	static char empty[1];
	FILE *in, *out;

	/* fmemopen refuses a size of 0 on older glibc: an empty file then */
	in = fmemopen(size ? (void *)(uintptr_t)data : empty, size ? size : 1,
	    "r");
	if (in == NULL)
		fuzz_fail("fmemopen");
	if (size == 0)
		fgetc(in);
	free(out_data);
	out_data = NULL;
	if ((out = open_memstream(&out_data, &out_len)) == NULL)
		fuzz_fail("open_memstream");
	saved_in = stdin;
	saved_out = stdout;
	stdin = in;
	stdout = out;
}

char *
fuzz_end(size_t *len)
{
	fclose(stdin);
	if (fclose(stdout) == EOF)
		fuzz_fail("open_memstream: fclose");
	stdin = saved_in;
	stdout = saved_out;
	*len = out_len;
	return out_data;
}

size_t
fuzz_count_lines(const char *data, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size > 0 && data[size - 1] != '\n');
}

void
fuzz_check_ndjson(const char *out, size_t len, size_t n, const char *key)
{
	struct json j = { 0 };
	const char *p = out, *end = out + len, *nl;
	size_t lines = 0;

	if (len > 0 && out[len - 1] != '\n')
		fuzz_fail("output does not end with a newline");
	for (; p < end; p = nl + 1, lines++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (json_parse(&j, p, (size_t)(nl - p), key ? JSON_UTF8 : 0,
		    NULL) == -1)
			fuzz_fail("an output line is not valid JSON");
		if (key == NULL)
			continue;
		if (json_type(&j, 0) != JSON_OBJECT)
			fuzz_fail("an output line is not an object");
		if (json_type(&j, json_get(&j, 0, key)) != JSON_STRING)
			fuzz_fail("an output line has no string key");
	}
	json_free(&j);
	if (lines != n)
		fuzz_fail("output lines: not as many as expected");
}

static int
is_mark(const char *s, size_t n)
{
	return n >= sizeof(STAGE_MARK) - 1 &&
	    memcmp(s, STAGE_MARK, sizeof(STAGE_MARK) - 1) == 0;
}

/* Step over the input line at run_in.p: its length, without '\n'. */
static size_t
next_line(void)
{
	const char *nl;
	size_t n;

	nl = memchr(run_in.p, '\n', (size_t)(run_in.end - run_in.p));
	n = (size_t)((nl != NULL ? nl : run_in.end) - run_in.p);
	run_in.p = nl != NULL ? nl + 1 : run_in.end;
	run_in.lineno++;
	return n;
}

/* The input lines before line upto (0: to the end), which the stage's
 * line did not get: each must be a state mark, found in the output
 * (flushed) where the stage's last line left off, unless the stage drops
 * them. */
static void
pass_marks(unsigned long upto)
{
	const char *line;
	size_t n;

	while (run_in.p < run_in.end &&
	    (upto == 0 || run_in.lineno < upto)) {
		line = run_in.p;
		n = next_line();
		if (!is_mark(line, n))
			fuzz_fail("a line was not given to the stage");
		run_seen->marks++;
		if (run_stage->drop_marks)
			continue;
		if (out_len - run_in.out_pos < n + 1 ||
		    memcmp(out_data + run_in.out_pos, line, n) != 0 ||
		    out_data[run_in.out_pos + n] != '\n')
			fuzz_fail("a state mark is not in the output, "
			    "unchanged, in its place");
		run_in.out_pos += n + 1;
	}
}

/* r->out without the state marks (checked by then): the records alone. */
static void
drop_marks(struct fuzz_run *r)
{
	char *p = r->out, *end = r->out + r->len, *to = r->out, *nl;
	size_t n;

	for (; p < end; p += n) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (!is_mark(p, nl != NULL ? n - 1 : n)) {
			memmove(to, p, n);
			to += n;
		}
	}
	r->len = (size_t)(to - r->out);
}

/* The stage's own line, and what it printed: nothing, or one line. */
static int
count_line(struct nd_line *l, void *state)
{
	struct fuzz_run *r = run_seen;
	const char *p;
	size_t before, n;
	int rv;

	/* open_memstream updates out_data and out_len on fflush */
	if (fflush(stdout) == EOF)
		fuzz_fail("open_memstream: fflush");
	pass_marks(l->lineno);
	if (run_in.lineno != l->lineno)
		fuzz_fail("a line was not given to the stage");
	if (is_mark(l->data, l->len))
		fuzz_fail("a state mark was given to the stage");
	if (out_len != run_in.out_pos)
		fuzz_fail("printed between two lines: not a state mark");
	next_line();
	r->lines++;
	before = out_len;
	rv = run_stage->line(l, state);
	if (fflush(stdout) == EOF)
		fuzz_fail("open_memstream: fflush");
	n = out_len - before;
	p = out_data + before;
	if (rv == HF_EXIT_SKIPPED) {
		r->skipped++;
		if (n > 0)
			fuzz_fail("a skipped line printed something");
	} else if (n > 0) {
		if (p[n - 1] != '\n' || memchr(p, '\n', n - 1) != NULL)
			fuzz_fail("a line printed more than one line");
		if (is_mark(p, n - 1))
			fuzz_fail("a record printed looks like a state mark");
		r->printed++;
	}
	run_in.out_pos = out_len;
	return rv;
}

/* "PROG: N of M record[s] left out (...)" as the last line of err. */
static void
left_out_line(const char *err, size_t len, struct fuzz_run *r)
{
	const char *line, *p;
	int64_t n, m;
	int k = 0;

	if (len == 0 || err[len - 1] != '\n')
		return;
	for (line = err + len - 1; line > err && line[-1] != '\n'; line--)
		continue;
	if ((p = strstr(line, ": ")) == NULL ||
	    sscanf(p + 2, "%" SCNd64 " of %" SCNd64 " record%n", &n, &m,
	    &k) != 2 || k == 0)
		return;
	p += 2 + k;
	if (*p == 's')
		p++;
	if (strncmp(p, " left out (", 11) != 0)
		return;
	r->left_out = n;
	r->records = m;
}

void
fuzz_stage(const struct stage *s, const char *const opts[],
    const uint8_t *data, size_t size, struct fuzz_run *r)
{
	struct stage counted = *s;
	char *argv[FUZZ_MAX_OPTS + 2], *err_data = NULL;
	size_t err_len = 0;
	FILE *saved_err = stderr, *errs;
	int argc = 0;

	memset(r, 0, sizeof(*r));
	argv[argc++] = (char *)"fuzz";
	for (; opts != NULL && *opts != NULL; opts++) {
		if (argc > FUZZ_MAX_OPTS)
			fuzz_fail("fuzz_stage: too many options");
		argv[argc++] = (char *)(uintptr_t)*opts;
	}
	argv[argc] = NULL;
	counted.line = count_line;
	run_stage = s;
	run_seen = r;
	run_in.p = (const char *)data;
	run_in.end = run_in.p + size;
	run_in.lineno = 1;
	run_in.out_pos = 0;

	if ((errs = open_memstream(&err_data, &err_len)) == NULL)
		fuzz_fail("open_memstream");
	fuzz_begin(data, size);
	stderr = errs;
	r->status = stage_run(&counted, argc, argv);
	stderr = saved_err;
	r->out = fuzz_end(&r->len);
	/* the marks after the last line; what the end printed after them */
	pass_marks(0);
	if (!s->drop_marks && r->len != run_in.out_pos)
		fuzz_fail("printed after the last line: not a state mark");
	drop_marks(r);
	if (fclose(errs) == EOF)
		fuzz_fail("open_memstream: fclose");
	fwrite(err_data, 1, err_len, stderr);	/* /dev/null in driver.c */
	left_out_line(err_data, err_len, r);
	free(err_data);
	run_stage = NULL;
	run_seen = NULL;

	if (r->status != (r->skipped > 0 ? HF_EXIT_SKIPPED : HF_EXIT_OK))
		fuzz_fail("exit status: not 3 with a skipped line, else 0");
	if (r->lines + r->marks !=
	    fuzz_count_lines((const char *)data, size))
		fuzz_fail("not every line was given to the stage");
}

static void
remove_registry(void)
{
	unlink(registry_file);
}

const char *
fuzz_registry_path(void)
{
	static const char text[] = "{\"supported_architectures\":["
	    "\"LlamaForCausalLM\",\"Qwen2ForCausalLM\",\"MistralForCausalLM\","
	    "\"GPT2LMHeadModel\",\"Caf\\u00e9ForCausalLM\",\"\"],"
	    "\"canonical_authors_by_arch\":{"
	    "\"LlamaForCausalLM\":[\"meta-llama\",\"huggyllama\"],"
	    "\"Qwen2ForCausalLM\":[\"Qwen\"],"
	    "\"MistralForCausalLM\":[\"mistralai\"],"
	    "\"UnsupportedWithOrgs\":[\"x-org\"]}}";
	int fd;

	if (registry_path[0] != '\0')
		return registry_path;
	if ((fd = mkstemp(registry_file)) == -1 ||
	    write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		fuzz_fail("cannot write the registry");
	/* Linux: the file, kept open, by its descriptor, so that none is
	 * left behind by a harness that aborts; else removed at exit */
	snprintf(registry_path, sizeof(registry_path), "/proc/self/fd/%d",
	    fd);
	if (access(registry_path, R_OK) == 0)
		unlink(registry_file);
	else {
		if (close(fd) == -1)
			fuzz_fail("cannot write the registry");
		snprintf(registry_path, sizeof(registry_path), "%s",
		    registry_file);
		atexit(remove_registry);
	}
	return registry_path;
}

const struct registry *
fuzz_registry(void)
{
	static struct registry reg;
	static int loaded;
	char err[1024];

	if (loaded)
		return &reg;
	if (registry_load(&reg, fuzz_registry_path(), err, sizeof(err)) == -1)
		errx(1, "%s", err);
	loaded = 1;
	return &reg;
}

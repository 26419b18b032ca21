/* fuzz.c: stdin and stdout redirection and output checks for the
 * harnesses (see fuzz.h). */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "registry.h"
#include "fuzz.h"

static FILE	*saved_in, *saved_out;
static char	*out_data;
static size_t	 out_len;

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

const struct registry *
fuzz_registry(void)
{
	static const char text[] = "{\"supported_architectures\":["
	    "\"LlamaForCausalLM\",\"Qwen2ForCausalLM\",\"MistralForCausalLM\","
	    "\"GPT2LMHeadModel\",\"Caf\\u00e9ForCausalLM\",\"\"],"
	    "\"canonical_authors_by_arch\":{"
	    "\"LlamaForCausalLM\":[\"meta-llama\",\"huggyllama\"],"
	    "\"Qwen2ForCausalLM\":[\"Qwen\"],"
	    "\"MistralForCausalLM\":[\"mistralai\"],"
	    "\"UnsupportedWithOrgs\":[\"x-org\"]}}";
	static struct registry reg;
	static int loaded;
	char path[] = "/tmp/fuzz-registry.XXXXXX", err[1024];
	int fd;

	if (loaded)
		return &reg;
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1 ||
	    close(fd) == -1)
		fuzz_fail("cannot write the registry");
	if (registry_load(&reg, path, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	unlink(path);
	loaded = 1;
	return &reg;
}

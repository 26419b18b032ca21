/* hub.c: the environment variables of the Hugging Face libraries. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hub.h"
#include "util.h"

#define TOKEN_MAX	65536	/* bytes of a token file read at most */

static int	is_space(char);
static char	*trimmed(const char *, size_t);
static char	*from_env(const char *);
static char	*from_file(const char *);
static char	*token_file(void);

char *
hub_endpoint(void)
{
	const char *e = getenv("HF_ENDPOINT");
	size_t n;

	if (e == NULL || *e == '\0')
		e = "https://huggingface.co";
	n = strlen(e);
	while (n > 0 && e[n - 1] == '/')
		n--;
	return xstrndup(e, n);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* A trimmed copy, or NULL when nothing is left. */
static char *
trimmed(const char *s, size_t n)
{
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return n > 0 ? xstrndup(s, n) : NULL;
}

static char *
from_env(const char *name)
{
	const char *v = getenv(name);

	return v == NULL ? NULL : trimmed(v, strlen(v));
}

/* The trimmed token in the file at path, or NULL if it cannot be read or
 * holds only white space. Only its first TOKEN_MAX bytes are read, into
 * one allocation, so that clearing it before the free clears the only copy
 * left behind. */
static char *
from_file(const char *path)
{
	struct buf b = { 0 };
	char *t = NULL;

	buf_reserve(&b, TOKEN_MAX);
	if (buf_read_file_max(&b, path, TOKEN_MAX) == 0 && b.len > 0)
		t = trimmed(b.data, b.len);
	memset(b.data, 0, b.len);
	buf_free(&b);
	return t;
}

static char *
token_file(void)
{
	const char *p = getenv("HF_TOKEN_PATH"), *home;
	struct buf b = { 0 };
	char *t;

	if (p != NULL && *p != '\0')
		return from_file(p);
	if ((home = getenv("HF_HOME")) != NULL && *home != '\0')
		buf_addf(&b, "%s/token", home);
	else if ((home = getenv("XDG_CACHE_HOME")) != NULL && *home != '\0')
		buf_addf(&b, "%s/huggingface/token", home);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		buf_addf(&b, "%s/.cache/huggingface/token", home);
	else
		return NULL;
	t = from_file(buf_cstr(&b));
	buf_free(&b);
	return t;
}

char *
hub_token(const char **source)
{
	char *t;

	if ((t = from_env("HF_TOKEN")) != NULL) {
		*source = "HF_TOKEN";
		return t;
	}
	if (!env_true("HF_HUB_DISABLE_IMPLICIT_TOKEN") &&
	    (t = token_file()) != NULL) {
		*source = "token file";
		return t;
	}
	if ((t = from_env("HUGGING_FACE_HUB_TOKEN")) != NULL) {
		*source = "HUGGING_FACE_HUB_TOKEN";
		return t;
	}
	*source = NULL;
	return NULL;
}

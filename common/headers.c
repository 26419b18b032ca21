/* headers.c: the values of the Hub's response headers that steer a
 * listing: Link (the next page) and RateLimit, RateLimit-Policy (the
 * pace). Text only: http.c, with libcurl, hands them over. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "headers.h"
#include "util.h"

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Whether a Link parameter list (after '>') says rel="next"; *endp is set
 * to the ',' that ends this link-value or to the NUL. */
static int
rel_is_next(const char *p, const char **endp)
{
	int next = 0, quoted = 0;
	const char *rel = NULL;

	for (; *p != '\0' && (quoted || *p != ','); p++) {
		if (*p == '"')
			quoted = !quoted;
		if (!quoted && *p == ';') {
			const char *q = skip_ws(p + 1);

			if (strncasecmp(q, "rel", 3) == 0 &&
			    *(q = skip_ws(q + 3)) == '=')
				rel = skip_ws(q + 1);
		}
		if (rel == p) {
			const char *v = *p == '"' ? p + 1 : p;
			size_t n;

			/* a space-separated list of relation types */
			while (*v != '\0' && *v != '"' && *v != ';' &&
			    *v != ',') {
				n = strcspn(v, " \t\";,");
				if (n == 4 && strncasecmp(v, "next", 4) == 0)
					next = 1;
				v += n;
				v += strspn(v, " \t");
			}
		}
	}
	*endp = p;
	return next;
}

char *
link_next(const char *value)
{
	const char *p = value, *url, *end;
	size_t n;

	for (;;) {
		p = skip_ws(p);
		while (*p == ',')
			p = skip_ws(p + 1);
		if (*p != '<')
			return NULL;
		url = p + 1;
		if ((end = strchr(url, '>')) == NULL)
			return NULL;
		n = (size_t)(end - url);
		if (rel_is_next(end + 1, &p) && n > 0)
			return xstrndup(url, n);
		if (*p == '\0')
			return NULL;
	}
}

static int
param_long(const char *p, const char *key, long *out)
{
	size_t k = strlen(key);
	char *end;
	long v;

	for (; (p = strchr(p, ';')) != NULL; p++) {
		const char *q = skip_ws(p + 1);

		if (strncmp(q, key, k) != 0 || q[k] != '=')
			continue;
		q += k + 1;
		if (!isdigit((unsigned char)*q))
			return -1;
		v = strtol(q, &end, 10);
		if (*end != '\0' && *end != ';' && *end != ',' &&
		    *end != ' ')
			return -1;
		*out = v;
		return 0;
	}
	return -1;
}

int
ratelimit_parse(const char *value, long *r, long *t)
{
	if (param_long(value, "r", r) == -1 || param_long(value, "t", t) == -1)
		return -1;
	return 0;
}

int
ratelimit_window(const char *value, long *w)
{
	return param_long(value, "w", w);
}

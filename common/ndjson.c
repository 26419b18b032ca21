/* ndjson.c: the line reader: getline, so no length limit but memory. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ndjson.h"
#include "util.h"

#define ND_IOBUF	(1 << 16)	/* read(2) size for file operands */
#define ND_REPORTS	20	/* lines reported of a file in the wrong format */

/* The file being read: whether its first line says it is a JSON
 * document rather than NDJSON, and the lines reported and not. */
static struct {
	int		 document;
	unsigned long	 reported;
	unsigned long	 unreported;
} cur;

static int	each_line(FILE *, const char *,
		    int (*)(struct nd_line *, void *), void *);
static void	first_line(const struct nd_line *);

int
nd_skip(const struct nd_line *l, const char *reason)
{
	if (cur.document && cur.reported >= ND_REPORTS) {
		cur.unreported++;
		return HF_EXIT_SKIPPED;
	}
	cur.reported++;
	warnx("%s:%lu: %s", l->file, l->lineno, reason);
	return HF_EXIT_SKIPPED;
}

/* A first line "[..." or a lone "{" is a JSON document (pretty-printed,
 * or an array), not one object a line: say so once, with the command
 * that makes NDJSON of it. */
static void
first_line(const struct nd_line *l)
{
	const char *file, *t = l->data;
	size_t len = l->len;

	while (len > 0 && (*t == ' ' || *t == '\t')) {
		t++;
		len--;
	}
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t' ||
	    t[len - 1] == '\r'))
		len--;
	/* the file operand for the hint; none for standard input */
	file = strcmp(l->file, "<stdin>") == 0 ? "" : l->file;
	if (len > 0 && *t == '[')
		warnx("%s: a JSON array, not NDJSON (one JSON object a line): "
		    "try jq -c '.[]'%s%s", l->file, *file ? " " : "", file);
	else if (len == 1 && *t == '{')
		warnx("%s: a JSON document, not NDJSON (one JSON object a "
		    "line): try jq -c '.KEY[]'%s%s with KEY its array of "
		    "objects", l->file, *file ? " " : "", file);
	else
		return;
	cur.document = 1;
}

static int
each_line(FILE *fp, const char *name, int (*fn)(struct nd_line *, void *),
    void *arg)
{
	struct nd_line l = { name, 0, NULL, 0 };
	size_t cap = 0;
	ssize_t n;
	int rv = HF_EXIT_OK;

	memset(&cur, 0, sizeof(cur));
	while ((n = getline(&l.data, &cap, fp)) != -1) {
		l.lineno++;
		l.len = (size_t)n;
		if (l.len > 0 && l.data[l.len - 1] == '\n')
			l.data[--l.len] = '\0';
		if (l.lineno == 1)
			first_line(&l);
		rv = hf_worst(rv, fn(&l, arg));
		if (rv == HF_EXIT_FATAL)
			break;
	}
	if (cur.unreported > 0)
		warnx("%s: ... and %lu more malformed line%s", name,
		    cur.unreported, cur.unreported == 1 ? "" : "s");
	if (ferror(fp)) {
		warn("%s", name);
		rv = HF_EXIT_FATAL;
	}
	free(l.data);
	return rv;
}

int
nd_each(int argc, char *argv[], int (*fn)(struct nd_line *, void *),
    void *arg)
{
	static char iobuf[ND_IOBUF];	/* one file open at a time */
	int i, rv = HF_EXIT_OK;
	FILE *fp;

	if (argc == 0)
		return each_line(stdin, "<stdin>", fn, arg);
	for (i = 0; i < argc && rv != HF_EXIT_FATAL; i++) {
		if (strcmp(argv[i], "-") == 0) {
			rv = hf_worst(rv, each_line(stdin, "<stdin>", fn, arg));
			continue;
		}
		if ((fp = fopen(argv[i], "r")) == NULL) {
			warn("%s", argv[i]);
			rv = HF_EXIT_FATAL;
			continue;
		}
		/* not 4 KiB reads: glibc ignores the size when the buffer
		 * is NULL, so it is given one */
		setvbuf(fp, iobuf, _IOFBF, ND_IOBUF);
		rv = hf_worst(rv, each_line(fp, argv[i], fn, arg));
		fclose(fp);
	}
	return rv;
}

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

static int	each_line(FILE *, const char *,
		    int (*)(struct nd_line *, void *), void *);

int
nd_skip(const struct nd_line *l, const char *reason)
{
	warnx("%s:%lu: %s", l->file, l->lineno, reason);
	return HF_EXIT_SKIPPED;
}

static int
each_line(FILE *fp, const char *name, int (*fn)(struct nd_line *, void *),
    void *arg)
{
	struct nd_line l = { name, 0, NULL, 0 };
	size_t cap = 0;
	ssize_t n;
	int rv = HF_EXIT_OK;

	while ((n = getline(&l.data, &cap, fp)) != -1) {
		l.lineno++;
		l.len = (size_t)n;
		if (l.len > 0 && l.data[l.len - 1] == '\n')
			l.data[--l.len] = '\0';
		rv = hf_worst(rv, fn(&l, arg));
		if (rv == HF_EXIT_FATAL)
			break;
	}
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

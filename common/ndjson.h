/* ndjson.h: read NDJSON lines from files or stdin, with FILE:LINE. */
#ifndef HF_NDJSON_H
#define HF_NDJSON_H

#include <stddef.h>

struct nd_line {
	const char	*file;	/* "<stdin>" for - */
	unsigned long	 lineno;
	char		*data;	/* NUL-terminated for convenience */
	size_t		 len;	/* without the '\n'; may contain NUL bytes */
};

/* Call fn for every line of every operand ("-" or none: stdin). fn returns
 * an hf_exit status; the worst one is returned. A file that cannot be
 * opened or read is reported and makes the result HF_EXIT_FATAL. */
int	nd_each(int argc, char *argv[], int (*fn)(struct nd_line *, void *),
	    void *arg);

/* Report a malformed line as "PROG: FILE:LINE: reason"; HF_EXIT_SKIPPED. */
int	nd_skip(const struct nd_line *, const char *reason);

#endif

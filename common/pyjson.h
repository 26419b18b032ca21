/* pyjson.h: JSON as Python's json module reads and writes it, so that a
 * file written by json.dump(obj, f, indent=2) can be read, changed and
 * written back byte for byte. Reading is in pyjson.c, writing in pydump.c,
 * py_round in pyfloat.c. */
#ifndef HF_PYJSON_H
#define HF_PYJSON_H

#include <stddef.h>

#include "json.h"
#include "jsonw.h"

enum {
	PYJSON_NAN = 1,		/* pyjson_parse: accept NaN, Infinity and
				 * -Infinity as values, as json.load does */
};

#define PYJSON_MAX_DEPTH	1000	/* containers nested; json.load stops sooner */

struct pyjson {
	struct json	 j;
	char		*text;		/* the parsed copy of the input */
	size_t		 text_map;	/* its mapping's size, or 0: malloc'd */
	size_t		*special;	/* sorted starts of NaN/Infinity tokens */
	unsigned char	*kind;		/* which literal each one was */
	size_t		 nspecial;
	size_t		 err;		/* after a failed parse: where */
};

/* Parse one JSON text (valid UTF-8, nested at most PYJSON_MAX_DEPTH deep).
 * Returns the token count, or -1 with *why set and p->err the byte
 * offset of the fault (the text's length when it ends too soon). The
 * tokens index p->text, a copy in which each NaN/Infinity token is
 * replaced by a number of the same length. */
int	pyjson_parse(struct pyjson *, const char *, size_t, int flags,
	    const char **why);
void	pyjson_free(struct pyjson *);

/* pyjsonerr.c: what to tell a person about a text that did not parse. */
/* Byte offset off of s as Python's JSONDecodeError gives it: line (1 +
 * the newlines before it) and column (1 + the characters, not bytes,
 * since the last newline). */
void	pyjson_line_col(const char *s, size_t off, size_t *line,
	    size_t *col);
/* Whether s starts with a UTF-8 byte order mark (EF BB BF), which
 * json.load refuses ("Unexpected UTF-8 BOM") and editors hide. */
int	pyjson_has_bom(const char *s, size_t len);
/* Whether a line of s starts with a git conflict marker (<<<<<<<,
 * ======= or >>>>>>>, then a space or the line's end): 1 and the
 * offset of the first in *at, or 0. */
int	pyjson_conflict_marker(const char *s, size_t len, size_t *at);

/* A number token as Python holds it: 1 and *f for a float (NaN and
 * infinities included), 0 for an integer (*f its value), -1 if not a
 * number. */
int	pyjson_number(const struct pyjson *, int, double *f);

/* Write the value at token i through w as Python's json.dump writes what
 * json.load read: objects in key order with a repeated key at its first
 * place holding its last value, strings re-escaped, integers of any size
 * as their digits, floats as repr. -1 on a string jw_reescape refuses. */
int	pyjson_dump(struct jw *, const struct pyjson *, int);

/* The members of object obj, as pyjson_dump writes them, into an object
 * the caller has opened, leaving out the keys in skip (NULL-terminated,
 * compared with the keys as written out; may be NULL). */
int	pyjson_dump_members(struct jw *, const struct pyjson *, int obj,
	    const char *const *skip);

/* Python's round(x, ndigits) for 0 <= ndigits <= 3: round half to even on
 * the exact binary value, then the nearest double to that decimal. */
double	py_round(double, int ndigits);

/* Whether a string body (n bytes, between its quotes) is written out as
 * it came, its canonical form: printable ASCII and no escape (a '"' in a
 * body always follows a '\\'). Inline: the dump's hot path. */
static inline int
pyjson_plain(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] - 0x20u >= 0x5fu || s[i] == '\\')
			return 0;
	return 1;
}

#endif

/* pyjsonerr.c: what to tell a person about a registry file that did not
 * parse: where (line and column, counted as Python's json module counts
 * them, so that both tools point at the same place) and, for the two
 * faults that are not typing errors, why (see pyjson.h). */
#include <string.h>

#include "pyjson.h"

#define BOM		"\xef\xbb\xbf"
#define MARKER_LEN	7	/* <<<<<<< and its kin */

static int	is_marker(const char *, size_t);

void
pyjson_line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80)
			++*col;	/* not a UTF-8 continuation byte */
	}
}

int
pyjson_has_bom(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, BOM, 3) == 0;
}

/* Whether the n bytes at s (a line's start) open with a conflict
 * marker: seven of '<', '=' or '>', then a space, CR, LF or the end. */
static int
is_marker(const char *s, size_t n)
{
	size_t i;

	if (n < MARKER_LEN || strchr("<=>", s[0]) == NULL || s[0] == '\0')
		return 0;
	for (i = 1; i < MARKER_LEN; i++)
		if (s[i] != s[0])
			return 0;
	return n == MARKER_LEN || s[MARKER_LEN] == ' ' ||
	    s[MARKER_LEN] == '\r' || s[MARKER_LEN] == '\n';
}

int
pyjson_conflict_marker(const char *s, size_t len, size_t *at)
{
	const char *p = s, *end = s + len, *nl;

	for (;;) {
		if (is_marker(p, (size_t)(end - p))) {
			*at = (size_t)(p - s);
			return 1;
		}
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return 0;
		p = nl + 1;
	}
}

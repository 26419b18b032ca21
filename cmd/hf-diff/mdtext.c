/* mdtext.c: text from the registry files made safe to put in Markdown.
 * A model id or architecture name is data: whatever it holds, it must
 * not end a table cell, open a link, emphasis, code, math or an HTML
 * tag, nor start a new line. Entities where a backslash escape is not
 * honoured everywhere (GitHub and Python-Markdown differ), backslashes
 * for the rest. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "jsonw.h"
#include "pyjson.h"
#include "util.h"
#include "diff.h"

static size_t	utf8_len(const unsigned char *, size_t, unsigned *);
static void	put_cp(struct buf *, const char *, size_t, unsigned);

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/* The length of the UTF-8 sequence at s (at most n bytes) and its code
 * point, or 0 if it is not valid UTF-8. */
static size_t
utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
	size_t len, i;
	unsigned c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* One code point, its bytes at s. */
static void
put_cp(struct buf *b, const char *s, size_t len, unsigned cp)
{
	/* The characters written as HTML entities. */
	static const struct {
		unsigned	 cp;
		const char	*s;
	} entities[] = {
		{ '&', "&amp;" }, { '<', "&lt;" }, { '>', "&gt;" },
		{ '|', "&#124;" }, { '~', "&#126;" }, { '$', "&#36;" },
	};
	size_t i;

	for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (entities[i].cp == cp) {
			buf_adds(b, entities[i].s);
			return;
		}
	switch (cp) {
	case '\\': case '`': case '*': case '_': case '[': case ']':
	case '(': case ')': case '#': case '!':
		buf_addc(b, '\\');
		buf_addc(b, (char)cp);
		return;
	default:
		break;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		buf_adds(b, REPLACEMENT);	/* a control character */
	else
		buf_add(b, s, len);
}

void
md_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len, shown;
	unsigned cp;

	for (i = shown = 0; i < n; i += len, shown++) {
		if (shown == MD_NAME_MAX) {
			buf_adds(b, "\xe2\x80\xa6");	/* U+2026 */
			return;
		}
		if ((len = utf8_len(u + i, n - i, &cp)) == 0) {
			buf_adds(b, REPLACEMENT);
			len = 1;
			continue;
		}
		put_cp(b, s + i, len, cp);
	}
}

void
md_value(struct buf *b, const struct pyjson *p, int i)
{
	struct buf t = { 0 };
	struct jw w;

	if (json_type(&p->j, i) == JSON_STRING &&
	    json_str(&p->j, i, &t, NULL) == 0) {
		md_escape(b, t.data, t.len);
		buf_free(&t);
		return;
	}
	buf_reset(&t);
	jw_init(&w, &t, 1, 0);
	if (i == -1 || pyjson_dump(&w, p, i) == -1) {
		buf_reset(&t);
		buf_adds(&t, "null");
	}
	jw_free(&w);
	md_escape(b, t.data, t.len);
	buf_free(&t);
}

void
md_arch(struct buf *b, const struct reg *r, struct str a)
{
	md_escape(b, reg_s(r, a) + 1, a.len - 1);
}

void
md_int(struct buf *b, int64_t v)
{
	char d[FMT_I64_MAX];
	size_t n, i;
	uint64_t u;

	if (v < 0) {
		buf_addc(b, '-');
		u = (uint64_t)0 - (uint64_t)v;
	} else
		u = (uint64_t)v;
	n = 0;
	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	for (i = n; i > 0; i--) {
		buf_addc(b, d[i - 1]);
		if (i > 1 && (i - 1) % 3 == 0)
			buf_addc(b, ',');
	}
}

void
md_delta(struct buf *b, int64_t v)
{
	if (v > 0)
		buf_addc(b, '+');
	md_int(b, v);
}

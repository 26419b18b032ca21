/* utf8.h: UTF-8 as RFC 3629 defines it: no overlong form, no surrogate,
 * nothing above U+10FFFF. */
#ifndef HF_UTF8_H
#define HF_UTF8_H

#include <stddef.h>

/* Whether s[0..len) is valid UTF-8. */
int	utf8_valid(const char *s, size_t len);

/* The length of the UTF-8 sequence at s (s[0] >= 0x80, left bytes there)
 * and its code point in *cp, or 0 if it is not valid. Inline: the JSON
 * tokenizer and writer call it for every non-ASCII character. */
static inline size_t
utf8_seq(const char *s, size_t left, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0], min;
	size_t k, need;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; *cp = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; *cp = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; *cp = c & 0x07; min = 0x10000;
	} else
		return 0;
	if (left <= need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[k] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return need + 1;
}

#endif

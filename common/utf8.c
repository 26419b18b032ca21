/* utf8.c: UTF-8 validation, eight ASCII bytes at a time. */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define HIGHS	0x8080808080808080ULL

int
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, used;
	uint64_t w;
	unsigned cp;

	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, s + i, sizeof(w));
			if ((w & HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((used = utf8_seq(s + i, len - i, &cp)) == 0)
			return 0;
		i += used;
	}
	return 1;
}

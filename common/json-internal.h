/* json-internal.h: what the JSON files of common/ (json.c, jsonget.c,
 * jsonstr.c, jsonw.c, pyjson.c) share; nothing else includes it.
 *
 * The tokens are jsmn's jsmntok_t, whose layout depends on
 * JSMN_PARENT_LINKS: every file that reads or writes tokens in one program
 * must be built with the same setting. The library is built without it;
 * tests/unit/oracle.c links its own json.c built with it, and calls only
 * json_parse and json_free: json.c holds them and all the token code they
 * call, so that no library object that reads tokens is linked in. */
#ifndef HF_JSON_INTERNAL_H
#define HF_JSON_INTERNAL_H

#define JSMN_HEADER	/* jsmn's types only */
#include <jsmn.h>

#define TOK(j, i)	(((jsmntok_t *)(j)->tok)[i])

/* JSON's white space (RFC 8259), and nothing else. Inline: the tokenizer
 * asks it of every byte between tokens. */
static inline int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Four hex digits at p as a code unit: 0 and *out, or -1. */
static inline int
json_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

#endif

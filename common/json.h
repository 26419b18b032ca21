/* json.h: JSON reading, strict and validated, into jsmn's token layout.
 * Callers see token indices, never jsmn's types. json_parse and json_free
 * are in json.c, the walking of tokens in jsonget.c, their decoding and
 * json_minify in jsonstr.c. */
#ifndef HF_JSON_H
#define HF_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum json_type {
	JSON_NONE = 0,		/* no such token */
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_STRING,
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

enum {
	JSON_UTF8 = 1,		/* json_parse: also require valid UTF-8 in
				 * strings, escapes included (no lone
				 * surrogate \uXXXX) */
	JSON_MEMBERS = 2,	/* json_parse: validate all, but keep only
				 * the tokens of the root, its elements and
				 * their members: an array of objects' fields.
				 * A kept container's deeper content is not
				 * kept (its size counts kept children only) */
};

struct json {
	void		*tok;	/* jsmntok_t[cap], kept across parses */
	unsigned	 cap;
	int		 n;	/* tokens of the last parse */
	const char	*s;	/* the text of the last parse */
	size_t		 len;
	int		*stack;	/* the parser's open containers, kept too */
	size_t		 depth;
	size_t		 stack_cap;
	size_t		 ws;	/* white space bytes between tokens: 0 means
				 * the text is minified already */
	size_t		 err;	/* after a failed parse: the byte offset where
				 * the text stops being JSON (len: its end) */
	size_t		 max_bytes; /* set by the caller: the most memory the
				 * tokens, and apart the open containers, of
				 * a parse may take (0: no cap). A text of
				 * tiny tokens costs about 11 times its size,
				 * so a cap on the text alone is not one on
				 * memory. At least 256 tokens are kept */
	int		 too_big; /* after a failed parse: it stopped at
				 * max_bytes, the text may well be JSON */
	int		 escapes; /* after a parse: whether a string of the
				 * text holds a backslash escape (else a
				 * token's bytes are its text) */
};

/* Tokenize and validate one JSON text (RFC 8259 grammar, one value, no
 * trailing bytes). Returns the token count, or -1 with *why set. */
int	 json_parse(struct json *, const char *s, size_t len, int flags,
	    const char **why);
void	 json_free(struct json *);

enum json_type json_type(const struct json *, int);
int	 json_size(const struct json *, int);	/* children (object: keys) */
int	 json_skip(const struct json *, int);	/* the token after i's subtree */
/* Byte span of a value, quotes included for strings. */
size_t	 json_start(const struct json *, int);
size_t	 json_end(const struct json *, int);

/* First element of an array (or -1); the element after e is json_skip(e). */
int	 json_first(const struct json *, int arr);
/* The value of key in object obj (the last one if repeated), or -1. */
int	 json_get(const struct json *, int obj, const char *key);
/* json_get for n keys (at most 16) in one pass over obj: out[i] is the
 * value of keys[i] (the last one if repeated) or -1. Returns how many were
 * found. */
int	 json_pick(const struct json *, int obj, const char *const keys[],
	    int n, int out[]);
/* Append the text of object obj without its closing brace, leaving out
 * the members whose key is one of drop[0..ndrop) (kept members are copied
 * byte for byte). Returns the number of members kept, so the caller knows
 * whether a ',' must come before what it appends. */
int	 json_copy_open(struct buf *out, const struct json *, int obj,
	    const char *const drop[], int ndrop);

/* Decode a string token into out (UTF-8, not NUL-counted). 0 or -1. */
int	 json_str(const struct json *, int, struct buf *out, const char **why);
/* Whether string token i holds a backslash escape (its bytes are then not
 * its text); false at once in a text without one. */
int	 json_escaped(const struct json *, int);
/* Whether a string token equals s exactly after decoding. */
int	 json_str_eq(const struct json *, int, const char *s, size_t len);
/* A number token that is an integer in int64 range: 0 and *out, else -1. */
int	 json_i64(const struct json *, int, int64_t *out);
/* Any number token as a double: 0 and *out, else -1. */
int	 json_f64(const struct json *, int, double *out);

/* Append validated JSON s[start, end) to out without insignificant white
 * space (tests/fuzz/fuzz-list.c checks hf-list's output with it). */
void	 json_minify(struct buf *out, const char *s, size_t start, size_t end);
/* The same over s[start, end) in place; the new length. The text's tokens
 * past end stay valid. */
size_t	 json_minify_in_place(char *s, size_t start, size_t end);
/* Decode a JSON string body (between the quotes). 0 or -1 with *why. */
int	 json_unescape(const char *s, size_t len, struct buf *out,
	    const char **why);

#endif

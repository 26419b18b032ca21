/* jsonw.h: a small streaming JSON writer into a buffer: compact NDJSON, or
 * exactly what Python's json.dump(obj, f, indent=2) writes (ascii, indent 2,
 * floats as Python's repr). */
#ifndef HF_JSONW_H
#define HF_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct jw {
	struct buf	*out;
	int		 ascii;		/* \uXXXX for everything from U+007F */
	int		 indent;	/* 0: compact; n: json.dump(indent=n) */
	int		 pending_key;	/* a key was written, its value is next */
	size_t		 depth;
	size_t		 cap;
	char		*level;		/* per level: closing bracket, or its
					 * upper-case twin once not empty */
};

void	jw_init(struct jw *, struct buf *, int ascii, int indent);
void	jw_free(struct jw *);
void	jw_obj(struct jw *);
void	jw_arr(struct jw *);
void	jw_end(struct jw *);
/* For a document formatted in parts by several writers: go on inside an
 * array (arr) or object that another writer opened, without writing its
 * bracket, as if it held members already when filled is set. */
void	jw_resume(struct jw *, int arr, int filled);
/* The current container holds members that another writer wrote. */
void	jw_fill(struct jw *);
void	jw_key(struct jw *, const char *);
/* A key already escaped by jw_escape (no quotes), e.g. one that holds NUL. */
void	jw_key_raw(struct jw *, const char *, size_t);
void	jw_str(struct jw *, const char *, size_t);
void	jw_strz(struct jw *, const char *);	/* NULL writes null */
void	jw_i64(struct jw *, int64_t);
void	jw_bool(struct jw *, int);
/* A double as Python's json.dump writes a float: repr (100.0, 67.4, 1e-05,
 * 1e+16, -0.0), and NaN, Infinity, -Infinity (in pyfloat.c). */
void	jw_f64(struct jw *, double);
void	jw_null(struct jw *);
/* Already valid JSON text (a span of validated input), written as is. */
void	jw_raw(struct jw *, const char *, size_t);

/* Append s as a JSON string body (no quotes): '"' and '\' backslashed,
 * \b \f \n \r \t short, other bytes below 0x20 as \u00XX; with ascii,
 * UTF-8 from U+007F up as lowercase \uXXXX (surrogate pairs above
 * U+FFFF). Input must be valid UTF-8 when ascii is set: -1 if not. */
int	jw_escape(struct buf *, const char *, size_t, int ascii);

/* Append a validated JSON string body (no quotes, escapes as written) as
 * Python's json.dumps(ensure_ascii=True) writes the string it decodes to:
 * code unit by code unit, so a lone surrogate escape stays one. -1 on an
 * invalid escape or invalid UTF-8. */
int	jw_reescape(struct buf *, const char *, size_t);

#endif

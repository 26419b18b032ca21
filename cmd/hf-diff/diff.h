/* diff.h: what hf-diff's units share. load.c reads a registry directory
 * (or the texts of its two files) into a struct reg; changes.c compares
 * two of them into a struct diff; value.c compares values as Python
 * does; ndjson.c prints the change records, summary.c the one-line
 * summary, markdown.c and mdtext.c the pull-request body; main.c parses
 * the arguments. */
#ifndef HF_DIFF_H
#define HF_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "pyjson.h"
#include "strmap.h"

#define DIFF_SUPPORTED_FILE	"supported_models.json"
#define DIFF_GAPS_FILE		"architecture_gaps.json"

#define DIFF_NONE	((size_t)-1)

/* A string of reg's str buffer: an offset, as the buffer grows. */
struct str {
	size_t	 off, len;
};

/* The counts of section 4, recomputed from the lists. */
struct totals {
	int64_t	 models;	/* entries of "models" */
	int64_t	 architectures;	/* distinct architecture_id of entries */
	int64_t	 verified;	/* entries whose status == 1 */
	int64_t	 gap_archs;	/* entries of "gaps" */
	int64_t	 gap_models;	/* the sum of their integer total_models */
};

/* The first entry of a model id in supported_models.json. */
struct entry {
	struct str	 id;		/* the id, decoded */
	struct str	 arch;		/* arch_key of its architecture_id */
	int		 obj;		/* tokens of sup: the entry, */
	int		 id_tok;	/* its model_id, architecture_id, */
	int		 arch_tok;	/* status and */
	int		 status;	/* metadata.downloads, or -1 */
	int		 downloads;
	double		 dl;		/* downloads as a number, for sorting */
	int		 has_dl;	/* 0: not a number */
};

/* The first gap of an architecture in architecture_gaps.json. */
struct gap {
	struct str	 arch;
	int		 arch_tok;	/* tokens of gap, or -1 */
	int		 score;
	int		 models;
	int64_t		 rank;		/* 1-based place in "gaps" */
};

struct reg {
	char		*name[2];	/* the two files, for messages */
	struct pyjson	 sup, gap;
	struct buf	 str;		/* decoded ids and architecture keys */
	struct entry	*e;
	size_t		 ne, ecap;
	struct strmap	 ids;		/* model id -> index in e */
	struct gap	*g;
	size_t		 ng, gcap;
	struct strmap	 garch;		/* gap architecture -> index in g */
	struct strmap	 archs;		/* architectures of e -> entries */
	struct totals	 t;
	int64_t		 repeated;	/* later entries of an id, left out */
	int64_t		 unnamed;	/* entries without a string model_id */
	int64_t		 grepeated;	/* later gaps of an architecture */
	int		 list[2];	/* the models and gaps arrays, or -1 */
};

/* load.c */
/* Read OLD/supported_models.json and OLD/architecture_gaps.json (a
 * missing file is empty, a missing directory an error), and NEW's, both
 * at once: 0, or -1 with the file named on stderr. */
int	reg_load(struct reg *old, const char *dold, struct reg *new,
	    const char *dnew);
/* The same from their texts (NULL: the file is missing); name is the
 * directory for messages. */
int	reg_take(struct reg *, const char *name, const char *sup, size_t,
	    const char *gaps, size_t);
/* "N repeated model ids ...": what was left out by design, on stderr. */
void	reg_report(const struct reg *);
void	reg_free(struct reg *);
const char *reg_s(const struct reg *, struct str);

/* The kinds of change, in the order they are printed. */
enum change_kind {
	CH_MODEL_ADDED,
	CH_MODEL_REMOVED,
	CH_MODEL_CHANGED,
	CH_ARCH_ADDED,
	CH_GAP_ADDED,
	CH_GAP_REMOVED,
	CH_GAP_MOVED,
	CH_NKINDS,
};

/* One change: model_added: a (new entry); model_removed: a (old entry);
 * model_changed: a (old), b (new); architecture_added: a (new entry of
 * that architecture), n its entries; gap_added: b (new gap);
 * gap_removed: a (old gap), n 1 if now supported; gap_moved: a, b. */
struct change {
	size_t		 a, b;
	int64_t		 n;
};

struct changes {
	struct change	*c;
	size_t		 n, cap;
};

/* A field of model_changed: its name and its tokens (-1: absent). */
struct field {
	const char	*name;
	size_t		 off, len;	/* the name in names, until done */
	int		 o, n;
	int		 side;		/* while sorting: 0 old, 1 new */
	int		 pos;
};

struct diff {
	const struct reg	*old, *new;
	struct changes		 k[CH_NKINDS];
	struct field		*f;		/* diff_fields' list */
	size_t			 nf, fcap;
	struct buf		 names;		/* its phase*_score names */
};

/* changes.c: every change of old -> new, each kind sorted by
 * architecture, then id, in byte order. */
void	diff_compute(struct diff *, const struct reg *old,
	    const struct reg *new);
/* The fields of model_changed c that differ, into d->f: their number. */
size_t	diff_fields(struct diff *, const struct change *c);
const struct entry *diff_entry(const struct reg *, size_t);
void	diff_free(struct diff *);

/* value.c: Python's == on two values (tokens of two texts; -1 is an
 * absent key, which .get() reads as None), except that NaN equals NaN
 * so that a file equals itself. */
int	py_equal(const struct pyjson *, int, const struct pyjson *, int);
/* Whether value i == 1 as Python compares (1, 1.0, true). */
int	py_is_one(const struct pyjson *, int);

/* ndjson.c: the change records into out. */
void	diff_ndjson(const struct diff *, struct buf *out);
/* summary.c: one plain line for a log. */
void	diff_summary(const struct diff *, struct buf *out);

/* markdown.c: the pull-request body into out, listing at most top
 * models an architecture; under MD_LIMIT bytes, whatever the data. */
#define MD_LIMIT	60000
void	diff_markdown(struct diff *, int64_t top, struct buf *out);

/* What markdown.c and mdlists.c share: the body being written, the
 * end of the section's share of MD_LIMIT, and the row at hand. */
struct md {
	struct diff		*d;
	int64_t			 top;
	struct buf		*out;
	size_t			 limit;
	struct buf		 row;
};

/* markdown.c */
/* A heading "### title (n)" and the section's share of the budget. */
void	md_section(struct md *, const char *title, int64_t n, size_t share);
/* A table's header: the cells, "|"-separated, each aligned left unless
 * it starts with '>' (right). */
void	md_table(struct md *, const char *const cells[], int n);
/* Start m->row; add cells to it; put it in the body if it fits the
 * section's share: 1, else 0 (and the caller stops listing). */
void	md_row(struct md *);
void	md_cell(struct md *, const char *);
void	md_cell_int(struct md *, int64_t);
int	md_put_row(struct md *);
/* "and N more WHAT" after a list cut by --top or by the budget. */
void	md_more(struct md *, int64_t, const char *what, int budget);

/* mdlists.c: the sections after the new models. */
void	md_gaps_supported(struct md *);
void	md_gap_moves(struct md *);
void	md_verification(struct md *);

/* mdtext.c: Markdown text that data cannot break out of. */
#define MD_NAME_MAX	100	/* code points shown of a name */
/* s[0..len) as inline text: markup characters escaped, control
 * characters and invalid UTF-8 replaced, cut at MD_NAME_MAX code
 * points with an ellipsis. */
void	md_escape(struct buf *, const char *, size_t);
/* A value (token i of p, -1: absent) as its JSON text, escaped. */
void	md_value(struct buf *, const struct pyjson *, int);
/* An architecture key as text: the name, or the JSON text of a value
 * that is not a string. */
void	md_arch(struct buf *, const struct reg *, struct str);
/* v with thousands separators; md_delta with its sign. */
void	md_int(struct buf *, int64_t);
void	md_delta(struct buf *, int64_t);

#endif

/* merge.h: what hf-merge's units share. main.c parses the arguments and
 * runs the steps; input.c takes the input lines; existing.c reads the
 * file already in the directory; supported.c and gaps.c format the two
 * files; merge.c holds what the steps share: the directory, the
 * streamed write, the head of both files, the history placeholder, the
 * summary. */
#ifndef HF_MERGE_H
#define HF_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "atomic.h"
#include "buf.h"
#include "jsonw.h"
#include "ndjson.h"
#include "pyjson.h"
#include "strmap.h"

#define MERGE_SUPPORTED_FILE	"supported_models.json"
#define MERGE_GAPS_FILE		"architecture_gaps.json"
#define MERGE_HISTORY_FILE	"verification_history.json"
enum merge_mode { MODE_SUPPORTED, MODE_GAPS, MODE_SUMMARY, MODE_IDS };

/* The integers of a record, in struct input's num; a gap's
 * total_models in the first. */
enum { INPUT_DOWNLOADS, INPUT_LIKES, INPUT_PARAMS, INPUT_NNUMS };
#define INPUT_MODELS	INPUT_DOWNLOADS

/*
 * An accepted input line. gaps: the line itself, then its canonical
 * architecture_id and total_models. supported: what its new entry
 * needs, taken when the line is parsed so that it is not parsed again:
 * the canonical id and architecture (what pyjson_dump writes for them,
 * each between quotes kept in text), last_modified as the record has it
 * (converted when written), the text of its tags array and the three
 * integers. The strings are one piece of m->store, text, one after the
 * other (so only their lengths are kept, and the input_* functions find
 * them): a copy of m->in shares them (the fuzz harness merges twice with
 * the same lines).
 *   gaps:      the line (len bytes), NUL, the id, NUL
 *   supported: '"', the id, '""', the architecture, '"', last_modified,
 *              the tags (len 0)
 */
struct input {
	char		*text;
	size_t		 len;		/* gaps: the line, at text */
	size_t		 idlen, archlen;
	size_t		 modlen;	/* last_modified, unescaped */
	size_t		 tagslen;	/* 0: not an array */
	int64_t		 num[INPUT_NNUMS];
	char		 has_num[INPUT_NNUMS];	/* 0: null */
	char		 has_modified;	/* 0: not a string */
};

static inline const char *
input_id(const struct input *l)
{
	return l->text + l->len + 1;
}

static inline const char *
input_arch(const struct input *l)
{
	return input_id(l) + l->idlen + 2;
}

static inline const char *
input_modified(const struct input *l)
{
	return input_arch(l) + l->archlen + 1;
}

static inline const char *
input_tags(const struct input *l)
{
	return input_modified(l) + l->modlen;
}

/* Where the texts of struct input are kept (store.c): in large blocks,
 * freed together. */
struct store_block;
struct store {
	struct store_block *head;	/* the block being filled, first */
	char		*at, *end;	/* its free room */
};

/* A table of ids kept elsewhere, found by their text (idtab.c): key
 * gives the id of index i and its length. */
struct idtab {
	uint64_t	*slot;		/* 0: empty; else 32 bits of the id's
					 * hash above its index plus one */
	size_t		 cap, n;	/* cap: a power of two, or 0 */
	const char	*(*key)(const void *arg, size_t i, size_t *len);
	const void	*arg;
	/* the last id looked up, for idtab_add */
	const char	*id;
	size_t		 len, at;
	uint32_t	 hash;
};

/* What --stats FD reports: the counts the formatters make. */
struct merge_stats {
	int64_t		 before;	/* the file's entries before */
	int64_t		 added;		/* new entries */
	int64_t		 total, narch, nverified;
	size_t		*upto;		/* m->nin after each operand */
	int64_t		*from;		/* new entries of each operand */
	size_t		 nops;
	int		 history_made;	/* the placeholder history created */
};

struct merge {
	enum merge_mode	 mode;
	char		*dir;
	char		*path;		/* DIR/supported_models.json or gaps */
	char		 date[11];	/* --date, else today's: YYYY-MM-DD */
	struct pyjson	 scan;		/* --scan-info, or built from the */
	int		 has_scan;	/* --scanned group */
	int		 keep_scan;	/* --keep-scan-info */
	/* The --scanned group: -1 (NULL, 0) when not given. */
	int64_t		 scanned, min_downloads;
	struct buf	 tasks;		/* joined by ',' */
	int		 ntasks;
	const char	*duration;
	const char	*scan_from;	/* --scan-from */
	struct buf	 scan_line;	/* its line: scanned, then duration */
	int		 no_metadata;
	int		 no_lock;	/* the caller holds DIR's lock */
	int		 stats_fd;	/* --stats, or -1 */
	int		 summary_fd;	/* --summary, or -1 */
	struct buf	 summary;	/* its text, written once the file is */
	int		 read_only;	/* summary, ids: a file not replaced */
	struct merge_stats st;
	struct pyjson	 doc;		/* the existing file */
	int		 has_doc;
	int		 models;	/* the doc's models and scan_info */
	int		 scan_info;	/* (-1: none), found in one pass */
	struct pyjson	 rec;		/* one input line */
	struct input	*in;		/* accepted input lines */
	struct store	 store;		/* their texts */
	size_t		 nin, capin;
	struct idtab	 ids;		/* in by id (gaps: architecture) */
	/* The line at hand, kept between lines for their allocations. */
	struct buf	 id;		/* its id (gaps: architecture_id),
					 * escaped as pyjson_dump would */
	struct buf	 arch;		/* its architecture, escaped */
	struct buf	 modified;	/* its last_modified, unescaped */
	/* left out by design, for the summary line */
	int64_t		 unsupported, repeated, present, file_dups;
};

/*
 * Where a formatter's text goes. It formats into buf and hands buf's
 * bytes to put once they are MERGE_SPILL or more, and at the end: a
 * registry file is never held whole. hf-merge puts them into the
 * temporary file it renames over the old one. A piece that small stays
 * in the cache and its few pages are faulted in once; more writes cost
 * less than a larger buffer's first touch.
 */
#define MERGE_SPILL	(1 << 17)

struct merge_out {
	struct buf	 buf;
	void		(*put)(void *arg, const char *, size_t);
	void		*arg;
};

/* store.c: n bytes of s, which stay where they are until store_free. */
char	*store_alloc(struct store *s, size_t n);
void	 store_free(struct store *s);
/* A zeroed array of at least *size bytes (*size: how many), with the
 * oldsize bytes of old (from store_array too, then freed; NULL if
 * oldsize is 0) at its start. store_array_free takes the size asked. */
void	*store_array(void *old, size_t oldsize, size_t *size);
void	 store_array_free(void *, size_t size);

/* idtab.c: the index plus one of the id (len bytes) in t, or 0. */
size_t	idtab_find(struct idtab *t, const char *id, size_t len);
/* Add index i for the id idtab_find did not find just before. */
void	idtab_add(struct idtab *t, size_t i);
void	idtab_free(struct idtab *t);

/* input.c: nd_each's functions for supported and for gaps. Each keeps
 * the line in m->in or counts why not; HF_EXIT_OK or the skip status. */
int	input_record(struct nd_line *, void *m);
int	input_gap(struct nd_line *, void *m);
/* The escaped text of string token i of p into b (reset): the one form
 * Python's equal strings share. -1 if it is not a string. */
int	input_canon(struct buf *b, const struct pyjson *p, int i);

/* existing.c: the file at m->path into m->doc, if there is one: 0, or
 * -1 (warned) if it cannot be read or is not a registry file this tool
 * can merge into. */
int	existing_load(struct merge *);
/* The same for the file's text, already read. */
int	existing_take(struct merge *, const char *text, size_t len);

/* supported.c, gaps.c: the file as it is to be written, into out. */
void	supported_format(struct merge *, struct merge_out *out);

/* chunks.c: format items [0, n) into out in chunks, the odd ones by a
 * second thread (helper 1, else 0: each has its own scratch), the text
 * the same as one thread's. */
struct chunks {
	size_t	 n;
	void	(*format)(void *arg, size_t from, size_t to, struct buf *,
		    int helper);
	void	*arg;
};
void	chunks_run(const struct chunks *, struct merge_out *out);
void	gaps_format(struct merge *, struct merge_out *out);

/* report.c: hf-merge summary and hf-merge ids, on stdout: an hf_exit
 * status. The pieces of the summary are shared with --summary, which
 * supported.c and gaps.c make from what they write, so that the summary
 * is the same whichever way it is made. */
#define REPORT_TOP_GAPS	20	/* the summary lists this many, as the
				 * reference does */
/* SUPPORTED ARCHITECTURES: narch, then the architectures of counts (keys
 * escaped as in the file, values their entries), more first. */
void	report_archs(struct buf *, int64_t narch, const struct strmap *);
/* TOP 20 UNSUPPORTED ARCHITECTURES: the heading for n gaps; the line of
 * gap e of d; the line for the gaps after the 20th, rest their models. */
void	report_gaps_head(struct buf *, int n);
void	report_gap(struct buf *, const struct pyjson *d, int e);
void	report_gaps_rest(struct buf *, int n, int64_t rest);
/* Member key of object obj as a 64-bit integer, else 0. */
int64_t	report_i64(const struct pyjson *, int obj, const char *key);
int	report_summary(struct merge *);
int	report_ids(struct merge *);
/* Their text, from m's file and g's (the gaps file), read already. */
void	report_summary_text(struct buf *, const struct merge *m,
	    const struct merge *g);
void	report_ids_text(struct buf *, const struct merge *m);

/* merge.c */
/* Create m->dir, take its lock (unless --no-lock) and clear what killed writers left: 0,
 * or -1 (warned). */
int	merge_open_dir(const struct merge *);
/* generated_at and scan_info: --scan-info, else the file's, else null. */
void	merge_head(struct jw *, const struct merge *);
/* Hand out's text to out->put if there is at_least of it. */
void	merge_spill(struct merge_out *, size_t at_least);
/* Format m->path's new text with format into a temporary file (a,
 * opened), flushed to disk: 0, or -1 (warned) with nothing written. */
int	merge_write(struct merge *,
	    void (*format)(struct merge *, struct merge_out *),
	    struct atomic *a);
/* Then rename it over m->path: 0; -1 (warned) with m->path as it was;
 * or 1 (warned, "replaced, but ...") when the rename was done but the
 * directory's fsync failed: the new file is in place, not yet durable. */
int	merge_replace(const struct merge *, struct atomic *a);
/* The reference's placeholder history file, when there is none, written
 * between the two, so that its failure leaves every file as it was: 0,
 * with *made the path of the file created (to be freed; NULL if there
 * was one already), to be removed if m->path then cannot be replaced;
 * or -1 (warned, with "m->path: not written"). */
int	merge_history(const struct merge *, char **made);
/* The design drops, in one line on stderr. */
void	merge_summary(const struct merge *);
/* --stats: m->st in one write to m->stats_fd: 0, or -1 (warned). */
int	merge_stats(const struct merge *, char *argv[]);
void	merge_free(struct merge *);

#endif

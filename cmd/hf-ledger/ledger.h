/* ledger.h: what hf-ledger's units share. main.c parses the arguments;
 * dedupe.c keeps the first record of each id; import.c reads the gaps
 * file the Python tool wrote; update.c merges new records into the
 * ledger; append.c commits a scan's records page by page beside
 * hf-list's state; reclassify.c takes the now supported models out of
 * the ledger; run.c does each mode's files (the lock, the atomic
 * replace, the count file), but append's records file and state, which
 * records.c keeps. */
#ifndef HF_LEDGER_H
#define HF_LEDGER_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "registry.h"
#include "strmap.h"

enum ledger_mode {
	LEDGER_DEDUPE, LEDGER_IMPORT, LEDGER_UPDATE, LEDGER_APPEND,
	LEDGER_RECLASSIFY,
};

/* The command line, as main.c parsed it. */
struct ledger_args {
	enum ledger_mode	 mode;
	const char		*count;		/* --count */
	const char		*ledger;	/* -l */
	const char		*output;	/* -o: the ledger's new path */
	const char		*import;	/* --import */
	const char		*supported;	/* --supported */
	const char		*state;		/* --state */
	const char		*registry;	/* --registry */
	const char		*arch;		/* --architecture */
	int64_t			 stats;		/* --stats, -1: none */
	int			 no_lock;	/* --no-lock */
	int			 tee;		/* --tee */
	int			 argc;		/* operands after the mode */
	char			**argv;
};

/* dedupe.c: nd_each's function; prints each id's first record to
 * stdout. */
struct dedupe {
	struct json	 j;
	struct buf	 id;
	struct strmap	 seen;
	int64_t		 records;	/* lines that are records */
	int64_t		 kept;
};
int	dedupe_line(struct nd_line *, void *dedupe);
void	dedupe_free(struct dedupe *);

/* import.c: the elements of the "gaps" list of text, a gaps file as
 * json.load reads it (path names it in messages), each one line of out,
 * minified, NaN and infinities as null; *n their number. 0, or -1 when
 * the file is refused (warned): then out is as it was. */
int	import_take(const char *path, const char *text, size_t len,
	    struct buf *out, int64_t *n);
/* The same for the file at path. */
int	import_load(const char *path, struct buf *out, int64_t *n);

/*
 * update.c: the ledger's merge. The new records are read first
 * (update_new): a supported one is written to supported as it comes, one
 * without an architecture is counted, any other is kept, by id, the
 * last of an id winning. Then each line of the old ledger (update_old)
 * is written through put, or in its place the kept record of its id;
 * then update_rest writes the kept records no old line named, in the
 * order their ids first came. A gap entry of an old ledger (a line with
 * "architecture_id") is its own key. The kept records wait in a
 * temporary file, removed at once, in TMPDIR (else /tmp): at Hub scale,
 * fresh memory for them costs more than the file's pages. A failure of
 * that file is reported (HF_EXIT_FATAL) by update_new, update_old or
 * update_rest.
 */
struct update_rec {
	size_t		 off, len;	/* the line in text, a newline after it */
	int		 placed;	/* written in an old line's place */
};

struct update {
	FILE		*supported;	/* NULL: supported records dropped */
	void		(*put)(void *arg, const char *, size_t);
	void		*arg;
	struct json	 j;
	struct pyjson	 py;		/* an old line with NaN or Infinity */
	struct buf	 key;
	/* With direct (no old ledger, nothing imported), the kept records'
	 * lines go to put as they come: while no model comes twice they
	 * are the new ledger in its order; else that file becomes the
	 * scratch (update_map) and the ledger is written again. */
	int		 direct;
	int		 repeated;	/* direct: a model came twice */
	FILE		*scratch;	/* the kept records' lines */
	char		*scratch_path;	/* its name, for messages */
	size_t		 stored;	/* bytes written to it */
	char		*text;		/* it mapped, once an old line or
					 * update_rest needs it */
	struct update_rec *rec;
	size_t		 nrec, caprec;
	struct strmap	 keys;		/* the keys of new records and old
					 * lines: their record, whether an old
					 * line had them (update.c) */
	int64_t		 records, no_arch, old_repeated;
	int		 write_error;	/* supported could not be written */
};
int	update_new(struct nd_line *, void *update);
int	update_old(struct nd_line *, void *update);
/* Each line of text (import_take's output) as an old line. */
int	update_old_text(struct update *, const char *, size_t);
int	update_rest(struct update *);
/* direct, once a model came twice: fd holds every kept line (put so
 * far), which update_rest reads from now on: 0, or -1 warned. */
int	update_map(struct update *, int fd, const char *path);
void	update_free(struct update *);

/*
 * append.c: a scan's record lines and hf-list's mark lines, one line at
 * a time (append_line). Records are held until the next mark; at a mark
 * they are handed to flush (which may take page's bytes, leaving it a
 * buffer to reuse, and appends them to the records file and
 * sets *size to its new size: 0, or -1 reported), then the state the
 * mark carries, with "records_bytes" first, to save (0, or -1
 * reported). A mark that is not {"hf_list_state":OBJECT} is skipped.
 */
#define APPEND_MARK	"{\"hf_list_state\":"
struct append {
	int		(*flush)(void *arg, struct buf *page, int64_t *size);
	int		(*save)(void *arg, const char *, size_t);
	void		*arg;
	struct json	 j;
	struct buf	 page;		/* the records since the last mark */
	struct buf	 state;		/* the state being saved */
	int64_t		 pending;	/* records in page */
	int64_t		 appended, marks;
};
int	append_line(struct nd_line *, void *append);
void	append_free(struct append *);

/*
 * reclassify.c: each ledger line (reclassify_line) is kept (put), or,
 * when its architecture is now supported (and is only, when given), a
 * model's record is written to supported as hf-classify prints a
 * supported record, and an imported gap entry is dropped; each moved
 * or dropped line is counted under its architecture.
 */
struct reclassify {
	const struct registry *reg;
	const char	*only;		/* --architecture, or NULL */
	FILE		*supported;
	void		(*put)(void *arg, const char *, size_t);
	void		*arg;
	struct json	 j;
	struct pyjson	 py;
	struct buf	 arch, author, out;
	struct strmap	 archs;		/* architecture: index in count */
	int64_t		(*count)[2];	/* moved, dropped */
	size_t		 ncount, capcount;
	int64_t		 moved, dropped;
	int		 write_error;	/* supported could not be written */
};
int	reclassify_line(struct nd_line *, void *reclassify);
/* The --stats lines into out. */
void	reclassify_stats(const struct reclassify *, struct buf *out);
void	reclassify_free(struct reclassify *);

/* run.c: the modes but append, with their files: an hf_exit status. */
int	run_dedupe(const struct ledger_args *);
int	run_import(const struct ledger_args *);
int	run_update(const struct ledger_args *);
int	run_reclassify(const struct ledger_args *);
/* Whether --stats names an open descriptor: 0, or -1 warned (before any
 * work, so that a wrong descriptor costs nothing). */
int	stats_open(const struct ledger_args *);
/* The --stats lines, if asked for: 0, or -1 warned. */
int	write_stats(const struct ledger_args *, const struct buf *);

/* records.c: append with its records file and state: an hf_exit status. */
int	run_append(const struct ledger_args *);

#endif

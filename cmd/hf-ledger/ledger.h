/* ledger.h: what hf-ledger's units share. main.c parses the arguments;
 * dedupe.c keeps the first record of each id; import.c reads the gaps
 * file the Python tool wrote; update.c merges new records into the
 * ledger; run.c does each mode's files (the lock, the atomic replace,
 * the count file). */
#ifndef HF_LEDGER_H
#define HF_LEDGER_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "json.h"
#include "ndjson.h"
#include "pyjson.h"
#include "strmap.h"

enum ledger_mode { LEDGER_DEDUPE, LEDGER_IMPORT, LEDGER_UPDATE };

/* The command line, as main.c parsed it. */
struct ledger_args {
	enum ledger_mode	 mode;
	const char		*count;		/* --count */
	const char		*ledger;	/* -l */
	const char		*import;	/* --import */
	const char		*supported;	/* --supported */
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
 * "architecture_id") is its own key.
 */
struct update_rec {
	size_t		 off, len;	/* the line in text */
	int		 placed;	/* written in an old line's place */
};

struct update {
	FILE		*supported;	/* NULL: supported records dropped */
	void		(*put)(void *arg, const char *, size_t);
	void		*arg;
	struct json	 j;
	struct pyjson	 py;		/* an old line with NaN or Infinity */
	struct buf	 key;
	struct buf	 text;		/* the kept records' lines */
	struct update_rec *rec;
	size_t		 nrec, caprec;
	struct strmap	 ids;		/* id: index in rec */
	struct strmap	 old;		/* the old lines' keys */
	int64_t		 records, no_arch, old_repeated;
	int		 write_error;	/* supported could not be written */
};
int	update_new(struct nd_line *, void *update);
int	update_old(struct nd_line *, void *update);
/* Each line of text (import_take's output) as an old line. */
int	update_old_text(struct update *, const char *, size_t);
void	update_rest(struct update *);
void	update_free(struct update *);

/* run.c: the modes: an hf_exit status. */
int	run_dedupe(const struct ledger_args *);
int	run_import(const struct ledger_args *);
int	run_update(const struct ledger_args *);

#endif

#ifndef AK_REINDEX_H
#define AK_REINDEX_H

#include "store/store.h"
#include "util/err.h"

/* The run directories are the artifacts and the database is their index:
 * this rebuilds the index from each WORKSPACE/ID/run.json. */

typedef struct reindex_report {
	int added;    /* runs the index lacked */
	int updated;  /* runs whose row and stages were rewritten from run.json */
	int dropped;  /* rows whose run directory is gone (only with prune) */
	int skipped;  /* directories without a readable run.json, and runs being driven */
} reindex_report;

/* Reads a run.json's text into the run's row and stages (id is the run
 * directory's name, which wins over what the file says). The parts a
 * run.json lacks come back empty; -1 when it is not a JSON object. */
int reindex_parse_runjson(const char *id, const char *text, size_t len, store_run *r, store_stage st[STAGE_COUNT],
	ak_err *e);

/* Adds the runs the index lacks; with `refresh`, rewrites the rows and
 * stages of every run not being driven from its run.json; with `prune`,
 * drops the rows of runs whose directory is gone. Events and attempts
 * of runs already indexed are kept. */
int reindex_workspace(store *db, int refresh, int prune, reindex_report *rep, ak_err *e);

#endif

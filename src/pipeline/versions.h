#ifndef AK_VERSIONS_H
#define AK_VERSIONS_H

#include <stddef.h>

#include "codegen/blocks.h"
#include "store/store.h"
#include "util/err.h"
#include "util/hash.h"

/* The versions of a run's code: every state of its files that CODE, a
 * repair, a restore or the user's hand produced, kept in the store (with
 * its origin and, once trained, its CV) and as files in
 * code/.versions/N/ (with a version.json saying the same). */

/* The pipeline's files of run_dir as it is now: code/ modules and
 * config.yaml, env/requirements.txt; paths relative to run_dir, in name
 * order. 0, or -1 with e set when a file cannot be read. Free with
 * codegen_blocks_free. */
int versions_read(const char *run_dir, codegen_block **out, size_t *n, ak_err *e);

/* The hash of those files (names and contents) into hex. */
void versions_fingerprint(const codegen_block *b, size_t n, char out[HASH_HEX_LEN + 1]);

/* Records run_dir's code as the next version with origin ("template",
 * "llm", "repair", "hand edit", "restore") unless it is the latest one
 * already; returns the version's number, or -1 with e set. */
int versions_record(store *db, const char *run_id, const char *run_dir, const char *origin, const char *note,
	ak_err *e);

/* The CV score of the latest version (the code just trained). */
int versions_set_cv(store *db, const char *run_id, const char *run_dir, double cv, ak_err *e);

/* The version the code now came from the one before: the newest whose
 * files differ from run_dir's as they are now (so after an edit not yet
 * recorded, the latest). 0 when there is none; *origin (may be NULL) its
 * origin, caller frees. */
int versions_previous(store *db, const char *run_id, const char *run_dir, char **origin);

/* Copies version n's files back over run_dir's code (files it does not
 * have are left alone). -1 with e set when there is no such version. */
int versions_restore(const char *run_dir, int n, ak_err *e);

/* For an index rebuilt from the run directories: records the versions
 * code/.versions/1, 2... hold (origin and CV from their version.json)
 * when the store has none for the run. Returns how many, or -1. */
int versions_reindex(store *db, const char *run_id, const char *run_dir, ak_err *e);

/* code/.versions/N, caller frees. */
char *versions_dir(const char *run_dir, int n);

#endif

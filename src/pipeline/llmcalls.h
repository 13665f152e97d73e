#ifndef AK_LLMCALLS_H
#define AK_LLMCALLS_H

#include "store/store.h"
#include "util/err.h"

/* A run's LLM calls: each one is a row of the index (status and the
 * budget sum them) and a line of logs/llm_calls.jsonl in the run
 * directory, the artifact from which reindex brings the rows back. */

/* Records one call in both places; the file is best effort (a full disk
 * must not lose the row). */
int llmcalls_add(store *db, const char *run_id, const char *run_dir, const store_llm_call *c, ak_err *e);
/* For a run whose index has no calls: adds those of its file. The number
 * added, or -1 with e set. Lines that do not parse are skipped. */
int llmcalls_reindex(store *db, const char *run_id, const char *run_dir, ak_err *e);

#endif

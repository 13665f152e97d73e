#ifndef AK_STAGE_KAGGLE_H
#define AK_STAGE_KAGGLE_H

/* Internal to src/pipeline: META and DATA when the run's source is a
 * competition on Kaggle (run.json's source.kind "kaggle"). */

#include "pipeline/stage.h"

/* The competition's slug, or NULL when the source is a local directory. */
const char *stage_kaggle_slug(const session *s);

void stage_kaggle_meta_fingerprint(session *s, hash_ctx *h);
/* competition.json from the API, by a child. */
int stage_kaggle_meta_start(session *s, ak_err *e);
/* The data into the shared cache (source.path), by a child; then DATA
 * goes on as for a local directory (stage_data_local_start). */
int stage_kaggle_data_start(session *s, ak_err *e);

/* DATA's local part: the files of source.path checked and hashed. */
int stage_data_local_start(session *s, ak_err *e);

#endif

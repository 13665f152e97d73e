#ifndef AK_COMPETITION_H
#define AK_COMPETITION_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "util/err.h"

/* A competition's metadata as Kaggle's fields (title, evaluationMetric,
 * deadline...): what META reads from a local competition.json (and, with
 * the Kaggle client, from the API). It is text from outside, so it is
 * bounded and cleaned on the way in: the file at most
 * COMPETITION_MAX_BYTES, every string of it without control characters or
 * escape sequences, short fields (title, metric...) at most
 * COMPETITION_MAX_FIELD bytes and the rest at most COMPETITION_MAX_TEXT. */

#define COMPETITION_MAX_BYTES (4 << 20)
#define COMPETITION_MAX_FIELD 256
#define COMPETITION_MAX_TEXT (64 << 10)

/* Parses text (not NUL-terminated); NULL with what is wrong in e when it
 * is not a JSON object. `name` says where it came from in messages. */
cJSON *competition_parse(const char *text, size_t len, const char *name, ak_err *e);
/* Reads and parses a competition.json; a file over COMPETITION_MAX_BYTES
 * is refused. */
cJSON *competition_load(const char *path, ak_err *e);
/* The metadata of a local directory without a competition.json: its name
 * as the ref and the title. */
cJSON *competition_from_dir(const char *dir);

#endif

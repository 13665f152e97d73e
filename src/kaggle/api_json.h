#ifndef AK_KAGGLE_API_JSON_H
#define AK_KAGGLE_API_JSON_H

/* Internal to src/kaggle: reading a reply's values within the bounds
 * kaggle/api.h promises. */

#include <cjson/cJSON.h>
#include <stddef.h>
#include <time.h>

#include "util/err.h"

/* The reply as a JSON object, or NULL with ERR_SERVER in e. */
cJSON *kaggle_json_object(const char *body, size_t len, ak_err *e);
/* A string member as sent, "" when absent or not a string. */
const char *kaggle_json_raw(const cJSON *obj, const char *key);
/* A name or prose, cut to max bytes with the cut marked; caller frees. */
char *kaggle_json_text(const cJSON *obj, const char *key, size_t max);
/* A URL or token: whole, or "" when longer than KAGGLE_API_MAX_OPAQUE. */
char *kaggle_json_opaque(const cJSON *obj, const char *key);
/* Whole numbers sent as JSON numbers or proto3-style strings; 0 otherwise. */
long long kaggle_json_int(const cJSON *obj, const char *key);
int kaggle_json_int32(const cJSON *obj, const char *key);
int kaggle_json_bool(const cJSON *obj, const char *key);
/* An ISO-8601 UTC stamp; 0 when absent or unreadable. */
time_t kaggle_json_time(const cJSON *obj, const char *key);

#endif

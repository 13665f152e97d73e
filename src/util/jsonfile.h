#ifndef AK_JSONFILE_H
#define AK_JSONFILE_H

#include <cjson/cJSON.h>

#include "util/err.h"

/* Parses JSON text; the error names `name` and the byte offset, or says
 * the text nests deeper than cJSON reads. */
cJSON *jsonfile_parse(const char *text, size_t len, const char *name, ak_err *e);
/* Parses a JSON file; the error names the file and the byte offset. */
cJSON *jsonfile_load(const char *path, ak_err *e);
/* Writes pretty JSON atomically (0644 unless mode says otherwise). */
int jsonfile_save(const char *path, const cJSON *json, ak_err *e);
/* Lookups that tolerate a missing key or a wrong type. */
const char *json_str(const cJSON *obj, const char *key, const char *dflt);
double json_num(const cJSON *obj, const char *key, double dflt);
/* A whole number in [min, max]; dflt when missing, not a number or out
 * of range (converting an out-of-range double is undefined). */
long long json_int(const cJSON *obj, const char *key, long long min, long long max, long long dflt);
/* Sets obj[key] = item, replacing any previous value; takes item. */
void json_set(cJSON *obj, const char *key, cJSON *item);

#endif

#include "config.h"

#include "util/fs.h"
#include "util/jsonfile.h"

#include <stdlib.h>
#include <string.h>

/* How deeply arrays and objects nest, strings skipped. */
static size_t
jsonfile_depth(const char *text, size_t len)
{
	size_t i, depth = 0, max = 0;
	int in_string = 0;

	for (i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				max = depth;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return max;
}

cJSON *
jsonfile_parse(const char *text, size_t len, const char *name, ak_err *e)
{
	const char *end = NULL;
	cJSON *json = cJSON_ParseWithLengthOpts(text, len, &end, 0);

	if (json)
		return json;
	if (jsonfile_depth(text, len) > CJSON_NESTING_LIMIT)
		err_set(e, "%s nests arrays and objects more than %d levels deep, which autokaggle does not read: "
			"flatten it", name, CJSON_NESTING_LIMIT);
	else
		err_set(e, "%s is not valid JSON (near byte %ld): fix or remove the file", name,
			end ? (long)(end - text) : 0L);
	return NULL;
}

cJSON *
jsonfile_load(const char *path, ak_err *e)
{
	size_t len;
	char *text = fs_read_file(path, &len, e);
	cJSON *json;

	if (!text)
		return NULL;
	json = jsonfile_parse(text, len, path, e);
	free(text);
	return json;
}

int
jsonfile_save(const char *path, const cJSON *json, ak_err *e)
{
	char *text = cJSON_Print(json);
	size_t len;
	int rc;

	if (!text)
		return err_set(e, "cannot serialise JSON for %s", path);
	len = strlen(text);
	text[len] = '\n';
	rc = fs_write_atomic(path, text, len + 1, 0644, e);
	free(text);
	return rc;
}

const char *
json_str(const cJSON *obj, const char *key, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : dflt;
}

double
json_num(const cJSON *obj, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

long long
json_int(const cJSON *obj, const char *key, long long min, long long max, long long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)min && v->valuedouble <= (double)max))
		return dflt;
	return (long long)v->valuedouble;
}

void
json_set(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, item);
}

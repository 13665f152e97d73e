#include "config.h"

#include "util/fs.h"
#include "util/jsonfile.h"

#include <stdlib.h>
#include <string.h>

cJSON *
jsonfile_load(const char *path, ak_err *e)
{
	size_t len;
	char *text = fs_read_file(path, &len, e);
	const char *end = NULL;
	cJSON *json;

	if (!text)
		return NULL;
	json = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!json)
		err_set(e, "%s is not valid JSON (near byte %ld): fix or remove the file",
			path, end ? (long)(end - text) : 0L);
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

void
json_set(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, item);
}

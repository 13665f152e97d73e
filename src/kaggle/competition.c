#include "config.h"

#include "kaggle/competition.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Fields that are prose and keep their line breaks. */
static const char *const competition_prose[] = { "description", "evaluationDescription", "rules" };

static int
competition_is_prose(const char *key)
{
	size_t i;

	for (i = 0; key && i < sizeof(competition_prose) / sizeof(competition_prose[0]); i++)
		if (strcmp(key, competition_prose[i]) == 0)
			return 1;
	return 0;
}

static void
competition_clean(cJSON *item, int prose, size_t max)
{
	cJSON *child;

	if (cJSON_IsString(item) && item->valuestring) {
		char *safe = termsafe(item->valuestring, prose ? TERMSAFE_TEXT : TERMSAFE_LINE);

		termsafe_cut(safe, max);
		cJSON_SetValuestring(item, safe);
		free(safe);
		return;
	}
	cJSON_ArrayForEach(child, item)
		competition_clean(child, prose || competition_is_prose(child->string), max);
}

cJSON *
competition_parse(const char *text, size_t len, const char *name, ak_err *e)
{
	cJSON *comp, *field;

	if (len > COMPETITION_MAX_BYTES) {
		err_set(e, "%s is %.1f MB: Kaggle's competition fields take a few KB; remove what is not metadata",
			name, (double)len / 1e6);
		return NULL;
	}
	comp = jsonfile_parse(text, len, name, e);
	if (!comp)
		return NULL;
	if (!cJSON_IsObject(comp)) {
		cJSON_Delete(comp);
		err_set(e, "%s must hold a JSON object with Kaggle's competition fields", name);
		return NULL;
	}
	cJSON_ArrayForEach(field, comp)
		competition_clean(field, competition_is_prose(field->string),
			competition_is_prose(field->string) || cJSON_IsArray(field) || cJSON_IsObject(field)
				? COMPETITION_MAX_TEXT : COMPETITION_MAX_FIELD);
	return comp;
}

cJSON *
competition_load(const char *path, ak_err *e)
{
	struct stat st;
	size_t len;
	char *text;
	cJSON *comp;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > COMPETITION_MAX_BYTES)
		return competition_parse(NULL, (size_t)st.st_size, path, e);
	text = fs_read_file(path, &len, e);
	if (!text)
		return NULL;
	comp = competition_parse(text, len, path, e);
	free(text);
	return comp;
}

cJSON *
competition_from_dir(const char *dir)
{
	const char *base = strrchr(dir, '/');
	cJSON *comp = cJSON_CreateObject(), *field;

	base = base && base[1] ? base + 1 : dir;
	cJSON_AddStringToObject(comp, "ref", base);
	cJSON_AddStringToObject(comp, "title", base);
	cJSON_ArrayForEach(field, comp)
		competition_clean(field, 0, COMPETITION_MAX_FIELD);
	return comp;
}

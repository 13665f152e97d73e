/* libFuzzer target for competition.json as META reads it: whatever the
 * bytes, the parse either fails with a message or gives an object whose
 * strings are bounded and hold nothing a terminal would obey. Built and
 * run by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kaggle/competition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_strings(const cJSON *item, int depth)
{
	const cJSON *child;
	const unsigned char *p;

	if (cJSON_IsString(item)) {
		if (strlen(item->valuestring) > (depth <= 1 ? COMPETITION_MAX_TEXT : COMPETITION_MAX_TEXT))
			abort();
		for (p = (const unsigned char *)item->valuestring; *p; p++)
			if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
				abort();
		if (strstr(item->valuestring, "\xc2\x9b"))
			abort();
	}
	cJSON_ArrayForEach(child, item)
		check_strings(child, depth + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ak_err e;
	cJSON *comp = competition_parse((const char *)data, size, "competition.json", &e);
	const cJSON *title;

	if (!comp) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	if (!cJSON_IsObject(comp))
		abort();
	title = cJSON_GetObjectItemCaseSensitive(comp, "title");
	if (cJSON_IsString(title) && (strlen(title->valuestring) > COMPETITION_MAX_FIELD ||
				       strchr(title->valuestring, '\n')))
		abort();
	check_strings(comp, 0);
	cJSON_Delete(comp);
	return 0;
}

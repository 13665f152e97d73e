#include "config.h"

#include "kaggle/api.h"
#include "kaggle/api_json.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Reading the API's replies: each value bounded as kaggle/api.h says. */

/* The reply as a JSON object, or NULL with ERR_SERVER in e. */
cJSON *
kaggle_json_object(const char *body, size_t len, ak_err *e)
{
	cJSON *root = NULL;

	if (body && len <= KAGGLE_API_MAX_REPLY)
		root = cJSON_ParseWithLength(body, len);
	if (cJSON_IsObject(root))
		return root;
	cJSON_Delete(root);
	err_kind_set(e, ERR_SERVER, "Kaggle sent a reply autokaggle cannot read (truncated or not JSON)");
	return NULL;
}

const char *
kaggle_json_raw(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

/* A name or prose: cut to max with the cut marked. */
char *
kaggle_json_text(const cJSON *obj, const char *key, size_t max)
{
	const char *raw = kaggle_json_raw(obj, key);
	char *s = xstrndup(raw, strnlen(raw, max + 1));

	termsafe_cut(s, max);
	return s;
}

/* A URL or token: whole or not at all. */
char *
kaggle_json_opaque(const cJSON *obj, const char *key)
{
	const char *raw = kaggle_json_raw(obj, key);

	return xstrdup(strnlen(raw, KAGGLE_API_MAX_OPAQUE + 1) <= KAGGLE_API_MAX_OPAQUE ? raw : "");
}

/* A whole number sent as a JSON number or, proto3-style, as a string. */
long long
kaggle_json_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d = 0;
	char *end;

	if (cJSON_IsNumber(v))
		d = v->valuedouble;
	else if (cJSON_IsString(v) && v->valuestring && *v->valuestring) {
		d = strtod(v->valuestring, &end);
		if (*end)
			return 0;
	}
	/* converting a double out of range is undefined */
	if (!(d >= -9.2e18 && d <= 9.2e18))
		return 0;
	return (long long)d;
}

int
kaggle_json_int32(const cJSON *obj, const char *key)
{
	long long v = kaggle_json_int(obj, key);

	return v >= -2147483647LL && v <= 2147483647LL ? (int)v : 0;
}

int
kaggle_json_bool(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsString(v) && v->valuestring)
		return strcasecmp(v->valuestring, "true") == 0;
	return cJSON_IsNumber(v) && v->valuedouble != 0;
}

/* An ISO-8601 UTC stamp with any fractional digits ("2025-07-01T10:00:00.123456Z");
 * 0 when absent or unreadable. */
time_t
kaggle_json_time(const cJSON *obj, const char *key)
{
	const char *s = kaggle_json_raw(obj, key), *end;
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return 0;
	if (*end == '.')
		end += 1 + strspn(end + 1, "0123456789");
	if (*end == 'Z' || *end == 'z')
		end++;
	return *end ? 0 : timegm(&tm);
}

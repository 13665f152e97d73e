#include "config.h"

#include "kaggle/api.h"
#include "kaggle/api_json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* The kernels service's replies (spec §3.9–3.11). */

static const char *const api_kernel_statuses[] = {
#define API_KERNEL_STATUS_NAME(s) #s,
	KAGGLE_KERNEL_STATUSES(API_KERNEL_STATUS_NAME)
#undef API_KERNEL_STATUS_NAME
};
#define API_KERNEL_NSTATUS ((int)(sizeof(api_kernel_statuses) / sizeof(api_kernel_statuses[0])))

const char *
kaggle_api_kernel_status_name(kaggle_kernel_status s)
{
	return (int)s >= 0 && (int)s < API_KERNEL_NSTATUS ? api_kernel_statuses[s] : "UNKNOWN";
}

int
kaggle_api_kernel_status_final(kaggle_kernel_status s)
{
	return s == KAGGLE_KERNEL_COMPLETE || s == KAGGLE_KERNEL_ERROR || s == KAGGLE_KERNEL_CANCEL_ACKNOWLEDGED;
}

/* The names of one invalid*Sources list, each as "kind: name". */
static void
api_invalid_sources(const cJSON *root, const char *key, const char *kind, char ***out, size_t *n)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, key), *v;

	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(v, list) {
		char *name;

		if (!cJSON_IsString(v) || *n >= KAGGLE_API_MAX_ITEMS)
			continue;
		name = xstrndup(v->valuestring, strnlen(v->valuestring, KAGGLE_API_MAX_NAME));
		*out = xrealloc(*out, (*n + 2) * sizeof(char *));
		(*out)[(*n)++] = xasprintf("%s: %s", kind, name);
		(*out)[*n] = NULL;
		free(name);
	}
}

int
kaggle_api_parse_kernel_pushed(const char *body, size_t len, kaggle_kernel_pushed *out, ak_err *e)
{
	static const char *const lists[][2] = {
		{ "invalidCompetitionSources", "competition" }, { "invalidDatasetSources", "dataset" },
		{ "invalidKernelSources", "kernel" }, { "invalidModelSources", "model" }, { "invalidTags", "tag" },
	};
	cJSON *root = kaggle_json_object(body, len, e);
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	out->ref = kaggle_json_opaque(root, "ref");
	out->url = kaggle_json_opaque(root, "url");
	out->error = kaggle_json_text(root, "error", KAGGLE_API_MAX_NAME);
	out->version = kaggle_json_int(root, "versionNumber");
	out->kernel_id = kaggle_json_int(root, "kernelId");
	out->invalid = xcalloc(1, sizeof(char *));
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		api_invalid_sources(root, lists[i][0], lists[i][1], &out->invalid, &n);
	cJSON_Delete(root);
	return 0;
}

void
kaggle_api_kernel_pushed_free(kaggle_kernel_pushed *p)
{
	char **s;

	free(p->ref);
	free(p->url);
	free(p->error);
	for (s = p->invalid; s && *s; s++)
		free(*s);
	free(p->invalid);
	memset(p, 0, sizeof(*p));
}

int
kaggle_api_parse_kernel_session(const char *body, size_t len, kaggle_kernel_session *out, ak_err *e)
{
	cJSON *root = kaggle_json_object(body, len, e);
	const cJSON *st;

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	st = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (cJSON_IsNumber(st) && st->valuedouble >= 0 && st->valuedouble < API_KERNEL_NSTATUS)
		out->status = (kaggle_kernel_status)st->valuedouble;
	else
		out->status = kaggle_api_enum_value(kaggle_json_raw(root, "status"), "KERNEL_WORKER_STATUS_",
			api_kernel_statuses, API_KERNEL_NSTATUS, KAGGLE_KERNEL_QUEUED);
	out->failure_message = kaggle_json_text(root, "failureMessage", KAGGLE_API_MAX_TEXT);
	cJSON_Delete(root);
	return 0;
}

void
kaggle_api_kernel_session_free(kaggle_kernel_session *s)
{
	free(s->failure_message);
	memset(s, 0, sizeof(*s));
}

int
kaggle_api_parse_kernel_output(const char *body, size_t len, kaggle_kernel_output *out, ak_err *e)
{
	cJSON *root = kaggle_json_object(body, len, e);
	const cJSON *files, *f;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (!root)
		return -1;
	files = cJSON_GetObjectItemCaseSensitive(root, "files");
	if (!cJSON_IsArray(files))
		files = NULL;
	cJSON_ArrayForEach(f, files) {
		kaggle_kernel_file *k;

		if (!cJSON_IsObject(f) || out->count == KAGGLE_API_MAX_ITEMS)
			continue;
		out->items = xgrow(out->items, &cap, out->count + 1, sizeof(*out->items));
		k = &out->items[out->count++];
		k->file_name = xstrndup(kaggle_json_raw(f, "fileName"),
			strnlen(kaggle_json_raw(f, "fileName"), KAGGLE_API_MAX_NAME));
		k->url = kaggle_json_opaque(f, "url");
	}
	out->next_page_token = kaggle_json_opaque(root, "nextPageToken");
	out->log = xstrdup(kaggle_json_raw(root, "log"));
	cJSON_Delete(root);
	return 0;
}

void
kaggle_api_kernel_output_free(kaggle_kernel_output *o)
{
	size_t i;

	for (i = 0; i < o->count; i++) {
		free(o->items[i].file_name);
		free(o->items[i].url);
	}
	free(o->items);
	free(o->next_page_token);
	free(o->log);
	memset(o, 0, sizeof(*o));
}

int
kaggle_api_parse_token_user(const char *body, size_t len, char **user, ak_err *e)
{
	cJSON *root = kaggle_json_object(body, len, e);

	*user = NULL;
	if (!root)
		return -1;
	*user = kaggle_json_bool(root, "active") ? kaggle_json_text(root, "username", KAGGLE_API_MAX_NAME)
						 : xstrdup("");
	cJSON_Delete(root);
	return 0;
}

char *
kaggle_api_kernel_log_text(const char *log)
{
	cJSON *root = cJSON_Parse(log), *piece;
	strbuf out = { 0 };

	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return xstrdup(log);
	}
	cJSON_ArrayForEach(piece, root) {
		const char *data = kaggle_json_raw(piece, "data");

		strbuf_addstr(&out, data);
	}
	cJSON_Delete(root);
	return strbuf_detach(&out);
}

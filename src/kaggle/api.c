#include "config.h"

#include "kaggle/api.h"
#include "kaggle/url.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *
kaggle_api_url(const char *endpoint, const char *service, const char *method)
{
	return xasprintf("%s/%s/%s", endpoint, service, method);
}

/* The slug is the path segment right after "competitions" or "c" (§5). */
char *
kaggle_api_slug_from_ref(const char *ref)
{
	char slug[KAGGLE_SLUG_MAX + 1];

	return xstrdup(ref && kaggle_slug_parse(ref, slug, sizeof(slug), NULL) == 1 ? slug : "");
}

/* Compares ignoring case and underscores: "cancelAcknowledged" and
 * "CANCEL_ACKNOWLEDGED" are one name. */
static int
api_enum_same(const char *a, const char *b)
{
	for (;;) {
		while (*a == '_')
			a++;
		while (*b == '_')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
			return 0;
	}
}

int
kaggle_api_enum_value(const char *text, const char *prefix, const char *const names[], int count, int dflt)
{
	char *end;
	long v;
	int i;

	if (!text || !*text)
		return dflt;
	v = strtol(text, &end, 10);
	if (!*end)
		return v >= 0 && v < count ? (int)v : dflt;
	if (prefix && strncasecmp(text, prefix, strlen(prefix)) == 0)
		text += strlen(prefix);
	for (i = 0; i < count; i++)
		if (api_enum_same(text, names[i]))
			return i;
	return dflt;
}

/* X(word, wire name): what the user types and what is sent. */
#define API_GROUPS(X)                                           \
	X("everything", "EVERYTHING")                           \
	X("general", "GENERAL")                                 \
	X("entered", "ENTERED")                                 \
	X("community", "COMMUNITY")                             \
	X("hosted", "HOSTED")                                   \
	X("unlaunched", "UNLAUNCHED")                           \
	X("unlaunched-community", "UNLAUNCHED_COMMUNITY")
#define API_CATEGORIES(X)                                       \
	X("all", "UNSPECIFIED")                                 \
	X("featured", "FEATURED")                               \
	X("research", "RESEARCH")                               \
	X("recruitment", "RECRUITMENT")                         \
	X("getting-started", "GETTING_STARTED")                 \
	X("masters", "MASTERS")                                 \
	X("playground", "PLAYGROUND")                           \
	X("community", "COMMUNITY")                             \
	X("analytics", "ANALYTICS")
#define API_SORTS(X)                                            \
	X("best", "BEST")                                       \
	X("grouped", "GROUPED")                                 \
	X("prize", "PRIZE")                                     \
	X("earliest-deadline", "EARLIEST_DEADLINE")             \
	X("latest-deadline", "LATEST_DEADLINE")                 \
	X("number-of-teams", "NUMBER_OF_TEAMS")                 \
	X("relevance", "RELEVANCE")                             \
	X("recently-created", "RECENTLY_CREATED")

typedef struct api_word {
	const char *word, *wire;
} api_word;

#define API_WORD(w, n) { w, n },
static const api_word api_groups[] = { API_GROUPS(API_WORD) { NULL, NULL } };
static const api_word api_categories[] = { API_CATEGORIES(API_WORD) { NULL, NULL } };
static const api_word api_sorts[] = { API_SORTS(API_WORD) { NULL, NULL } };
#undef API_WORD

/* Adds key = prefix + the wire name of word (the table's first when word
 * is NULL); -1 with the accepted words in e when word is unknown. */
static int
api_add_word(cJSON *body, const char *key, const char *prefix, const api_word *table, const char *word,
	const char *option, ak_err *e)
{
	const api_word *w;
	strbuf sb = { 0 };
	char *wire;

	for (w = table; w->word; w++)
		if (!word || strcasecmp(word, w->word) == 0)
			break;
	if (w->word) {
		wire = xasprintf("%s%s", prefix, w->wire);
		cJSON_AddStringToObject(body, key, wire);
		free(wire);
		return 0;
	}
	for (w = table; w->word; w++)
		strbuf_addf(&sb, "%s%s", w == table ? "" : ", ", w->word);
	err_kind_set(e, ERR_USAGE, "unknown %s '%s': it must be one of %s", option, word, strbuf_str(&sb));
	strbuf_free(&sb);
	return -1;
}

/* The body as compact JSON, the tree freed; caller frees. */
static char *
api_print(cJSON *body)
{
	char *text = cJSON_PrintUnformatted(body);

	cJSON_Delete(body);
	/* cJSON fails only when memory runs out: end as xalloc does */
	if (!text) {
		fputs("autokaggle: out of memory writing a request\n", stderr);
		exit(70);
	}
	return text;
}

static void
api_add_paging(cJSON *body, int page_size, const char *page_token)
{
	if (page_token && *page_token)
		cJSON_AddStringToObject(body, "pageToken", page_token);
	if (page_size > 0)
		cJSON_AddNumberToObject(body, "pageSize", page_size);
}

char *
kaggle_api_list_competitions_body(const kaggle_api_list_query *q, ak_err *e)
{
	cJSON *body = cJSON_CreateObject();

	if (api_add_word(body, "group", "COMPETITION_LIST_TAB_", api_groups, q->group, "group", e) < 0 ||
		api_add_word(body, "category", "HOST_SEGMENT_", api_categories, q->category, "category", e) < 0 ||
		api_add_word(body, "sortBy", "COMPETITION_SORT_BY_", api_sorts, q->sort_by, "sort order", e) < 0) {
		cJSON_Delete(body);
		return NULL;
	}
	cJSON_AddStringToObject(body, "search", q->search ? q->search : "");
	if (q->page > 0)
		cJSON_AddNumberToObject(body, "page", q->page);
	api_add_paging(body, q->page_size, q->page_token);
	return api_print(body);
}

static cJSON *
api_named(const char *slug)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "competitionName", slug);
	return body;
}

static char *
api_paged(const char *slug, int page_size, const char *page_token)
{
	cJSON *body = api_named(slug);

	api_add_paging(body, page_size, page_token);
	return api_print(body);
}

char *
kaggle_api_get_competition_body(const char *slug)
{
	return api_print(api_named(slug));
}

char *
kaggle_api_download_data_files_body(const char *slug)
{
	return api_print(api_named(slug));
}

char *
kaggle_api_get_submission_limits_body(const char *slug)
{
	return api_print(api_named(slug));
}

char *
kaggle_api_list_data_files_body(const char *slug, int page_size, const char *page_token)
{
	return api_paged(slug, page_size, page_token);
}

char *
kaggle_api_list_submissions_body(const char *slug, int page_size, const char *page_token)
{
	return api_paged(slug, page_size, page_token);
}

char *
kaggle_api_get_leaderboard_body(const char *slug, int page_size, const char *page_token)
{
	return api_paged(slug, page_size, page_token);
}

char *
kaggle_api_download_data_file_body(const char *slug, const char *file_name)
{
	cJSON *body = api_named(slug);

	cJSON_AddStringToObject(body, "fileName", file_name);
	return api_print(body);
}

char *
kaggle_api_start_submission_upload_body(const char *slug, const char *path, long long content_length,
	long long last_modified_epoch_seconds)
{
	cJSON *body = api_named(slug);
	const char *base = strrchr(path, '/');

	if (content_length > 0)
		cJSON_AddNumberToObject(body, "contentLength", (double)content_length);
	if (last_modified_epoch_seconds > 0)
		cJSON_AddNumberToObject(body, "lastModifiedEpochSeconds", (double)last_modified_epoch_seconds);
	cJSON_AddStringToObject(body, "fileName", base ? base + 1 : path);
	return api_print(body);
}

char *
kaggle_api_create_submission_body(const char *slug, const char *blob_file_token, const char *description)
{
	cJSON *body = api_named(slug);

	cJSON_AddStringToObject(body, "blobFileTokens", blob_file_token);
	if (description)
		cJSON_AddStringToObject(body, "submissionDescription", description);
	return api_print(body);
}

char *
kaggle_api_get_submission_body(long long ref)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "ref", (double)ref);
	return api_print(body);
}

char *
kaggle_api_save_kernel_body(const kaggle_kernel_push *p)
{
	cJSON *body = cJSON_CreateObject(), *sources;

	cJSON_AddStringToObject(body, "slug", p->id);
	cJSON_AddStringToObject(body, "newTitle", p->title);
	cJSON_AddStringToObject(body, "text", p->text);
	cJSON_AddStringToObject(body, "language", "python");
	cJSON_AddStringToObject(body, "kernelType", p->notebook ? "notebook" : "script");
	sources = cJSON_AddArrayToObject(body, "competitionDataSources");
	if (p->competition)
		cJSON_AddItemToArray(sources, cJSON_CreateString(p->competition));
	/* Sent even when false: the server's default for internet is on. */
	cJSON_AddBoolToObject(body, "isPrivate", p->is_private);
	cJSON_AddBoolToObject(body, "enableGpu", p->enable_gpu);
	cJSON_AddBoolToObject(body, "enableInternet", p->enable_internet);
	cJSON_AddBoolToObject(body, "enableTpu", 0);
	return api_print(body);
}

static cJSON *
api_kernel_named(const char *owner, const char *slug)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "userName", owner);
	cJSON_AddStringToObject(body, "kernelSlug", slug);
	return body;
}

char *
kaggle_api_kernel_status_body(const char *owner, const char *slug)
{
	return api_print(api_kernel_named(owner, slug));
}

char *
kaggle_api_kernel_output_body(const char *owner, const char *slug, int page_size, const char *page_token)
{
	cJSON *body = api_kernel_named(owner, slug);

	api_add_paging(body, page_size, page_token);
	return api_print(body);
}

char *
kaggle_api_create_code_submission_body(const char *slug, const char *kernel_owner, const char *kernel_slug,
	long long version, const char *file_name, const char *description)
{
	cJSON *body = api_named(slug);

	cJSON_AddStringToObject(body, "kernelOwner", kernel_owner);
	cJSON_AddStringToObject(body, "kernelSlug", kernel_slug);
	cJSON_AddNumberToObject(body, "kernelVersion", (double)version);
	cJSON_AddStringToObject(body, "fileName", file_name);
	if (description)
		cJSON_AddStringToObject(body, "submissionDescription", description);
	return api_print(body);
}

char *
kaggle_api_introspect_token_body(const char *token)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "token", token);
	return api_print(body);
}

#include "config.h"

#include "kaggle/api.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const api_submission_statuses[] = {
#define API_STATUS_NAME(s) #s,
	KAGGLE_SUBMISSION_STATUSES(API_STATUS_NAME)
#undef API_STATUS_NAME
};

/* The reply as a JSON object, or NULL with ERR_SERVER in e. */
static cJSON *
api_reply(const char *body, size_t len, ak_err *e)
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

static const char *
api_raw(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

/* A name or prose: cut to max with the cut marked. */
static char *
api_text(const cJSON *obj, const char *key, size_t max)
{
	const char *raw = api_raw(obj, key);
	char *s = xstrndup(raw, strnlen(raw, max + 1));

	termsafe_cut(s, max);
	return s;
}

/* A URL or token: whole or not at all. */
static char *
api_opaque(const cJSON *obj, const char *key)
{
	const char *raw = api_raw(obj, key);

	return xstrdup(strnlen(raw, KAGGLE_API_MAX_OPAQUE + 1) <= KAGGLE_API_MAX_OPAQUE ? raw : "");
}

/* A whole number sent as a JSON number or, proto3-style, as a string. */
static long long
api_int(const cJSON *obj, const char *key)
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

static int
api_int32(const cJSON *obj, const char *key)
{
	long long v = api_int(obj, key);

	return v >= -2147483647LL && v <= 2147483647LL ? (int)v : 0;
}

static int
api_bool(const cJSON *obj, const char *key)
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
static time_t
api_time(const cJSON *obj, const char *key)
{
	const char *s = api_raw(obj, key), *end;
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

/* A score: a string ("0.77511") or a number; "" or absent is none. */
static int
api_score(const cJSON *obj, const char *key, double *score)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *end;
	double d;

	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
	} else if (cJSON_IsString(v) && v->valuestring && *v->valuestring) {
		errno = 0;
		d = strtod(v->valuestring, &end);
		if (*end || errno)
			return 0;
	} else {
		return 0;
	}
	if (!isfinite(d))
		return 0;
	*score = d;
	return 1;
}

/* How to read one kind of item of a list. */
typedef struct api_list {
	const char *key;        /* where the list is in the reply */
	size_t size;
	void (*parse)(const cJSON *obj, void *item, size_t index);
	void (*free)(void *item);
} api_list;

/* The reply as one object: out zeroed, then filled from it. */
static int
api_object(const char *body, size_t len, void *out, size_t size, void (*fill)(const cJSON *, void *, size_t),
	ak_err *e)
{
	cJSON *root = api_reply(body, len, e);

	memset(out, 0, size);
	if (!root)
		return -1;
	fill(root, out, 0);
	cJSON_Delete(root);
	return 0;
}

/* The reply as a page: at most KAGGLE_API_MAX_ITEMS of the objects in
 * its list (anything else there is skipped), and nextPageToken. */
static int
api_page(const api_list *l, const char *body, size_t len, void **items, size_t *count, char **token, ak_err *e)
{
	cJSON *root = api_reply(body, len, e);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, l->key), *item;
	const cJSON *array = cJSON_IsArray(list) ? list : NULL;
	char *out = NULL;
	size_t cap = 0;

	*items = NULL;
	*count = 0;
	*token = NULL;
	if (!root)
		return -1;
	cJSON_ArrayForEach(item, array) {
		if (*count == KAGGLE_API_MAX_ITEMS)
			break;
		if (!cJSON_IsObject(item))
			continue;
		out = xgrow(out, &cap, *count + 1, l->size);
		memset(out + *count * l->size, 0, l->size);
		l->parse(item, out + *count * l->size, *count);
		(*count)++;
	}
	*items = out;
	*token = api_opaque(root, "nextPageToken");
	cJSON_Delete(root);
	return 0;
}

static void
api_page_free(const api_list *l, void *items, size_t count, char *token)
{
	size_t i;

	for (i = 0; i < count; i++)
		l->free((char *)items + i * l->size);
	free(items);
	free(token);
}

static void
api_competition(const cJSON *o, void *item, size_t index)
{
	kaggle_competition *c = item;

	(void)index;
	c->id = api_int(o, "id");
	c->ref = api_opaque(o, "ref");
	c->url = api_opaque(o, "url");
	c->slug = kaggle_api_slug_from_ref(c->ref);
	if (!*c->slug) {
		free(c->slug);
		c->slug = kaggle_api_slug_from_ref(c->url);
	}
	c->title = api_text(o, "title", KAGGLE_API_MAX_NAME);
	c->description = api_text(o, "description", KAGGLE_API_MAX_TEXT);
	c->organization_name = api_text(o, "organizationName", KAGGLE_API_MAX_NAME);
	c->category = api_text(o, "category", KAGGLE_API_MAX_NAME);
	c->reward = api_text(o, "reward", KAGGLE_API_MAX_NAME);
	c->evaluation_metric = api_text(o, "evaluationMetric", KAGGLE_API_MAX_NAME);
	c->deadline = api_time(o, "deadline");
	c->enabled_date = api_time(o, "enabledDate");
	c->merger_deadline = api_time(o, "mergerDeadline");
	c->new_entrant_deadline = api_time(o, "newEntrantDeadline");
	c->date_created = api_time(o, "dateCreated");
	c->team_count = api_int(o, "teamCount");
	c->kernel_count = api_int(o, "kernelCount");
	c->user_rank = api_int(o, "userRank");
	c->max_daily_submissions = api_int32(o, "maxDailySubmissions");
	c->max_team_size = api_int32(o, "maxTeamSize");
	c->user_has_entered = api_bool(o, "userHasEntered");
	c->is_kernels_submissions_only = api_bool(o, "isKernelsSubmissionsOnly");
	c->submissions_disabled = api_bool(o, "submissionsDisabled");
	c->awards_points = api_bool(o, "awardsPoints");
}

static void
api_competition_free(void *item)
{
	kaggle_api_competition_free(item);
}

static const api_list api_competitions = { "competitions", sizeof(kaggle_competition), api_competition,
	api_competition_free };

int
kaggle_api_parse_competition(const char *body, size_t len, kaggle_competition *out, ak_err *e)
{
	return api_object(body, len, out, sizeof(*out), api_competition, e);
}

void
kaggle_api_competition_free(kaggle_competition *c)
{
	free(c->slug);
	free(c->ref);
	free(c->title);
	free(c->url);
	free(c->description);
	free(c->organization_name);
	free(c->category);
	free(c->reward);
	free(c->evaluation_metric);
	memset(c, 0, sizeof(*c));
}

int
kaggle_api_parse_competition_page(const char *body, size_t len, kaggle_competition_page *out, ak_err *e)
{
	void *items;
	int rc = api_page(&api_competitions, body, len, &items, &out->count, &out->next_page_token, e);

	out->items = items;
	return rc;
}

void
kaggle_api_competition_page_free(kaggle_competition_page *p)
{
	api_page_free(&api_competitions, p->items, p->count, p->next_page_token);
	memset(p, 0, sizeof(*p));
}

static void
api_data_file(const cJSON *o, void *item, size_t index)
{
	kaggle_data_file *f = item;

	(void)index;
	f->name = api_text(o, "name", KAGGLE_API_MAX_NAME);
	f->description = api_text(o, "description", KAGGLE_API_MAX_TEXT);
	f->url = api_opaque(o, "url");
	f->total_bytes = api_int(o, "totalBytes");
	f->creation_date = api_time(o, "creationDate");
}

static void
api_data_file_free(void *item)
{
	kaggle_data_file *f = item;

	free(f->name);
	free(f->description);
	free(f->url);
}

static const api_list api_data_files = { "files", sizeof(kaggle_data_file), api_data_file, api_data_file_free };

int
kaggle_api_parse_data_file_page(const char *body, size_t len, kaggle_data_file_page *out, ak_err *e)
{
	void *items;
	int rc = api_page(&api_data_files, body, len, &items, &out->count, &out->next_page_token, e);

	out->items = items;
	return rc;
}

void
kaggle_api_data_file_page_free(kaggle_data_file_page *p)
{
	api_page_free(&api_data_files, p->items, p->count, p->next_page_token);
	memset(p, 0, sizeof(*p));
}

static void
api_upload_ticket(const cJSON *o, void *out, size_t index)
{
	kaggle_upload_ticket *t = out;

	(void)index;
	t->token = api_opaque(o, "token");
	t->create_url = api_opaque(o, "createUrl");
}

int
kaggle_api_parse_upload_ticket(const char *body, size_t len, kaggle_upload_ticket *out, ak_err *e)
{
	if (api_object(body, len, out, sizeof(*out), api_upload_ticket, e) < 0)
		return -1;
	if (*out->token && *out->create_url)
		return 0;
	kaggle_api_upload_ticket_free(out);
	return err_kind_set(e, ERR_SERVER,
		"Kaggle's reply to the submission upload has no upload URL or token: re-run later");
}

void
kaggle_api_upload_ticket_free(kaggle_upload_ticket *t)
{
	free(t->token);
	free(t->create_url);
	memset(t, 0, sizeof(*t));
}

static void
api_created_submission(const cJSON *o, void *out, size_t index)
{
	kaggle_created_submission *s = out;

	(void)index;
	s->message = api_text(o, "message", KAGGLE_API_MAX_TEXT);
	s->ref = api_int(o, "ref");
}

int
kaggle_api_parse_created_submission(const char *body, size_t len, kaggle_created_submission *out, ak_err *e)
{
	return api_object(body, len, out, sizeof(*out), api_created_submission, e);
}

void
kaggle_api_created_submission_free(kaggle_created_submission *s)
{
	free(s->message);
	memset(s, 0, sizeof(*s));
}

/* Missing or unreadable means PENDING, the enum's zero (§1.2). */
static kaggle_submission_status
api_submission_status(const cJSON *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "status");
	int count = (int)(sizeof(api_submission_statuses) / sizeof(api_submission_statuses[0]));

	if (cJSON_IsNumber(v))
		return v->valuedouble >= 0 && v->valuedouble < count ? (kaggle_submission_status)v->valuedouble
								     : KAGGLE_SUBMISSION_PENDING;
	return kaggle_api_enum_value(cJSON_IsString(v) ? v->valuestring : NULL, "SUBMISSION_STATUS_",
		api_submission_statuses, count, KAGGLE_SUBMISSION_PENDING);
}

static void
api_submission(const cJSON *o, void *item, size_t index)
{
	kaggle_submission *s = item;

	(void)index;
	s->ref = api_int(o, "ref");
	s->total_bytes = api_int(o, "totalBytes");
	s->date = api_time(o, "date");
	s->description = api_text(o, "description", KAGGLE_API_MAX_TEXT);
	s->error_description = api_text(o, "errorDescription", KAGGLE_API_MAX_TEXT);
	s->file_name = api_text(o, "fileName", KAGGLE_API_MAX_NAME);
	s->team_name = api_text(o, "teamName", KAGGLE_API_MAX_NAME);
	s->submitted_by = api_text(o, "submittedBy", KAGGLE_API_MAX_NAME);
	s->url = api_opaque(o, "url");
	s->status = api_submission_status(o);
	s->has_public_score = api_score(o, "publicScore", &s->public_score);
	s->has_private_score = api_score(o, "privateScore", &s->private_score);
}

static void
api_submission_free(void *item)
{
	kaggle_api_submission_free(item);
}

static const api_list api_submissions = { "submissions", sizeof(kaggle_submission), api_submission,
	api_submission_free };

int
kaggle_api_parse_submission(const char *body, size_t len, kaggle_submission *out, ak_err *e)
{
	return api_object(body, len, out, sizeof(*out), api_submission, e);
}

void
kaggle_api_submission_free(kaggle_submission *s)
{
	free(s->description);
	free(s->error_description);
	free(s->file_name);
	free(s->team_name);
	free(s->submitted_by);
	free(s->url);
	memset(s, 0, sizeof(*s));
}

int
kaggle_api_parse_submission_page(const char *body, size_t len, kaggle_submission_page *out, ak_err *e)
{
	void *items;
	int rc = api_page(&api_submissions, body, len, &items, &out->count, &out->next_page_token, e);

	out->items = items;
	return rc;
}

void
kaggle_api_submission_page_free(kaggle_submission_page *p)
{
	api_page_free(&api_submissions, p->items, p->count, p->next_page_token);
	memset(p, 0, sizeof(*p));
}

static void
api_submission_limits(const cJSON *o, void *out, size_t index)
{
	kaggle_submission_limits *l = out;

	(void)index;
	l->num_today = api_int32(o, "numToday");
	l->num_total = api_int32(o, "numTotal");
	l->num_allowed_now = api_int32(o, "numAllowedNow");
	l->limited_by_total = api_bool(o, "limitedByTotal");
}

int
kaggle_api_parse_submission_limits(const char *body, size_t len, kaggle_submission_limits *out, ak_err *e)
{
	return api_object(body, len, out, sizeof(*out), api_submission_limits, e);
}

static void
api_leaderboard_entry(const cJSON *o, void *item, size_t index)
{
	kaggle_leaderboard_entry *l = item;

	l->rank = (long long)index + 1;
	l->team_id = api_int(o, "teamId");
	l->team_name = api_text(o, "teamName", KAGGLE_API_MAX_NAME);
	l->submission_date = api_time(o, "submissionDate");
	l->has_score = api_score(o, "score", &l->score);
}

static void
api_leaderboard_entry_free(void *item)
{
	free(((kaggle_leaderboard_entry *)item)->team_name);
}

static const api_list api_leaderboard = { "submissions", sizeof(kaggle_leaderboard_entry), api_leaderboard_entry,
	api_leaderboard_entry_free };

int
kaggle_api_parse_leaderboard_page(const char *body, size_t len, long long rank_offset,
	kaggle_leaderboard_page *out, ak_err *e)
{
	void *items;
	int rc = api_page(&api_leaderboard, body, len, &items, &out->count, &out->next_page_token, e);
	size_t i;

	out->items = items;
	for (i = 0; i < out->count; i++)
		out->items[i].rank += rank_offset;
	return rc;
}

void
kaggle_api_leaderboard_page_free(kaggle_leaderboard_page *p)
{
	api_page_free(&api_leaderboard, p->items, p->count, p->next_page_token);
	memset(p, 0, sizeof(*p));
}

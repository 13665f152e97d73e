#include "config.h"

#include "kaggle/api.h"
#include "kaggle/api_json.h"
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
	cJSON *root = kaggle_json_object(body, len, e);

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
	cJSON *root = kaggle_json_object(body, len, e);
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
	*token = kaggle_json_opaque(root, "nextPageToken");
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
	c->id = kaggle_json_int(o, "id");
	c->ref = kaggle_json_opaque(o, "ref");
	c->url = kaggle_json_opaque(o, "url");
	c->slug = kaggle_api_slug_from_ref(c->ref);
	if (!*c->slug) {
		free(c->slug);
		c->slug = kaggle_api_slug_from_ref(c->url);
	}
	c->title = kaggle_json_text(o, "title", KAGGLE_API_MAX_NAME);
	c->description = kaggle_json_text(o, "description", KAGGLE_API_MAX_TEXT);
	c->organization_name = kaggle_json_text(o, "organizationName", KAGGLE_API_MAX_NAME);
	c->category = kaggle_json_text(o, "category", KAGGLE_API_MAX_NAME);
	c->reward = kaggle_json_text(o, "reward", KAGGLE_API_MAX_NAME);
	c->evaluation_metric = kaggle_json_text(o, "evaluationMetric", KAGGLE_API_MAX_NAME);
	c->deadline = kaggle_json_time(o, "deadline");
	c->enabled_date = kaggle_json_time(o, "enabledDate");
	c->merger_deadline = kaggle_json_time(o, "mergerDeadline");
	c->new_entrant_deadline = kaggle_json_time(o, "newEntrantDeadline");
	c->date_created = kaggle_json_time(o, "dateCreated");
	c->team_count = kaggle_json_int(o, "teamCount");
	c->kernel_count = kaggle_json_int(o, "kernelCount");
	c->user_rank = kaggle_json_int(o, "userRank");
	c->max_daily_submissions = kaggle_json_int32(o, "maxDailySubmissions");
	c->max_team_size = kaggle_json_int32(o, "maxTeamSize");
	c->user_has_entered = kaggle_json_bool(o, "userHasEntered");
	c->is_kernels_submissions_only = kaggle_json_bool(o, "isKernelsSubmissionsOnly");
	c->submissions_disabled = kaggle_json_bool(o, "submissionsDisabled");
	c->awards_points = kaggle_json_bool(o, "awardsPoints");
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
	f->name = kaggle_json_text(o, "name", KAGGLE_API_MAX_NAME);
	f->description = kaggle_json_text(o, "description", KAGGLE_API_MAX_TEXT);
	f->url = kaggle_json_opaque(o, "url");
	f->total_bytes = kaggle_json_int(o, "totalBytes");
	f->creation_date = kaggle_json_time(o, "creationDate");
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
	t->token = kaggle_json_opaque(o, "token");
	t->create_url = kaggle_json_opaque(o, "createUrl");
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
	s->message = kaggle_json_text(o, "message", KAGGLE_API_MAX_TEXT);
	s->ref = kaggle_json_int(o, "ref");
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
	s->ref = kaggle_json_int(o, "ref");
	s->total_bytes = kaggle_json_int(o, "totalBytes");
	s->date = kaggle_json_time(o, "date");
	s->description = kaggle_json_text(o, "description", KAGGLE_API_MAX_TEXT);
	s->error_description = kaggle_json_text(o, "errorDescription", KAGGLE_API_MAX_TEXT);
	s->file_name = kaggle_json_text(o, "fileName", KAGGLE_API_MAX_NAME);
	s->team_name = kaggle_json_text(o, "teamName", KAGGLE_API_MAX_NAME);
	s->submitted_by = kaggle_json_text(o, "submittedBy", KAGGLE_API_MAX_NAME);
	s->url = kaggle_json_opaque(o, "url");
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
	l->num_today = kaggle_json_int32(o, "numToday");
	l->num_total = kaggle_json_int32(o, "numTotal");
	l->num_allowed_now = kaggle_json_int32(o, "numAllowedNow");
	l->limited_by_total = kaggle_json_bool(o, "limitedByTotal");
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
	l->team_id = kaggle_json_int(o, "teamId");
	l->team_name = kaggle_json_text(o, "teamName", KAGGLE_API_MAX_NAME);
	l->submission_date = kaggle_json_time(o, "submissionDate");
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

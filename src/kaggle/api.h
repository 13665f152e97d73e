#ifndef AK_KAGGLE_API_H
#define AK_KAGGLE_API_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

/* The Kaggle API's wire format (specs/kaggle-api.md §1.2, §3, §4) as pure
 * code: request bodies, replies parsed into structs, errors turned into
 * one clear line. No network here: the caller posts the body to
 * kaggle_api_url() and hands the reply back.
 *
 * Replies come from outside, so they are bounded on the way in: a reply
 * over KAGGLE_API_MAX_REPLY is refused, a page keeps at most
 * KAGGLE_API_MAX_ITEMS items, names and titles are cut to
 * KAGGLE_API_MAX_NAME bytes and prose to KAGGLE_API_MAX_TEXT (on a
 * character boundary, marked with "…"), and opaque values (URLs, tokens)
 * longer than KAGGLE_API_MAX_OPAQUE are dropped, since a cut one is
 * useless. Strings are never NULL ("" when absent) and not yet made safe
 * for a terminal: that is termsafe's job where they are shown. Parsing is
 * tolerant: unknown keys are ignored, a missing key or one of the wrong
 * type means its default. */

#define KAGGLE_API_MAX_REPLY (16 << 20)
#define KAGGLE_API_MAX_ITEMS 1000
#define KAGGLE_API_MAX_NAME 256
#define KAGGLE_API_MAX_TEXT (64 << 10)
#define KAGGLE_API_MAX_OPAQUE 8192

/* The default endpoint: the prefix up to and including /v1. */
#define KAGGLE_API_ENDPOINT "https://api.kaggle.com/v1"
#define KAGGLE_API_COMPETITIONS "competitions.CompetitionApiService"

/* "{endpoint}/{service}/{method}"; caller frees. */
char *kaggle_api_url(const char *endpoint, const char *service, const char *method);

/* The slug inside a competition's ref or URL ("https://www.kaggle.com/
 * competitions/titanic/data" or ".../c/titanic" gives "titanic"); a bare
 * slug is itself; "" when there is none (kaggle_slug_parse of
 * kaggle/url.h decides). Caller frees. */
char *kaggle_api_slug_from_ref(const char *ref);

/* The value of an enum sent by the server, matched leniently: the exact
 * name, any case, with or without its type prefix (prefix
 * "SUBMISSION_STATUS_"), camelCase ("cancelAcknowledged" for
 * CANCEL_ACKNOWLEDGED), or an integer in range. names[] are the
 * UPPER_SNAKE names without prefix, in value order; dflt when nothing
 * matches. */
int kaggle_api_enum_value(const char *text, const char *prefix, const char *const names[], int count,
	int dflt);

/* Requests. Each returns the JSON body to POST (caller frees): keys in
 * lowerCamelCase, defaults (0, NULL) not sent, enums by their names. */

typedef struct kaggle_api_list_query {
	const char *group;      /* general, entered, community, hosted, unlaunched,
	                           unlaunched-community, everything (NULL) */
	const char *category;   /* featured, research, recruitment, getting-started, masters,
	                           playground, community, analytics, all (NULL) */
	const char *sort_by;    /* grouped, best (NULL), prize, earliest-deadline, latest-deadline,
	                           number-of-teams, relevance, recently-created */
	const char *search;     /* sent even when "" (NULL is "") */
	int page;               /* the old numeric paging, 0 = not sent */
	const char *page_token;
	int page_size;
} kaggle_api_list_query;

/* ListCompetitions; NULL with an ERR_USAGE error listing the accepted
 * words when group, category or sort_by is not one of them. */
char *kaggle_api_list_competitions_body(const kaggle_api_list_query *q, ak_err *e);
/* The competition's name alone: {"competitionName":"titanic"}. */
char *kaggle_api_get_competition_body(const char *slug);
char *kaggle_api_download_data_files_body(const char *slug);
char *kaggle_api_get_submission_limits_body(const char *slug);
/* The paged lists: page_size 0 and page_token NULL or "" are not sent
 * (ListSubmissions never sends the CLI's "page": -1). */
char *kaggle_api_list_data_files_body(const char *slug, int page_size, const char *page_token);
char *kaggle_api_list_submissions_body(const char *slug, int page_size, const char *page_token);
char *kaggle_api_get_leaderboard_body(const char *slug, int page_size, const char *page_token);
/* DownloadDataFile. */
char *kaggle_api_download_data_file_body(const char *slug, const char *file_name);
/* StartSubmissionUpload; fileName is the basename of path. */
char *kaggle_api_start_submission_upload_body(const char *slug, const char *path, long long content_length,
	long long last_modified_epoch_seconds);
/* CreateSubmission; description NULL is not sent, "" is. */
char *kaggle_api_create_submission_body(const char *slug, const char *blob_file_token,
	const char *description);
/* GetSubmission. */
char *kaggle_api_get_submission_body(long long ref);

/* Replies. Each parser fills *out from body[0, len) (not NUL-terminated)
 * and returns 0; or returns -1 with ERR_SERVER in e when the reply is not
 * a JSON object (truncated, not JSON, too big), out then holding nothing
 * to free. Call kaggle_api_error() first: an error reply parses as an
 * empty one. Each type has a free function for what it owns; the struct
 * itself is the caller's. Times are UTC, 0 when absent. */

/* A page of a list: its items and the token of the next page ("" on the
 * last). */
#define KAGGLE_API_PAGE(item)                   \
	struct {                                \
		item *items;                    \
		size_t count;                   \
		char *next_page_token;          \
	}

typedef struct kaggle_competition {
	long long id;
	char *slug;             /* from ref, else url */
	char *ref, *title, *url, *description, *organization_name, *category, *reward;
	char *evaluation_metric;
	time_t deadline, enabled_date, merger_deadline, new_entrant_deadline, date_created;
	long long team_count, kernel_count, user_rank;
	int max_daily_submissions, max_team_size;
	int user_has_entered, is_kernels_submissions_only, submissions_disabled, awards_points;
} kaggle_competition;

typedef KAGGLE_API_PAGE(kaggle_competition) kaggle_competition_page;

typedef struct kaggle_data_file {
	char *name;             /* the file's id for DownloadDataFile */
	char *description, *url;
	long long total_bytes;
	time_t creation_date;
} kaggle_data_file;

typedef KAGGLE_API_PAGE(kaggle_data_file) kaggle_data_file_page;

typedef struct kaggle_upload_ticket {
	char *token;            /* blobFileTokens for CreateSubmission */
	char *create_url;       /* where to PUT the file */
} kaggle_upload_ticket;

typedef struct kaggle_created_submission {
	char *message;
	long long ref;
} kaggle_created_submission;

/* X(NAME): the submission states in their wire order. */
#define KAGGLE_SUBMISSION_STATUSES(X) X(PENDING) X(COMPLETE) X(ERROR)
#define KAGGLE_SUBMISSION_STATUS_ENUM(s) KAGGLE_SUBMISSION_##s,
typedef enum kaggle_submission_status {
	KAGGLE_SUBMISSION_STATUSES(KAGGLE_SUBMISSION_STATUS_ENUM)
} kaggle_submission_status;
#undef KAGGLE_SUBMISSION_STATUS_ENUM

typedef struct kaggle_submission {
	long long ref, total_bytes;
	time_t date;
	char *description, *error_description, *file_name, *team_name, *submitted_by, *url;
	kaggle_submission_status status;    /* missing = PENDING */
	double public_score, private_score;
	int has_public_score, has_private_score;    /* scores are absent while pending or hidden */
} kaggle_submission;

typedef KAGGLE_API_PAGE(kaggle_submission) kaggle_submission_page;

typedef struct kaggle_submission_limits {
	int num_today, num_total, num_allowed_now, limited_by_total;
} kaggle_submission_limits;

typedef struct kaggle_leaderboard_entry {
	long long rank;         /* position on the leaderboard, from 1 */
	long long team_id;
	char *team_name;
	time_t submission_date;
	double score;
	int has_score;
} kaggle_leaderboard_entry;

typedef KAGGLE_API_PAGE(kaggle_leaderboard_entry) kaggle_leaderboard_page;

/* GetCompetition. */
int kaggle_api_parse_competition(const char *body, size_t len, kaggle_competition *out, ak_err *e);
void kaggle_api_competition_free(kaggle_competition *c);
/* ListCompetitions. */
int kaggle_api_parse_competition_page(const char *body, size_t len, kaggle_competition_page *out, ak_err *e);
void kaggle_api_competition_page_free(kaggle_competition_page *p);
/* ListDataFiles. */
int kaggle_api_parse_data_file_page(const char *body, size_t len, kaggle_data_file_page *out, ak_err *e);
void kaggle_api_data_file_page_free(kaggle_data_file_page *p);
/* StartSubmissionUpload; also -1 when the token or the URL is missing. */
int kaggle_api_parse_upload_ticket(const char *body, size_t len, kaggle_upload_ticket *out, ak_err *e);
void kaggle_api_upload_ticket_free(kaggle_upload_ticket *t);
/* CreateSubmission. */
int kaggle_api_parse_created_submission(const char *body, size_t len, kaggle_created_submission *out,
	ak_err *e);
void kaggle_api_created_submission_free(kaggle_created_submission *s);
/* GetSubmission. */
int kaggle_api_parse_submission(const char *body, size_t len, kaggle_submission *out, ak_err *e);
void kaggle_api_submission_free(kaggle_submission *s);
/* ListSubmissions. */
int kaggle_api_parse_submission_page(const char *body, size_t len, kaggle_submission_page *out, ak_err *e);
void kaggle_api_submission_page_free(kaggle_submission_page *p);
/* GetSubmissionLimits (owns nothing). */
int kaggle_api_parse_submission_limits(const char *body, size_t len, kaggle_submission_limits *out,
	ak_err *e);
/* GetLeaderboard; rank_offset is how many entries the earlier pages
 * held, so ranks continue across pages. */
int kaggle_api_parse_leaderboard_page(const char *body, size_t len, long long rank_offset,
	kaggle_leaderboard_page *out, ak_err *e);
void kaggle_api_leaderboard_page_free(kaggle_leaderboard_page *p);

/* ---- kernels (spec §3.9–3.11) and code submissions (§3.6) ---- */

#define KAGGLE_API_KERNELS "kernels.KernelsApiService"
#define KAGGLE_API_OAUTH "security.OAuthService"

/* What SaveKernel pushes. */
typedef struct kaggle_kernel_push {
	const char *id;              /* "owner/slug" */
	const char *title;           /* at least 5 characters */
	const char *text;            /* the notebook's JSON or the script */
	int notebook;                /* kernelType notebook, else script */
	const char *competition;     /* the competition source, or NULL */
	int enable_gpu, enable_internet;
	int is_private;
} kaggle_kernel_push;

char *kaggle_api_save_kernel_body(const kaggle_kernel_push *p);
/* GetKernelSessionStatus and ListKernelSessionOutput name the kernel by
 * its owner and its slug alone. */
char *kaggle_api_kernel_status_body(const char *owner, const char *slug);
char *kaggle_api_kernel_output_body(const char *owner, const char *slug, int page_size, const char *page_token);
/* CreateCodeSubmission: the kernel version's output file_name goes in. */
char *kaggle_api_create_code_submission_body(const char *slug, const char *kernel_owner, const char *kernel_slug,
	long long version, const char *file_name, const char *description);
/* IntrospectToken: whose token it is. */
char *kaggle_api_introspect_token_body(const char *token);

typedef struct kaggle_kernel_pushed {
	char *ref, *url, *error;     /* error: the server refused the push (under HTTP 200) */
	long long version, kernel_id;
	char **invalid;              /* sources the server dropped, as "kind: name" (strv), never NULL */
} kaggle_kernel_pushed;

/* X(NAME): kernel session states in wire order; QUEUED is 0, so a reply
 * without status is QUEUED. */
#define KAGGLE_KERNEL_STATUSES(X) \
	X(QUEUED) X(RUNNING) X(COMPLETE) X(ERROR) X(CANCEL_REQUESTED) X(CANCEL_ACKNOWLEDGED) X(NEW_SCRIPT)
#define KAGGLE_KERNEL_STATUS_ENUM(s) KAGGLE_KERNEL_##s,
typedef enum kaggle_kernel_status {
	KAGGLE_KERNEL_STATUSES(KAGGLE_KERNEL_STATUS_ENUM)
} kaggle_kernel_status;
#undef KAGGLE_KERNEL_STATUS_ENUM

/* "QUEUED", "RUNNING"... */
const char *kaggle_api_kernel_status_name(kaggle_kernel_status s);
/* COMPLETE, ERROR and CANCEL_ACKNOWLEDGED end a session. */
int kaggle_api_kernel_status_final(kaggle_kernel_status s);

typedef struct kaggle_kernel_session {
	kaggle_kernel_status status;
	char *failure_message;
} kaggle_kernel_session;

typedef struct kaggle_kernel_file {
	char *file_name;             /* relative, may hold '/' */
	char *url;                   /* signed; fetched without credentials */
} kaggle_kernel_file;

typedef struct kaggle_kernel_output {
	kaggle_kernel_file *items;
	size_t count;
	char *next_page_token;
	char *log;                   /* as sent: Kaggle's JSON stream log, or text */
} kaggle_kernel_output;

int kaggle_api_parse_kernel_pushed(const char *body, size_t len, kaggle_kernel_pushed *out, ak_err *e);
void kaggle_api_kernel_pushed_free(kaggle_kernel_pushed *p);
int kaggle_api_parse_kernel_session(const char *body, size_t len, kaggle_kernel_session *out, ak_err *e);
void kaggle_api_kernel_session_free(kaggle_kernel_session *s);
int kaggle_api_parse_kernel_output(const char *body, size_t len, kaggle_kernel_output *out, ak_err *e);
void kaggle_api_kernel_output_free(kaggle_kernel_output *o);
/* The user name IntrospectToken gives for an active token; "" otherwise. */
int kaggle_api_parse_token_user(const char *body, size_t len, char **user, ak_err *e);

/* A kernel's log as text: Kaggle's JSON stream log (an array of
 * {"stream_name", "time", "data"}) with the pieces joined in order; any
 * other log as it is. Caller frees. */
char *kaggle_api_kernel_log_text(const char *log);

/* Judges any reply: returns 0 when it is not an error, else -1 with one
 * line in e of the right kind (ERR_AUTH, ERR_FORBIDDEN, ERR_NOT_FOUND,
 * ERR_RATE_LIMITED, ERR_SERVER, ERR_INPUT, ERR_NETWORK for no status). An
 * error is a non-2xx status (3xx is the caller's redirect to follow), a
 * 2xx JSON body with a top-level "code" >= 400, the Google shape
 * {"error":{"code","message","status"}}, or a 2xx body that is not a JSON
 * object. body NULL judges the status alone (a reply that is a file).
 * method is the RPC method called ("DownloadDataFiles"); slug the
 * competition or NULL; auth_source where the credentials came from
 * ("~/.kaggle/kaggle.json") or NULL. The server's message is quoted
 * redacted, on one line and at most about 200 bytes. */
int kaggle_api_error(long http_status, const char *body, size_t len, const char *slug, const char *method,
	const char *auth_source, ak_err *e);

#endif

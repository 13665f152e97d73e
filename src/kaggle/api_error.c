#include "config.h"

#include "kaggle/api.h"
#include "util/redact.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How much of the server's own message a line quotes. */
#define API_QUOTE_MAX 200

/* X(method, what it does, the word before a competition's or kernel's
 * name, whether a 403 there means unaccepted rules, whether it names a
 * kernel): rules are checked when data is downloaded and a file
 * submitted (§4). */
#define API_METHODS(X)                                                          \
	X(ListCompetitions, "listing competitions", "like", 0, 0)                  \
	X(GetCompetition, "reading competition", "", 0, 0)                         \
	X(ListDataFiles, "listing the data files", "of", 0, 0)                     \
	X(DownloadDataFiles, "downloading the data", "of", 1, 0)                   \
	X(DownloadDataFile, "downloading a data file", "of", 1, 0)                 \
	X(StartSubmissionUpload, "starting a submission upload", "to", 1, 0)       \
	X(CreateSubmission, "submitting", "to", 1, 0)                              \
	X(ListSubmissions, "listing your submissions", "to", 0, 0)                 \
	X(GetSubmission, "reading a submission", "to", 0, 0)                       \
	X(GetSubmissionLimits, "reading your submission limits", "for", 0, 0)      \
	X(GetLeaderboard, "reading the leaderboard", "of", 0, 0)                   \
	X(DownloadLeaderboard, "downloading the leaderboard", "of", 0, 0)         \
	X(CreateCodeSubmission, "submitting a kernel's output", "to", 1, 0)      \
	X(SaveKernel, "pushing the kernel", "", 0, 1)                            \
	X(GetKernelSessionStatus, "reading the status of kernel", "", 0, 1)      \
	X(ListKernelSessionOutput, "listing the output of kernel", "", 0, 1)     \
	X(IntrospectToken, "checking the API token", "", 0, 0)

static const struct {
	const char *name, *doing, *before_slug;
	int rules, kernel;
} api_methods[] = {
#define API_METHOD(m, doing, before_slug, rules, kernel) { #m, doing, before_slug, rules, kernel },
	API_METHODS(API_METHOD)
#undef API_METHOD
};

/* The Google shape's status names for replies that carry no number. */
static const struct {
	const char *status;
	long code;
} api_google_codes[] = {
	{ "INVALID_ARGUMENT", 400 }, { "UNAUTHENTICATED", 401 }, { "PERMISSION_DENIED", 403 },
	{ "NOT_FOUND", 404 }, { "RESOURCE_EXHAUSTED", 429 },
};

/* What the body says about an error: its code (0 for none), message and
 * Google status. */
typedef struct api_fault {
	long code;
	const char *message, *status;
} api_fault;

static long
api_fault_code(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble < 1000))
		return 0;
	return (long)v->valuedouble;
}

static const char *
api_fault_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static api_fault
api_fault_read(const cJSON *root)
{
	const cJSON *google = cJSON_GetObjectItemCaseSensitive(root, "error");
	api_fault f = { 0, "", "" };
	size_t i;

	if (cJSON_IsObject(google)) {
		f.code = api_fault_code(cJSON_GetObjectItemCaseSensitive(google, "code"));
		f.message = api_fault_str(google, "message");
		f.status = api_fault_str(google, "status");
		for (i = 0; !f.code && i < sizeof(api_google_codes) / sizeof(api_google_codes[0]); i++)
			if (strcmp(f.status, api_google_codes[i].status) == 0)
				f.code = api_google_codes[i].code;
		if (!f.code && *f.status)
			f.code = 500;
		return f;
	}
	f.code = api_fault_code(cJSON_GetObjectItemCaseSensitive(root, "code"));
	f.message = api_fault_str(root, "message");
	return f;
}

/* "403" or "403: the server's message", redacted, on one line and cut;
 * caller frees. */
static char *
api_detail(long code, const api_fault *f)
{
	char *redacted = redact_string(f->message), *quote, *detail;

	quote = termsafe(redacted, TERMSAFE_LINE);
	free(redacted);
	termsafe_cut(quote, API_QUOTE_MAX);
	/* the status is quoted only when it is a name (RESOURCE_EXHAUSTED) */
	if (*f->status && strlen(f->status) < 40 && !f->status[strspn(f->status, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_")])
		detail = xasprintf("%ld %s%s%s", code, f->status, *quote ? ": " : "", quote);
	else
		detail = xasprintf("%ld%s%s", code, *quote ? ": " : "", quote);
	free(quote);
	return detail;
}

static int
api_forbidden(const char *detail, const char *message, const char *slug, const char *where, int rules,
	ak_err *e)
{
	int denied = strcasestr(message, "permission") && strcasestr(message, "denied");

	if (!slug)
		return err_kind_set(e, ERR_FORBIDDEN,
			"Kaggle refused %s (%s): join the competition and accept its rules on the website", where,
			detail);
	if (strcasestr(message, "rules") || (rules && !denied))
		return err_kind_set(e, ERR_FORBIDDEN,
			"Kaggle refused %s (%s): the competition's rules are not accepted; read them at "
			"https://www.kaggle.com/competitions/%s/rules and accept them on the website "
			"(the API cannot), then re-run",
			where, detail, slug);
	return err_kind_set(e, ERR_FORBIDDEN,
		"Kaggle refused %s (%s): you have not joined %s, or its name is mistyped; join it at "
		"https://www.kaggle.com/competitions/%s/rules, or find its name with "
		"'autokaggle competitions SEARCH'",
		where, detail, slug, slug);
}

/* With the rules flag of api_error_line: the method names a kernel. */
#define API_KERNEL 2

/* One line for an error reply; where is what was being done, and to what. */
static int
api_error_line(long code, const api_fault *f, const char *slug, const char *where, int rules,
	const char *auth_source, ak_err *e)
{
	char *detail = api_detail(code, f);

	if (code == 401)
		err_kind_set(e, ERR_AUTH,
			"Kaggle refused the credentials from %s (%s) while %s: they are wrong or expired; create a "
			"new API token at https://www.kaggle.com/settings and save it there",
			auth_source ? auth_source : "your Kaggle configuration", detail, where);
	else if (code == 403 && (rules & API_KERNEL))
		err_kind_set(e, ERR_FORBIDDEN,
			"Kaggle refused %s (%s): the kernel belongs to another account, or these credentials "
			"may not edit it; check the user in your Kaggle credentials", where, detail);
	else if (code == 403)
		api_forbidden(detail, f->message, slug, where, rules, e);
	else if (code == 404 && (rules & API_KERNEL))
		err_kind_set(e, ERR_NOT_FOUND, "Kaggle has no such kernel while %s (%s)", where, detail);
	else if (code == 404)
		err_kind_set(e, ERR_NOT_FOUND,
			"Kaggle found nothing by that name while %s (%s): check the name; "
			"'autokaggle competitions SEARCH' lists competitions",
			where, detail);
	else if (code == 429)
		err_kind_set(e, ERR_RATE_LIMITED, "Kaggle is limiting requests (%s) while %s: wait a few minutes, then re-run",
			detail, where);
	else if (code >= 400 && code < 500)
		err_kind_set(e, ERR_INPUT,
			"Kaggle rejected the request while %s (%s): check the name and file given; "
			"Kaggle also refuses submissions to a competition you have not joined",
			where, detail);
	else
		err_kind_set(e, ERR_SERVER, "Kaggle failed while %s (HTTP %s): re-run later", where, detail);
	free(detail);
	return -1;
}

/* "downloading the data of titanic"; caller frees. */
static char *
api_where(const char *method, const char *slug, int *rules, int *kernel)
{
	const char *doing = NULL, *before = "for";
	size_t i;

	*rules = *kernel = 0;
	for (i = 0; method && i < sizeof(api_methods) / sizeof(api_methods[0]); i++)
		if (strcmp(method, api_methods[i].name) == 0) {
			doing = api_methods[i].doing;
			before = api_methods[i].before_slug;
			*rules = api_methods[i].rules;
			*kernel = api_methods[i].kernel;
		}
	if (!doing)
		return xasprintf("calling %s%s%s", method ? method : "Kaggle", slug ? " for " : "", slug ? slug : "");
	if (!slug)
		return xstrdup(doing);
	return xasprintf("%s%s%s %s", doing, *before ? " " : "", before, slug);
}

int
kaggle_api_error(long http_status, const char *body, size_t len, const char *slug, const char *method,
	const char *auth_source, ak_err *e)
{
	cJSON *root = NULL;
	char *where;
	api_fault f;
	int rc, rules, kernel;

	if (http_status >= 300 && http_status < 400)
		return 0;
	where = api_where(method, slug, &rules, &kernel);
	if (body && len <= KAGGLE_API_MAX_REPLY)
		root = cJSON_ParseWithLength(body, len);
	f = api_fault_read(root);
	if (http_status < 100)
		rc = err_kind_set(e, ERR_NETWORK, "no reply from Kaggle while %s", where);
	else if (http_status >= 300 || f.code >= 400)
		rc = api_error_line(http_status >= 300 ? http_status : f.code, &f, kernel ? NULL : slug, where,
			rules | (kernel ? API_KERNEL : 0), auth_source, e);
	else if (body && !cJSON_IsObject(root))
		rc = err_kind_set(e, ERR_SERVER, "Kaggle sent a reply autokaggle cannot read (truncated or not JSON) "
			"while %s: re-run later", where);
	else
		rc = 0;
	cJSON_Delete(root);
	free(where);
	return rc;
}

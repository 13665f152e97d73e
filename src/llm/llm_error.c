#include "config.h"

#include "llm/provider.h"
#include "util/redact.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What the error bodies of the four providers say, in one reading:
 * {"error":{"message","type"|"status","code"}} (OpenAI, Gemini, vLLM, the
 * Anthropic envelope's inner object), {"error":"text"} (Ollama), a flat
 * {"object":"error","message"} (old vLLM); anything else is shown as a
 * first line, or called an HTML page. */
typedef struct llm_error_body {
	char *message;                  /* the server's words, redacted, one safe line */
	char *type;                     /* type, status or code, when given */
	int quota;                      /* the quota is used up */
	int bad_key;                    /* Gemini's 400 API_KEY_INVALID */
} llm_error_body;

static int
llm_error_has(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

/* Gemini's daily quota names a per-day quota id in its details. */
static void
llm_error_details(const cJSON *details, llm_error_body *b)
{
	const cJSON *d, *v;

	cJSON_ArrayForEach(d, details) {
		const char *reason = llm_json_str(d, "reason");

		if (reason && strcmp(reason, "API_KEY_INVALID") == 0)
			b->bad_key = 1;
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(d, "violations")) {
			const char *id = llm_json_str(v, "quotaId");

			if (id && strcasestr(id, "PerDay"))
				b->quota = 1;
		}
	}
}

char *
llm_safe_words(const char *s)
{
	char *r = redact_string(s ? s : ""), *t = termsafe(r, TERMSAFE_LINE);

	free(r);
	termsafe_cut(t, 240);
	return t;
}

/* The fields of j's error object: its message, its type (or status), its
 * code as a string and as a number. 0 when j holds no "error". */
static int
llm_error_fields(const cJSON *j, const char **msg, const char **type, const char **code, long *num)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(j, "error");

	*msg = *type = *code = NULL;
	*num = 0;
	if (cJSON_IsString(err)) {
		*msg = err->valuestring;
		return 1;
	}
	if (!cJSON_IsObject(err))
		return 0;
	*msg = llm_json_str(err, "message");
	*type = llm_json_str(err, "type");
	if (!*type)
		*type = llm_json_str(err, "status");
	*code = llm_json_str(err, "code");
	*num = llm_json_long(err, "code", 0);
	return 1;
}

static void
llm_error_json(const cJSON *j, llm_error_body *b)
{
	const char *msg, *type, *code;
	long num;

	if (llm_error_fields(j, &msg, &type, &code, &num)) {
		llm_error_details(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "error"), "details"),
				  b);
	} else {
		msg = llm_json_str(j, "message");
		type = llm_json_str(j, "type");
	}
	if (llm_error_has(code, "insufficient_quota") || llm_error_has(type, "insufficient_quota") ||
	    llm_error_has(type, "billing_error"))
		b->quota = 1;
	if (llm_error_has(code, "invalid_api_key"))
		b->bad_key = 1;
	if (msg)
		b->message = llm_safe_words(msg);
	if (type || code)
		b->type = llm_safe_words(type ? type : code);
}

int
llm_turn_error(llm_turn *t, const char *label, const cJSON *j)
{
	const char *msg, *type, *code;
	char *words, *ty;
	long num;

	if (!llm_error_fields(j, &msg, &type, &code, &num))
		return 0;
	if (!type)
		type = code;
	words = llm_safe_words(msg ? msg : "no message");
	ty = type ? llm_safe_words(type) : NULL;
	t->failed = 1;
	err_kind_set(&t->err, llm_error_kind(num, type), "%s failed mid-reply%s%s%s %s%s", label, ty ? " (" : "",
		     ty ? ty : "", ty ? ":" : ":", words, ty ? ")" : "");
	free(ty);
	free(words);
	return 1;
}

static void
llm_error_parse(const char *body, llm_error_body *b)
{
	cJSON *j = body ? cJSON_Parse(body) : NULL;

	memset(b, 0, sizeof *b);
	if (cJSON_IsArray(j) && cJSON_GetArraySize(j) > 0) {
		/* Gemini's non-SSE stream wraps its error in a list. */
		cJSON *first = cJSON_DetachItemFromArray(j, 0);

		cJSON_Delete(j);
		j = first;
	}
	if (cJSON_IsObject(j))
		llm_error_json(j, b);
	cJSON_Delete(j);
	if (!b->message && body && *body) {
		if (strncasecmp(body + strspn(body, " \t\r\n"), "<", 1) == 0) {
			b->message = xstrdup("an HTML page (a proxy or gateway in the way?)");
		} else {
			char *line = xstrndup(body, strcspn(body, "\r\n"));

			b->message = llm_safe_words(line);
			free(line);
		}
	}
	if (!b->message)
		b->message = xstrdup("no details");
}

enum err_kind
llm_error_kind(long status, const char *type)
{
	if (type) {
		if (strcasestr(type, "auth") || strcasestr(type, "permission") || strcasestr(type, "api_key"))
			return ERR_AUTH;
		if (strcasestr(type, "rate_limit") || strcasestr(type, "quota") || strcasestr(type, "RESOURCE_EXHAUSTED"))
			return ERR_RATE_LIMITED;
		if (strcasestr(type, "not_found"))
			return ERR_NOT_FOUND;
		if (strcasestr(type, "invalid_request") || strcasestr(type, "INVALID_ARGUMENT"))
			return ERR_INPUT;
	}
	if (status == 401 || status == 403)
		return ERR_AUTH;
	if (status == 429)
		return ERR_RATE_LIMITED;
	if (status == 404)
		return ERR_NOT_FOUND;
	if (status >= 400 && status < 500)
		return ERR_INPUT;
	return ERR_SERVER;
}

static const char *
llm_error_advice(const llm_config *c, enum err_kind k, long status, const llm_error_body *b)
{
	if (b->quota)
		return "the account's quota is used up: check its plan and billing";
	switch (k) {
	case ERR_AUTH:
		return status == 403 ? "the key has no access to this: check its permissions"
				     : "the key was refused: check it";
	case ERR_RATE_LIMITED:
		return "it is limiting requests: wait a minute, then retry";
	case ERR_NOT_FOUND:
		return "check the model ('autokaggle models' lists them) and the base URL";
	case ERR_INPUT:
		return "the request was refused";
	default:
		(void)c;
		return "the server failed: retry later";
	}
}

void
llm_error_from_reply(const llm_config *c, long status, const char *body, ak_err *e, int *quota)
{
	llm_error_body b;
	enum err_kind k;
	char *where = http_url_for_message(c->base_url);

	/* Servers quote the key they refuse ("Incorrect API key provided: ..."). */
	redact_add_secret(c->key);
	llm_error_parse(body, &b);
	k = b.bad_key ? ERR_AUTH : b.quota ? ERR_RATE_LIMITED : llm_error_kind(status, NULL);
	if (k == ERR_AUTH && c->key_env && status != 403)
		err_kind_set(e, k, "%s at %s: the key from %s was refused (%ld%s%s: %s)", c->provider->label, where,
			     c->key_env, status, b.type ? " " : "", b.type ? b.type : "", b.message);
	else
		err_kind_set(e, k, "%s at %s: %s (%ld%s%s: %s)", c->provider->label, where,
			     llm_error_advice(c, k, status, &b), status, b.type ? " " : "", b.type ? b.type : "",
			     b.message);
	if (quota)
		*quota = b.quota;
	free(where);
	free(b.message);
	free(b.type);
}

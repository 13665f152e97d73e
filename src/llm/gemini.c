#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Google's Gemini API, v1beta (spec §1). */

/* Google's SDKs take GOOGLE_API_KEY when both are set. */
static const char *const gemini_key_env[] = { "GOOGLE_API_KEY", "GEMINI_API_KEY", NULL };
static const char *const gemini_base_env[] = { "GOOGLE_GEMINI_BASE_URL", NULL };

/* The model without the "models/" the listing puts before it. */
static const char *
gemini_model(const char *m)
{
	return strncmp(m, "models/", 7) == 0 ? m + 7 : m;
}

static cJSON *
gemini_text_parts(const char *text)
{
	cJSON *parts = cJSON_CreateArray(), *p = cJSON_CreateObject();

	cJSON_AddStringToObject(p, "text", text);
	cJSON_AddItemToArray(parts, p);
	return parts;
}

static void
gemini_chat(const llm_config *c, const llm_conv *conv, llm_http *out)
{
	cJSON *j = cJSON_CreateObject(), *contents, *m, *gen;
	size_t i;

	/* alt=sse: without it the stream is one growing JSON array. */
	out->url = xasprintf("%s/models/%s:streamGenerateContent?alt=sse", c->base_url, gemini_model(c->model));
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: text/event-stream");
	if (c->key)
		llm_http_header(out, "x-goog-api-key: %s", c->key);
	if (conv->system && *conv->system) {
		m = cJSON_AddObjectToObject(j, "systemInstruction");
		cJSON_AddItemToObject(m, "parts", gemini_text_parts(conv->system));
	}
	contents = cJSON_AddArrayToObject(j, "contents");
	for (i = 0; i < conv->count; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", strcmp(conv->messages[i].role, "assistant") == 0 ? "model" : "user");
		cJSON_AddItemToObject(m, "parts", gemini_text_parts(conv->messages[i].text));
		cJSON_AddItemToArray(contents, m);
	}
	gen = cJSON_AddObjectToObject(j, "generationConfig");
	cJSON_AddNumberToObject(gen, "maxOutputTokens", c->max_tokens);
	llm_http_body(out, j);
}

/* The counts grow chunk by chunk: the last seen is the count. Thoughts
 * are counted apart; output here includes them, as elsewhere. */
static void
gemini_usage(llm_turn *t, const cJSON *u)
{
	long cand = llm_json_long(u, "candidatesTokenCount", -1), thoughts = llm_json_long(u, "thoughtsTokenCount", -1);

	if (!cJSON_IsObject(u))
		return;
	t->usage.input_tokens = llm_json_long(u, "promptTokenCount", t->usage.input_tokens);
	t->usage.cached_tokens = llm_json_long(u, "cachedContentTokenCount", t->usage.cached_tokens);
	if (thoughts >= 0)
		t->usage.reasoning_tokens = thoughts;
	if (cand >= 0 || thoughts >= 0)
		t->usage.output_tokens = (cand > 0 ? cand : 0) + (thoughts > 0 ? thoughts : 0);
}

static void
gemini_candidate(llm_turn *t, const cJSON *cand)
{
	const cJSON *part, *parts = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cand, "content"),
									"parts");
	const char *reason = llm_json_str(cand, "finishReason");

	cJSON_ArrayForEach(part, parts) {
		const char *text = llm_json_str(part, "text");

		if (text)
			llm_turn_text(t, text, strlen(text), cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(part, "thought")));
	}
	if (reason) {
		llm_turn_finish(t, reason);
		t->complete = 1;
	}
}

static void
gemini_event(llm_turn *t, const char *event, const char *data, size_t len)
{
	cJSON *j = cJSON_Parse(data), *cands;
	const char *blocked;

	(void)event;
	(void)len;
	if (!j)
		return;
	if (llm_turn_error(t, "Gemini", j))
		goto out;
	gemini_usage(t, cJSON_GetObjectItemCaseSensitive(j, "usageMetadata"));
	cands = cJSON_GetObjectItemCaseSensitive(j, "candidates");
	if (cJSON_GetArraySize(cands) > 0) {
		gemini_candidate(t, cJSON_GetArrayItem(cands, 0));
	} else if ((blocked = llm_json_str(cJSON_GetObjectItemCaseSensitive(j, "promptFeedback"), "blockReason"))) {
		t->failed = 1;
		err_kind_set(&t->err, ERR_INPUT, "Gemini blocked the prompt (%.40s): reword it", blocked);
	}
out:
	cJSON_Delete(j);
}

static void
gemini_models(const llm_config *c, llm_http *out)
{
	out->url = xasprintf("%s/models?pageSize=1000", c->base_url);
	if (c->key)
		llm_http_header(out, "x-goog-api-key: %s", c->key);
}

static int
gemini_can_chat(const cJSON *m)
{
	const cJSON *methods = cJSON_GetObjectItemCaseSensitive(m, "supportedGenerationMethods"), *v;

	if (!cJSON_IsArray(methods))
		return 1;
	cJSON_ArrayForEach(v, methods)
		if (cJSON_IsString(v) && strcmp(v->valuestring, "generateContent") == 0)
			return 1;
	return 0;
}

static int
gemini_models_parse(cJSON *reply, llm_model **out, size_t *n)
{
	const cJSON *models = cJSON_GetObjectItemCaseSensitive(reply, "models"), *m;

	if (!cJSON_IsObject(reply))
		return -1;
	cJSON_ArrayForEach(m, models) {
		const char *name = llm_json_str(m, "name");

		if (name && gemini_can_chat(m))
			llm_models_add(out, n, gemini_model(name), llm_json_long(m, "inputTokenLimit", 0));
	}
	return 0;
}

const llm_provider llm_gemini = {
	.name = "gemini",
	.label = "Gemini",
	.default_model = "gemini-2.5-flash",
	.default_base = "https://generativelanguage.googleapis.com/v1beta",
	.key_env = gemini_key_env,
	.base_env = gemini_base_env,
	.key_needed = 2,
	.ends_at_eof = 1,
	.chat = gemini_chat,
	.event = gemini_event,
	.models = gemini_models,
	.models_parse = gemini_models_parse,
};

#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* OpenAI's Chat Completions, and the servers that speak it: vLLM,
 * llama.cpp's llama-server, Ollama's /v1, LM Studio (spec §2, §5). */

static const char *const openai_key_env[] = { "OPENAI_API_KEY", NULL };
static const char *const openai_base_env[] = { "OPENAI_BASE_URL", "OPENAI_API_BASE", NULL };

static void
openai_auth(const llm_config *c, llm_http *out)
{
	const char *org = getenv("OPENAI_ORG_ID"), *project = getenv("OPENAI_PROJECT_ID");

	if (c->key)
		llm_http_header(out, "Authorization: Bearer %s", c->key);
	if (org && *org)
		llm_http_header(out, "OpenAI-Organization: %s", org);
	if (project && *project)
		llm_http_header(out, "OpenAI-Project: %s", project);
}

static void
openai_chat(const llm_config *c, const llm_conv *conv, llm_http *out)
{
	cJSON *j = cJSON_CreateObject(), *msgs, *m, *opts;
	size_t i;

	out->url = xasprintf("%s/chat/completions", c->base_url);
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: text/event-stream");
	openai_auth(c, out);
	cJSON_AddStringToObject(j, "model", c->model);
	cJSON_AddTrueToObject(j, "stream");
	opts = cJSON_AddObjectToObject(j, "stream_options");
	cJSON_AddTrueToObject(opts, "include_usage");
	msgs = cJSON_AddArrayToObject(j, "messages");
	if (conv->system && *conv->system) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", "system");
		cJSON_AddStringToObject(m, "content", conv->system);
		cJSON_AddItemToArray(msgs, m);
	}
	for (i = 0; i < conv->count; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", strcmp(conv->messages[i].role, "assistant") == 0 ? "assistant" : "user");
		cJSON_AddStringToObject(m, "content", conv->messages[i].text);
		cJSON_AddItemToArray(msgs, m);
	}
	/* OpenAI deprecated max_tokens; the local servers know only it. */
	cJSON_AddNumberToObject(j, strstr(c->base_url, "://api.openai.com") ? "max_completion_tokens" : "max_tokens",
				c->max_tokens);
	llm_http_body(out, j);
}

static void
openai_usage(llm_turn *t, const cJSON *u)
{
	if (!cJSON_IsObject(u))
		return;
	t->usage.input_tokens = llm_json_long(u, "prompt_tokens", t->usage.input_tokens);
	t->usage.output_tokens = llm_json_long(u, "completion_tokens", t->usage.output_tokens);
	t->usage.cached_tokens = llm_json_long(cJSON_GetObjectItemCaseSensitive(u, "prompt_tokens_details"),
					       "cached_tokens", t->usage.cached_tokens);
	t->usage.reasoning_tokens = llm_json_long(cJSON_GetObjectItemCaseSensitive(u, "completion_tokens_details"),
						  "reasoning_tokens", t->usage.reasoning_tokens);
}

static void
openai_delta(llm_turn *t, const cJSON *choice)
{
	const cJSON *delta = cJSON_GetObjectItemCaseSensitive(choice, "delta");
	const char *s;

	/* vLLM renamed reasoning_content to reasoning; Ollama uses the latter. */
	if ((s = llm_json_str(delta, "reasoning_content")) || (s = llm_json_str(delta, "reasoning")))
		llm_turn_text(t, s, strlen(s), 1);
	if ((s = llm_json_str(delta, "content")))
		llm_turn_text(t, s, strlen(s), 0);
	if ((s = llm_json_str(delta, "refusal")))
		llm_turn_text(t, s, strlen(s), 0);
	llm_turn_finish(t, llm_json_str(choice, "finish_reason"));
}

static void
openai_event(llm_turn *t, const char *event, const char *data, size_t len)
{
	cJSON *j, *choice;

	(void)event;
	(void)len;
	if (strncmp(data, "[DONE]", 6) == 0) {
		t->complete = 1;
		return;
	}
	j = cJSON_Parse(data);
	if (!j)
		return;
	if (!llm_turn_error(t, "the OpenAI-compatible server", j)) {
		cJSON_ArrayForEach(choice, cJSON_GetObjectItemCaseSensitive(j, "choices"))
			if (llm_json_long(choice, "index", 0) == 0)
				openai_delta(t, choice);
		openai_usage(t, cJSON_GetObjectItemCaseSensitive(j, "usage"));
	}
	cJSON_Delete(j);
}

static void
openai_models(const llm_config *c, llm_http *out)
{
	out->url = xasprintf("%s/models", c->base_url);
	openai_auth(c, out);
}

static int
openai_models_parse(cJSON *reply, llm_model **out, size_t *n)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(reply, "data"), *m;

	if (!cJSON_IsArray(data))
		return -1;
	/* vLLM tells the window as max_model_len; OpenAI does not tell it. */
	cJSON_ArrayForEach(m, data)
		llm_models_add(out, n, llm_json_str(m, "id"), llm_json_long(m, "max_model_len", 0));
	return 0;
}

const llm_provider llm_openai = {
	.name = "openai",
	.label = "OpenAI-compatible",
	.default_model = "gpt-5-mini",
	.default_base = "https://api.openai.com/v1",
	.key_env = openai_key_env,
	.base_env = openai_base_env,
	.key_needed = 1,
	.chat = openai_chat,
	.event = openai_event,
	.models = openai_models,
	.models_parse = openai_models_parse,
};

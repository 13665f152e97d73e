#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Anthropic's Messages API (spec §3). */

#define ANTHROPIC_VERSION "2023-06-01"

static const char *const anthropic_key_env[] = { "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", NULL };
static const char *const anthropic_base_env[] = { "ANTHROPIC_BASE_URL", NULL };

static void
anthropic_auth(const llm_config *c, llm_http *out)
{
	/* A token from ANTHROPIC_AUTH_TOKEN goes as a bearer, as the SDKs send it. */
	if (c->key && c->key_env && strcmp(c->key_env, "ANTHROPIC_AUTH_TOKEN") == 0)
		llm_http_header(out, "Authorization: Bearer %s", c->key);
	else if (c->key)
		llm_http_header(out, "x-api-key: %s", c->key);
	llm_http_header(out, "anthropic-version: " ANTHROPIC_VERSION);
}

static void
anthropic_chat(const llm_config *c, const llm_conv *conv, llm_http *out)
{
	cJSON *j = cJSON_CreateObject(), *msgs, *m;
	size_t i;

	out->url = xasprintf("%s/v1/messages", c->base_url);
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: text/event-stream");
	anthropic_auth(c, out);
	cJSON_AddStringToObject(j, "model", c->model);
	cJSON_AddNumberToObject(j, "max_tokens", c->max_tokens);
	cJSON_AddTrueToObject(j, "stream");
	if (conv->system && *conv->system)
		cJSON_AddStringToObject(j, "system", conv->system);
	msgs = cJSON_AddArrayToObject(j, "messages");
	for (i = 0; i < conv->count; i++) {
		m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "role", strcmp(conv->messages[i].role, "assistant") == 0 ? "assistant" : "user");
		cJSON_AddStringToObject(m, "content", conv->messages[i].text);
		cJSON_AddItemToArray(msgs, m);
	}
	llm_http_body(out, j);
}

/* Input excludes the cache here; the other providers count it in. */
static void
anthropic_usage(llm_turn *t, const cJSON *u)
{
	long in = llm_json_long(u, "input_tokens", -1), made = llm_json_long(u, "cache_creation_input_tokens", 0),
	     read = llm_json_long(u, "cache_read_input_tokens", 0);

	if (!cJSON_IsObject(u))
		return;
	if (in >= 0)
		t->usage.input_tokens = in + made + read;
	if (cJSON_GetObjectItemCaseSensitive(u, "cache_read_input_tokens"))
		t->usage.cached_tokens = read;
	/* Cumulative: the latest count is the count. */
	t->usage.output_tokens = llm_json_long(u, "output_tokens", t->usage.output_tokens);
}

static void
anthropic_delta(llm_turn *t, const cJSON *delta)
{
	const char *type = llm_json_str(delta, "type"), *s;

	if (!type)
		return;
	if (strcmp(type, "text_delta") == 0 && (s = llm_json_str(delta, "text")))
		llm_turn_text(t, s, strlen(s), 0);
	else if (strcmp(type, "thinking_delta") == 0 && (s = llm_json_str(delta, "thinking")))
		llm_turn_text(t, s, strlen(s), 1);
}

static void
anthropic_event(llm_turn *t, const char *event, const char *data, size_t len)
{
	cJSON *j = cJSON_Parse(data);
	const char *type;

	(void)len;
	if (!j)
		return;
	type = llm_json_str(j, "type");
	if (!type)
		type = event;
	if (strcmp(type, "error") == 0 || strcmp(event, "error") == 0) {
		llm_turn_error(t, "Anthropic", j);
	} else if (strcmp(type, "message_start") == 0) {
		anthropic_usage(t, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "message"), "usage"));
	} else if (strcmp(type, "content_block_delta") == 0) {
		anthropic_delta(t, cJSON_GetObjectItemCaseSensitive(j, "delta"));
	} else if (strcmp(type, "message_delta") == 0) {
		llm_turn_finish(t, llm_json_str(cJSON_GetObjectItemCaseSensitive(j, "delta"), "stop_reason"));
		anthropic_usage(t, cJSON_GetObjectItemCaseSensitive(j, "usage"));
	} else if (strcmp(type, "message_stop") == 0) {
		t->complete = 1;
	}
	/* ping, content_block_start/stop and names added later: nothing to do. */
	cJSON_Delete(j);
}

static void
anthropic_models(const llm_config *c, llm_http *out)
{
	out->url = xasprintf("%s/v1/models?limit=1000", c->base_url);
	anthropic_auth(c, out);
}

static int
anthropic_models_parse(cJSON *reply, llm_model **out, size_t *n)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(reply, "data"), *m;

	if (!cJSON_IsArray(data))
		return -1;
	cJSON_ArrayForEach(m, data)
		llm_models_add(out, n, llm_json_str(m, "id"), llm_json_long(m, "max_input_tokens", 0));
	return 0;
}

const llm_provider llm_anthropic = {
	.name = "anthropic",
	.label = "Anthropic",
	.default_model = "claude-sonnet-4-5",
	.default_base = "https://api.anthropic.com",
	.key_env = anthropic_key_env,
	.base_env = anthropic_base_env,
	.key_needed = 2,
	.chat = anthropic_chat,
	.event = anthropic_event,
	.models = anthropic_models,
	.models_parse = anthropic_models_parse,
};

#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Ollama's native API: NDJSON streams (spec §4). */

#define OLLAMA_PORT "11434"

/* ollama.com's cloud wants a key; a local server none. */
static const char *const ollama_key_env[] = { "OLLAMA_API_KEY", NULL };
static const char *const ollama_base_env[] = { "OLLAMA_HOST", NULL };

/* OLLAMA_HOST as Ollama reads it: no scheme is http on port 11434; a
 * scheme without a port is that scheme's port (80, 443); a path stays. */
static char *
ollama_base(const char *given)
{
	const char *sep = strstr(given, "://"), *hostport = sep ? sep + 3 : given;
	size_t hostlen = strcspn(hostport, "/");
	const char *close = memchr(hostport, ']', hostlen), *colon;

	colon = memchr(close ? close : hostport, ':', hostlen - (size_t)((close ? close : hostport) - hostport));
	if (sep || colon)
		return xasprintf("%s%s", sep ? "" : "http://", given);
	return xasprintf("http://%.*s:" OLLAMA_PORT "%s", (int)hostlen, hostport, hostport + hostlen);
}

static void
ollama_auth(const llm_config *c, llm_http *out)
{
	if (c->key)
		llm_http_header(out, "Authorization: Bearer %s", c->key);
}

static cJSON *
ollama_message(const char *role, const char *text)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "role", role);
	cJSON_AddStringToObject(m, "content", text);
	return m;
}

static void
ollama_chat(const llm_config *c, const llm_conv *conv, llm_http *out)
{
	cJSON *j = cJSON_CreateObject(), *msgs, *opts;
	size_t i;

	out->url = xasprintf("%s/api/chat", c->base_url);
	llm_http_header(out, "Content-Type: application/json");
	ollama_auth(c, out);
	cJSON_AddStringToObject(j, "model", c->model);
	cJSON_AddTrueToObject(j, "stream");
	msgs = cJSON_AddArrayToObject(j, "messages");
	if (conv->system && *conv->system)
		cJSON_AddItemToArray(msgs, ollama_message("system", conv->system));
	for (i = 0; i < conv->count; i++)
		cJSON_AddItemToArray(msgs, ollama_message(strcmp(conv->messages[i].role, "assistant") == 0 ? "assistant"
													     : "user",
							  conv->messages[i].text));
	opts = cJSON_AddObjectToObject(j, "options");
	cJSON_AddNumberToObject(opts, "num_predict", c->max_tokens);
	llm_http_body(out, j);
}

static void
ollama_event(llm_turn *t, const char *event, const char *data, size_t len)
{
	cJSON *j = cJSON_Parse(data);
	const cJSON *msg;
	const char *s;

	(void)event;
	(void)len;
	if (!j)
		return;
	if (llm_turn_error(t, "Ollama", j))
		goto out;
	msg = cJSON_GetObjectItemCaseSensitive(j, "message");
	if ((s = llm_json_str(msg, "thinking")))
		llm_turn_text(t, s, strlen(s), 1);
	if ((s = llm_json_str(msg, "content")))
		llm_turn_text(t, s, strlen(s), 0);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "done"))) {
		llm_turn_finish(t, llm_json_str(j, "done_reason"));
		t->usage.input_tokens = llm_json_long(j, "prompt_eval_count", t->usage.input_tokens);
		t->usage.output_tokens = llm_json_long(j, "eval_count", t->usage.output_tokens);
		t->complete = 1;
	}
out:
	cJSON_Delete(j);
}

static void
ollama_models(const llm_config *c, llm_http *out)
{
	out->url = xasprintf("%s/api/tags", c->base_url);
	ollama_auth(c, out);
}

static int
ollama_models_parse(cJSON *reply, llm_model **out, size_t *n)
{
	const cJSON *models = cJSON_GetObjectItemCaseSensitive(reply, "models"), *m;

	if (!cJSON_IsArray(models))
		return -1;
	cJSON_ArrayForEach(m, models)
		llm_models_add(out, n, llm_json_str(m, "name"), 0);
	return 0;
}

const llm_provider llm_ollama = {
	.name = "ollama",
	.label = "Ollama",
	.default_model = "qwen3:8b",
	.default_base = "http://127.0.0.1:" OLLAMA_PORT,
	.key_env = ollama_key_env,
	.base_env = ollama_base_env,
	.key_needed = 0,
	.ndjson = 1,
	.base_normalise = ollama_base,
	.chat = ollama_chat,
	.event = ollama_event,
	.models = ollama_models,
	.models_parse = ollama_models_parse,
};

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include <unistd.h>

#include "llm/context.h"
#include "llm/ndjson.h"
#include "llm/price.h"
#include "llm/provider.h"
#include "llm/sse.h"
#include "util/settings.h"
#include "util/xalloc.h"

/* The providers' request builders and stream parsers against the wire
 * spec's examples, the error replies, and how a configuration is
 * resolved from the environment. */

static const char *const llm_env_names[] = {
	"OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN",
	"ANTHROPIC_BASE_URL", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL", "OLLAMA_HOST",
	"OLLAMA_API_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", NULL,
};

static int
clean_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; llm_env_names[i]; i++)
		unsetenv(llm_env_names[i]);
	setenv("AUTOKAGGLE_CONFIG", "/nonexistent/autokaggle-config", 1);
	settings_reset();
	return 0;
}

static const llm_message conv_msgs[] = {
	{ "user", "Dataset has 40 columns." },
	{ "assistant", "Noted." },
	{ "user", "Suggest a baseline." },
};
static const llm_conv conv = { "You help with Kaggle pipelines.", conv_msgs, 3 };

static llm_config
config_for(const llm_provider *p, const char *base, const char *key)
{
	llm_config c = { 0 };

	c.provider = p;
	c.model = (char *)p->default_model;
	c.base_url = (char *)base;
	c.key = (char *)key;
	c.max_tokens = 2048;
	return c;
}

static int
has_header(const llm_http *h, const char *line)
{
	size_t i;

	for (i = 0; h->headers[i]; i++)
		if (strcmp(h->headers[i], line) == 0)
			return 1;
	return 0;
}

/* The value at a path of dotted names and [i] indexes, as compact JSON. */
static char *
json_at(const char *body, const char *path)
{
	cJSON *root = cJSON_Parse(body), *j = root;
	char *copy = xstrdup(path), *tok, *save = NULL, *out;

	assert_non_null(root);
	for (tok = strtok_r(copy, ".", &save); tok && j; tok = strtok_r(NULL, ".", &save))
		j = (*tok >= '0' && *tok <= '9') ? cJSON_GetArrayItem(j, atoi(tok)) : cJSON_GetObjectItemCaseSensitive(j, tok);
	out = j ? cJSON_PrintUnformatted(j) : xstrdup("(none)");
	free(copy);
	cJSON_Delete(root);
	return out;
}

static void
assert_json(const char *body, const char *path, const char *want)
{
	char *got = json_at(body, path);

	if (strcmp(got, want) != 0)
		print_error("at %s\n", path);
	assert_string_equal(got, want);
	free(got);
}

static void
test_openai_request(void **state)
{
	llm_config c = config_for(&llm_openai, "https://api.openai.com/v1", "sk-test-0123456789");
	llm_http h = { 0 };

	(void)state;
	setenv("OPENAI_ORG_ID", "org-7", 1);
	llm_openai.chat(&c, &conv, &h);
	assert_string_equal(h.url, "https://api.openai.com/v1/chat/completions");
	assert_true(has_header(&h, "Authorization: Bearer sk-test-0123456789"));
	assert_true(has_header(&h, "OpenAI-Organization: org-7"));
	assert_true(has_header(&h, "Content-Type: application/json"));
	assert_json(h.body, "stream", "true");
	assert_json(h.body, "stream_options.include_usage", "true");
	assert_json(h.body, "messages.0", "{\"role\":\"system\",\"content\":\"You help with Kaggle pipelines.\"}");
	assert_json(h.body, "messages.2.role", "\"assistant\"");
	assert_json(h.body, "max_completion_tokens", "2048");
	assert_json(h.body, "max_tokens", "(none)");
	llm_http_clean(&h);

	/* A local server knows only max_tokens, and needs no key. */
	c = config_for(&llm_openai, "http://127.0.0.1:8000/v1", NULL);
	llm_openai.chat(&c, &conv, &h);
	assert_json(h.body, "max_tokens", "2048");
	assert_null(strstr(h.headers[0], "Authorization"));
	assert_false(has_header(&h, "Authorization: Bearer (null)"));
	llm_http_clean(&h);
}

static void
test_anthropic_request(void **state)
{
	llm_config c = config_for(&llm_anthropic, "https://api.anthropic.com", "sk-ant-test-0123456789");
	llm_http h = { 0 };

	(void)state;
	llm_anthropic.chat(&c, &conv, &h);
	assert_string_equal(h.url, "https://api.anthropic.com/v1/messages");
	assert_true(has_header(&h, "x-api-key: sk-ant-test-0123456789"));
	assert_true(has_header(&h, "anthropic-version: 2023-06-01"));
	assert_json(h.body, "max_tokens", "2048");
	assert_json(h.body, "system", "\"You help with Kaggle pipelines.\"");
	assert_json(h.body, "messages.0.role", "\"user\"");
	assert_json(h.body, "messages.1.role", "\"assistant\"");
	assert_json(h.body, "stream", "true");
	llm_http_clean(&h);
	c.key_env = "ANTHROPIC_AUTH_TOKEN";
	llm_anthropic.chat(&c, &conv, &h);
	assert_true(has_header(&h, "Authorization: Bearer sk-ant-test-0123456789"));
	assert_false(has_header(&h, "x-api-key: sk-ant-test-0123456789"));
	llm_http_clean(&h);
}

static void
test_gemini_request(void **state)
{
	llm_config c = config_for(&llm_gemini, "https://generativelanguage.googleapis.com/v1beta", "AIzaTest0123456789");
	llm_http h = { 0 };

	(void)state;
	c.model = "models/gemini-2.5-flash";
	llm_gemini.chat(&c, &conv, &h);
	assert_string_equal(h.url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:"
				   "streamGenerateContent?alt=sse");
	assert_true(has_header(&h, "x-goog-api-key: AIzaTest0123456789"));
	assert_null(strstr(h.url, "key="));
	assert_json(h.body, "systemInstruction.parts.0.text", "\"You help with Kaggle pipelines.\"");
	assert_json(h.body, "contents.0", "{\"role\":\"user\",\"parts\":[{\"text\":\"Dataset has 40 columns.\"}]}");
	assert_json(h.body, "contents.1.role", "\"model\"");
	assert_json(h.body, "generationConfig.maxOutputTokens", "2048");
	llm_http_clean(&h);
}

static void
test_ollama_request(void **state)
{
	llm_config c = config_for(&llm_ollama, "http://127.0.0.1:11434", NULL);
	llm_http h = { 0 };
	char *b;

	(void)state;
	llm_ollama.chat(&c, &conv, &h);
	assert_string_equal(h.url, "http://127.0.0.1:11434/api/chat");
	assert_json(h.body, "messages.0.role", "\"system\"");
	assert_json(h.body, "messages.3.content", "\"Suggest a baseline.\"");
	assert_json(h.body, "options.num_predict", "2048");
	assert_null(h.headers[1]);
	llm_http_clean(&h);
	b = llm_ollama.base_normalise("gpu-box");
	assert_string_equal(b, "http://gpu-box:11434");
	free(b);
	b = llm_ollama.base_normalise("10.0.0.2:8080");
	assert_string_equal(b, "http://10.0.0.2:8080");
	free(b);
	b = llm_ollama.base_normalise("http://gpu-box");
	assert_string_equal(b, "http://gpu-box");
	free(b);
	b = llm_ollama.base_normalise("https://ollama.example/proxy");
	assert_string_equal(b, "https://ollama.example/proxy");
	free(b);
}

/* ---- stream parsers ---- */

struct seen {
	strbuf text, thought;
};

static void
seen_emit(void *arg, const char *text, size_t len, int thought)
{
	struct seen *s = arg;

	strbuf_add(thought ? &s->thought : &s->text, text, len);
}

struct feed {
	llm_turn *t;
	const llm_provider *p;
};

static void
feed_event(void *arg, const char *event, const char *data, size_t len)
{
	struct feed *f = arg;

	f->p->event(f->t, event, data, len);
}

static void
feed_line(void *arg, const char *line, size_t len)
{
	struct feed *f = arg;

	f->p->event(f->t, NULL, line, len);
}

static void
parse_stream(const llm_provider *p, const char *stream, llm_turn *t, struct seen *s)
{
	struct feed f = { t, p };

	memset(t, 0, sizeof *t);
	memset(s, 0, sizeof *s);
	t->usage = (llm_usage){ -1, -1, -1, -1, 0, -1, 0 };
	t->emit = seen_emit;
	t->arg = s;
	if (p->ndjson) {
		ndjson_splitter n;

		ndjson_init(&n, feed_line, &f);
		ndjson_feed(&n, stream, strlen(stream));
		ndjson_end(&n);
		ndjson_clean(&n);
	} else {
		sse_parser sp;

		sse_init(&sp, feed_event, &f);
		sse_feed(&sp, stream, strlen(stream));
		sse_end(&sp);
		sse_clean(&sp);
	}
}

static void
turn_clean(llm_turn *t, struct seen *s)
{
	assert_string_equal(strbuf_str(&t->text), strbuf_str(&s->text));
	strbuf_free(&t->text);
	strbuf_free(&s->text);
	strbuf_free(&s->thought);
}

static void
test_openai_stream(void **state)
{
	llm_turn t;
	struct seen s;

	(void)state;
	parse_stream(&llm_openai,
		"data: {\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"
		"data: {\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"import pandas\",\"obfuscation\":\"x\"},\"finish_reason\":null}],\"usage\":null}\n\n"
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"},\"finish_reason\":null}]}\n\n"
		"data: {\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
		"data: {\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-5-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n"
		"data: [DONE]\n\n",
		&t, &s);
	assert_string_equal(strbuf_str(&t.text), "import pandas");
	assert_string_equal(strbuf_str(&s.thought), "hmm");
	assert_string_equal(t.finish, "stop");
	assert_true(t.complete);
	assert_false(t.failed);
	assert_int_equal(t.usage.input_tokens, 31);
	assert_int_equal(t.usage.output_tokens, 12);
	assert_int_equal(t.usage.cached_tokens, 0);
	turn_clean(&t, &s);

	/* choices: null (some backends), an in-band error after text. */
	parse_stream(&llm_openai,
		"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n"
		"data: {\"choices\":null,\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
		"data: {\"error\":{\"message\":\"context overflow\",\"type\":\"server_error\"}}\n\n",
		&t, &s);
	assert_string_equal(strbuf_str(&t.text), "par");
	assert_true(t.failed);
	assert_false(t.complete);
	assert_int_equal(err_kind_of(&t.err), ERR_SERVER);
	assert_non_null(strstr(t.err.msg, "failed mid-reply (server_error: context overflow)"));
	turn_clean(&t, &s);
}

static void
test_anthropic_stream(void **state)
{
	llm_turn t;
	struct seen s;

	(void)state;
	parse_stream(&llm_anthropic,
		"event: message_start\n"
		"data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}\n\n"
		"event: content_block_start\n"
		"data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
		"event: content_block_delta\n"
		"data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me\"}}\n\n"
		"event: ping\ndata: {\"type\":\"ping\"}\n\n"
		"event: brand_new_event\ndata: {\"type\":\"brand_new_event\"}\n\n"
		"event: content_block_delta\n"
		"data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"import pandas\"}}\n\n"
		"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
		"event: message_delta\n"
		"data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":14}}\n\n"
		"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
		&t, &s);
	assert_string_equal(strbuf_str(&t.text), "import pandas");
	assert_string_equal(strbuf_str(&s.thought), "Let me");
	assert_string_equal(t.finish, "end_turn");
	assert_true(t.complete);
	assert_int_equal(t.usage.input_tokens, 29);
	assert_int_equal(t.usage.cached_tokens, 4);
	assert_int_equal(t.usage.output_tokens, 14);
	turn_clean(&t, &s);

	parse_stream(&llm_anthropic,
		"event: error\n"
		"data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
		&t, &s);
	assert_true(t.failed);
	assert_int_equal(err_kind_of(&t.err), ERR_SERVER);
	assert_non_null(strstr(t.err.msg, "Anthropic failed mid-reply (overloaded_error: Overloaded)"));
	turn_clean(&t, &s);
}

static void
test_gemini_stream(void **state)
{
	llm_turn t;
	struct seen s;

	(void)state;
	parse_stream(&llm_gemini,
		"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Weighing linear vs GBM\",\"thought\":true}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":57,\"totalTokenCount\":57},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\r\n\r\n"
		"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Start with LightGBM\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":57,\"totalTokenCount\":61},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\r\n\r\n"
		"data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\" on raw features.\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":57,\"candidatesTokenCount\":9,\"thoughtsTokenCount\":31,\"totalTokenCount\":97},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-1\"}\r\n\r\n",
		&t, &s);
	assert_string_equal(strbuf_str(&t.text), "Start with LightGBM on raw features.");
	assert_string_equal(strbuf_str(&s.thought), "Weighing linear vs GBM");
	assert_string_equal(t.finish, "STOP");
	assert_true(t.complete);
	assert_int_equal(t.usage.input_tokens, 57);
	assert_int_equal(t.usage.output_tokens, 40);
	assert_int_equal(t.usage.reasoning_tokens, 31);
	turn_clean(&t, &s);

	parse_stream(&llm_gemini, "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}\n\n", &t, &s);
	assert_true(t.failed);
	assert_non_null(strstr(t.err.msg, "blocked the prompt (SAFETY)"));
	turn_clean(&t, &s);

	parse_stream(&llm_gemini,
		"data: {\"error\":{\"code\":429,\"message\":\"You exceeded your current quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}\n\n",
		&t, &s);
	assert_true(t.failed);
	assert_int_equal(err_kind_of(&t.err), ERR_RATE_LIMITED);
	turn_clean(&t, &s);
}

static void
test_ollama_stream(void **state)
{
	llm_turn t;
	struct seen s;

	(void)state;
	parse_stream(&llm_ollama,
		"{\"model\":\"qwen3:8b\",\"created_at\":\"2026-01-01T10:00:00.1Z\",\"message\":{\"role\":\"assistant\",\"content\":\"import\"},\"done\":false}\n"
		"{\"model\":\"qwen3:8b\",\"created_at\":\"2026-01-01T10:00:00.2Z\",\"message\":{\"role\":\"assistant\",\"content\":\" pandas\",\"thinking\":\"ok\"},\"done\":false}\r\n"
		"{\"model\":\"qwen3:8b\",\"created_at\":\"2026-01-01T10:00:00.3Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":912000000,\"load_duration\":2100000,\"prompt_eval_count\":26,\"prompt_eval_duration\":120000000,\"eval_count\":12,\"eval_duration\":700000000}",
		&t, &s);
	assert_string_equal(strbuf_str(&t.text), "import pandas");
	assert_string_equal(strbuf_str(&s.thought), "ok");
	assert_string_equal(t.finish, "stop");
	assert_true(t.complete);
	assert_int_equal(t.usage.input_tokens, 26);
	assert_int_equal(t.usage.output_tokens, 12);
	turn_clean(&t, &s);

	parse_stream(&llm_ollama, "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"model crashed\"}\n", &t, &s);
	assert_true(t.failed);
	assert_non_null(strstr(t.err.msg, "Ollama failed mid-reply: model crashed"));
	turn_clean(&t, &s);
}

/* ---- error replies ---- */

static void
expect_error(const llm_provider *p, long status, const char *body, enum err_kind kind, int quota, const char *part)
{
	llm_config c = config_for(p, "http://127.0.0.1:9/v1", "sk-test-0123456789");
	ak_err e = { 0 };
	int q = -1;

	c.key_env = "SOME_KEY";
	llm_error_from_reply(&c, status, body, &e, &q);
	if (!strstr(e.msg, part))
		print_error("message: %s\n", e.msg);
	assert_non_null(strstr(e.msg, part));
	assert_int_equal(err_kind_of(&e), kind);
	assert_int_equal(q, quota);
	assert_null(strstr(e.msg, "sk-test-0123456789"));
}

static void
test_error_replies(void **state)
{
	(void)state;
	expect_error(&llm_openai, 401,
		"{\"error\": {\"message\": \"Incorrect API key provided: sk-test-0123456789.\", \"type\": "
		"\"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}",
		ERR_AUTH, 0, "the key from SOME_KEY was refused (401 invalid_request_error: Incorrect API key");
	expect_error(&llm_openai, 429,
		"{\"error\": {\"message\": \"You exceeded your current quota\", \"type\": \"insufficient_quota\", "
		"\"code\": \"insufficient_quota\"}}",
		ERR_RATE_LIMITED, 1, "quota is used up");
	expect_error(&llm_openai, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
		ERR_RATE_LIMITED, 0, "limiting requests");
	expect_error(&llm_gemini, 400,
		"{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"API key not valid. Please pass a valid API key.\",\n"
		"    \"status\": \"INVALID_ARGUMENT\",\n    \"details\": [{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
		" \"reason\": \"API_KEY_INVALID\"}]\n  }\n}\n",
		ERR_AUTH, 0, "was refused (400 INVALID_ARGUMENT: API key not valid");
	expect_error(&llm_gemini, 429,
		"{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":"
		"[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":"
		"\"GenerateRequestsPerDayPerProjectPerModel-FreeTier\"}]}]}}",
		ERR_RATE_LIMITED, 1, "quota is used up");
	expect_error(&llm_anthropic, 529,
		"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}",
		ERR_SERVER, 0, "(529 overloaded_error: Overloaded)");
	expect_error(&llm_ollama, 404, "{\"error\":\"model 'x' not found\"}", ERR_NOT_FOUND, 0,
		"check the model ('autokaggle models' lists them) and the base URL (404: model 'x' not found)");
	expect_error(&llm_openai, 502, "<html><body>Bad Gateway</body></html>", ERR_SERVER, 0, "an HTML page");
	expect_error(&llm_openai, 400, "{\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\",\"code\":400}",
		ERR_INPUT, 0, "the request was refused (400 BadRequestError: too long)");
}

/* ---- configuration ---- */

static void
test_config_resolve(void **state)
{
	llm_config c;
	ak_err e = { 0 };
	llm_choice want = { 0 };

	(void)state;
	clean_env(NULL);
	assert_int_equal(llm_config_resolve(NULL, &c, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_AUTH);
	assert_non_null(strstr(e.msg, "OPENAI_API_KEY"));
	assert_non_null(strstr(e.msg, "GEMINI_API_KEY"));

	setenv("ANTHROPIC_API_KEY", "sk-ant-0123456789", 1);
	setenv("GEMINI_API_KEY", "AIza-0123456789", 1);
	assert_int_equal(llm_config_resolve(NULL, &c, &e), 0);
	assert_string_equal(llm_provider_name(c.provider), "anthropic");
	assert_string_equal(c.model, "claude-sonnet-4-5");
	assert_string_equal(c.base_url, "https://api.anthropic.com");
	assert_string_equal(c.key, "sk-ant-0123456789");
	assert_string_equal(c.key_env, "ANTHROPIC_API_KEY");
	assert_int_equal(c.first_byte_timeout_ms, 300000);
	llm_config_clean(&c);

	/* Named, with a model and a base URL (its trailing slash dropped). */
	want = (llm_choice){ "gemini", "gemini-2.5-pro", "http://127.0.0.1:5/v1beta/" };
	setenv("GOOGLE_API_KEY", "AIza-other-0123456789", 1);
	assert_int_equal(llm_config_resolve(&want, &c, &e), 0);
	assert_string_equal(c.base_url, "http://127.0.0.1:5/v1beta");
	assert_string_equal(c.key_env, "GOOGLE_API_KEY");
	assert_non_null(c.warning);
	llm_config_clean(&c);

	/* OpenAI: the base from the environment; no key for a loopback one. */
	want = (llm_choice){ "openai", NULL, NULL };
	setenv("OPENAI_API_BASE", "http://localhost:8000/v1", 1);
	assert_int_equal(llm_config_resolve(&want, &c, &e), 0);
	assert_null(c.key);
	assert_string_equal(c.base_url, "http://localhost:8000/v1");
	llm_config_clean(&c);
	setenv("OPENAI_BASE_URL", "https://gateway.example/v1", 1);
	assert_int_equal(llm_config_resolve(&want, &c, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_AUTH);
	assert_non_null(strstr(e.msg, "no key for OpenAI-compatible: set OPENAI_API_KEY"));

	want = (llm_choice){ "ollama", NULL, NULL };
	setenv("OLLAMA_HOST", "gpu-box", 1);
	assert_int_equal(llm_config_resolve(&want, &c, &e), 0);
	assert_string_equal(c.base_url, "http://gpu-box:11434");
	assert_null(c.key);
	llm_config_clean(&c);

	want = (llm_choice){ "mistral", NULL, NULL };
	assert_int_equal(llm_config_resolve(&want, &c, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_USAGE);
	clean_env(NULL);
}

static void
test_config_settings(void **state)
{
	char *dir = testlib_tmpdir("llm"), *path = testlib_path(dir, "config");
	llm_config c;
	ak_err e = { 0 };

	(void)state;
	clean_env(NULL);
	testlib_write(path, "llm.provider = ollama\nllm.model = llama3.2\nllm.base_url = http://127.0.0.1:7/\n"
		"llm.first_byte_timeout = 10m\nllm.idle_timeout = 90\n");
	setenv("AUTOKAGGLE_CONFIG", path, 1);
	settings_reset();
	assert_int_equal(llm_config_resolve(NULL, &c, &e), 0);
	assert_string_equal(llm_provider_name(c.provider), "ollama");
	assert_string_equal(c.model, "llama3.2");
	assert_string_equal(c.base_url, "http://127.0.0.1:7");
	assert_int_equal(c.first_byte_timeout_ms, 600000);
	assert_int_equal(c.idle_timeout_ms, 90000);
	llm_config_clean(&c);

	testlib_write(path, "llm.provider = ollama\nllm.idle_timeout = soon\n");
	settings_reset();
	assert_int_equal(llm_config_resolve(NULL, &c, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "llm.idle_timeout"));
	testlib_rmtree(dir);
	free(path);
	free(dir);
	clean_env(NULL);
}

/* Cost from the table by the longest known name, cached input at its
 * price, a loopback server free, settings over the table, bad settings no
 * price at all. */
static void
test_price(void **state)
{
	char *dir = testlib_tmpdir("llm"), *path = testlib_path(dir, "config");
	llm_usage u = { 1000000, 1000000, 0, 0, 0, -1, 1 };
	double usd = -1;

	(void)state;
	clean_env(NULL);
	assert_int_equal(llm_price_cost("openai", "gpt-4o-mini", "https://api.openai.com/v1", &u, &usd), 0);
	assert_true(usd > 0.749 && usd < 0.751); /* 0.15 + 0.60 */
	assert_int_equal(llm_price_cost("openai", "gpt-4o", NULL, &u, &usd), 0);
	assert_true(usd > 12.49 && usd < 12.51);
	assert_int_equal(llm_price_cost("anthropic", "claude-sonnet-4-5-20250929", NULL, &u, &usd), 0);
	assert_true(usd > 17.99 && usd < 18.01);
	assert_int_equal(llm_price_cost("gemini", "models/gemini-2.5-flash", NULL, &u, &usd), 0);
	assert_true(usd > 2.79 && usd < 2.81);
	u.cached_tokens = 1000000; /* all input cached: 0.075 + 2.50 */
	assert_int_equal(llm_price_cost("gemini", "gemini-2.5-flash", NULL, &u, &usd), 0);
	assert_true(usd > 2.574 && usd < 2.576);
	u.cached_tokens = -1;
	/* "o3" is a name; "o3x" is not it. */
	assert_int_equal(llm_price_cost("openai", "o3x", NULL, &u, &usd), -1);
	assert_int_equal(llm_price_cost("openai", "my-finetune", NULL, &u, &usd), -1);
	assert_int_equal(llm_price_cost("openai", "my-finetune", "http://127.0.0.1:8080/v1", &u, &usd), 0);
	assert_true(usd == 0);
	assert_int_equal(llm_price_cost("ollama", "llama3.2", "http://localhost:11434", &u, &usd), 0);
	assert_true(usd == 0);
	assert_string_equal(llm_price_format(0.012345), "$0.0123");
	assert_string_equal(llm_price_format(12.5), "$12.50");
	assert_string_equal(llm_price_format(-1), "?");

	testlib_write(path, "llm.price.my-finetune = 1 - 2\nllm.price.gpt-4o = 5 2.5 20\n"
		"llm.price.broken = one two three\nllm.window.my-finetune = 32768\nllm.window.gpt-4o = lots\n");
	setenv("AUTOKAGGLE_CONFIG", path, 1);
	settings_reset();
	assert_int_equal(llm_price_cost("openai", "my-finetune", NULL, &u, &usd), 0);
	assert_true(usd > 2.99 && usd < 3.01);
	assert_int_equal(llm_price_cost("openai", "gpt-4o", NULL, &u, &usd), 0);
	assert_true(usd > 24.99 && usd < 25.01);
	assert_int_equal(llm_price_cost("openai", "broken", NULL, &u, &usd), -1);
	assert_int_equal(llm_price_window("my-finetune"), 32768);
	assert_int_equal(llm_price_window("gpt-4o"), 0); /* a bad setting: unknown, not the table's */
	assert_int_equal(llm_price_window("claude-sonnet-4-5"), 200000);
	assert_int_equal(llm_price_window("nobody-knows"), 0);
	testlib_rmtree(dir);
	free(path);
	free(dir);
	clean_env(NULL);
}

/* Four characters a token; old turns go in pairs, the last stays. */
static void
test_context(void **state)
{
	char big[4001];
	llm_message m[5] = {
		{ "user", big }, { "assistant", big }, { "user", big }, { "assistant", big }, { "user", "now?" },
	};
	llm_conv c = { "sys!", m, 5 };

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(llm_context_estimate(&c), 1 + 4 * (1000 + 4) + 1 + 4);
	assert_int_equal(llm_context_first(&c, 0), 0);
	assert_int_equal(llm_context_first(&c, 100000), 0);
	/* 80% of 4000 = 3200: two of the four big messages must go. */
	assert_int_equal(llm_context_first(&c, 4000), 2);
	assert_int_equal(llm_context_first(&c, 10), 4);
	c.count = 1;
	assert_int_equal(llm_context_first(&c, 10), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openai_request),
		cmocka_unit_test(test_anthropic_request),
		cmocka_unit_test(test_gemini_request),
		cmocka_unit_test(test_ollama_request),
		cmocka_unit_test(test_openai_stream),
		cmocka_unit_test(test_anthropic_stream),
		cmocka_unit_test(test_gemini_stream),
		cmocka_unit_test(test_ollama_stream),
		cmocka_unit_test(test_error_replies),
		cmocka_unit_test(test_config_resolve),
		cmocka_unit_test(test_config_settings),
		cmocka_unit_test(test_price),
		cmocka_unit_test(test_context),
	};

	return cmocka_run_group_tests(tests, clean_env, NULL);
}

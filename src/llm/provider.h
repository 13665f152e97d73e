#ifndef AK_LLM_PROVIDER_H
#define AK_LLM_PROVIDER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "llm/llm.h"
#include "util/err.h"
#include "util/strbuf.h"

/* The inside of src/llm: the ops table each provider file fills, and what
 * they share. Not for callers outside src/llm (tests aside). */

/* What one reply has gathered; a provider's parser fills it event by
 * event and hands text over through llm_turn_text. */
typedef struct llm_turn {
	strbuf text;
	char finish[40];
	llm_usage usage;
	int complete;                   /* the provider's completion signal came */
	int failed;                     /* an error arrived inside the stream: err */
	ak_err err;
	void (*emit)(void *arg, const char *text, size_t len, int thought);
	void *arg;
} llm_turn;

/* An HTTP request as a provider builds it; free with llm_http_clean. */
typedef struct llm_http {
	char *url;
	char *headers[8];               /* "Name: value", NULL-terminated */
	char *body;                     /* NULL for a GET */
} llm_http;

struct llm_provider {
	const char *name;               /* "openai": what --provider takes */
	const char *label;              /* "OpenAI-compatible": for messages */
	const char *default_model;
	const char *default_base;
	const char *const *key_env;     /* variables holding the key, the first set wins */
	const char *const *base_env;    /* variables holding the base URL */
	int key_needed;                 /* 0: no key (Ollama); 1: unless the base is loopback (OpenAI); 2: always */
	int ndjson;                     /* the stream is NDJSON, not SSE */
	int ends_at_eof;                /* no completion signal: a clean EOF after a finish reason ends it */
	/* The streaming chat request for conv. */
	void (*chat)(const llm_config *c, const llm_conv *conv, llm_http *out);
	/* One SSE event (type and data) or one NDJSON line (event NULL). */
	void (*event)(llm_turn *t, const char *event, const char *data, size_t len);
	/* The model listing request, and its reply's parser. */
	void (*models)(const llm_config *c, llm_http *out);
	int (*models_parse)(cJSON *reply, llm_model **out, size_t *n);
	/* The base URL as given (OLLAMA_HOST: "host:port"...) made a URL;
	 * NULL keeps it as is. Returns a new string. */
	char *(*base_normalise)(const char *given);
};

extern const llm_provider llm_gemini, llm_openai, llm_anthropic, llm_ollama;

/* ---- llm_http.c: requests, replies, the shared pieces of parsing ---- */

/* Appends a header line (printf-style) to out. */
void llm_http_header(llm_http *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* out->body = the JSON text of j, which is freed. */
void llm_http_body(llm_http *out, cJSON *j);
void llm_http_clean(llm_http *out);

/* Hands a piece of text (thought = reasoning) to the turn's owner,
 * keeping the text; empty pieces are dropped. */
void llm_turn_text(llm_turn *t, const char *text, size_t len, int thought);
/* Sets the turn's finish reason. */
void llm_turn_finish(llm_turn *t, const char *reason);
/* The number j->name when it is one, else keep. */
long llm_json_long(const cJSON *j, const char *name, long keep);
/* j->name as a string, or NULL. */
const char *llm_json_str(const cJSON *j, const char *name);
/* Appends a model to a list (ignored without an id). */
void llm_models_add(llm_model **out, size_t *n, const char *id, long context);

/* 1 when url's host is a loopback address (127.0.0.0/8, ::1, localhost). */
int llm_url_is_loopback(const char *url);

/* ---- llm_error.c: what a failed reply means ---- */

/* The error of a non-2xx reply (or a 2xx that is not a stream): kind by
 * status and body, a one-line message naming the provider, host, status
 * and the server's words (redacted, made safe). Sets *quota when the
 * account's quota is used up (no retry helps). */
void llm_error_from_reply(const llm_config *c, long status, const char *body, ak_err *e, int *quota);
/* An in-band error object (OpenAI, Gemini, Anthropic {"error":{...}},
 * Ollama {"error":"..."}): marks the turn failed with its message, 1; 0
 * when j holds no error. */
int llm_turn_error(llm_turn *t, const char *label, const cJSON *j);

/* The server's words for a message: redacted, one safe line, cut to 240
 * bytes. Caller frees. */
char *llm_safe_words(const char *s);
/* The kind an in-band error's type or status names. */
enum err_kind llm_error_kind(long status, const char *type);

#endif

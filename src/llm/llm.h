#ifndef AK_LLM_H
#define AK_LLM_H

#include <stddef.h>

#include "util/err.h"
#include "util/http.h"
#include "util/loop.h"

/* Talking to a language model: one interface over four providers (Gemini,
 * OpenAI-compatible servers, Anthropic, Ollama's native API), replies
 * streamed on the event loop as they arrive. Keys travel in headers only
 * and are registered with the redactor; the messages here never hold one. */

/* A provider: its request builders and stream parser (llm/provider.h). */
typedef struct llm_provider llm_provider;

/* The providers in the order tried when none is named (see
 * llm_config_resolve), NULL-terminated. */
extern const llm_provider *const llm_providers[];
/* Looks a provider up by name ("gemini", "openai", "anthropic", "ollama"). */
const llm_provider *llm_provider_find(const char *name);
const char *llm_provider_name(const llm_provider *p);

/* What the command line chose; NULL members were not given. */
typedef struct llm_choice {
	const char *provider, *model, *base_url;
} llm_choice;

/* Everything a request needs, resolved once. */
typedef struct llm_config {
	const llm_provider *provider;
	char *model;
	char *base_url;                 /* the provider's base (spec §0), without a trailing '/' */
	char *key;                      /* NULL when none is needed (a loopback server, Ollama) */
	const char *key_env;            /* the variable the key came from */
	char *warning;                  /* something to tell the user (two keys set...), or NULL */
	long connect_timeout_ms, first_byte_timeout_ms, idle_timeout_ms;
	int max_retries;                /* after the first attempt */
	int max_tokens;                 /* the reply's limit */
} llm_config;

/* Fills cfg: the provider is the one chosen, else the setting llm.provider,
 * else the first in llm_providers with its key (or base URL) set in the
 * environment. The model: chosen, llm.model, the provider's default. The
 * base URL: chosen, the provider's variable, llm.base_url, its default.
 * Timeouts: llm.connect_timeout, llm.first_byte_timeout, llm.idle_timeout.
 * A missing key is ERR_AUTH naming the variables read; a bad setting or
 * name ERR_USAGE. Free with llm_config_clean. */
int llm_config_resolve(const llm_choice *want, llm_config *cfg, ak_err *e);
void llm_config_clean(llm_config *cfg);

/* A conversation: the system prompt and the turns so far, the last one the
 * user's. Roles are "user" and "assistant". */
typedef struct llm_message {
	const char *role;
	const char *text;
} llm_message;

typedef struct llm_conv {
	const char *system;             /* NULL or "" for none */
	const llm_message *messages;
	size_t count;
} llm_conv;

/* Tokens and time of one call; -1 where the provider did not say. Output
 * includes reasoning (thinking) tokens on every provider. */
typedef struct llm_usage {
	long input_tokens, output_tokens, cached_tokens, reasoning_tokens;
	double seconds;                 /* from the start to the end, retries included */
	double first_token_seconds;     /* until the first text arrived, -1 if none did */
	int attempts;
} llm_usage;

typedef struct llm_result {
	const char *text;               /* all the reply's text (not its thoughts), kept on error */
	size_t len;
	const char *finish;             /* the provider's finish reason, "" when none came */
	const char *provider, *model;
	llm_usage usage;
	int priced;                     /* cost is known (llm/price.h) */
	double cost;                    /* dollars */
} llm_result;

typedef struct llm_callbacks {
	/* A piece of the reply as it arrives; thought = 1 for reasoning
	 * summaries, which are not part of the text. Raw text from the
	 * model: make it safe before it reaches a terminal. */
	void (*on_text)(void *arg, const char *text, size_t len, int thought);
	/* One line for the user: "retrying in 2 s (...)". */
	void (*on_notice)(void *arg, const char *msg);
	/* The end: e is NULL on success, else what failed (ERR_AUTH,
	 * ERR_RATE_LIMITED, ERR_NETWORK, ERR_SERVER, ERR_NOT_FOUND,
	 * ERR_INPUT), r->text keeping what arrived. The stream is freed
	 * after it returns. */
	void (*on_done)(void *arg, const llm_result *r, const ak_err *e);
	void *arg;
} llm_callbacks;

typedef struct llm_stream llm_stream;

/* Sends conv and streams the reply through cb, from later turns of l.
 * Failures before any text are retried as the spec says (connection
 * failures, 408, 409, 429, 5xx; never a used-up quota), each announced
 * through on_notice. cfg and conv are copied. NULL with e set when the
 * request cannot be built. */
llm_stream *llm_stream_start(loop *l, http *h, const llm_config *cfg, const llm_conv *conv,
			     const llm_callbacks *cb, ak_err *e);
/* Stops the call; no callback runs after it. Safe from inside on_text and
 * on_notice; ignored from inside on_done. */
void llm_stream_cancel(llm_stream *s);
/* What the call has cost so far, for one about to be cancelled (the
 * provider bills what it read and wrote): its counts where they came, else
 * estimates at about four characters a token of the request and of the
 * reply so far; the cost from them. r's strings live as long as s. */
void llm_stream_usage(const llm_stream *s, llm_result *r);

/* One model the endpoint offers. */
typedef struct llm_model {
	char *id;
	long context;                   /* input window in tokens, 0 when not told */
} llm_model;

/* Lists the endpoint's models (runs turns of l until done). 0, or -1 with
 * e set as for a stream. Free with llm_models_free. */
int llm_models_list(loop *l, const llm_config *cfg, llm_model **out, size_t *n, ak_err *e);
void llm_models_free(llm_model *m, size_t n);

#endif

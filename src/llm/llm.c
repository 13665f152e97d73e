#include "config.h"

#include "exec/exec.h"
#include "llm/provider.h"
#include "util/redact.h"
#include "util/settings.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The provider and its model, base URL, key and timeouts, from the command
 * line, the environment and the settings. */

#define LLM_CONNECT_MS 10000L
/* A local model may read a long prompt for minutes before its first token. */
#define LLM_FIRST_BYTE_MS 300000L
#define LLM_IDLE_MS 120000L
#define LLM_MAX_RETRIES 2
#define LLM_MAX_TOKENS 8192

/* The order a provider is picked in when none is named: OpenAI first,
 * because OPENAI_BASE_URL is how users point at their own servers. */
const llm_provider *const llm_providers[] = { &llm_openai, &llm_anthropic, &llm_gemini, &llm_ollama, NULL };

const llm_provider *
llm_provider_find(const char *name)
{
	size_t i;

	for (i = 0; llm_providers[i]; i++)
		if (strcmp(llm_providers[i]->name, name) == 0)
			return llm_providers[i];
	return NULL;
}

const char *
llm_provider_name(const llm_provider *p)
{
	return p->name;
}

static const char *
llm_env(const char *const *names, const char **which)
{
	size_t i;

	for (i = 0; names && names[i]; i++) {
		const char *v = getenv(names[i]);

		if (v && *v) {
			if (which)
				*which = names[i];
			return v;
		}
	}
	return NULL;
}

/* "A, B or C" of a provider's key variables, for messages. */
static char *
llm_env_list(const char *const *names)
{
	char *out = xstrdup("");
	size_t i;

	for (i = 0; names[i]; i++) {
		char *next = xasprintf("%s%s%s", out, i == 0 ? "" : names[i + 1] ? ", " : " or ", names[i]);

		free(out);
		out = next;
	}
	return out;
}

static const llm_provider *
llm_pick(const char *named, ak_err *e)
{
	const llm_provider *p;
	size_t i;

	if (!named || !*named)
		named = settings_get("llm.provider");
	if (named && *named) {
		p = llm_provider_find(named);
		if (!p)
			err_kind_set(e, ERR_USAGE, "unknown LLM provider '%.40s': say gemini, openai, anthropic or ollama",
				     named);
		return p;
	}
	for (i = 0; llm_providers[i]; i++)
		if (llm_env(llm_providers[i]->key_env, NULL) || llm_env(llm_providers[i]->base_env, NULL))
			return llm_providers[i];
	err_kind_set(e, ERR_AUTH, "no LLM provider is set up: set OPENAI_API_KEY (or OPENAI_BASE_URL for a "
		     "local server), ANTHROPIC_API_KEY, GEMINI_API_KEY (or GOOGLE_API_KEY) or OLLAMA_HOST, "
		     "or name one with --provider or the setting llm.provider");
	return NULL;
}

static int
llm_timeout(const char *key, long fallback, long *out, ak_err *e)
{
	const char *v = settings_get(key);
	ak_err pe = { 0 };
	long ms;

	*out = fallback;
	if (!v || !*v)
		return 0;
	ms = exec_parse_duration_ms(v, &pe);
	if (ms <= 0)
		return err_kind_set(e, ERR_USAGE, "the setting %s = '%.40s' is not a duration (say 30s, 5m, 1h)", key, v);
	*out = ms;
	return 0;
}

static char *
llm_base(const llm_config *c, const char *chosen)
{
	const char *v = chosen;
	size_t n;
	char *out;

	if (!v || !*v)
		v = llm_env(c->provider->base_env, NULL);
	if (!v || !*v)
		v = settings_get("llm.base_url");
	if (!v || !*v)
		v = c->provider->default_base;
	out = c->provider->base_normalise ? c->provider->base_normalise(v) : xstrdup(v);
	n = strlen(out);
	if (n > 0 && out[n - 1] == '/')
		out[n - 1] = '\0';
	return out;
}

static int
llm_key(llm_config *c, ak_err *e)
{
	const llm_provider *p = c->provider;
	const char *key = llm_env(p->key_env, &c->key_env);
	char *vars;

	if (key) {
		c->key = xstrdup(key);
		redact_add_secret(key);
		/* Google's SDKs take GOOGLE_API_KEY when both are set; so do we, aloud. */
		if (p == &llm_gemini && getenv("GEMINI_API_KEY") && *getenv("GEMINI_API_KEY") &&
		    strcmp(c->key_env, "GOOGLE_API_KEY") == 0 && strcmp(getenv("GEMINI_API_KEY"), key) != 0)
			c->warning = xstrdup("both GOOGLE_API_KEY and GEMINI_API_KEY are set: using GOOGLE_API_KEY");
		return 0;
	}
	c->key_env = NULL;
	if (p->key_needed == 0 || (p->key_needed == 1 && llm_url_is_loopback(c->base_url)))
		return 0;
	vars = llm_env_list(p->key_env);
	err_kind_set(e, ERR_AUTH, "no key for %s: set %s%s", p->label, vars,
		     p->key_needed == 1 ? " (none is needed for a server on this machine)" : "");
	free(vars);
	return -1;
}

int
llm_config_resolve(const llm_choice *want, llm_config *cfg, ak_err *e)
{
	static const llm_choice none;
	const char *model;

	if (!want)
		want = &none;
	memset(cfg, 0, sizeof *cfg);
	cfg->provider = llm_pick(want->provider, e);
	if (!cfg->provider)
		return -1;
	model = want->model && *want->model ? want->model : settings_get("llm.model");
	cfg->model = xstrdup(model && *model ? model : cfg->provider->default_model);
	cfg->base_url = llm_base(cfg, want->base_url);
	cfg->max_retries = LLM_MAX_RETRIES;
	cfg->max_tokens = LLM_MAX_TOKENS;
	if (strncmp(cfg->base_url, "http://", 7) != 0 && strncmp(cfg->base_url, "https://", 8) != 0) {
		err_kind_set(e, ERR_USAGE, "the base URL '%.80s' of %s is not an http:// or https:// URL",
			     cfg->base_url, cfg->provider->label);
		goto fail;
	}
	if (llm_timeout("llm.connect_timeout", LLM_CONNECT_MS, &cfg->connect_timeout_ms, e) < 0 ||
	    llm_timeout("llm.first_byte_timeout", LLM_FIRST_BYTE_MS, &cfg->first_byte_timeout_ms, e) < 0 ||
	    llm_timeout("llm.idle_timeout", LLM_IDLE_MS, &cfg->idle_timeout_ms, e) < 0 || llm_key(cfg, e) < 0)
		goto fail;
	return 0;
fail:
	llm_config_clean(cfg);
	return -1;
}

void
llm_config_clean(llm_config *cfg)
{
	free(cfg->model);
	free(cfg->base_url);
	free(cfg->key);
	free(cfg->warning);
	memset(cfg, 0, sizeof *cfg);
}

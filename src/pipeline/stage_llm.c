#include "config.h"

#include "kaggle/auth.h"
#include "llm/context.h"
#include "llm/price.h"
#include "pipeline/chat.h"
#include "pipeline/llmcalls.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "util/jsonfile.h"
#include "util/settings.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The session's LLM calls: which provider (or none), one streamed call at
 * a time on the session's loop, its reply in a stage log, its tokens and
 * time in the store. */

int
session_llm_config(session *s, llm_config *cfg, char *why, size_t whylen, ak_err *e)
{
	llm_choice want = { s->opts.provider, s->opts.model, s->opts.base_url };
	const char *setting = settings_get("llm.provider");
	ak_err e2 = { 0 };

	if (why)
		why[0] = '\0';
	if (s->opts.offline)
		return 0;
	if (llm_config_resolve(&want, cfg, &e2) == 0) {
		/* Before any prompt is built. */
		kaggle_auth_guard_secrets();
		return 1;
	}
	/* Without a key nor a provider named, the program is what it was
	 * before it knew LLMs: the templates write the code. */
	if (err_kind_of(&e2) == ERR_AUTH && !s->opts.provider && !s->opts.base_url && !(setting && *setting)) {
		if (why && strncmp(e2.msg, "no LLM provider is set up", 25) != 0)
			snprintf(why, whylen, "%s", e2.msg);
		return 0;
	}
	if (e)
		*e = e2;
	return -1;
}

static void
llm_log_emit(const char *data, size_t len, void *arg)
{
	session *s = arg;

	if (s->llm.log)
		fwrite(data, 1, len, s->llm.log);
}

static void
llm_on_text(void *arg, const char *text, size_t len, int thought)
{
	session *s = arg;

	if (thought || !s->llm.redact)
		return;
	redact_stream_feed(s->llm.redact, text, len);
	if (s->llm.log)
		fflush(s->llm.log);
}

static void
llm_on_notice(void *arg, const char *msg)
{
	session_note(arg, "info", "%s", msg);
}

static void
llm_close_log(session *s)
{
	if (s->llm.redact) {
		redact_stream_flush(s->llm.redact);
		redact_stream_free(s->llm.redact);
		s->llm.redact = NULL;
	}
	if (s->llm.log)
		fclose(s->llm.log);
	s->llm.log = NULL;
}

static void
llm_record(session *s, const llm_result *r, const char *outcome)
{
	store_llm_call c = {
		.purpose = s->llm.purpose,
		.provider = r->provider,
		.model = r->model,
		.input_tokens = r->usage.input_tokens,
		.output_tokens = r->usage.output_tokens,
		.cached_tokens = r->usage.cached_tokens,
		.seconds = r->usage.seconds,
		.outcome = outcome,
		.priced = r->priced,
		.cost = r->cost,
	};
	ak_err e2;

	if (llmcalls_add(s->db, s->run_id, s->dir, &c, &e2) < 0)
		session_note(s, "error", "%s", e2.msg);
	json_set(s->run, "provider", cJSON_CreateString(r->provider));
	json_set(s->run, "model", cJSON_CreateString(r->model));
}

static void
llm_on_done(void *arg, const llm_result *r, const ak_err *e)
{
	session *s = arg;
	session_llm_done_fn done = s->llm.done;

	if (s->llm.log) {
		char in[24] = "?", out[24] = "?";

		if (r->usage.input_tokens >= 0)
			snprintf(in, sizeof(in), "%ld", r->usage.input_tokens);
		if (r->usage.output_tokens >= 0)
			snprintf(out, sizeof(out), "%ld", r->usage.output_tokens);
		fprintf(s->llm.log, "%s==> %s %s: %s tokens in, %s out, %.1f s, %s%s%s\n",
			r->len && r->text[r->len - 1] != '\n' ? "\n" : "", r->provider, r->model, in, out,
			r->usage.seconds, r->priced ? llm_price_format(r->cost) : "cost unknown", e ? ": " : "",
			e ? e->msg : "");
	}
	llm_close_log(s);
	s->llm.stream = NULL;
	s->llm.done = NULL;
	llm_record(s, r, e ? "failed" : "done");
	if (done)
		done(s, r, e);
}

static FILE *
llm_open_log(session *s, const char *log, const char *purpose, const llm_config *cfg)
{
	char *path = rundir_log(s->dir, log);
	char stamp[TIMEFMT_ISO_LEN];
	FILE *f = fopen(path, "a");

	free(path);
	if (!f)
		return NULL;
	timefmt_iso_utc(time(NULL), stamp);
	fprintf(f, "==> %s: asking %s %s at %s\n", purpose, llm_provider_name(cfg->provider), cfg->model, stamp);
	fflush(f);
	return f;
}

/* A prompt near the model's input window may be cut or refused: the user
 * hears it before the wait. */
static void
llm_window_check(session *s, const llm_conv *conv, const char *model)
{
	long window = llm_price_window(model), need = llm_context_estimate(conv);

	if (window > 0 && (double)need > (double)window * LLM_CONTEXT_WARN)
		session_note(s, "warning", "the prompt is about %ld tokens, %.0f%% of %s's input window of %ld: the "
			     "reply may be cut short or refused (set llm.window.%s if the window is larger)", need,
			     100.0 * (double)need / (double)window, model, window, model);
}

int
session_llm_ask(session *s, const char *purpose, const char *log, const char *system, const char *user,
	session_llm_done_fn done, ak_err *e)
{
	llm_callbacks cb = { llm_on_text, llm_on_notice, llm_on_done, s };
	llm_message msg = { "user", user };
	llm_conv conv = { system, &msg, 1 };
	llm_config cfg;
	int rc = session_llm_config(s, &cfg, NULL, 0, e);

	if (rc <= 0)
		return rc == 0 ? err_set(e, "no LLM is set up (or --offline was given)") : -1;
	if (cfg.warning)
		session_note(s, "warning", "%s", cfg.warning);
	llm_window_check(s, &conv, cfg.model);
	if (!session_llm_http(s, e)) {
		llm_config_clean(&cfg);
		return -1;
	}
	snprintf(s->llm.purpose, sizeof(s->llm.purpose), "%s", purpose);
	s->llm.done = done;
	s->llm.log = llm_open_log(s, log, purpose, &cfg);
	s->llm.redact = redact_stream_new(llm_log_emit, s);
	s->llm.stream = llm_stream_start(s->l, s->llm.http, &cfg, &conv, &cb, e);
	llm_config_clean(&cfg);
	if (!s->llm.stream) {
		llm_close_log(s);
		s->llm.done = NULL;
		return -1;
	}
	return 0;
}

http *
session_llm_http(session *s, ak_err *e)
{
	if (!s->llm.http)
		s->llm.http = http_new(s->l, e);
	return s->llm.http;
}

void
session_llm_cancel(session *s)
{
	if (s->llm.chat) {
		chat_cancel(s->llm.chat);
		chat_free(s->llm.chat);
		s->llm.chat = NULL;
	}
	if (s->llm.stream) {
		llm_result r;
		llm_stream_usage(s->llm.stream, &r);
		llm_record(s, &r, "cancelled");
		llm_stream_cancel(s->llm.stream);
	}
	s->llm.stream = NULL;
	s->llm.done = NULL;
	llm_close_log(s);
	if (s->llm.check)
		exec_cancel(s->llm.check);
}

long
session_llm_used(session *s)
{
	store_llm_totals t;

	if (store_llm_totals_get(s->db, s->run_id, &t, NULL) < 0)
		return 0;
	return t.input_tokens + t.output_tokens;
}

int
session_llm_budget_spent(session *s)
{
	return s->opts.llm_budget > 0 && session_llm_used(s) >= s->opts.llm_budget;
}

cJSON *
session_llm_json(session *s)
{
	cJSON *j = cJSON_CreateObject();
	store_llm_totals t;

	store_llm_totals_get(s->db, s->run_id, &t, NULL);
	cJSON_AddNumberToObject(j, "calls", (double)t.calls);
	cJSON_AddNumberToObject(j, "input_tokens", (double)t.input_tokens);
	cJSON_AddNumberToObject(j, "output_tokens", (double)t.output_tokens);
	cJSON_AddNumberToObject(j, "seconds", t.seconds);
	cJSON_AddNumberToObject(j, "cost_usd", t.cost);
	cJSON_AddNumberToObject(j, "unpriced_calls", (double)t.unpriced);
	cJSON_AddNumberToObject(j, "budget_tokens", (double)s->opts.llm_budget);
	return j;
}

void
session_llm_free(session *s)
{
	session_llm_cancel(s);
	codegen_blocks_free(s->llm.base, s->llm.nbase);
	s->llm.base = NULL;
	s->llm.nbase = 0;
	http_free(s->llm.http);
	s->llm.http = NULL;
	free(s->llm.tmp);
	s->llm.tmp = NULL;
}

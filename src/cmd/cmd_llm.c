#include "config.h"

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "llm/llm.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* models, and __llm-ask: the LLM provider from the command line. */

/* --provider, --model, --base-url: 1 when argv[*i] was one (its value
 * taken), 0 when not, or the usage error's exit code (> 1). */
static int
llm_opt(const char *name, int argc, char **argv, int *i, llm_choice *want)
{
	const char *o = argv[*i];
	const char **dst = strcmp(o, "--provider") == 0 ? &want->provider
		: strcmp(o, "--model") == 0 ? &want->model
		: strcmp(o, "--base-url") == 0 ? &want->base_url : NULL;

	if (!dst)
		return 0;
	if (*i + 1 >= argc)
		return cmd_usage_error(name, "%s needs a value", o);
	*dst = argv[++*i];
	return 1;
}

/* The configuration, or the error printed and *code set. */
static int
llm_open(const llm_choice *want, llm_config *cfg, loop **l, int *code)
{
	ak_err e = { 0 };

	if (llm_config_resolve(want, cfg, &e) < 0) {
		*code = cmd_fail(&e, CMD_EXIT_FAILED);
		return -1;
	}
	if (cfg->warning)
		termsafe_error("warning: %s", cfg->warning);
	*l = loop_new();
	if (!*l) {
		termsafe_error("cannot start the event loop: out of file descriptors?");
		llm_config_clean(cfg);
		*code = CMD_EXIT_FAILED;
		return -1;
	}
	return 0;
}

/* ---- models ---- */

static void
models_print(const llm_config *cfg, const llm_model *m, size_t n)
{
	static const char *const head[] = { "model", "context", "" };
	static const int right[] = { 0, 1, 0 };
	table *t = table_new(3, head, right, 0);
	size_t i;

	for (i = 0; i < n; i++) {
		char ctx[24] = "-";
		const char *cells[3] = { m[i].id, ctx, strcmp(m[i].id, cfg->model) == 0 ? "(in use)" : "" };

		if (m[i].context > 0)
			snprintf(ctx, sizeof ctx, "%ld", m[i].context);
		table_add(t, cells);
	}
	table_print(t, stdout, table_width(stdout));
	table_free(t);
}

static int
models_main(cmd_ctx *c, int argc, char **argv)
{
	llm_choice want = { 0 };
	llm_config cfg;
	llm_model *m;
	size_t n;
	ak_err e = { 0 };
	loop *l;
	int i, r, code = CMD_EXIT_OK;

	(void)c;
	for (i = 1; i < argc; i++) {
		if ((r = llm_opt("models", argc, argv, &i, &want)) > 1)
			return r;
		if (r == 0)
			return cmd_usage_error("models", "%s '%s'", argv[i][0] == '-' ? "unknown option" : "unexpected argument",
					       argv[i]);
	}
	if (llm_open(&want, &cfg, &l, &code) < 0)
		return code;
	if (llm_models_list(l, &cfg, &m, &n, &e) < 0) {
		code = cmd_fail(&e, CMD_EXIT_FAILED);
	} else if (n == 0) {
		termsafe_error("%s lists no models", cfg.base_url);
	} else {
		models_print(&cfg, m, n);
		llm_models_free(m, n);
	}
	llm_config_clean(&cfg);
	loop_free(l);
	return code;
}

const cmd cmd_models = {
	"models", models_main, CMD_WS_NONE,
	"models [--provider P] [--model M] [--base-url URL]",
	"List the models an LLM provider offers.",
	"A table of the models the provider's endpoint lists, with their context\n"
	"window where it tells it, and the one in use marked.\n\n"
	"  --provider P    gemini, openai, anthropic or ollama (default: the setting\n"
	"                  llm.provider, else the first of openai, anthropic, gemini,\n"
	"                  ollama whose key or base URL variable is set)\n"
	"  --model M       the model to mark as in use (default: llm.model, else the\n"
	"                  provider's default)\n"
	"  --base-url URL  the provider's base URL: .../v1 for OpenAI-compatible\n"
	"                  servers, without /v1 for Anthropic, .../v1beta for Gemini,\n"
	"                  host:port for Ollama\n\n"
	"Keys: GEMINI_API_KEY or GOOGLE_API_KEY, OPENAI_API_KEY (none for a server on\n"
	"this machine), ANTHROPIC_API_KEY, OLLAMA_API_KEY (ollama.com only). Base URLs:\n"
	"OPENAI_BASE_URL or OPENAI_API_BASE, ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL,\n"
	"OLLAMA_HOST.\n",
};

/* ---- __llm-ask ---- */

typedef struct ask {
	loop *l;
	llm_stream *s;
	termsafe_stream safe;
	strbuf out;
	int done, code, ended_nl;
} ask;

static void
ask_text(void *arg, const char *text, size_t len, int thought)
{
	ask *a = arg;

	if (thought)
		return;
	strbuf_reset(&a->out);
	termsafe_stream_feed(&a->safe, text, len, &a->out);
	fwrite(a->out.buf ? a->out.buf : "", 1, a->out.len, stdout);
	if (a->out.len)
		a->ended_nl = a->out.buf[a->out.len - 1] == '\n';
	/* A piece shows when it arrives, not when a buffer fills. */
	fflush(stdout);
}

static void
ask_notice(void *arg, const char *msg)
{
	(void)arg;
	termsafe_error("%s", msg);
}

static void
ask_usage(const llm_result *r)
{
	fprintf(stderr, "usage: provider=%s model=%s input_tokens=%ld output_tokens=%ld cached_tokens=%ld "
		"reasoning_tokens=%ld seconds=%.2f first_token_seconds=%.2f attempts=%d finish=%s\n",
		r->provider, r->model, r->usage.input_tokens, r->usage.output_tokens, r->usage.cached_tokens,
		r->usage.reasoning_tokens, r->usage.seconds, r->usage.first_token_seconds, r->usage.attempts,
		*r->finish ? r->finish : "-");
}

static void
ask_done(void *arg, const llm_result *r, const ak_err *e)
{
	ask *a = arg;

	strbuf_reset(&a->out);
	termsafe_stream_end(&a->safe, &a->out);
	fwrite(a->out.buf ? a->out.buf : "", 1, a->out.len, stdout);
	if (r->len > 0 && !a->ended_nl)
		putchar('\n');
	fflush(stdout);
	a->s = NULL;
	a->code = e ? cmd_fail(e, CMD_EXIT_FAILED) : CMD_EXIT_OK;
	ask_usage(r);
	a->done = 1;
}

static void
ask_signal(loop *l, int signo, void *arg)
{
	ask *a = arg;

	(void)l;
	(void)signo;
	if (a->s)
		llm_stream_cancel(a->s);
	a->s = NULL;
	if (!a->ended_nl)
		putchar('\n');
	fflush(stdout);
	termsafe_error("cancelled");
	a->code = CMD_EXIT_CANCELLED;
	a->done = 1;
}

static int
ask_run(const llm_config *cfg, loop *l, const llm_conv *conv)
{
	llm_callbacks cb = { ask_text, ask_notice, ask_done, NULL };
	ask a = { 0 };
	ak_err e = { 0 };
	http *h = http_new(l, &e);

	a.l = l;
	a.ended_nl = 1;
	cb.arg = &a;
	termsafe_stream_init(&a.safe, TERMSAFE_TEXT);
	if (h)
		a.s = llm_stream_start(l, h, cfg, conv, &cb, &e);
	if (!a.s) {
		http_free(h);
		return cmd_fail(&e, CMD_EXIT_FAILED);
	}
	loop_signal_watch(l, SIGINT, ask_signal, &a);
	loop_signal_watch(l, SIGTERM, ask_signal, &a);
	while (!a.done)
		if (loop_run_once(l, -1) < 0)
			break;
	http_free(h);
	strbuf_free(&a.out);
	return a.code;
}

/* `__llm-ask [--provider P] [--model M] [--base-url URL] [--system TEXT]
 * PROMPT...`: streams one reply to stdout as it arrives, the usage on
 * stderr. For tests, and a quick check of a provider's setup. */
int
cmd_llm_ask_child(int argc, char **argv)
{
	llm_choice want = { 0 };
	llm_config cfg;
	strbuf prompt = { 0 };
	const char *system = NULL;
	loop *l;
	int i, r, code = CMD_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if ((r = llm_opt("__llm-ask", argc, argv, &i, &want)) > 1)
			return r;
		if (r == 1)
			continue;
		if (strcmp(argv[i], "--system") == 0 && i + 1 < argc)
			system = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return cmd_usage_error("__llm-ask", "unknown option '%s'", argv[i]);
		else
			strbuf_addf(&prompt, "%s%s", prompt.len ? " " : "", argv[i]);
	}
	if (prompt.len == 0)
		return cmd_usage_error("__llm-ask", "say what to ask");
	if (llm_open(&want, &cfg, &l, &code) == 0) {
		llm_message msg = { "user", prompt.buf };
		llm_conv conv = { system, &msg, 1 };

		code = ask_run(&cfg, l, &conv);
		llm_config_clean(&cfg);
		loop_free(l);
	}
	strbuf_free(&prompt);
	return code;
}

#include "config.h"

#include "llm/price.h"
#include "llm/provider.h"
#include "util/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The providers' list prices in dollars per million tokens (input, cached
 * input, output) and input windows, as of LLM_PRICE_TABLE_DATE. Gemini's
 * 2.5 Pro is priced here at its rate for prompts up to 200k tokens. */
static const struct llm_price_row {
	const char *model;
	double in, cached, out;
	long window;
} llm_price_rows[] = {
	{ "gemini-2.5-pro", 1.25, 0.31, 10.00, 1048576 },
	{ "gemini-2.5-flash", 0.30, 0.075, 2.50, 1048576 },
	{ "gemini-2.5-flash-lite", 0.10, 0.025, 0.40, 1048576 },
	{ "gemini-2.0-flash", 0.10, 0.025, 0.40, 1048576 },
	{ "gemini-2.0-flash-lite", 0.075, 0.075, 0.30, 1048576 },
	{ "gpt-5", 1.25, 0.125, 10.00, 400000 },
	{ "gpt-5-mini", 0.25, 0.025, 2.00, 400000 },
	{ "gpt-5-nano", 0.05, 0.005, 0.40, 400000 },
	{ "gpt-4.1", 2.00, 0.50, 8.00, 1047576 },
	{ "gpt-4.1-mini", 0.40, 0.10, 1.60, 1047576 },
	{ "gpt-4.1-nano", 0.10, 0.025, 0.40, 1047576 },
	{ "gpt-4o", 2.50, 1.25, 10.00, 128000 },
	{ "gpt-4o-mini", 0.15, 0.075, 0.60, 128000 },
	{ "o3", 2.00, 0.50, 8.00, 200000 },
	{ "o4-mini", 1.10, 0.275, 4.40, 200000 },
	{ "claude-opus-4-1", 15.00, 1.50, 75.00, 200000 },
	{ "claude-opus-4", 15.00, 1.50, 75.00, 200000 },
	{ "claude-sonnet-4-5", 3.00, 0.30, 15.00, 200000 },
	{ "claude-sonnet-4", 3.00, 0.30, 15.00, 200000 },
	{ "claude-haiku-4-5", 1.00, 0.10, 5.00, 200000 },
	{ "claude-3-5-haiku", 0.80, 0.08, 4.00, 200000 },
};

/* "models/gemini-2.5-flash" and "openai/gpt-4o" (a router's names) are the
 * model after the last '/'. */
static const char *
llm_price_base_name(const char *model)
{
	const char *slash = strrchr(model, '/');

	return slash ? slash + 1 : model;
}

static const struct llm_price_row *
llm_price_row_find(const char *model)
{
	const struct llm_price_row *best = NULL;
	size_t i, n, best_len = 0;

	model = llm_price_base_name(model);
	for (i = 0; i < sizeof(llm_price_rows) / sizeof(llm_price_rows[0]); i++) {
		n = strlen(llm_price_rows[i].model);
		/* A longer name must go on with a separator: "o3" is not "o3x". */
		if (strncmp(model, llm_price_rows[i].model, n) == 0 && (model[n] == '\0' || model[n] == '-' ||
		    model[n] == '@' || model[n] == ':') && n > best_len) {
			best = &llm_price_rows[i];
			best_len = n;
		}
	}
	return best;
}

/* The setting llm.price.MODEL (under the name as given, then its base). */
static const char *
llm_price_setting(const char *family, const char *model)
{
	char key[256];
	const char *v;

	snprintf(key, sizeof(key), "%s%s", family, model);
	v = settings_get(key);
	if (!v) {
		snprintf(key, sizeof(key), "%s%s", family, llm_price_base_name(model));
		v = settings_get(key);
	}
	return v;
}

/* "INPUT CACHED OUTPUT"; CACHED "-" is the input's price. A bad value is
 * no price at all rather than a wrong one. */
static int
llm_price_parse(const char *v, double *in, double *cached, double *out)
{
	char c[32], extra;

	if (sscanf(v, "%lf %31s %lf %c", in, c, out, &extra) != 3 || *in < 0 || *out < 0)
		return -1;
	if (strcmp(c, "-") == 0) {
		*cached = *in;
		return 0;
	}
	if (sscanf(c, "%lf%c", cached, &extra) != 1 || *cached < 0)
		return -1;
	return 0;
}

int
llm_price_cost(const char *provider, const char *model, const char *base_url, const llm_usage *u, double *usd)
{
	const struct llm_price_row *row;
	const char *v;
	double in, cached, out;
	long tin, tcached, tout;

	(void)provider;
	if (base_url && llm_url_is_loopback(base_url)) {
		*usd = 0;
		return 0;
	}
	if (!model || !*model)
		return -1;
	v = llm_price_setting("llm.price.", model);
	if (v) {
		if (llm_price_parse(v, &in, &cached, &out) < 0)
			return -1;
	} else if ((row = llm_price_row_find(model))) {
		in = row->in;
		cached = row->cached;
		out = row->out;
	} else {
		return -1;
	}
	tin = u->input_tokens > 0 ? u->input_tokens : 0;
	tcached = u->cached_tokens > 0 ? u->cached_tokens : 0;
	tout = u->output_tokens > 0 ? u->output_tokens : 0;
	if (tcached > tin)
		tcached = tin;
	*usd = ((double)(tin - tcached) * in + (double)tcached * cached + (double)tout * out) / 1e6;
	return 0;
}

long
llm_price_window(const char *model)
{
	const struct llm_price_row *row;
	const char *v;
	char *end;
	long n;

	if (!model || !*model)
		return 0;
	v = llm_price_setting("llm.window.", model);
	if (v) {
		n = strtol(v, &end, 10);
		return end != v && *end == '\0' && n > 0 ? n : 0;
	}
	row = llm_price_row_find(model);
	return row ? row->window : 0;
}

const char *
llm_price_format(double usd)
{
	static char buf[32];

	if (usd < 0)
		return "?";
	snprintf(buf, sizeof(buf), usd < 1.0 ? "$%.4f" : "$%.2f", usd);
	return buf;
}

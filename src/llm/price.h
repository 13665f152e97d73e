#ifndef AK_LLM_PRICE_H
#define AK_LLM_PRICE_H

#include "llm/llm.h"

/* What a model costs and how much it reads: no response carries money or
 * the window (spec §7), so both come from a table of the providers' list
 * prices (as of PRICE_TABLE_DATE, dollars per million tokens) and windows,
 * which the settings llm.price.MODEL ("INPUT CACHED OUTPUT", CACHED "-"
 * for the input's price) and llm.window.MODEL override. A model is looked
 * up by its name, else by the longest known name it starts with
 * ("claude-sonnet-4-5-20250929" is "claude-sonnet-4-5"). */

#define LLM_PRICE_TABLE_DATE "2025-10"

/* The dollars of one call's tokens (cached input at the cached price,
 * reasoning inside output): 0 with *usd set, or -1 when the model has no
 * price. A server on this machine (a loopback base_url) costs nothing.
 * base_url may be NULL. */
int llm_price_cost(const char *provider, const char *model, const char *base_url, const llm_usage *u,
		   double *usd);
/* The model's input window in tokens, 0 when unknown. */
long llm_price_window(const char *model);
/* "$0.0123", "$1.20", or "?" when usd < 0: a static buffer. */
const char *llm_price_format(double usd);

#endif

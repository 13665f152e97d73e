#include "config.h"

#include "llm/context.h"

#include <string.h>

#define LLM_CONTEXT_CHARS_PER_TOKEN 4
/* Each message's role and framing, in tokens. */
#define LLM_CONTEXT_PER_MESSAGE 4

long
llm_context_tokens(size_t len)
{
	return (long)((len + LLM_CONTEXT_CHARS_PER_TOKEN - 1) / LLM_CONTEXT_CHARS_PER_TOKEN);
}

static long
llm_context_text(const char *text)
{
	return llm_context_tokens(text ? strlen(text) : 0);
}

long
llm_context_estimate(const llm_conv *conv)
{
	long total = llm_context_text(conv->system);
	size_t i;

	for (i = 0; i < conv->count; i++)
		total += llm_context_text(conv->messages[i].text) + LLM_CONTEXT_PER_MESSAGE;
	return total;
}

size_t
llm_context_first(const llm_conv *conv, long window)
{
	long limit = (long)((double)window * LLM_CONTEXT_WARN), total;
	size_t first = 0;

	if (window <= 0)
		return 0;
	total = llm_context_estimate(conv);
	while (total > limit && first + 2 < conv->count) {
		total -= llm_context_text(conv->messages[first].text) + LLM_CONTEXT_PER_MESSAGE;
		total -= llm_context_text(conv->messages[first + 1].text) + LLM_CONTEXT_PER_MESSAGE;
		first += 2;
	}
	return first;
}

#ifndef AK_LLM_CONTEXT_H
#define AK_LLM_CONTEXT_H

#include "llm/llm.h"

/* How much of a model's input window a conversation takes (spec §7):
 * estimated before sending, at about four characters a token (rough for
 * code and CJK text, and on the safe side for English). Past
 * LLM_CONTEXT_WARN of the window the user is told, and a chat leaves its
 * oldest turns out. */

#define LLM_CONTEXT_WARN 0.8

/* The tokens len bytes of text are likely to take. */
long llm_context_tokens(size_t len);
/* The tokens conv's system prompt and messages are likely to take. */
long llm_context_estimate(const llm_conv *conv);
/* The index of the first message to send so that the rest (and the
 * system prompt) stays within LLM_CONTEXT_WARN of window: the oldest turns
 * go in pairs, so roles still alternate from a user message, and the last
 * message is always sent. 0 when everything fits or the window is unknown
 * (0). */
size_t llm_context_first(const llm_conv *conv, long window);

#endif

#ifndef AK_CHAT_H
#define AK_CHAT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "llm/llm.h"
#include "store/store.h"
#include "util/err.h"
#include "util/http.h"
#include "util/loop.h"

/* The strategy chat of a run: the assistant is primed with the
 * competition (run.json's task and constraints, input/competition.json,
 * the profile's summary, input/overview.md, the decisions so far); each
 * exchange is stored (messages, redacted) and mirrored to
 * input/chat_transcript.md, and followed by a request for the decisions as
 * one JSON object, which is validated and written to input/decisions.json
 * (an input of CODE). Replies stream on the caller's loop. */

typedef struct chat chat;

/* What one exchange used: the reply and the decisions request that
 * follows it, summed (tokens a provider does not report count 0). */
typedef struct chat_usage {
	int calls;
	long input_tokens, output_tokens;
	double seconds;
	double cost;            /* dollars, of the calls with a price (llm/price.h) */
	int unpriced;           /* calls whose model has no price */
} chat_usage;

typedef struct chat_callbacks {
	/* A piece of the reply as it arrives: raw model text, to be made
	 * safe before it reaches a terminal. */
	void (*on_text)(void *arg, const char *text, size_t len);
	void (*on_notice)(void *arg, const char *msg);
	/* The exchange ended: ok, or msg says what failed; decisions says
	 * what became of input/decisions.json ("updated", "unchanged", or
	 * why it was not); u what it used. */
	void (*on_done)(void *arg, int ok, const char *msg, const char *decisions, const chat_usage *u);
	void *arg;
} chat_callbacks;

/* How a reply cut short by chat_cancel ends, in the store and the
 * transcript. */
#define CHAT_INTERRUPTED "(interrupted)"

/* The provider of a run's chat: what want names, else what the run was
 * started with (run.json's options), else the settings and the
 * environment (llm_config_resolve). -1 with e set: ERR_AUTH when none is
 * set up (the message says how to set one up), ERR_USAGE for a bad name. */
int chat_config(const char *run_dir, const llm_choice *want, llm_config *cfg, ak_err *e);

/* Opens the chat of the run in run_dir, with its history from the store.
 * cfg is copied; h is the caller's. NULL with e set. */
chat *chat_open(store *db, const char *run_id, const char *run_dir, const llm_config *cfg, loop *l, http *h,
	ak_err *e);
/* One exchange: the user's text, the streamed reply, the decisions. -1
 * with e set when it cannot start (one exchange at a time). */
int chat_say(chat *c, const char *text, const chat_callbacks *cb, ak_err *e);
/* Stops the exchange under way; no callback follows. The turn is kept:
 * the reply is what arrived so far, then CHAT_INTERRUPTED on a line of
 * its own. */
void chat_cancel(chat *c);
int chat_busy(const chat *c);
void chat_free(chat *c);

/* The decisions in a model's reply: the JSON object in it (fenced or
 * not), its known fields type-checked (features, constraints and
 * user_fixed lists of strings; model_family, validation and notes
 * strings), the others dropped. NULL with e set when there is none. */
cJSON *chat_decisions_parse(const char *text, size_t len, ak_err *e);

#endif

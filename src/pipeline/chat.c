#include "config.h"

#include "codegen/prompt.h"
#include "kaggle/auth.h"
#include "llm/context.h"
#include "llm/price.h"
#include "pipeline/chat.h"
#include "pipeline/llmcalls.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum chat_phase { CHAT_IDLE, CHAT_REPLY, CHAT_DECISIONS };

struct chat {
	store *db;
	char *run_id, *dir;
	loop *l;
	http *h;
	llm_config cfg;
	char *system;
	llm_message *msgs;          /* the history; roles and texts owned */
	size_t n;
	llm_stream *s;
	enum chat_phase phase;
	chat_callbacks cb;
	strbuf reply;               /* what arrived of the reply, kept when it is cut short */
	chat_usage used;            /* the exchange's, so far */
};

/* The history is what is sent: every message passes the redactor. */
static void
chat_push(chat *c, const char *role, const char *text)
{
	c->msgs = xrealloc(c->msgs, (c->n + 1) * sizeof(*c->msgs));
	c->msgs[c->n].role = xstrdup(role);
	c->msgs[c->n].text = redact_string(text);
	c->n++;
}

static char *
chat_read(const chat *c, const char *rel)
{
	char *p = fs_join(c->dir, rel), *text = fs_read_file(p, NULL, NULL);

	free(p);
	return text;
}

static cJSON *
chat_load_json(const chat *c, const char *rel)
{
	char *p = fs_join(c->dir, rel);
	cJSON *j = jsonfile_load(p, NULL);

	free(p);
	return j;
}

/* The priming: what run.json and input/ know of the competition. */
static char *
chat_system(chat *c)
{
	cJSON *run = chat_load_json(c, "run.json"), *comp = chat_load_json(c, "input/competition.json");
	cJSON *prof = chat_load_json(c, "input/data_profile.json");
	const cJSON *task = cJSON_GetObjectItemCaseSensitive(run, "task");
	const cJSON *cons = cJSON_GetObjectItemCaseSensitive(run, "constraints");
	char *overview = chat_read(c, "input/overview.md"), *decisions = chat_read(c, "input/decisions.json"), *text;
	codegen_prompt_in in = {
		.competition = comp, .profile = prof, .decisions = decisions, .overview = overview,
		.task = json_str(task, "type", "unknown (the profile has not run)"), .target = json_str(task, "target", "?"),
		.id = json_str(task, "id", "?"), .metric = json_str(task, "metric", "?"),
		.higher_is_better = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(task, "higher_is_better")),
		.submission_format = json_str(task, "submission_format", "label"),
		.budget_seconds = (long)json_num(cons, "budget_seconds", 0),
		.gpu = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cons, "gpu_resolved")),
		.family = json_str(cons, "family", "auto"), .folds = (int)json_num(cons, "folds", 5),
		.threads = (int)json_num(cons, "threads", 1), .memory_bytes = (unsigned long long)json_num(cons, "memory_bytes", 0),
	};

	text = codegen_prompt_chat(&in);
	free(overview);
	free(decisions);
	cJSON_Delete(run);
	cJSON_Delete(comp);
	cJSON_Delete(prof);
	return text;
}

chat *
chat_open(store *db, const char *run_id, const char *run_dir, const llm_config *cfg, loop *l, http *h, ak_err *e)
{
	chat *c = xcalloc(1, sizeof(*c));
	store_message *m;
	size_t n, i;

	kaggle_auth_guard_secrets();
	if (store_message_list(db, run_id, &m, &n, e) < 0) {
		free(c);
		return NULL;
	}
	c->db = db;
	c->run_id = xstrdup(run_id);
	c->dir = xstrdup(run_dir);
	c->l = l;
	c->h = h;
	c->cfg = *cfg;
	c->cfg.model = xstrdup(cfg->model);
	c->cfg.base_url = xstrdup(cfg->base_url);
	c->cfg.key = cfg->key ? xstrdup(cfg->key) : NULL;
	c->cfg.warning = NULL;
	for (i = 0; i < n; i++)
		if (strcmp(m[i].role, "system") != 0)
			chat_push(c, m[i].role, m[i].content);
	store_message_list_free(m, n);
	c->system = chat_system(c);
	return c;
}

/* The message in the store (redacted there) and the transcript. */
static void
chat_record(chat *c, const char *role, const char *text)
{
	char *path = fs_join(c->dir, "input/chat_transcript.md"), *clean = redact_string(text);
	char stamp[TIMEFMT_ISO_LEN];
	int fresh = !fs_exists(path);
	FILE *f = fopen(path, "a");
	ak_err e;

	if (store_message_add(c->db, c->run_id, role, text, &e) < 0 && c->cb.on_notice)
		c->cb.on_notice(c->cb.arg, e.msg);
	timefmt_iso_utc(time(NULL), stamp);
	if (f) {
		if (fresh)
			fprintf(f, "# Strategy chat of run %s\n\n", c->run_id);
		fprintf(f, "## %s (%s)\n\n%s%s\n", role, stamp, clean, *clean && clean[strlen(clean) - 1] == '\n' ? "" : "\n");
		fclose(f);
	}
	free(clean);
	free(path);
}

static void
chat_count(chat *c, const char *purpose, const llm_result *r, const char *outcome)
{
	store_llm_call call = {
		.purpose = purpose, .provider = r->provider, .model = r->model,
		.input_tokens = r->usage.input_tokens, .output_tokens = r->usage.output_tokens,
		.cached_tokens = r->usage.cached_tokens, .seconds = r->usage.seconds,
		.outcome = outcome, .priced = r->priced, .cost = r->cost,
	};

	llmcalls_add(c->db, c->run_id, c->dir, &call, NULL);
	c->used.calls++;
	c->used.input_tokens += r->usage.input_tokens > 0 ? r->usage.input_tokens : 0;
	c->used.output_tokens += r->usage.output_tokens > 0 ? r->usage.output_tokens : 0;
	c->used.seconds += r->usage.seconds;
	if (r->priced)
		c->used.cost += r->cost;
	else
		c->used.unpriced++;
}

static void
chat_on_text(void *arg, const char *text, size_t len, int thought)
{
	chat *c = arg;

	if (thought || c->phase != CHAT_REPLY)
		return;
	strbuf_add(&c->reply, text, len);
	if (c->cb.on_text)
		c->cb.on_text(c->cb.arg, text, len);
}

static void
chat_on_notice(void *arg, const char *msg)
{
	chat *c = arg;

	if (c->cb.on_notice)
		c->cb.on_notice(c->cb.arg, msg);
}

static void
chat_end(chat *c, int ok, const char *msg, const char *decisions)
{
	chat_callbacks cb = c->cb;

	chat_usage used = c->used;

	c->phase = CHAT_IDLE;
	c->s = NULL;
	if (cb.on_done)
		cb.on_done(cb.arg, ok, msg, decisions, &used);
}

/* Writes the decisions when they changed; what became of them. */
static const char *
chat_write_decisions(chat *c, const cJSON *d, char *why, size_t n)
{
	char *path = fs_join(c->dir, "input/decisions.json"), *text = cJSON_Print(d), *old = chat_read(c, "input/decisions.json");
	char *redacted = redact_string(text), *clean = xasprintf("%s\n", redacted);
	const char *what = "unchanged";
	ak_err e;

	if (!old || strcmp(old, clean) != 0) {
		if (fs_write_atomic(path, clean, strlen(clean), 0600, &e) < 0) {
			snprintf(why, n, "not written: %.500s", e.msg);
			what = why;
		} else {
			what = "updated";
		}
	}
	free(old);
	free(clean);
	free(redacted);
	free(text);
	free(path);
	return what;
}

static void
chat_on_done(void *arg, const llm_result *r, const ak_err *e);

/* What is sent: the whole chat, or its latest turns once it nears the
 * model's window (the user is told at each turn that leaves some out). */
static llm_conv
chat_conv(chat *c)
{
	llm_conv conv = { c->system, c->msgs, c->n };
	size_t first = llm_context_first(&conv, llm_price_window(c->cfg.model));
	char msg[200];

	if (first > 0 && c->phase == CHAT_IDLE && c->cb.on_notice) {
		snprintf(msg, sizeof(msg), "the chat nears %s's input window: its oldest %zu messages are left out of "
			 "what is sent", c->cfg.model, first);
		c->cb.on_notice(c->cb.arg, msg);
	}
	conv.messages += first;
	conv.count -= first;
	return conv;
}

static void
chat_ask_decisions(chat *c)
{
	llm_callbacks cb = { chat_on_text, chat_on_notice, chat_on_done, c };
	llm_conv conv;
	ak_err e;

	chat_push(c, "user", codegen_prompt_decisions());
	conv = chat_conv(c);
	c->phase = CHAT_DECISIONS;
	c->s = llm_stream_start(c->l, c->h, &c->cfg, &conv, &cb, &e);
	/* The question is not part of the conversation. */
	c->n--;
	free((char *)c->msgs[c->n].role);
	free((char *)c->msgs[c->n].text);
	if (!c->s)
		chat_end(c, 1, NULL, e.msg);
}

static void
chat_on_done(void *arg, const llm_result *r, const ak_err *e)
{
	chat *c = arg;
	char why[600];
	cJSON *d;
	ak_err pe;

	c->s = NULL;
	chat_count(c, c->phase == CHAT_REPLY ? "chat" : "decisions", r, e ? "failed" : "done");
	if (c->phase == CHAT_REPLY) {
		chat_push(c, "assistant", r->len ? r->text : "(no reply)");
		chat_record(c, "assistant", r->len ? r->text : "(no reply)");
		if (e)
			chat_end(c, 0, e->msg, "unchanged");
		else
			chat_ask_decisions(c);
		return;
	}
	if (e) {
		snprintf(why, sizeof(why), "not asked: %.500s", e->msg);
		chat_end(c, 1, NULL, why);
		return;
	}
	d = chat_decisions_parse(r->text, r->len, &pe);
	if (!d) {
		snprintf(why, sizeof(why), "unreadable, kept as they were: %.500s", pe.msg);
		chat_end(c, 1, NULL, why);
		return;
	}
	chat_end(c, 1, NULL, chat_write_decisions(c, d, why, sizeof(why)));
	cJSON_Delete(d);
}

int
chat_say(chat *c, const char *text, const chat_callbacks *cb, ak_err *e)
{
	llm_callbacks lcb = { chat_on_text, chat_on_notice, chat_on_done, c };
	llm_conv conv;

	if (c->phase != CHAT_IDLE)
		return err_set(e, "a reply is still coming");
	c->cb = *cb;
	strbuf_reset(&c->reply);
	memset(&c->used, 0, sizeof(c->used));
	chat_push(c, "user", text);
	conv = chat_conv(c);
	c->phase = CHAT_REPLY;
	c->s = llm_stream_start(c->l, c->h, &c->cfg, &conv, &lcb, e);
	if (!c->s) {
		c->n--;
		free((char *)c->msgs[c->n].role);
		free((char *)c->msgs[c->n].text);
		c->phase = CHAT_IDLE;
		return -1;
	}
	chat_record(c, "user", text);
	return 0;
}

void
chat_cancel(chat *c)
{
	if (c->s) {
		llm_result r;
		llm_stream_usage(c->s, &r);
		chat_count(c, c->phase == CHAT_REPLY ? "chat" : "decisions", &r, "cancelled");
		llm_stream_cancel(c->s);
	}
	c->s = NULL;
	if (c->phase == CHAT_REPLY) {
		/* Roles must alternate: the turn keeps a reply, what arrived of it. */
		char *kept = xasprintf("%s%s" CHAT_INTERRUPTED, strbuf_str(&c->reply), c->reply.len ? "\n\n" : "");
		chat_push(c, "assistant", kept);
		chat_record(c, "assistant", kept);
		free(kept);
	}
	c->phase = CHAT_IDLE;
}

int
chat_busy(const chat *c)
{
	return c->phase != CHAT_IDLE;
}

void
chat_free(chat *c)
{
	size_t i;

	if (!c)
		return;
	if (c->s)
		llm_stream_cancel(c->s);
	for (i = 0; i < c->n; i++) {
		free((char *)c->msgs[i].role);
		free((char *)c->msgs[i].text);
	}
	free(c->msgs);
	strbuf_free(&c->reply);
	free(c->system);
	free(c->cfg.model);
	free(c->cfg.base_url);
	free(c->cfg.key);
	free(c->run_id);
	free(c->dir);
	free(c);
}

/* ---- decisions ---- */

static int
chat_is_string_list(const cJSON *v)
{
	const cJSON *it;

	if (!cJSON_IsArray(v))
		return 0;
	cJSON_ArrayForEach(it, v)
		if (!cJSON_IsString(it))
			return 0;
	return 1;
}

cJSON *
chat_decisions_parse(const char *text, size_t len, ak_err *e)
{
	static const char *const lists[] = { "features", "constraints", "user_fixed" };
	static const char *const strings[] = { "model_family", "validation", "notes" };
	const char *open = memchr(text, '{', len), *close = NULL, *p;
	cJSON *in, *out;
	size_t i;

	for (p = text + len; p > text; p--)
		if (p[-1] == '}') {
			close = p;
			break;
		}
	if (!open || !close || close <= open)
		return err_set(e, "the reply holds no JSON object"), NULL;
	in = cJSON_ParseWithLength(open, (size_t)(close - open));
	if (!cJSON_IsObject(in)) {
		cJSON_Delete(in);
		return err_set(e, "the reply's JSON object does not parse"), NULL;
	}
	out = cJSON_CreateObject();
	for (i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, lists[i]);
		cJSON_AddItemToObject(out, lists[i], chat_is_string_list(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray());
	}
	for (i = 0; i < 3; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, strings[i]);
		cJSON_AddStringToObject(out, strings[i], cJSON_IsString(v) ? v->valuestring : "");
	}
	cJSON_Delete(in);
	return out;
}

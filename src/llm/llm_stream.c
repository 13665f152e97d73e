#include "config.h"

#include "llm/context.h"
#include "llm/ndjson.h"
#include "llm/price.h"
#include "llm/provider.h"
#include "llm/sse.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* One streamed reply: the request, its retries, the stream's parser, and
 * the end, told once through on_done. */

/* A Retry-After longer than this is not waited for (the SDKs' rule). */
#define LLM_RETRY_AFTER_MAX 120.0
#define LLM_BACKOFF_FIRST 0.5
#define LLM_BACKOFF_CAP 8.0
/* What is kept of a 2xx reply that is not a stream, to say what it was. */
#define LLM_ODD_BODY_MAX 65536

struct llm_stream {
	loop *l;
	http *h;
	llm_config cfg;                 /* own copies */
	llm_http req;
	llm_callbacks cb;
	http_call *call;
	int retry_timer;
	int attempts;
	double t0;
	llm_turn turn;
	sse_parser sse;
	ndjson_splitter nd;
	int odd;                        /* a 2xx whose Content-Type is not a stream's */
	strbuf odd_body;
	int busy;                       /* inside a callback of ours */
	int cancelled;
	int ending;                     /* on_done is running */
};

static int llm_stream_attempt(llm_stream *s, ak_err *e);

static void
llm_stream_free(llm_stream *s)
{
	if (s->call)
		http_cancel(s->call);
	if (s->retry_timer)
		loop_timer_cancel(s->l, s->retry_timer);
	llm_http_clean(&s->req);
	llm_config_clean(&s->cfg);
	strbuf_free(&s->turn.text);
	strbuf_free(&s->odd_body);
	sse_clean(&s->sse);
	ndjson_clean(&s->nd);
	free(s);
}

static void
llm_stream_emit(void *arg, const char *text, size_t len, int thought)
{
	llm_stream *s = arg;

	if (!thought && s->turn.usage.first_token_seconds < 0)
		s->turn.usage.first_token_seconds = loop_now() - s->t0;
	if (s->cb.on_text && !s->cancelled)
		s->cb.on_text(s->cb.arg, text, len, thought);
}

static void
llm_stream_sse_event(void *arg, const char *event, const char *data, size_t len)
{
	llm_stream *s = arg;

	if (!s->turn.complete && !s->turn.failed)
		s->cfg.provider->event(&s->turn, event, data, len);
}

static void
llm_stream_nd_line(void *arg, const char *line, size_t len)
{
	llm_stream *s = arg;

	if (!s->turn.complete && !s->turn.failed)
		s->cfg.provider->event(&s->turn, NULL, line, len);
}

static int
llm_stream_is_stream_type(const llm_stream *s, const char *ct)
{
	if (!ct)
		return 1;
	if (s->cfg.provider->ndjson)
		return strcasestr(ct, "ndjson") || strcasestr(ct, "json") || strcasestr(ct, "text/plain");
	return strcasestr(ct, "event-stream") != NULL;
}

static int
llm_stream_data(void *arg, const http_response *r, const char *data, size_t len)
{
	llm_stream *s = arg;

	if (r->bytes == len)
		s->odd = !llm_stream_is_stream_type(s, r->content_type);
	if (s->odd) {
		if (s->odd_body.len + len <= LLM_ODD_BODY_MAX)
			strbuf_add(&s->odd_body, data, len);
		return 0;
	}
	s->busy++;
	if (s->cfg.provider->ndjson)
		ndjson_feed(&s->nd, data, len);
	else
		sse_feed(&s->sse, data, len);
	s->busy--;
	/* Done: what follows the completion signal is not read. */
	if (s->cancelled || s->turn.failed || (s->turn.complete && !s->cfg.provider->ends_at_eof))
		return -1;
	return 0;
}

/* The call's result; with estimate, counts the provider did not give are
 * estimated from the request and the reply so far (a call cut short). */
static void
llm_stream_result(const llm_stream *s, int estimate, llm_result *r)
{
	memset(r, 0, sizeof(*r));
	r->text = strbuf_str(&s->turn.text);
	r->len = s->turn.text.len;
	r->finish = s->turn.finish;
	r->provider = s->cfg.provider->name;
	r->model = s->cfg.model;
	r->usage = s->turn.usage;
	r->usage.seconds = loop_now() - s->t0;
	r->usage.attempts = s->attempts;
	if (estimate && r->usage.input_tokens < 0)
		r->usage.input_tokens = llm_context_tokens(s->req.body ? strlen(s->req.body) : 0);
	if (estimate && r->usage.output_tokens < 0)
		r->usage.output_tokens = llm_context_tokens(r->len);
	r->priced = llm_price_cost(r->provider, r->model, s->cfg.base_url, &r->usage, &r->cost) == 0;
}

void
llm_stream_usage(const llm_stream *s, llm_result *r)
{
	llm_stream_result(s, 1, r);
}

static void
llm_stream_end(llm_stream *s, const ak_err *e)
{
	llm_result r;

	llm_stream_result(s, 0, &r);
	s->ending = 1;
	if (s->cb.on_done)
		s->cb.on_done(s->cb.arg, &r, e);
	llm_stream_free(s);
}

/* Seconds the server asks to wait, -1 when it does not say. */
static double
llm_stream_asked_delay(const http_response *r)
{
	char *ms = http_response_header(r, "retry-after-ms");
	double d = -1;

	if (ms) {
		char *end;
		double v = strtod(ms, &end);

		if (end != ms && v >= 0)
			d = v / 1000.0;
		free(ms);
	}
	if (d < 0 && r->retry_after && *r->retry_after)
		d = http_retry_delay(1, r->retry_after);
	return d;
}

static double
llm_stream_backoff(int attempt)
{
	double d = LLM_BACKOFF_FIRST;
	int i;

	for (i = 1; i < attempt && d < LLM_BACKOFF_CAP; i++)
		d *= 2;
	if (d > LLM_BACKOFF_CAP)
		d = LLM_BACKOFF_CAP;
	/* Minus up to a quarter, so that clients started together spread out. */
	return d * (1.0 - 0.25 * ((double)(rand() % 1000) / 1000.0));
}

static int
llm_stream_status_retriable(long s)
{
	return s == 408 || s == 409 || s == 429 || s >= 500;
}

static void
llm_stream_retry_cb(loop *l, void *arg)
{
	llm_stream *s = arg;

	ak_err e = { 0 };

	(void)l;
	s->retry_timer = 0;
	if (llm_stream_attempt(s, &e) < 0)
		llm_stream_end(s, &e);
}

static void
llm_stream_retry(llm_stream *s, double delay, const char *why)
{
	char msg[1200];

	snprintf(msg, sizeof msg, "%s; retrying in %.2g s (attempt %d of %d)", why, delay, s->attempts + 1,
		 s->cfg.max_retries + 1);
	if (s->cb.on_notice) {
		s->busy++;
		s->cb.on_notice(s->cb.arg, msg);
		s->busy--;
	}
	if (s->cancelled) {
		llm_stream_free(s);
		return;
	}
	s->retry_timer = loop_timer_add(s->l, (long)(delay * 1000.0), 0, llm_stream_retry_cb, s);
}

/* A reply that is not 2xx: retried when the rules allow, else the end. */
static void
llm_stream_refused(llm_stream *s, const http_response *r)
{
	char *should = http_response_header(r, "x-should-retry");
	double delay = llm_stream_asked_delay(r);
	int quota = 0, retry;
	ak_err e = { 0 };

	llm_error_from_reply(&s->cfg, r->status, r->body, &e, &quota);
	retry = llm_stream_status_retriable(r->status);
	if (should)
		retry = strcasecmp(should, "true") == 0;
	free(should);
	if (quota || s->attempts > s->cfg.max_retries)
		retry = 0;
	if (retry && delay > LLM_RETRY_AFTER_MAX) {
		err_prefix(&e, "asked to wait %.0f s, more than the %.0f s waited for", delay, LLM_RETRY_AFTER_MAX);
		retry = 0;
	}
	if (!retry) {
		llm_stream_end(s, &e);
		return;
	}
	llm_stream_retry(s, delay > 0 ? delay : llm_stream_backoff(s->attempts), e.msg);
}

static void
llm_stream_truncated(llm_stream *s, ak_err *e)
{
	char *where = http_url_for_message(s->cfg.base_url);

	err_kind_set(e, ERR_NETWORK, "%s at %s closed the connection mid-reply (%zu bytes of text kept)",
		     s->cfg.provider->label, where, s->turn.text.len);
	free(where);
}

/* Prefixes a transport error with the provider and the URL tried. */
static void
llm_stream_where(const llm_stream *s, ak_err *e)
{
	char *where = http_url_for_message(s->cfg.base_url);

	err_prefix(e, "%s at %s", s->cfg.provider->label, where);
	free(where);
}

static void
llm_stream_done(http *h, http_call *c, const http_response *r, const ak_err *e, void *arg)
{
	llm_stream *s = arg;
	ak_err out = { 0 };

	(void)h;
	(void)c;
	s->call = NULL;
	if (s->cancelled) {
		llm_stream_free(s);
		return;
	}
	if (e) {
		out = *e;
		llm_stream_where(s, &out);
		/* Never again once text was shown: the user would see it twice. */
		if (s->turn.text.len == 0 && s->attempts <= s->cfg.max_retries) {
			llm_stream_retry(s, llm_stream_backoff(s->attempts), out.msg);
			return;
		}
		if (s->turn.text.len > 0)
			err_prefix(&out, "the reply broke off (%zu bytes of text kept)", s->turn.text.len);
		llm_stream_end(s, &out);
		return;
	}
	if (r->status < 200 || r->status >= 300) {
		llm_stream_refused(s, r);
		return;
	}
	if (s->odd) {
		llm_error_from_reply(&s->cfg, r->status, strbuf_str(&s->odd_body), &out, NULL);
		err_prefix(&out, "the reply is not a stream (%s)", r->content_type ? r->content_type : "no type");
		llm_stream_end(s, &out);
		return;
	}
	if (s->cfg.provider->ndjson)
		ndjson_end(&s->nd);
	else
		sse_end(&s->sse);
	if (s->turn.failed)
		llm_stream_end(s, &s->turn.err);
	else if (s->turn.complete)
		llm_stream_end(s, NULL);
	else {
		llm_stream_truncated(s, &out);
		llm_stream_end(s, &out);
	}
}

/* Starts (again) the request: a retry begins with an empty turn. */
static int
llm_stream_attempt(llm_stream *s, ak_err *e)
{
	http_request rq = { 0 };

	s->attempts++;
	strbuf_reset(&s->turn.text);
	s->turn.complete = s->turn.failed = 0;
	s->turn.finish[0] = '\0';
	s->odd = 0;
	strbuf_reset(&s->odd_body);
	sse_clean(&s->sse);
	sse_init(&s->sse, llm_stream_sse_event, s);
	ndjson_clean(&s->nd);
	ndjson_init(&s->nd, llm_stream_nd_line, s);
	rq.method = s->req.body ? "POST" : "GET";
	rq.url = s->req.url;
	rq.headers = (const char *const *)s->req.headers;
	rq.body = s->req.body;
	rq.body_len = s->req.body ? strlen(s->req.body) : 0;
	rq.connect_timeout_ms = s->cfg.connect_timeout_ms;
	rq.first_byte_timeout_ms = s->cfg.first_byte_timeout_ms;
	rq.idle_timeout_ms = s->cfg.idle_timeout_ms;
	rq.max_body = 1 << 20;
	rq.on_data = llm_stream_data;
	rq.arg = s;
	s->call = http_start(s->h, &rq, llm_stream_done, s, e);
	return s->call ? 0 : -1;
}

static void
llm_config_copy(llm_config *to, const llm_config *from)
{
	*to = *from;
	to->model = xstrdup(from->model);
	to->base_url = xstrdup(from->base_url);
	to->key = from->key ? xstrdup(from->key) : NULL;
	to->warning = NULL;
}

llm_stream *
llm_stream_start(loop *l, http *h, const llm_config *cfg, const llm_conv *conv, const llm_callbacks *cb,
		 ak_err *e)
{
	llm_stream *s;

	if (!conv || conv->count == 0) {
		err_kind_set(e, ERR_INPUT, "nothing to send: the conversation has no message");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->l = l;
	s->h = h;
	llm_config_copy(&s->cfg, cfg);
	s->cb = *cb;
	s->t0 = loop_now();
	s->turn.usage = (llm_usage){ -1, -1, -1, -1, 0, -1, 0 };
	s->turn.emit = llm_stream_emit;
	s->turn.arg = s;
	cfg->provider->chat(&s->cfg, conv, &s->req);
	if (llm_stream_attempt(s, e) < 0) {
		llm_stream_free(s);
		return NULL;
	}
	return s;
}

void
llm_stream_cancel(llm_stream *s)
{
	if (!s || s->ending)
		return;
	if (s->busy) {
		s->cancelled = 1;
		return;
	}
	llm_stream_free(s);
}

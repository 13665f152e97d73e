#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "llm/llm.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* llm_stream against tests/fakes/fake_llm.py: deltas as they arrive, the
 * result and its usage, retries told through on_notice, and cancelling
 * from outside and from inside each callback (then nothing more is
 * called, and the sanitizers see nothing leak). */

#define FULL "Start with LightGBM on raw features. Caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80 done."

static struct {
	pid_t pid;
	int port;
	char *dir;
	loop *l;
	http *h;
} srv;

static int
server_start(void **state)
{
	ak_err e = { 0 };

	(void)state;
	srv.dir = testlib_tmpdir("llm-stream");
	srv.port = testlib_python_server(ABS_TOP_SRCDIR "/tests/fakes/fake_llm.py", "--port-file", srv.dir, &srv.pid);
	if (srv.port < 0)
		return -1;
	srv.l = loop_new();
	srv.h = http_new(srv.l, &e);
	return srv.h ? 0 : -1;
}

static int
server_stop(void **state)
{
	(void)state;
	http_free(srv.h);
	loop_free(srv.l);
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	testlib_rmtree(srv.dir);
	free(srv.dir);
	return 0;
}

static void
script(const char *json)
{
	char *u = xasprintf("http://127.0.0.1:%d/_fake/script", srv.port);
	http_request rq = { .method = "POST", .url = u, .body = json, .body_len = strlen(json) };
	http_response r;
	ak_err e = { 0 };

	assert_int_equal(http_perform(srv.l, &rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	http_response_clean(&r);
	free(u);
}

typedef struct seen {
	llm_stream *s;
	strbuf text;
	int texts, notices, done, cancel_in_text, cancel_in_notice;
	long input, output;
	int attempts, failed;
	double seconds, first;
	char msg[1024];
} seen;

static void
seen_text(void *arg, const char *text, size_t len, int thought)
{
	seen *w = arg;

	if (thought)
		return;
	w->texts++;
	strbuf_add(&w->text, text, len);
	if (w->cancel_in_text && w->texts == w->cancel_in_text)
		llm_stream_cancel(w->s);
}

static void
seen_notice(void *arg, const char *msg)
{
	seen *w = arg;

	w->notices++;
	snprintf(w->msg, sizeof w->msg, "%s", msg);
	if (w->cancel_in_notice)
		llm_stream_cancel(w->s);
}

static void
seen_done(void *arg, const llm_result *r, const ak_err *e)
{
	seen *w = arg;

	w->done = 1;
	w->failed = e != NULL;
	if (e)
		snprintf(w->msg, sizeof w->msg, "%s", e->msg);
	assert_int_equal(r->len, w->text.len);
	w->input = r->usage.input_tokens;
	w->output = r->usage.output_tokens;
	w->attempts = r->usage.attempts;
	w->seconds = r->usage.seconds;
	w->first = r->usage.first_token_seconds;
	/* Ignored here: the stream is ending. */
	llm_stream_cancel(w->s);
}

static void
start(seen *w, const char *provider, const char *prefix)
{
	char *base = xasprintf("http://127.0.0.1:%d%s", srv.port, prefix);
	llm_choice want = { provider, NULL, base };
	llm_message m = { "user", "Suggest a baseline." };
	llm_conv conv = { "Be brief.", &m, 1 };
	llm_callbacks cb = { seen_text, seen_notice, seen_done, w };
	llm_config cfg;
	ak_err e = { 0 };

	assert_int_equal(llm_config_resolve(&want, &cfg, &e), 0);
	w->s = llm_stream_start(srv.l, srv.h, &cfg, &conv, &cb, &e);
	assert_non_null(w->s);
	llm_config_clean(&cfg);
	free(base);
}

/* Runs the loop for ms milliseconds. */
static void
run_for(long ms)
{
	double end = loop_now() + ms / 1000.0;

	while (loop_now() < end)
		loop_run_once(srv.l, 50);
}

static void
test_deltas_and_usage(void **state)
{
	seen w = { 0 };

	(void)state;
	script("{\"delay_ms\": 30}");
	start(&w, "ollama", "/ollama");
	testlib_run_until(srv.l, &w.done);
	assert_false(w.failed);
	assert_string_equal(strbuf_str(&w.text), FULL);
	assert_true(w.texts >= 10);
	assert_int_equal(w.input, 31);
	assert_int_equal(w.output, 12);
	assert_int_equal(w.attempts, 1);
	assert_true(w.first >= 0 && w.first < w.seconds);
	strbuf_free(&w.text);
}

static void
test_retry_told(void **state)
{
	seen w = { 0 };

	(void)state;
	setenv("OPENAI_API_KEY", "sk-fake-openai-0123456789abcdef", 1);
	script("{\"error\": \"overloaded\", \"retry_after_ms\": 200}");
	start(&w, "openai", "/openai/v1");
	testlib_run_until(srv.l, &w.done);
	assert_false(w.failed);
	assert_int_equal(w.notices, 1);
	assert_int_equal(w.attempts, 2);
	assert_string_equal(strbuf_str(&w.text), FULL);
	strbuf_free(&w.text);
	unsetenv("OPENAI_API_KEY");
}

static void
test_cancel_from_outside(void **state)
{
	seen w = { 0 };

	(void)state;
	script("{\"delay_ms\": 200}");
	start(&w, "ollama", "/ollama");
	while (w.texts == 0)
		loop_run_once(srv.l, 100);
	llm_stream_cancel(w.s);
	run_for(500);
	assert_false(w.done);
	assert_true(w.texts < 5);
	strbuf_free(&w.text);
}

static void
test_cancel_inside_text(void **state)
{
	seen w = { .cancel_in_text = 2 };

	(void)state;
	script("{\"delay_ms\": 5}");
	start(&w, "ollama", "/ollama");
	run_for(800);
	assert_false(w.done);
	assert_int_equal(w.texts, 2);
	strbuf_free(&w.text);
}

static void
test_cancel_inside_notice(void **state)
{
	seen w = { .cancel_in_notice = 1 };

	(void)state;
	script("{\"error\": \"rate\", \"retry_after\": 0.2}");
	start(&w, "ollama", "/ollama");
	run_for(800);
	assert_int_equal(w.notices, 1);
	assert_false(w.done);
	assert_int_equal(w.texts, 0);
	strbuf_free(&w.text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deltas_and_usage),
		cmocka_unit_test(test_retry_told),
		cmocka_unit_test(test_cancel_from_outside),
		cmocka_unit_test(test_cancel_inside_text),
		cmocka_unit_test(test_cancel_inside_notice),
	};

	unsetenv("OLLAMA_HOST");
	unsetenv("OPENAI_BASE_URL");
	unsetenv("OPENAI_API_BASE");
	setenv("AUTOKAGGLE_CONFIG", "/nonexistent/autokaggle-config", 1);
	return cmocka_run_group_tests(tests, server_start, server_stop);
}

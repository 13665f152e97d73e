#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "util/fs.h"
#include "util/http.h"
#include "util/xalloc.h"

#define FILE_SIZE (256 * 1024)

/* The loopback server of tests/unit/http_test_server.py, one for all tests. */
static struct {
	pid_t pid;
	int port;
	char *dir;
} srv;

static char *
url(const char *host, const char *path)
{
	return xasprintf("http://%s:%d%s", host, srv.port, path);
}

static int
server_start(void **state)
{
	(void)state;
	srv.dir = testlib_tmpdir("http");
	srv.port = testlib_python_server(ABS_TOP_SRCDIR "/tests/unit/http_test_server.py", NULL, srv.dir, &srv.pid);
	if (srv.port < 0)
		return -1;
	/* Loopback must never go through a proxy, even one the user set. */
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	setenv("HTTPS_PROXY", "http://127.0.0.1:1", 1);
	setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
	return 0;
}

static int
server_stop(void **state)
{
	(void)state;
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	testlib_rmtree(srv.dir);
	free(srv.dir);
	return 0;
}

static int
perform(const http_request *rq, http_response *r, ak_err *e)
{
	loop *l = loop_new();
	int rc;

	assert_non_null(l);
	rc = http_perform(l, rq, r, e);
	loop_free(l);
	return rc;
}

static const char *
echo_header(cJSON *echo, const char *name)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(echo, "headers"), name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *
echo_str(cJSON *echo, const char *name)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(echo, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_post_json_round_trip(void **state)
{
	const char *hdrs[] = { "Content-Type: application/json", "X-Test: yes", NULL };
	const char *json = "{\"ref\": \"titanic\", \"n\": 3}";
	char *u = url("127.0.0.1", "/echo");
	http_request rq = { .method = "POST", .url = u, .headers = hdrs, .body = json, .body_len = strlen(json) };
	http_response r;
	ak_err e = { 0 };
	cJSON *echo;

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	assert_int_equal(r.attempts, 1);
	echo = cJSON_Parse(r.body);
	assert_non_null(echo);
	assert_string_equal(echo_str(echo, "method"), "POST");
	assert_string_equal(echo_str(echo, "body"), json);
	assert_string_equal(echo_header(echo, "x-test"), "yes");
	assert_string_equal(echo_header(echo, "content-type"), "application/json");
	assert_string_equal(echo_header(echo, "user-agent"), "autokaggle/" PACKAGE_VERSION);
	assert_null(echo_header(echo, "expect"));
	cJSON_Delete(echo);
	http_response_clean(&r);

	rq = (http_request){ .method = "GET", .url = u };
	assert_int_equal(perform(&rq, &r, &e), 0);
	echo = cJSON_Parse(r.body);
	assert_string_equal(echo_str(echo, "method"), "GET");
	assert_string_equal(echo_str(echo, "body"), "");
	cJSON_Delete(echo);
	http_response_clean(&r);
	free(u);
}

static void
test_put_streams_file(void **state)
{
	char *u = url("127.0.0.1", "/echo"), *path = testlib_path(srv.dir, "upload.csv");
	char *text = xmalloc(10001);
	http_request rq = { .method = "PUT", .url = u, .upload_path = path };
	http_response r;
	ak_err e = { 0 };
	cJSON *echo;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		text[i] = (char)('a' + i % 26);
	text[10000] = '\0';
	testlib_write(path, text);
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	echo = cJSON_Parse(r.body);
	assert_string_equal(echo_str(echo, "method"), "PUT");
	assert_string_equal(echo_header(echo, "content-length"), "10000");
	assert_null(echo_header(echo, "content-type"));
	assert_string_equal(echo_str(echo, "body"), text);
	cJSON_Delete(echo);
	http_response_clean(&r);

	rq.upload_path = "/nonexistent/file.csv";
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/file.csv"));
	http_response_clean(&r);
	free(text);
	free(path);
	free(u);
}

static void
test_status_passed_through(void **state)
{
	static const long codes[] = { 201, 401, 403, 404, 500 };
	http_response r;
	ak_err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof codes / sizeof *codes; i++) {
		char path[32], body[32];
		char *u;
		http_request rq = { .method = "GET" };

		snprintf(path, sizeof path, "/status/%ld", codes[i]);
		snprintf(body, sizeof body, "status %ld", codes[i]);
		u = url("127.0.0.1", path);
		rq.url = u;
		assert_int_equal(perform(&rq, &r, &e), 0);
		assert_int_equal(r.status, codes[i]);
		assert_string_equal(r.body, body);
		assert_int_equal(r.content_length, (long long)strlen(body));
		http_response_clean(&r);
		free(u);
	}
}

static void
test_max_body_exceeded(void **state)
{
	char *u = url("127.0.0.1", "/bytes/5000");
	http_request rq = { .method = "GET", .url = u, .max_body = 1000 };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 1000 bytes"));
	http_response_clean(&r);
	rq.max_body = 5000;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.body_len, 5000);
	http_response_clean(&r);
	free(u);
}

static char *
pattern(size_t n)
{
	char *p = xmalloc(n);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)((i * 7) % 251);
	return p;
}

static void
assert_file_is_pattern(const char *path)
{
	size_t len = 0;
	char *got = fs_read_file(path, &len, NULL), *want = pattern(FILE_SIZE);

	assert_non_null(got);
	assert_int_equal(len, FILE_SIZE);
	assert_memory_equal(got, want, FILE_SIZE);
	free(got);
	free(want);
}

static void
test_download_resumes_with_range(void **state)
{
	char *u = url("127.0.0.1", "/file"), *path = testlib_path(srv.dir, "dl.bin");
	char *head = pattern(1000);
	http_request rq = { .method = "GET", .url = u, .out_path = path, .resume = 1 };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	testlib_write_bytes(path, head, 1000);
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(r.bytes, FILE_SIZE - 1000);
	assert_int_equal(r.body_len, 0);
	assert_file_is_pattern(path);
	http_response_clean(&r);

	/* without resume the file starts over */
	testlib_write(path, "junk that must go");
	rq.resume = 0;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	assert_file_is_pattern(path);
	http_response_clean(&r);
	free(head);
	free(path);
	free(u);
}

struct retries {
	int n;
	double delay;
	char why[128];
};

static void
on_retry(void *arg, int attempt, double delay, const char *why)
{
	struct retries *t = arg;

	(void)attempt;
	t->n++;
	t->delay = delay;
	snprintf(t->why, sizeof t->why, "%s", why);
}

static void
test_dropped_download_resumes(void **state)
{
	char *u = url("127.0.0.1", "/drop?key=resume"), *path = testlib_path(srv.dir, "drop.bin");
	struct retries t = { 0 };
	http_request rq = { .method = "GET", .url = u, .out_path = path, .resume = 1, .max_retries = 2,
			    .on_retry = on_retry, .arg = &t };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	unlink(path);
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 206);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(t.n, 1);
	assert_non_null(strstr(t.why, "broke off"));
	assert_true(r.bytes < FILE_SIZE);
	assert_file_is_pattern(path);
	http_response_clean(&r);
	free(path);
	free(u);
}

static void
test_429_then_success(void **state)
{
	char *u = url("127.0.0.1", "/flaky?key=429");
	struct retries t = { 0 };
	http_request rq = { .method = "GET", .url = u, .max_retries = 3, .on_retry = on_retry, .arg = &t };
	http_response r;
	ak_err e = { 0 };
	double start = loop_now();

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "fine");
	assert_int_equal(r.attempts, 2);
	assert_int_equal(t.n, 1);
	assert_true(t.delay > 0.99 && t.delay < 1.01);
	assert_string_equal(t.why, "429 Too Many Requests");
	assert_true(loop_now() - start >= 0.95);
	http_response_clean(&r);
	free(u);
}

static void
test_503_retries_exhausted(void **state)
{
	char *u = url("127.0.0.1", "/status/503?retry_after=0");
	struct retries t = { 0 };
	http_request rq = { .method = "GET", .url = u, .max_retries = 2, .on_retry = on_retry, .arg = &t };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(t.n, 2);
	http_response_clean(&r);
	free(u);
}

static void
test_long_retry_after_fails(void **state)
{
	char *u = url("127.0.0.1", "/status/429?retry_after=600");
	http_request rq = { .method = "GET", .url = u, .max_retries = 1 };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_RATE_LIMITED);
	assert_non_null(strstr(e.msg, "600 s"));
	assert_int_equal(r.status, 429);
	http_response_clean(&r);
	free(u);
}

static cJSON *
follow(const char *from_host, const char *to_host, http_response *r)
{
	const char *hdrs[] = { "Authorization: Bearer sekrit-token-123", "X-Keep: 1", NULL };
	char *to = url(to_host, "/echo"), *path = xasprintf("/redirect?to=%s", to), *u = url(from_host, path);
	http_request rq = { .method = "GET", .url = u, .headers = hdrs, .follow_redirects = 1 };
	ak_err e = { 0 };
	cJSON *echo;

	assert_int_equal(perform(&rq, r, &e), 0);
	assert_int_equal(r->status, 200);
	echo = cJSON_Parse(r->body);
	assert_non_null(echo);
	assert_string_equal(echo_header(echo, "x-keep"), "1");
	free(u);
	free(path);
	free(to);
	return echo;
}

static void
test_redirects(void **state)
{
	char *u = url("127.0.0.1", "/redirect?to=/echo");
	http_request rq = { .method = "GET", .url = u };
	http_response r;
	ak_err e = { 0 };
	cJSON *echo;

	(void)state;
	echo = follow("127.0.0.1", "localhost", &r);
	assert_null(echo_header(echo, "authorization"));
	cJSON_Delete(echo);
	http_response_clean(&r);
	echo = follow("127.0.0.1", "127.0.0.1", &r);
	assert_string_equal(echo_header(echo, "authorization"), "Bearer sekrit-token-123");
	cJSON_Delete(echo);
	http_response_clean(&r);

	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 302);
	assert_string_equal(r.location, "/echo");
	http_response_clean(&r);
	free(u);
}

static void
test_connect_refused(void **state)
{
	http_request rq = { .method = "GET", .url = "http://127.0.0.1:1/api/v1?token=SECRETVALUE" };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
	assert_string_equal(e.msg, "cannot connect to 127.0.0.1:1: Connection refused");
	assert_int_equal(r.status, 0);
	http_response_clean(&r);
}

static void
test_idle_timeout(void **state)
{
	char *u = url("127.0.0.1", "/idle");
	http_request rq = { .method = "GET", .url = u, .idle_timeout_ms = 1000 };
	http_response r;
	ak_err e = { 0 };
	double start = loop_now();

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
	assert_non_null(strstr(e.msg, "sent nothing for 1 s"));
	assert_true(loop_now() - start < 4.0);
	http_response_clean(&r);
	free(u);
}

struct chunks {
	int calls, stop_after;
	size_t bytes;
	long status;
};

static int
chunks_data(void *arg, const http_response *r, const char *data, size_t len)
{
	struct chunks *k = arg;

	(void)data;
	k->calls++;
	k->bytes += len;
	k->status = r->status;
	return k->stop_after && k->calls >= k->stop_after ? -1 : 0;
}

static void
test_on_data_streams_body(void **state)
{
	char *u = url("127.0.0.1", "/slow");
	struct chunks k = { 0 };
	http_request rq = { .method = "GET", .url = u, .on_data = chunks_data, .arg = &k };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(k.status, 200);
	assert_int_equal(k.bytes, 2000);
	assert_true(k.calls >= 5);
	assert_int_equal(r.body_len, 0);
	http_response_clean(&r);

	/* Stopping is a clean end, not an error. */
	k = (struct chunks){ .stop_after = 2 };
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(k.calls, 2);
	assert_true(k.bytes < 2000);
	http_response_clean(&r);
	free(u);

	/* Other statuses stay in memory. */
	u = url("127.0.0.1", "/status/404");
	rq.url = u;
	k = (struct chunks){ 0 };
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_int_equal(r.status, 404);
	assert_int_equal(k.calls, 0);
	assert_string_equal(r.body, "status 404");
	http_response_clean(&r);
	free(u);
}

static void
test_first_byte_timeout(void **state)
{
	char *u = url("127.0.0.1", "/late?ms=1500");
	http_request rq = { .method = "GET", .url = u, .first_byte_timeout_ms = 500, .idle_timeout_ms = 5000 };
	http_response r;
	ak_err e = { 0 };
	char *v;

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
	assert_non_null(strstr(e.msg, "did not start to answer within 0.5 s"));
	http_response_clean(&r);

	/* A long wait for the first byte, then a short idle timeout. */
	rq.first_byte_timeout_ms = 3000;
	rq.idle_timeout_ms = 500;
	assert_int_equal(perform(&rq, &r, &e), 0);
	assert_string_equal(r.body, "late");
	v = http_response_header(&r, "x-late");
	assert_string_equal(v, "yes");
	free(v);
	assert_null(http_response_header(&r, "X-Missing"));
	http_response_clean(&r);
	free(u);

	u = url("127.0.0.1", "/idle");
	rq.url = u;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_non_null(strstr(e.msg, "sent nothing for 0.5 s"));
	http_response_clean(&r);
	free(u);
}

static void
test_total_timeout(void **state)
{
	char *u = url("127.0.0.1", "/slow");
	http_request rq = { .method = "GET", .url = u, .total_timeout_ms = 300 };
	http_response r;
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(perform(&rq, &r, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
	assert_non_null(strstr(e.msg, "did not answer within 0.3 s"));
	http_response_clean(&r);
	free(u);
}

struct slow {
	int done, ticks, progress_calls;
	uint64_t progress;
	uint64_t other_at_done;
	struct slow *other;
	long status;
	uint64_t bytes;
};

static void
slow_progress(void *arg, uint64_t done, uint64_t total)
{
	struct slow *s = arg;

	assert_int_equal(total, 2000);
	s->progress = done;
	s->progress_calls++;
}

static void
slow_done(http *h, http_call *c, const http_response *r, const ak_err *e, void *arg)
{
	struct slow *s = arg;

	(void)h;
	(void)c;
	assert_null(e);
	s->done = 1;
	s->status = r->status;
	s->bytes = r->bytes;
	if (s->other)
		s->other_at_done = s->other->done ? 2000 : s->other->progress;
}

static void
tick(loop *l, void *arg)
{
	(void)l;
	((struct slow *)arg)->ticks++;
}

static http_call *
start_slow(http *h, struct slow *s)
{
	char *u = url("127.0.0.1", "/slow");
	http_request rq = { .method = "GET", .url = u, .on_progress = slow_progress, .arg = s };
	ak_err e = { 0 };
	http_call *c = http_start(h, &rq, slow_done, s, &e);

	assert_non_null(c);
	free(u);
	return c;
}

static void
test_concurrent_and_loop_never_blocked(void **state)
{
	loop *l = loop_new();
	http *h = http_new(l, NULL);
	struct slow a = { 0 }, b = { 0 };
	int timer;

	(void)state;
	a.other = &b;
	b.other = &a;
	start_slow(h, &a);
	start_slow(h, &b);
	timer = loop_timer_add(l, 20, 1, tick, &a);
	testlib_run_until(l, &a.done);
	testlib_run_until(l, &b.done);
	loop_timer_cancel(l, timer);
	assert_int_equal(a.status, 200);
	assert_int_equal(b.bytes, 2000);
	/* both progressed together: neither finished before the other began */
	assert_true(a.other_at_done > 0);
	assert_true(b.other_at_done > 0);
	/* 20 pieces 50 ms apart: a 20 ms timer kept firing all along */
	assert_true(a.ticks >= 25);
	/* a piece every 50 ms, reported at most every 100 ms, plus the end */
	assert_true(a.progress_calls >= 5 && a.progress_calls <= 13);
	assert_int_equal(a.progress, 2000);
	http_free(h);
	loop_free(l);
}

static void
test_cancel_in_flight(void **state)
{
	loop *l = loop_new();
	http *h = http_new(l, NULL);
	struct slow a = { 0 }, b = { 0 };
	http_call *c;
	double end;

	(void)state;
	c = start_slow(h, &a);
	start_slow(h, &b);
	while (a.progress == 0)
		loop_run_once(l, 100);
	http_cancel(c);
	for (end = loop_now() + 0.3; loop_now() < end;)
		loop_run_once(l, 50);
	assert_int_equal(a.done, 0);
	/* b is still in flight: freeing the client cancels it silently */
	http_free(h);
	for (end = loop_now() + 0.2; loop_now() < end;)
		loop_run_once(l, 50);
	assert_int_equal(b.done, 0);
	loop_free(l);
}

static void
test_retry_delay(void **state)
{
	char date[64];
	time_t t = time(NULL) + 30;
	struct tm tm;
	double d;
	int i;

	(void)state;
	assert_true(http_retry_delay(1, "5") == 5.0);
	assert_true(http_retry_delay(3, "0") == 0.0);
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	d = http_retry_delay(1, date);
	assert_true(d > 27 && d <= 30);
	for (i = 0; i < 50; i++) {
		d = http_retry_delay(1, NULL);
		assert_true(d >= 0 && d <= 1.0);
		d = http_retry_delay(20, "not a date");
		assert_true(d >= 0 && d <= 30.0);
	}
}

static void
test_url_for_message(void **state)
{
	char *s = http_url_for_message("https://storage.example/b/o?X-Goog-Signature=abc#frag");

	(void)state;
	assert_string_equal(s, "https://storage.example/b/o");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_json_round_trip),
		cmocka_unit_test(test_put_streams_file),
		cmocka_unit_test(test_status_passed_through),
		cmocka_unit_test(test_max_body_exceeded),
		cmocka_unit_test(test_download_resumes_with_range),
		cmocka_unit_test(test_dropped_download_resumes),
		cmocka_unit_test(test_429_then_success),
		cmocka_unit_test(test_503_retries_exhausted),
		cmocka_unit_test(test_long_retry_after_fails),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_total_timeout),
		cmocka_unit_test(test_on_data_streams_body),
		cmocka_unit_test(test_first_byte_timeout),
		cmocka_unit_test(test_concurrent_and_loop_never_blocked),
		cmocka_unit_test(test_cancel_in_flight),
		cmocka_unit_test(test_retry_delay),
		cmocka_unit_test(test_url_for_message),
	};

	return cmocka_run_group_tests(tests, server_start, server_stop);
}

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm/ndjson.h"
#include "llm/sse.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The stream parsers fed every way a network may cut their input: whole,
 * a byte at a time, and in two and three pieces at every split point.
 * Each way must give the same events. */

static void
sse_record(void *arg, const char *event, const char *data, size_t len)
{
	strbuf *out = arg;

	assert_int_equal(strlen(data), len);
	strbuf_addf(out, "[%s|%s]", event, data);
}

typedef void (*feed_fn)(const char *in, size_t len, size_t *cuts, size_t ncuts, strbuf *out);

/* Feeds in[0, len) to feed(p, ...) in the pieces cuts[] mark. */
static void
feed_pieces(void (*feed)(void *, const char *, size_t), void *p, const char *in, size_t len, size_t *cuts,
	    size_t ncuts)
{
	size_t i, at = 0;

	for (i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : len;

		feed(p, in + at, to - at);
		at = to;
	}
}

static void
sse_feed_any(void *p, const char *data, size_t len)
{
	sse_feed(p, data, len);
}

static void
sse_run(const char *in, size_t len, size_t *cuts, size_t ncuts, strbuf *out)
{
	sse_parser p;

	sse_init(&p, sse_record, out);
	feed_pieces(sse_feed_any, &p, in, len, cuts, ncuts);
	if (sse_end(&p))
		strbuf_addstr(out, "[partial]");
	sse_clean(&p);
}

static void
ndjson_record(void *arg, const char *line, size_t len)
{
	strbuf *out = arg;

	assert_int_equal(strlen(line), len);
	strbuf_addf(out, "[%s]", line);
}

static void
ndjson_feed_any(void *p, const char *data, size_t len)
{
	ndjson_feed(p, data, len);
}

static void
ndjson_run(const char *in, size_t len, size_t *cuts, size_t ncuts, strbuf *out)
{
	ndjson_splitter s;

	ndjson_init(&s, ndjson_record, out);
	feed_pieces(ndjson_feed_any, &s, in, len, cuts, ncuts);
	ndjson_end(&s);
	ndjson_clean(&s);
}

static void
expect_feed(feed_fn run, const char *in, size_t len, size_t *cuts, size_t ncuts, const char *want)
{
	strbuf out = { 0 };

	run(in, len, cuts, ncuts, &out);
	if (strcmp(strbuf_str(&out), want) != 0) {
		size_t i;

		for (i = 0; i < ncuts; i++)
			print_error("cut at %zu\n", cuts[i]);
		assert_string_equal(strbuf_str(&out), want);
	}
	strbuf_free(&out);
}

/* Every way of cutting `in` into up to three pieces, and one byte a time. */
static void
expect_all_splits(feed_fn run, const char *in, const char *want)
{
	size_t len = strlen(in), i, j, *bytes = xmalloc((len + 1) * sizeof *bytes);

	expect_feed(run, in, len, NULL, 0, want);
	for (i = 0; i <= len; i++) {
		size_t cut[2] = { i, 0 };

		expect_feed(run, in, len, cut, 1, want);
		for (j = i; j <= len && len < 400; j++) {
			cut[1] = j;
			expect_feed(run, in, len, cut, 2, want);
		}
		bytes[i] = i;
	}
	expect_feed(run, in, len, bytes + 1, len > 0 ? len - 1 : 0, want);
	free(bytes);
}

static void
test_sse_openai_crlf(void **state)
{
	(void)state;
	expect_all_splits(sse_run,
		"data: {\"choices\":[{\"delta\":{\"content\":\"import pandas\"}}]}\r\n\r\n"
		"data: [DONE]\r\n\r\n",
		"[message|{\"choices\":[{\"delta\":{\"content\":\"import pandas\"}}]}][message|[DONE]]");
}

static void
test_sse_terminators(void **state)
{
	(void)state;
	expect_all_splits(sse_run, "data: a\r\rdata: b\n\ndata: c\r\n\r\ndata: d\r\n\n",
		"[message|a][message|b][message|c][message|d]");
	/* CR CR is two line ends: an empty line dispatches. */
	expect_all_splits(sse_run, "data: a\r\r", "[message|a]");
	/* A CRLF split across two reads is one terminator, not a dispatch. */
	expect_all_splits(sse_run, "data: a\r\ndata: b\r\n\r\n", "[message|a\nb]");
}

static void
test_sse_fields(void **state)
{
	(void)state;
	expect_all_splits(sse_run, ": ping\n\n: another\ndata:x\n\n", "[message|x]");
	expect_all_splits(sse_run, "data:  two spaces\n\n", "[message| two spaces]");
	expect_all_splits(sse_run, "data: {\"a\":\ndata: 1}\n\n", "[message|{\"a\":\n1}]");
	expect_all_splits(sse_run,
		"event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
		"event: ping\ndata: {\"type\":\"ping\"}\n\n"
		"event: lonely\n\ndata: after\n\n",
		"[message_start|{\"type\":\"message_start\"}][ping|{\"type\":\"ping\"}][message|after]");
	expect_all_splits(sse_run, "data\n\n", "[message|]");
	expect_all_splits(sse_run, "unknown: x\nid: 7\nretry: 1500\ndata: z\n\n", "[message|z]");
}

static void
test_sse_id_retry_bom(void **state)
{
	sse_parser p;
	strbuf out = { 0 };
	const char in[] = "\xef\xbb\xbfid: 7\nretry: 15x\nretry: 1500\ndata: z\n\n";

	(void)state;
	sse_init(&p, sse_record, &out);
	sse_feed(&p, in, strlen(in));
	assert_string_equal(out.buf, "[message|z]");
	assert_string_equal(p.last_id, "7");
	assert_int_equal(p.retry_ms, 1500);
	assert_int_equal(sse_end(&p), 0);
	sse_clean(&p);
	strbuf_free(&out);
	expect_all_splits(sse_run, "\xef\xbb\xbf" "data: a\n\n", "[message|a]");
	/* Only at the very start. */
	expect_all_splits(sse_run, "data: \xef\xbb\xbf" "b\n\n", "[message|\xef\xbb\xbf" "b]");
	/* Half a BOM is text: the field is then named "\xef\xbbdata", unknown. */
	expect_all_splits(sse_run, "\xef\xbb" "data: c\n\ndata: d\n\n", "[message|d]");
}

static void
test_sse_utf8_and_truncation(void **state)
{
	(void)state;
	expect_all_splits(sse_run, "data: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\r\n\r\n",
		"[message|caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80]");
	expect_all_splits(sse_run, "data: a\n\ndata: b", "[message|a][partial]");
	expect_all_splits(sse_run, "data: a\n\ndata: b\n", "[message|a][partial]");
	expect_all_splits(sse_run, "", "");
}

static void
test_sse_long_line(void **state)
{
	size_t n = 200 * 1024, i;
	char *in = xmalloc(n + 16), *want = xmalloc(n + 16);
	strbuf out = { 0 };
	size_t cuts[3] = { 3, 70000, 140001 };

	(void)state;
	memcpy(in, "data: ", 6);
	for (i = 0; i < n; i++)
		in[6 + i] = (char)('a' + i % 26);
	memcpy(in + 6 + n, "\n\n", 3);
	snprintf(want, 10, "[message|");
	memcpy(want + 9, in + 6, n);
	memcpy(want + 9 + n, "]", 2);
	sse_run(in, strlen(in), cuts, 3, &out);
	assert_int_equal(out.len, n + 10);
	assert_string_equal(out.buf, want);
	strbuf_free(&out);
	free(in);
	free(want);
}

static void
test_ndjson(void **state)
{
	(void)state;
	expect_all_splits(ndjson_run,
		"{\"message\":{\"content\":\"import\"},\"done\":false}\r\n\n  \n"
		"{\"message\":{\"content\":\" p\xc3\xa9\"},\"done\":false}\n{\"done\":true}",
		"[{\"message\":{\"content\":\"import\"},\"done\":false}]"
		"[{\"message\":{\"content\":\" p\xc3\xa9\"},\"done\":false}][{\"done\":true}]");
	expect_all_splits(ndjson_run, "\xef\xbb\xbf{\"a\":1}\n\xef\xbb\xbf{}\n",
		"[{\"a\":1}][\xef\xbb\xbf{}]");
	expect_all_splits(ndjson_run, "", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sse_openai_crlf),
		cmocka_unit_test(test_sse_terminators),
		cmocka_unit_test(test_sse_fields),
		cmocka_unit_test(test_sse_id_retry_bom),
		cmocka_unit_test(test_sse_utf8_and_truncation),
		cmocka_unit_test(test_sse_long_line),
		cmocka_unit_test(test_ndjson),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

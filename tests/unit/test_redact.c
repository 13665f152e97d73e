#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/redact.h"
#include "util/strbuf.h"

static int
reset(void **state)
{
	(void)state;
	redact_reset();
	return 0;
}

static void
check(const char *in, const char *want)
{
	char *got = redact_string(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_secret_names(void **state)
{
	(void)state;
	assert_true(redact_name_is_secret("KAGGLE_KEY"));
	assert_true(redact_name_is_secret("KAGGLE_USERNAME"));
	assert_true(redact_name_is_secret("OPENAI_API_KEY"));
	assert_true(redact_name_is_secret("gemini_api_key"));
	assert_true(redact_name_is_secret("MY_TOKEN"));
	assert_true(redact_name_is_secret("AWS_SECRET_ACCESS_KEY"));
	assert_true(redact_name_is_secret("PGPASSWORD"));
	assert_true(redact_name_is_secret("DB_PASSWD"));
	assert_true(redact_name_is_secret("MYSQL_PWD"));
	assert_true(redact_name_is_secret("SMTP_PASS"));
	assert_true(redact_name_is_secret("GOOGLE_APPLICATION_CREDENTIALS"));
	assert_true(redact_name_is_secret("HTTP_AUTH"));
	assert_true(redact_name_is_secret("SESSION_ID"));
	assert_false(redact_name_is_secret("KAGGLE_CONFIG_DIR"));
	assert_false(redact_name_is_secret("PATH"));
	assert_false(redact_name_is_secret("HOME"));
	assert_false(redact_name_is_secret("PWD"));
	assert_false(redact_name_is_secret("OLDPWD"));
	assert_false(redact_name_is_secret("LC_ALL"));
	assert_false(redact_name_is_secret("CUDA_VISIBLE_DEVICES"));
	assert_false(redact_name_is_secret("XDG_SESSION_TYPE"));
	assert_false(redact_name_is_secret(""));
}

static void
test_registered_secrets(void **state)
{
	(void)state;
	redact_add_secret("hunter2hunter2");
	redact_add_secret("abc");
	redact_add_secret("hunter2hunter2");
	check("password is hunter2hunter2, twice: hunter2hunter2.",
		"password is [REDACTED], twice: [REDACTED].");
	/* Short values are never registered. */
	check("abc abc", "abc abc");
	check("no secrets here", "no secrets here");
	check("", "");
}

static void
test_longest_secret_wins(void **state)
{
	(void)state;
	redact_add_secret("secret");
	redact_add_secret("secretvalue99");
	check("x=secretvalue99 y=secret", "x=[REDACTED] y=[REDACTED]");
}

static void
test_from_env(void **state)
{
	(void)state;
	setenv("MY_TOKEN", "tok-1234567890", 1);
	setenv("KAGGLE_KEY", "0123456789abcdef0123456789abcdef", 1);
	setenv("PLAIN_VALUE", "visible-value", 1);
	redact_add_from_env();
	check("a tok-1234567890 b 0123456789abcdef0123456789abcdef c visible-value",
		"a [REDACTED] b [REDACTED] c visible-value");
	unsetenv("MY_TOKEN");
	unsetenv("KAGGLE_KEY");
	unsetenv("PLAIN_VALUE");
}

static void
test_shapes(void **state)
{
	(void)state;
	check("key sk-proj-abcdefghijklmnopqrstuvwxyz0123 end", "key [REDACTED] end");
	check("sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA", "[REDACTED]");
	check("KGAT_0123456789abcdef0123456789abcdef!", "[REDACTED]!");
	check("url?key=AIzaSyA-abcdefghijklmnopqrstuvwxyz12345&x=1", "url?key=[REDACTED]&x=1");
	check("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[REDACTED]");
	check("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "[REDACTED]");
	check("AKIAIOSFODNN7EXAMPLE", "[REDACTED]");
	check("Bearer eyJhbGciOiJIUzI1NiJ9.abc.def", "Bearer [REDACTED]");
	check("-H 'authorization: bearer abcdefgh12345678'", "-H 'authorization: [REDACTED]");
	check("Authorization: Basic dXNlcjpwYXNz\nnext line", "Authorization: [REDACTED]\nnext line");
	check("x-api-key: abc123xyz\r\n", "x-api-key: [REDACTED]\r\n");
	check("{\"Authorization\": \"Bearer tok12345678\"}", "{\"Authorization\": [REDACTED]");
	check("https://user:p4ssw0rd@proxy.example:8080/", "https://user:[REDACTED]@proxy.example:8080/");
}

static void
test_shapes_leave_ordinary_text(void **state)
{
	(void)state;
	check("task-force sk-learn scikit-learn risk-aware", "task-force sk-learn scikit-learn risk-aware");
	check("the bearer of news; Bearer short", "the bearer of news; Bearer short");
	check("Epoch 3: loss=0.25 auc=0.91", "Epoch 3: loss=0.25 auc=0.91");
	check("https://www.kaggle.com/c/titanic", "https://www.kaggle.com/c/titanic");
	check("ask-abcdefghijklmnopqrstuvwxyz0123", "ask-abcdefghijklmnopqrstuvwxyz0123");
	check("Authorization header is missing", "Authorization header is missing");
}

struct sink {
	strbuf out;
	int calls;
};

static void
sink_emit(const char *data, size_t len, void *arg)
{
	struct sink *k = arg;

	assert_true(len > 0);
	strbuf_add(&k->out, data, len);
	k->calls++;
}

/* Feeds text cut at every position (and byte by byte), expecting the
 * same output as the one-shot redaction. */
static void
check_stream_all_splits(const char *in)
{
	char *want = redact_string(in);
	size_t len = strlen(in), cut, i;

	for (cut = 0; cut <= len; cut++) {
		struct sink k = { { 0 }, 0 };
		redact_stream *s = redact_stream_new(sink_emit, &k);

		redact_stream_feed(s, in, cut);
		redact_stream_feed(s, in + cut, len - cut);
		redact_stream_flush(s);
		assert_string_equal(strbuf_str(&k.out), want);
		redact_stream_free(s);
		strbuf_free(&k.out);
	}
	{
		struct sink k = { { 0 }, 0 };
		redact_stream *s = redact_stream_new(sink_emit, &k);

		for (i = 0; i < len; i++)
			redact_stream_feed(s, in + i, 1);
		redact_stream_flush(s);
		assert_string_equal(strbuf_str(&k.out), want);
		redact_stream_free(s);
		strbuf_free(&k.out);
	}
	free(want);
}

static void
test_stream_split_secrets(void **state)
{
	(void)state;
	redact_add_secret("0123456789abcdef0123456789abcdef");
	redact_add_secret("tok-1234567890");
	check_stream_all_splits("key=0123456789abcdef0123456789abcdef and tok-1234567890\n");
	check_stream_all_splits("Authorization: Bearer sk-abcdefghijklmnopqrstuvwxyz\nok\n");
	check_stream_all_splits("KGAT_0123456789abcdef0123456789abcdef at end");
	check_stream_all_splits("https://u:pw123456@h/ and 0123456789abcdef0123456789abcde (one short)");
	check_stream_all_splits("plain progress 10%|###       | 1/10 [00:01<00:09, 1.00it/s]\r");
}

static void
test_stream_holds_only_possible_prefixes(void **state)
{
	struct sink k = { { 0 }, 0 };
	redact_stream *s;

	(void)state;
	redact_add_secret("zzsecret-value");
	s = redact_stream_new(sink_emit, &k);
	redact_stream_feed(s, "Epoch 1/10 loss=0.5\n", 20);
	/* Nothing there could start a secret: all of it is out already. */
	assert_string_equal(strbuf_str(&k.out), "Epoch 1/10 loss=0.5\n");
	redact_stream_feed(s, "value zzsec", 11);
	assert_string_equal(strbuf_str(&k.out), "Epoch 1/10 loss=0.5\nvalue ");
	redact_stream_feed(s, "ret-value!", 10);
	assert_string_equal(strbuf_str(&k.out), "Epoch 1/10 loss=0.5\nvalue [REDACTED]!");
	redact_stream_feed(s, " zzs", 4);
	redact_stream_flush(s);
	assert_string_equal(strbuf_str(&k.out), "Epoch 1/10 loss=0.5\nvalue [REDACTED]! zzs");
	redact_stream_free(s);
	strbuf_free(&k.out);
}

/* A fixed xorshift generator: the same cases on every machine. */
static unsigned long long rng_state;

static size_t
rng_below(size_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (size_t)(rng_state % n);
}

/* Text made of pieces of every pattern (whole, cut short, in other
 * cases), registered secrets and their prefixes, and ordinary output. */
static char *
random_text(size_t pieces)
{
	static const char *const frags[] = {
		"sk-", "sk-proj-", "Bearer", "bearer ", "BEARER", " ", "  ", "\t", "authorization",
		"Authorization", "proxy-authorization", "x-api-key", "X-Api-Key", "cookie", "Set-Cookie",
		"api-key", ":", ": ", "\"", "'", "://", "u:p@", "user:", "@", "/", "\n", "\r", "-", "_",
		"KGAT_", "AIza", "ghp_", "github_pat_", "glpat-", "hf_", "AKIA", "xoxb-",
		"0123456789abcdef0123456789abcdef", "0123456789abcdef", "tok-1234567890", "tok-123",
		"secretvalue99", "secret", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJ", "0123456789",
		"x", "a", ".", "=", "~", "+", "best", "epoch 3/10 loss=0.25\n", "10%|###  | 1/10\r",
	};
	strbuf sb = { 0 };
	size_t i;

	for (i = 0; i < pieces; i++)
		strbuf_addstr(&sb, frags[rng_below(sizeof frags / sizeof *frags)]);
	return strbuf_detach(&sb);
}

/* Feeds in in pieces of random sizes (mostly small, sometimes large). */
static void
feed_random_chunks(redact_stream *s, const char *in, size_t len)
{
	size_t at = 0, n;

	while (at < len) {
		n = rng_below(8) ? 1 + rng_below(12) : 1 + rng_below(4000);
		if (n > len - at)
			n = len - at;
		redact_stream_feed(s, in + at, n);
		at += n;
	}
}

static void
test_stream_random_chunks(void **state)
{
	size_t round;

	(void)state;
	redact_add_secret("0123456789abcdef0123456789abcdef");
	redact_add_secret("tok-1234567890");
	redact_add_secret("secretvalue99");
	redact_add_secret("secret");
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (round = 0; round < 400; round++) {
		char *in = random_text(1 + rng_below(60)), *want = redact_string(in);
		struct sink k = { { 0 }, 0 };
		redact_stream *s = redact_stream_new(sink_emit, &k);

		feed_random_chunks(s, in, strlen(in));
		redact_stream_flush(s);
		if (strcmp(strbuf_str(&k.out), want) != 0)
			fail_msg("round %zu: %s\nstream: %s\nstring: %s", round, in, strbuf_str(&k.out), want);
		redact_stream_free(s);
		strbuf_free(&k.out);
		free(want);
		free(in);
	}
}

/* A secret cut at every offset, in every line of a long output that the
 * reads split anywhere. */
static void
test_stream_secret_at_every_offset(void **state)
{
	const char *sec = "tok-1234567890";
	size_t off, cut, sl = strlen(sec);

	(void)state;
	redact_add_secret(sec);
	for (off = 0; off <= sl; off++) {
		strbuf in = { 0 };
		char *want;

		for (cut = 0; cut < 200; cut++)
			strbuf_addf(&in, "line %zu %s ok\n", cut, sec);
		want = redact_string(strbuf_str(&in));
		assert_null(strstr(want, sec));
		for (cut = 1; cut < 64; cut += 7) {
			struct sink k = { { 0 }, 0 };
			redact_stream *s = redact_stream_new(sink_emit, &k);
			size_t at;

			/* First cut inside the secret at off, then pieces of cut bytes. */
			at = strstr(in.buf, sec) - in.buf + off;
			redact_stream_feed(s, in.buf, at);
			for (; at < in.len; at += cut)
				redact_stream_feed(s, in.buf + at, in.len - at < cut ? in.len - at : cut);
			redact_stream_flush(s);
			assert_string_equal(strbuf_str(&k.out), want);
			redact_stream_free(s);
			strbuf_free(&k.out);
		}
		free(want);
		strbuf_free(&in);
	}
}

/* A held-back tail settles with the first bytes of a big read, and the
 * rest of it comes out in the same feed. */
static void
test_stream_tail_then_big_read(void **state)
{
	struct sink k = { { 0 }, 0 };
	redact_stream *s;
	strbuf big = { 0 }, want = { 0 };
	size_t i;

	(void)state;
	redact_add_secret("zzsecret-value");
	s = redact_stream_new(sink_emit, &k);
	strbuf_addstr(&big, "ret-value!\n");
	for (i = 0; i < 20000; i++)
		strbuf_addstr(&big, "plain progress line\n");
	redact_stream_feed(s, "value zzsec", 11);
	redact_stream_feed(s, big.buf, big.len);
	strbuf_addstr(&want, "value [REDACTED]!\n");
	strbuf_add(&want, big.buf + 11, big.len - 11);
	assert_int_equal(k.out.len, want.len);
	assert_string_equal(strbuf_str(&k.out), strbuf_str(&want));
	redact_stream_free(s);
	strbuf_free(&k.out);
	strbuf_free(&big);
	strbuf_free(&want);
}

/* What a stream holds back is bounded: endless blanks after a header name
 * or "Bearer" do not keep output from the log. */
static void
test_stream_holds_back_boundedly(void **state)
{
	struct sink k = { { 0 }, 0 };
	redact_stream *s;
	char blanks[4096];
	size_t i;

	(void)state;
	memset(blanks, ' ', sizeof blanks);
	s = redact_stream_new(sink_emit, &k);
	redact_stream_feed(s, "Authorization:", 14);
	for (i = 0; i < 64; i++)
		redact_stream_feed(s, blanks, sizeof blanks);
	assert_true(k.out.len >= 14 + 64 * sizeof blanks - 1024);
	redact_stream_feed(s, "\nBearer", 7);
	for (i = 0; i < 64; i++)
		redact_stream_feed(s, blanks, sizeof blanks);
	assert_true(k.out.len >= 2 * (14 + 64 * sizeof blanks) - 1024);
	redact_stream_flush(s);
	redact_stream_free(s);
	strbuf_free(&k.out);
}

static void
test_stream_binary_bytes(void **state)
{
	struct sink k = { { 0 }, 0 };
	const char data[] = { 'a', '\0', 'b', (char)0xff, 's', 'k', '-', '\n' };
	redact_stream *s;

	(void)state;
	s = redact_stream_new(sink_emit, &k);
	redact_stream_feed(s, data, sizeof data);
	redact_stream_flush(s);
	assert_int_equal(k.out.len, sizeof data);
	assert_memory_equal(k.out.buf, data, sizeof data);
	redact_stream_free(s);
	strbuf_free(&k.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_secret_names, reset),
		cmocka_unit_test_setup(test_registered_secrets, reset),
		cmocka_unit_test_setup(test_longest_secret_wins, reset),
		cmocka_unit_test_setup(test_from_env, reset),
		cmocka_unit_test_setup(test_shapes, reset),
		cmocka_unit_test_setup(test_shapes_leave_ordinary_text, reset),
		cmocka_unit_test_setup(test_stream_split_secrets, reset),
		cmocka_unit_test_setup(test_stream_holds_only_possible_prefixes, reset),
		cmocka_unit_test_setup(test_stream_random_chunks, reset),
		cmocka_unit_test_setup(test_stream_secret_at_every_offset, reset),
		cmocka_unit_test_setup(test_stream_tail_then_big_read, reset),
		cmocka_unit_test_setup(test_stream_holds_back_boundedly, reset),
		cmocka_unit_test_setup(test_stream_binary_bytes, reset),
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}

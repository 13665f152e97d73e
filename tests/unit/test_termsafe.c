#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/termsafe.h"

static void
expect(const char *in, termsafe_mode mode, const char *want)
{
	char *got = termsafe(in, mode);

	assert_string_equal(got, want);
	free(got);
}

static void
test_escape_sequences_go_whole(void **state)
{
	(void)state;
	/* The title of the reproducer. */
	expect("Evil\x1b[2J\x1b]0;pwned\x07\r\nFAKE LINE: cv score 0.9999", TERMSAFE_LINE,
		"Evil  FAKE LINE: cv score 0.9999");
	expect("a\x1b[1;31mred\x1b[0m b", TERMSAFE_LINE, "ared b");
	expect("x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y", TERMSAFE_LINE, "xlinky");
	expect("x\x1bPq#0;2;0;0;0\x1b\\y", TERMSAFE_LINE, "xy");
	expect("x\x1b" "cy", TERMSAFE_LINE, "xy");
	expect("x\x1b(By", TERMSAFE_LINE, "xy");
	expect("unterminated \x1b]0;title", TERMSAFE_LINE, "unterminated ");
}

static void
test_controls_go(void **state)
{
	(void)state;
	expect("a\x07" "b\x08" "c\x7f" "d\x01" "e", TERMSAFE_LINE, "abcde");
	expect("tab\tand\nnewline", TERMSAFE_LINE, "tab and newline");
	/* C1 controls, as UTF-8: U+009B is a CSI to some terminals. */
	expect("a\xc2\x9b" "2Jb", TERMSAFE_LINE, "a2Jb");
	/* A right-to-left override reorders what is shown. */
	expect("file\xe2\x80\xaetxt.exe", TERMSAFE_LINE, "filetxt.exe");
}

static void
test_text_keeps_lines(void **state)
{
	(void)state;
	expect("one\ntwo\tx\r\nthree\rfour", TERMSAFE_TEXT, "one\ntwo\tx\nthree\nfour");
	expect("progress 10%\rprogress 20%\r\n", TERMSAFE_TEXT, "progress 10%\nprogress 20%\n");
}

static void
test_utf8(void **state)
{
	(void)state;
	expect("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", TERMSAFE_LINE, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	expect("bad \xff byte", TERMSAFE_LINE, "bad \xef\xbf\xbd byte");
	expect("cut \xc3", TERMSAFE_LINE, "cut \xef\xbf\xbd");
	expect("overlong \xe0\x80\x80", TERMSAFE_LINE, "overlong \xef\xbf\xbd");
	expect("surrogate \xed\xa0\x80", TERMSAFE_LINE, "surrogate \xef\xbf\xbd");
}

/* A sequence split at every offset between two feeds comes out the same. */
static void
test_cut(void **state)
{
	char s[] = "ab\xc3\xa9\xc3\xa9xyz", same[] = "short";

	(void)state;
	termsafe_cut(s, 7);
	/* the second é and the rest make way for the mark */
	assert_string_equal(s, "ab\xc3\xa9\xe2\x80\xa6");
	termsafe_cut(same, 5);
	assert_string_equal(same, "short");
}

static void
test_stream_splits(void **state)
{
	const char *in = "ok\x1b[31mred\x1b]0;t\x07 caf\xc3\xa9\r\nnext\xc2\x9b" "end";
	char *whole = termsafe(in, TERMSAFE_TEXT);
	size_t len = strlen(in), cut;

	(void)state;
	for (cut = 0; cut <= len; cut++) {
		termsafe_stream t;
		strbuf out = { 0 };

		termsafe_stream_init(&t, TERMSAFE_TEXT);
		termsafe_stream_feed(&t, in, cut, &out);
		termsafe_stream_feed(&t, in + cut, len - cut, &out);
		termsafe_stream_end(&t, &out);
		assert_string_equal(strbuf_str(&out), whole);
		strbuf_free(&out);
	}
	free(whole);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_go_whole),
		cmocka_unit_test(test_controls_go),
		cmocka_unit_test(test_text_keeps_lines),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_stream_splits),
	};

	return cmocka_run_group_tests_name("termsafe", tests, NULL, NULL);
}

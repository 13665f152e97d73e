#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kaggle/competition.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

static cJSON *
parse(const char *text, ak_err *e)
{
	return competition_parse(text, strlen(text), "competition.json", e);
}

static void
test_titles_are_cleaned(void **state)
{
	ak_err e = { 0 };
	cJSON *c;

	(void)state;
	c = parse("{\"title\": \"Evil\\u001b[2J\\u001b]0;pwned\\u0007\\r\\nFAKE LINE: cv score 0.9999\","
		  " \"description\": \"line one\\nline\\u001b[31m two\"}", &e);
	assert_non_null(c);
	assert_string_equal(json_str(c, "title", ""), "Evil  FAKE LINE: cv score 0.9999");
	assert_string_equal(json_str(c, "description", ""), "line one\nline two");
	cJSON_Delete(c);
}

static void
test_fields_are_bounded(void **state)
{
	size_t big = 3 << 20, n;
	char *text = xmalloc(big + 64), *desc;
	ak_err e = { 0 };
	cJSON *c;

	(void)state;
	n = (size_t)sprintf(text, "{\"title\": \"");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)sprintf(text + n, "\", \"tags\": [\"ok\"]}");
	c = competition_parse(text, n, "competition.json", &e);
	assert_non_null(c);
	assert_true(strlen(json_str(c, "title", "")) <= COMPETITION_MAX_FIELD);
	assert_non_null(strstr(json_str(c, "title", ""), "\xe2\x80\xa6"));
	cJSON_Delete(c);
	desc = text;
	n = (size_t)sprintf(desc, "{\"description\": \"");
	memset(desc + n, 'y', big);
	n += big;
	n += (size_t)sprintf(desc + n, "\"}");
	c = competition_parse(desc, n, "competition.json", &e);
	assert_true(strlen(json_str(c, "description", "")) <= COMPETITION_MAX_TEXT);
	cJSON_Delete(c);
	free(text);
}

static void
test_bad_input_says_what(void **state)
{
	ak_err e = { 0 };
	char *deep;
	size_t i;

	(void)state;
	assert_null(parse("[1, 2]", &e));
	assert_non_null(strstr(e.msg, "must hold a JSON object"));
	assert_null(parse("{\"title\": ", &e));
	assert_non_null(strstr(e.msg, "not valid JSON"));
	deep = xcalloc(1, 2 * 2000 + 8);
	deep[0] = '{';
	memcpy(deep + 1, "\"a\":", 4);
	for (i = 0; i < 2000; i++)
		deep[5 + i] = '[';
	for (i = 0; i < 2000; i++)
		deep[2005 + i] = ']';
	strcat(deep, "}");
	assert_null(parse(deep, &e));
	assert_non_null(strstr(e.msg, "levels deep"));
	free(deep);
	assert_null(competition_parse("{}", (size_t)COMPETITION_MAX_BYTES + 1, "big.json", &e));
	assert_non_null(strstr(e.msg, "big.json is"));
}

static void
test_from_dir(void **state)
{
	cJSON *c;

	(void)state;
	c = competition_from_dir("/data/my\x1b[2Jcomp\n");
	assert_string_equal(json_str(c, "title", ""), "mycomp ");
	cJSON_Delete(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles_are_cleaned),
		cmocka_unit_test(test_fields_are_bounded),
		cmocka_unit_test(test_bad_input_says_what),
		cmocka_unit_test(test_from_dir),
	};

	return cmocka_run_group_tests_name("competition", tests, NULL, NULL);
}

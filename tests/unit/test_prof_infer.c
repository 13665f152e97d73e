#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/colstat.h"
#include "data/infer.h"

static enum infer_kind
kind_of(const char *s, double *num, unsigned *flags)
{
	return infer_value(s, strlen(s), num, flags);
}

static void
check_num(const char *s, enum infer_kind want, double value)
{
	double num;
	unsigned flags;

	assert_int_equal(kind_of(s, &num, &flags), want);
	assert_true(num == value);
}

static void
test_numbers(void **state)
{
	double num;
	unsigned flags;

	(void)state;
	check_num("0", INFER_INT, 0);
	check_num("-0", INFER_INT, 0);
	check_num("+17", INFER_INT, 17);
	check_num(" 42 ", INFER_INT, 42);
	check_num("9007199254740993", INFER_INT, 9007199254740992.0);
	check_num("1e5", INFER_FLOAT, 100000);
	check_num("1E-3", INFER_FLOAT, 0.001);
	check_num("-2.5", INFER_FLOAT, -2.5);
	check_num(".5", INFER_FLOAT, 0.5);
	check_num("3.", INFER_FLOAT, 3);
	check_num("0.1", INFER_FLOAT, 0.1);
	check_num("123456.789", INFER_FLOAT, 123456.789);
	check_num("1.7976931348623157e308", INFER_FLOAT, 1.7976931348623157e308);
	check_num("0.000000000000000000000000001", INFER_FLOAT, 1e-27);
	check_num("12345678901234567890123", INFER_INT, 12345678901234567890123.0);
	/* negative numbers past the fast conversion keep their sign */
	check_num("-12345678901234567890123", INFER_INT, -12345678901234567890123.0);
	check_num("-1e30", INFER_FLOAT, -1e30);
	check_num("-1.5e-30", INFER_FLOAT, -1.5e-30);
	check_num("-9007199254740993", INFER_INT, -9007199254740992.0);
	assert_int_equal(kind_of("3.0", &num, &flags), INFER_FLOAT);
	assert_true(flags & INFER_INTEGRAL);
	assert_int_equal(kind_of("3.5", &num, &flags), INFER_FLOAT);
	assert_false(flags & INFER_INTEGRAL);
	/* leading zeros make a code, not a number */
	assert_int_equal(kind_of("007", &num, &flags), INFER_TEXT);
	assert_true(flags & INFER_LEADZERO);
	assert_int_equal(kind_of("-01", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("0.7", &num, &flags), INFER_FLOAT);
	assert_int_equal(kind_of("inf", &num, &flags), INFER_FLOAT);
	assert_true(isinf(num) && (flags & INFER_INFINITE));
	assert_int_equal(kind_of("-Infinity", &num, &flags), INFER_FLOAT);
	assert_true(isinf(num) && num < 0);
	assert_int_equal(kind_of("1e", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("1.2.3", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("0x10", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("1 000", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("-", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of(".", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("12abc", &num, &flags), INFER_TEXT);
	assert_int_equal(infer_value("", 0, &num, &flags), INFER_TEXT);
}

static void
test_missing_and_bool(void **state)
{
	static const char *const na[] = {"", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL",
					 "null", "<NA>", "#N/A", "#NA", "#N/A N/A", "1.#IND", "-1.#IND",
					 "1.#QNAN", "-1.#QNAN"};
	static const char *const not_na[] = {"None", "na", "Null", "nil", "-", "?", " ", "NAN", "1.5", "N"};
	double num;
	unsigned flags;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(na) / sizeof(*na); i++)
		assert_true(infer_missing(na[i], strlen(na[i])));
	for (i = 0; i < sizeof(not_na) / sizeof(*not_na); i++)
		assert_false(infer_missing(not_na[i], strlen(not_na[i])));
	assert_int_equal(kind_of("True", &num, &flags), INFER_BOOL);
	assert_true(num == 1);
	assert_int_equal(kind_of("FALSE", &num, &flags), INFER_BOOL);
	assert_true(num == 0);
	assert_int_equal(kind_of("yes", &num, &flags), INFER_TEXT);
}

static void
check_time(const char *s, enum infer_kind want, const char *iso)
{
	double num;
	unsigned flags;
	char buf[40];

	assert_int_equal(kind_of(s, &num, &flags), want);
	infer_format_time(num, want == INFER_DATETIME, buf, sizeof(buf));
	assert_string_equal(buf, iso);
}

static void
test_dates(void **state)
{
	double num;
	unsigned flags;

	(void)state;
	check_time("2020-02-29", INFER_DATE, "2020-02-29");
	check_time("2021/3/7", INFER_DATE, "2021-03-07");
	check_time("12/31/1999", INFER_DATE, "1999-12-31");
	check_time("31/12/1999", INFER_DATE, "1999-12-31");	/* day first when it must be */
	check_time("01.02.2003", INFER_DATE, "2003-02-01");	/* dots are day first */
	check_time("1970-01-01", INFER_DATE, "1970-01-01");
	check_time("1900-03-01", INFER_DATE, "1900-03-01");
	check_time("2015-01-01 00:00:00", INFER_DATETIME, "2015-01-01 00:00:00");
	check_time("2015-01-01T13:45", INFER_DATETIME, "2015-01-01 13:45:00");
	check_time("2015-01-01T13:45:30Z", INFER_DATETIME, "2015-01-01 13:45:30");
	check_time("2015-01-01 13:45:30.250", INFER_DATETIME, "2015-01-01 13:45:30.250");
	check_time("2015-01-01T01:00:00+02:00", INFER_DATETIME, "2014-12-31 23:00:00");
	check_time("2009-06-15 17:26:21 UTC", INFER_DATETIME, "2009-06-15 17:26:21");
	assert_true(kind_of("2015-01-01", &num, &flags) == INFER_DATE && num == 16436.0 * 86400);
	assert_int_equal(kind_of("2019-02-29", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("2019-13-01", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("2019-01-01 25:00", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("2019-01-01 10:61", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("2019-01-01x", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("13/13/2020", &num, &flags), INFER_TEXT);
	assert_int_equal(kind_of("20200101", &num, &flags), INFER_INT);
	assert_int_equal(infer_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(infer_days_from_civil(1969, 12, 31), -1);
}

static void
test_pii(void **state)
{
	char *m;

	(void)state;
	assert_int_equal(infer_pii("jane.doe@example.com", 20), INFER_PII_EMAIL);
	assert_int_equal(infer_pii("a@b", 3), INFER_PII_NONE);
	assert_int_equal(infer_pii("not an @email.com", 17), INFER_PII_NONE);
	assert_int_equal(infer_pii("+1 (555) 123-4567", 17), INFER_PII_PHONE);
	assert_int_equal(infer_pii("555-123-4567", 12), INFER_PII_PHONE);
	assert_int_equal(infer_pii("5551234567", 10), INFER_PII_NONE);
	assert_int_equal(infer_pii("4111 1111 1111 1111", 19), INFER_PII_CARD);
	assert_int_equal(infer_pii("4111111111111111", 16), INFER_PII_CARD);
	assert_int_equal(infer_pii("4111111111111112", 16), INFER_PII_NONE);
	assert_int_equal(infer_pii("2020-01-01", 10), INFER_PII_NONE);
	m = infer_mask("jane.doe@example.com", 20);
	assert_string_equal(m, "j***@***.com");
	free(m);
	m = infer_mask("555-123-4567", 12);
	assert_string_equal(m, "XXX-XXX-XX67");
	free(m);
	m = infer_mask("4111 1111 1111 1111", 19);
	assert_string_equal(m, "XXXX XXXX XXXX 1111");
	free(m);
	m = infer_mask("plain", 5);
	assert_string_equal(m, "plain");
	free(m);
	m = infer_display("a\0b\xff", 4);
	assert_string_equal(m, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	free(m);
	m = infer_clean("caf\xc3\xa9 \xe2\x82", 8);
	assert_string_equal(m, "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
	free(m);
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(colsum_name_idlike("id"));
	assert_true(colsum_name_idlike("ID"));
	assert_true(colsum_name_idlike("PassengerId"));
	assert_true(colsum_name_idlike("customer_id"));
	assert_true(colsum_name_idlike("userID"));
	assert_true(colsum_name_idlike("id_code"));
	assert_true(colsum_name_idlike("Key"));
	assert_false(colsum_name_idlike("paid"));
	assert_false(colsum_name_idlike("valid"));
	assert_false(colsum_name_idlike("idea"));
	assert_false(colsum_name_idlike("Survived"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_missing_and_bool),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_pii),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("prof_infer", tests, NULL, NULL);
}

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "util/err.h"

static void
test_plain_error_keeps_fallback(void **state)
{
	ak_err e = { 0 };

	(void)state;
	assert_int_equal(err_set(&e, "bad %d", 1), -1);
	assert_string_equal(e.msg, "bad 1");
	assert_int_equal(err_kind_of(&e), ERR_NONE);
	assert_int_equal(err_exit_code(&e, 1), 1);
	assert_int_equal(err_exit_code(&e, 3), 3);
	assert_null(err_fix(&e));
}

static void
test_kinds_map_to_codes_and_fixes(void **state)
{
	ak_err e = { 0 };

	(void)state;
	err_kind_set(&e, ERR_AUTH, "Kaggle refused the key from %s", "kaggle.json");
	assert_int_equal(err_exit_code(&e, 1), 6);
	assert_non_null(strstr(err_fix(&e), "credentials"));
	assert_null(err_fix_to_append(&e));
	err_kind_set(&e, ERR_FORBIDDEN, "rules");
	assert_int_equal(err_exit_code(&e, 1), 7);
	err_kind_set(&e, ERR_NOT_FOUND, "no such competition");
	assert_int_equal(err_exit_code(&e, 1), 3);
	assert_non_null(strstr(err_fix(&e), "competitions SEARCH"));
	err_kind_set(&e, ERR_RATE_LIMITED, "429");
	assert_int_equal(err_exit_code(&e, 1), 8);
	err_kind_set(&e, ERR_USAGE, "bad flag");
	assert_int_equal(err_exit_code(&e, 1), 2);
	/* a later plain message forgets the kind */
	err_set(&e, "other");
	assert_int_equal(err_kind_of(&e), ERR_NONE);
}

static void
test_prefix_keeps_kind(void **state)
{
	ak_err e = { 0 };

	(void)state;
	err_kind_set(&e, ERR_NETWORK, "cannot connect");
	err_prefix(&e, "META");
	assert_string_equal(e.msg, "META: cannot connect");
	assert_int_equal(err_kind_of(&e), ERR_NETWORK);
}

static void
test_full_disk_is_disk_kind(void **state)
{
	ak_err e = { 0 };

	(void)state;
	err_cause(&e, ENOSPC, "writing x");
	assert_int_equal(err_kind_of(&e), ERR_DISK);
	assert_int_equal(err_exit_code(&e, 1), 5);
	assert_non_null(err_fix(&e));
	assert_ptr_equal(err_fix_to_append(&e), err_fix(&e));
	assert_int_equal(err_kind_of(NULL), ERR_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_error_keeps_fallback),
		cmocka_unit_test(test_kinds_map_to_codes_and_fixes),
		cmocka_unit_test(test_prefix_keeps_kind),
		cmocka_unit_test(test_full_disk_is_disk_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

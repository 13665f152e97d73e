#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "pipeline/rundir.h"
#include "pipeline/ttysize.h"
#include "testlib.h"

/* The size file of a run: what the supervisor takes from it, what it
 * leaves alone, and the writer's and reader's agreement. */

static void
test_parse_takes_cols_x_rows(void **state)
{
	ttysize t = { 0, 0 };

	(void)state;
	assert_int_equal(ttysize_parse("100x30", &t), 0);
	assert_int_equal(t.cols, 100);
	assert_int_equal(t.rows, 30);
	assert_int_equal(ttysize_parse("132x43\n", &t), 0);
	assert_int_equal(t.cols, 132);
	assert_int_equal(t.rows, 43);
}

static void
test_parse_clamps_to_sane_bounds(void **state)
{
	static const struct {
		const char *text;
		int cols, rows;
	} cases[] = {
		{ "0x0", TTYSIZE_MIN_COLS, TTYSIZE_MIN_ROWS },
		{ "5x2\n", TTYSIZE_MIN_COLS, TTYSIZE_MIN_ROWS },
		{ "20x5", 20, 5 },
		{ "1000x500", 1000, 500 },
		{ "1001x501", TTYSIZE_MAX_COLS, TTYSIZE_MAX_ROWS },
		{ "99999999999999999999999x7", TTYSIZE_MAX_COLS, 7 },
		{ "80x99999999999999999999999", 80, TTYSIZE_MAX_ROWS },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ttysize t = { 0, 0 };
		assert_int_equal(ttysize_parse(cases[i].text, &t), 0);
		assert_int_equal(t.cols, cases[i].cols);
		assert_int_equal(t.rows, cases[i].rows);
	}
}

static void
test_parse_refuses_garbage_unchanged(void **state)
{
	static const char *const bad[] = {
		"", "\n", "x", "100", "100x", "x30", "100 x 30", " 100x30", "100x30 ", "100x30\n\n",
		"100x30x2", "-100x30", "100x-30", "+100x30", "100X30", "0x64x30", "abc", "100x30garbage",
		"1e3x30", "100,30",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ttysize t = { 77, 11 };
		if (ttysize_parse(bad[i], &t) != -1)
			fail_msg("'%s' was taken as %dx%d", bad[i], t.cols, t.rows);
		assert_int_equal(t.cols, 77);
		assert_int_equal(t.rows, 11);
	}
}

static void
test_file_round_trip(void **state)
{
	char *dir = testlib_tmpdir("ttysize"), *path = testlib_path(dir, RUNDIR_TTY_SIZE);
	ttysize t = { 1, 1 };
	ak_err e;

	(void)state;
	assert_int_equal(ttysize_read(dir, &t), 0);
	assert_int_equal(t.cols, 1);
	assert_int_equal(ttysize_write(dir, (ttysize){ 120, 40 }, &e), 0);
	assert_int_equal(ttysize_read(dir, &t), 1);
	assert_int_equal(t.cols, 120);
	assert_int_equal(t.rows, 40);
	testlib_write(path, "garbage\n");
	assert_int_equal(ttysize_read(dir, &t), -1);
	assert_int_equal(t.cols, 120);
	/* A NUL must not hide what follows it. */
	testlib_write_bytes(path, "90x20\0junk", 10);
	assert_int_equal(ttysize_read(dir, &t), -1);
	assert_int_equal(t.rows, 40);
	testlib_rmtree(dir);
	free(path);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_takes_cols_x_rows),
		cmocka_unit_test(test_parse_clamps_to_sane_bounds),
		cmocka_unit_test(test_parse_refuses_garbage_unchanged),
		cmocka_unit_test(test_file_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

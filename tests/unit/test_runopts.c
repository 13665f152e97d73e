#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/runopts.h"

static int
parse_all(runopts *o, int argc, char **argv, ak_err *e)
{
	int i, rc;

	for (i = 0; i < argc; i++) {
		rc = runopts_parse_one(o, argc, argv, &i, e);
		if (rc <= 0)
			return rc;
	}
	return 1;
}

static void
test_defaults(void **state)
{
	runopts o;

	(void)state;
	unsetenv("AUTOKAGGLE_PYTHON");
	runopts_init(&o);
	assert_string_equal(o.python, "python3");
	assert_string_equal(o.family, "auto");
	assert_int_equal(o.seed, 42);
	assert_int_equal(o.folds, 5);
	assert_int_equal(o.gpu, RUNOPTS_GPU_AUTO);
	assert_null(o.target);
	runopts_free(&o);
	setenv("AUTOKAGGLE_PYTHON", "/usr/bin/python3", 1);
	runopts_init(&o);
	assert_string_equal(o.python, "/usr/bin/python3");
	runopts_free(&o);
	unsetenv("AUTOKAGGLE_PYTHON");
}

static void
test_values_both_forms(void **state)
{
	char *argv[] = { "--target", "y", "--budget=1h30m", "--memory", "512M", "--gpu=no",
		"--family", "xgboost", "--seed", "7", "--folds=3", "--threads", "4", "--no-network",
		"--detach", "--id=key", "--model", "m1" };
	runopts o;
	ak_err e;

	(void)state;
	runopts_init(&o);
	assert_int_equal(parse_all(&o, (int)(sizeof(argv) / sizeof(argv[0])), argv, &e), 1);
	assert_string_equal(o.target, "y");
	assert_string_equal(o.id, "key");
	assert_int_equal(o.budget_ms, 90L * 60 * 1000);
	assert_int_equal(o.memory_bytes, 512LL * 1024 * 1024);
	assert_int_equal(o.gpu, RUNOPTS_GPU_NO);
	assert_string_equal(o.family, "xgboost");
	assert_int_equal(o.seed, 7);
	assert_int_equal(o.folds, 3);
	assert_int_equal(o.threads, 4);
	assert_true(o.no_network);
	assert_true(o.detach);
	assert_string_equal(o.model, "m1");
	runopts_free(&o);
}

static void
expect_bad(const char *opt, const char *value, const char *needle)
{
	char *argv[] = { (char *)opt, (char *)value };
	runopts o;
	ak_err e;
	int i = 0;

	runopts_init(&o);
	assert_int_equal(runopts_parse_one(&o, value ? 2 : 1, argv, &i, &e), -1);
	assert_non_null(strstr(e.msg, needle));
	runopts_free(&o);
}

static void
test_bad_values_say_why(void **state)
{
	(void)state;
	expect_bad("--budget", "soon", "--budget");
	expect_bad("--memory", "lots", "--memory");
	expect_bad("--gpu", "maybe", "auto, yes or no");
	expect_bad("--family", "deepnet", "--family");
	expect_bad("--folds", "1", "from 2 to 50");
	expect_bad("--seed", "-3", "--seed");
	expect_bad("--threads", "x", "--threads");
	expect_bad("--target", NULL, "needs a value");
	expect_bad("--metric-file", "/nonexistent/metric.py", "--metric-file");
}

static void
test_not_an_option(void **state)
{
	char *argv[] = { "--targets", "DIR" };
	runopts o;
	ak_err e;
	int i = 0;

	(void)state;
	runopts_init(&o);
	assert_int_equal(runopts_parse_one(&o, 2, argv, &i, &e), 0);
	i = 1;
	assert_int_equal(runopts_parse_one(&o, 2, argv, &i, &e), 0);
	runopts_free(&o);
}

static void
test_json_round_trip_and_override(void **state)
{
	char *first[] = { "--budget", "30m", "--family", "linear", "--target", "t" };
	char *later[] = { "--budget", "10m" };
	char *again[] = { "--target", "auto" };
	runopts a, b;
	cJSON *j;
	ak_err e;

	(void)state;
	runopts_init(&a);
	assert_int_equal(parse_all(&a, 6, first, &e), 1);
	j = runopts_to_json(&a);
	runopts_init(&b);
	runopts_from_json(&b, j);
	assert_int_equal(b.budget_ms, 30L * 60 * 1000);
	assert_string_equal(b.family, "linear");
	assert_string_equal(b.target, "t");
	assert_int_equal(parse_all(&b, 2, later, &e), 1);
	assert_int_equal(b.budget_ms, 10L * 60 * 1000);
	assert_string_equal(b.family, "linear");
	assert_int_equal(parse_all(&b, 2, again, &e), 1);
	assert_null(b.target);
	cJSON_Delete(j);
	runopts_free(&a);
	runopts_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_both_forms),
		cmocka_unit_test(test_bad_values_say_why),
		cmocka_unit_test(test_not_an_option),
		cmocka_unit_test(test_json_round_trip_and_override),
	};

	return cmocka_run_group_tests_name("runopts", tests, NULL, NULL);
}

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
	assert_string_equal(o.executor, "local");
	assert_false(o.kernel_internet);
	assert_int_equal(o.sample, 0);
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
		"--detach", "--id=key", "--model", "m1", "--executor", "kaggle", "--kernel-internet", "--sample=50" };
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
	assert_string_equal(o.executor, "kaggle");
	assert_true(o.kernel_internet);
	assert_int_equal(o.sample, 50);
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
	/* Ranges are checked here, with the limit named, not at TRAIN. */
	expect_bad("--seed", "9223372036854775807", "from 0 to 4294967295");
	expect_bad("--seed", "4294967296", "from 0 to 4294967295");
	expect_bad("--memory", "1", "at least 256M");
	expect_bad("--memory", "0", "at least 256M");
	expect_bad("--budget", "0", "'none' for no budget");
	expect_bad("--budget", "2s", "at least 5s");
	expect_bad("--python", "", "needs an interpreter");
	expect_bad("--executor", "slurm", "unknown executor 'slurm': use local or kaggle");
	expect_bad("--sample", "5", "--sample");
	expect_bad("--sample", "many", "--sample");
}

static void
test_words_for_defaults(void **state)
{
	char *argv[] = { "--budget", "30m", "--memory", "1G", "--threads", "2", "--seed", "4294967295",
		"--budget", "none", "--memory", "auto", "--threads", "auto" };
	runopts o;
	ak_err e;

	(void)state;
	runopts_init(&o);
	assert_int_equal(parse_all(&o, (int)(sizeof(argv) / sizeof(argv[0])), argv, &e), 1);
	assert_int_equal(o.budget_ms, 0);
	assert_int_equal(o.memory_bytes, 0);
	assert_int_equal(o.threads, 0);
	assert_int_equal(o.seed, 4294967295UL);
	runopts_free(&o);
}

/* A run started without --python follows AUTOKAGGLE_PYTHON on rerun;
 * one started with it keeps it. */
static void
test_python_follows_the_environment_unless_given(void **state)
{
	char *given[] = { "--python", "/opt/py/bin/python3" };
	runopts a, b;
	cJSON *j;
	ak_err e;

	(void)state;
	setenv("AUTOKAGGLE_PYTHON", "/first/python3", 1);
	runopts_init(&a);
	j = runopts_to_json(&a);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "python")));
	setenv("AUTOKAGGLE_PYTHON", "/second/python3", 1);
	runopts_init(&b);
	runopts_from_json(&b, j);
	assert_string_equal(b.python, "/second/python3");
	cJSON_Delete(j);
	assert_int_equal(parse_all(&a, 2, given, &e), 1);
	j = runopts_to_json(&a);
	runopts_free(&b);
	runopts_init(&b);
	runopts_from_json(&b, j);
	assert_string_equal(b.python, "/opt/py/bin/python3");
	cJSON_Delete(j);
	runopts_free(&a);
	runopts_free(&b);
	unsetenv("AUTOKAGGLE_PYTHON");
}

/* Every recorded option comes back from run.json as it was; a value a
 * hand edit made that the parser refuses is ignored. */
static void
test_every_option_round_trips(void **state)
{
	char *argv[] = { "--memory", "1G", "--threads", "3", "--gpu", "no", "--seed", "7", "--folds", "3",
		"--provider", "anthropic", "--model", "m1", "--base-url", "http://127.0.0.1:9/x", "--offline",
		"--llm-budget", "5000", "--repair", "0", "--brief", "use trees", "--no-network", "--sample", "50",
		"--metric", "mae", "--id", "key" };
	int argc = (int)(sizeof(argv) / sizeof(argv[0]));
	runopts a, b;
	cJSON *j;
	char *t1, *t2;
	ak_err e;

	(void)state;
	runopts_init(&a);
	assert_int_equal(parse_all(&a, argc, argv, &e), 1);
	j = runopts_to_json(&a);
	runopts_init(&b);
	runopts_from_json(&b, j);
	assert_int_equal(b.memory_bytes, 1LL << 30);
	assert_int_equal(b.threads, 3);
	assert_int_equal(b.gpu, RUNOPTS_GPU_NO);
	assert_int_equal(b.seed, 7);
	assert_int_equal(b.folds, 3);
	assert_string_equal(b.provider, "anthropic");
	assert_string_equal(b.model, "m1");
	assert_string_equal(b.base_url, "http://127.0.0.1:9/x");
	assert_true(b.offline);
	assert_int_equal(b.llm_budget, 5000);
	assert_int_equal(b.repair, 0);
	assert_string_equal(b.brief, "use trees");
	assert_true(b.no_network);
	assert_int_equal(b.sample, 50);
	assert_string_equal(b.metric, "mae");
	assert_string_equal(b.id, "key");
	t1 = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	j = runopts_to_json(&b);
	t2 = cJSON_PrintUnformatted(j);
	assert_string_equal(t1, t2);
	/* A hand edit the parsers refuse changes nothing. */
	cJSON_ReplaceItemInObject(j, "provider", cJSON_CreateString("skynet"));
	cJSON_ReplaceItemInObject(j, "folds", cJSON_CreateNumber(99));
	cJSON_ReplaceItemInObject(j, "family", cJSON_CreateString("magic"));
	cJSON_ReplaceItemInObject(j, "executor", cJSON_CreateNull());
	runopts_from_json(&b, j);
	assert_string_equal(b.provider, "anthropic");
	assert_int_equal(b.folds, 3);
	assert_string_equal(b.family, "auto");
	assert_non_null(b.executor);
	free(t1);
	free(t2);
	cJSON_Delete(j);
	runopts_free(&a);
	runopts_free(&b);
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
	char *first[] = { "--budget", "30m", "--family", "linear", "--target", "t", "--executor", "kaggle",
		"--kernel-internet", "--sample", "40" };
	char *later[] = { "--budget", "10m" };
	char *again[] = { "--target", "auto" };
	runopts a, b;
	cJSON *j;
	ak_err e;

	(void)state;
	runopts_init(&a);
	assert_int_equal(parse_all(&a, 11, first, &e), 1);
	j = runopts_to_json(&a);
	runopts_init(&b);
	runopts_from_json(&b, j);
	assert_string_equal(b.executor, "kaggle");
	assert_true(b.kernel_internet);
	assert_int_equal(b.sample, 40);
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
		cmocka_unit_test(test_every_option_round_trips),
		cmocka_unit_test(test_json_round_trip_and_override),
		cmocka_unit_test(test_words_for_defaults),
		cmocka_unit_test(test_python_follows_the_environment_unless_given),
	};

	return cmocka_run_group_tests_name("runopts", tests, NULL, NULL);
}

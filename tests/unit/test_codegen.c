#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/codegen.h"
#include "testlib.h"
#include "util/fs.h"
#include "util/xalloc.h"

static const char *const binary_classes[] = { "0", "1" };
static const char *const iris_classes[] = { "setosa", "versicolor", "virginica" };

static codegen_spec
spec_for(task_kind t)
{
	codegen_spec s = { 0 };

	s.task = t;
	s.target = "y";
	s.id = "row_id";
	s.train = "/data/train.csv";
	s.test = "/data/test.csv";
	s.sample_submission = "/data/sample_submission.csv";
	s.seed = 42;
	if (t == TASK_BINARY) {
		s.classes = binary_classes;
		s.nclasses = 2;
	} else if (t == TASK_MULTICLASS) {
		s.classes = iris_classes;
		s.nclasses = 3;
	}
	return s;
}

static char *
read_text(const char *dir, const char *rel)
{
	char *path = fs_join(dir, rel);
	char *text = fs_read_file(path, NULL, NULL);

	free(path);
	return text;
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static void
test_family_check(void **state)
{
	static const char *const good[] = { "auto", "lightgbm", "xgboost", "hgb", "linear" };
	ak_err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(codegen_family_check(good[i], &e), 0);
	assert_int_equal(codegen_family_check("lgbm", &e), -1);
	assert_non_null(strstr(e.msg, "'lgbm'"));
	assert_non_null(strstr(e.msg, "auto, lightgbm, xgboost, hgb or linear"));
	assert_int_equal(codegen_family_check("LightGBM", &e), -1);
	assert_int_equal(codegen_family_check("", &e), -1);
	assert_int_equal(codegen_family_check(NULL, &e), -1);
}

static int
metric_file_result(const char *text, int *hib, int *proba, ak_err *e)
{
	char *dir = testlib_tmpdir("codegen");
	char *path = fs_join(dir, "metric.py");
	int rc;

	testlib_write(path, text);
	rc = codegen_read_metric_file(path, hib, proba, e);
	free(path);
	testlib_rmtree(dir);
	free(dir);
	return rc;
}

static void
test_metric_file_valid(void **state)
{
	ak_err e = { 0 };
	int hib = -1, proba = -1;

	(void)state;
	assert_int_equal(metric_file_result("import numpy as np\n\nhigher_is_better = False\n"
					    "needs_proba = True  # scores P(positive)\n\n"
					    "def score(y_true, y_pred):\n"
					    "    return float(np.mean(y_true == y_pred))\n",
					    &hib, &proba, &e), 0);
	assert_int_equal(hib, 0);
	assert_int_equal(proba, 1);
	/* needs_proba is optional; annotations and CRLF line ends are fine. */
	assert_int_equal(metric_file_result("higher_is_better: bool = True\r\n"
					    "def score (a, b):\r\n    return 1.0\r\n",
					    &hib, &proba, &e), 0);
	assert_int_equal(hib, 1);
	assert_int_equal(proba, 0);
	assert_int_equal(metric_file_result("def score(a, b):\n    return 0.0\n"
					    "higher_is_better=True\n", NULL, NULL, &e), 0);
}

static void
test_metric_file_invalid(void **state)
{
	ak_err e = { 0 };
	int hib = 7;

	(void)state;
	assert_int_equal(metric_file_result("higher_is_better = True\n"
					    "def scorer(a, b):\n    return 1\n", &hib, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "def score(y_true, y_pred)"));
	assert_int_equal(hib, 7);
	assert_int_equal(metric_file_result("def score(a, b):\n    return 1\n", &hib, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "higher_is_better = True"));
	/* Indented: a local variable, not the module-level flag. */
	assert_int_equal(metric_file_result("def score(a, b):\n    higher_is_better = True\n"
					    "    return 1\n", &hib, NULL, &e), -1);
	assert_int_equal(metric_file_result("higher_is_better = 1\n"
					    "def score(a, b):\n    return 1\n", &hib, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "line 1: higher_is_better must be set to True or False"));
	assert_int_equal(metric_file_result("def score(a, b):\n    return 1\n\n"
					    "higher_is_better = True\nneeds_proba = yes\n",
					    &hib, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "line 5: needs_proba"));
	assert_int_equal(codegen_read_metric_file("/nonexistent/metric.py", &hib, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/metric.py"));
}

static const codegen_file *
find_dst(const codegen_file *f, size_t n, const char *dst)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].dst, dst) == 0)
			return &f[i];
	return NULL;
}

static void
test_selection_by_task(void **state)
{
	codegen_spec s = spec_for(TASK_BINARY);
	codegen_file f[CODEGEN_MAX_FILES];
	size_t n;

	(void)state;
	n = codegen_baseline_files(&s, f, CODEGEN_MAX_FILES);
	assert_int_equal(n, 8);
	assert_string_equal(find_dst(f, n, "code/task.py")->src, "baseline/task_binary.py");
	assert_string_equal(find_dst(f, n, "code/classify.py")->src, "baseline/classify.py");
	assert_string_equal(find_dst(f, n, "code/train.py")->src, "baseline/train.py");
	assert_string_equal(find_dst(f, n, "code/predict.py")->src, "baseline/predict.py");
	assert_string_equal(find_dst(f, n, "code/features.py")->src, "baseline/features.py");
	assert_string_equal(find_dst(f, n, "code/metrics.py")->src, "baseline/metrics.py");
	assert_string_equal(find_dst(f, n, "code/models.py")->src, "baseline/models.py");
	assert_string_equal(find_dst(f, n, "env/requirements.txt")->src, "baseline/requirements.txt");
	assert_null(find_dst(f, n, "code/metric.py"));

	s = spec_for(TASK_MULTICLASS);
	n = codegen_baseline_files(&s, f, CODEGEN_MAX_FILES);
	assert_int_equal(n, 8);
	assert_string_equal(find_dst(f, n, "code/task.py")->src, "baseline/task_multiclass.py");
	assert_non_null(find_dst(f, n, "code/classify.py"));

	s = spec_for(TASK_REGRESSION);
	n = codegen_baseline_files(&s, f, CODEGEN_MAX_FILES);
	assert_int_equal(n, 7);
	assert_string_equal(find_dst(f, n, "code/task.py")->src, "baseline/task_regression.py");
	assert_null(find_dst(f, n, "code/classify.py"));

	s = spec_for(TASK_UNKNOWN);
	assert_int_equal(codegen_baseline_files(&s, f, CODEGEN_MAX_FILES), 0);
}

static void
test_selection_by_family_and_metric_file(void **state)
{
	codegen_spec s = spec_for(TASK_REGRESSION);
	codegen_file f[CODEGEN_MAX_FILES];
	size_t n;

	(void)state;
	s.family = "xgboost";
	s.metric_file = "/srv/user/my_metric.py";
	n = codegen_baseline_files(&s, f, CODEGEN_MAX_FILES);
	assert_int_equal(n, 8);
	assert_string_equal(find_dst(f, n, "env/requirements.txt")->src,
			    "baseline/requirements-xgboost.txt");
	assert_string_equal(find_dst(f, n, "code/metric.py")->src, "/srv/user/my_metric.py");
	s.family = "linear";
	n = codegen_baseline_files(&s, f, CODEGEN_MAX_FILES);
	assert_string_equal(find_dst(f, n, "env/requirements.txt")->src, "baseline/requirements.txt");
	/* A short array gets the first entries and the full count. */
	assert_int_equal(codegen_baseline_files(&s, f, 2), 8);
}

static void
test_config_binary(void **state)
{
	codegen_spec s = spec_for(TASK_BINARY);
	ak_err e = { 0 };
	char *t;

	(void)state;
	s.threads = 4;
	s.budget_seconds = 600;
	s.gpu = 1;
	t = codegen_config_text(&s, &e);
	assert_non_null(t);
	assert_true(has_line(t, "task: \"binary\""));
	assert_true(has_line(t, "target: \"y\""));
	assert_true(has_line(t, "id: \"row_id\""));
	assert_true(has_line(t, "metric: \"auc\""));
	assert_true(has_line(t, "metric_file: null"));
	assert_true(has_line(t, "higher_is_better: true"));
	assert_true(has_line(t, "needs_proba: true"));
	assert_true(has_line(t, "submission_format: \"label\""));
	assert_true(has_line(t, "classes: [\"0\", \"1\"]"));
	assert_true(has_line(t, "train: \"/data/train.csv\""));
	assert_true(has_line(t, "test: \"/data/test.csv\""));
	assert_true(has_line(t, "sample_submission: \"/data/sample_submission.csv\""));
	assert_true(has_line(t, "seed: 42"));
	assert_true(has_line(t, "folds: 5"));
	assert_true(has_line(t, "family: \"auto\""));
	assert_true(has_line(t, "gpu: true"));
	assert_true(has_line(t, "budget_seconds: 600"));
	assert_true(has_line(t, "threads: 4"));
	free(t);
}

static void
test_config_multiclass(void **state)
{
	codegen_spec s = spec_for(TASK_MULTICLASS);
	ak_err e = { 0 };
	char *t;

	(void)state;
	s.proba_columns = 1;
	s.folds = 3;
	s.family = "linear";
	t = codegen_config_text(&s, &e);
	assert_non_null(t);
	assert_true(has_line(t, "task: \"multiclass\""));
	assert_true(has_line(t, "metric: \"logloss\""));
	assert_true(has_line(t, "higher_is_better: false"));
	assert_true(has_line(t, "needs_proba: true"));
	assert_true(has_line(t, "submission_format: \"proba_columns\""));
	assert_true(has_line(t, "classes: [\"setosa\", \"versicolor\", \"virginica\"]"));
	assert_true(has_line(t, "folds: 3"));
	assert_true(has_line(t, "family: \"linear\""));
	assert_true(has_line(t, "gpu: false"));
	free(t);
	s.proba_columns = 0;
	s.metric = metric_get(METRIC_QWK);
	t = codegen_config_text(&s, &e);
	assert_true(has_line(t, "metric: \"qwk\""));
	assert_true(has_line(t, "needs_proba: false"));
	assert_true(has_line(t, "submission_format: \"label\""));
	free(t);
}

static void
test_config_regression(void **state)
{
	codegen_spec s = spec_for(TASK_REGRESSION);
	ak_err e = { 0 };
	char *t;

	(void)state;
	s.id = NULL;
	s.seed = 4294967295UL;
	t = codegen_config_text(&s, &e);
	assert_non_null(t);
	assert_true(has_line(t, "task: \"regression\""));
	assert_true(has_line(t, "metric: \"rmse\""));
	assert_true(has_line(t, "higher_is_better: false"));
	assert_true(has_line(t, "needs_proba: false"));
	assert_true(has_line(t, "classes: []"));
	assert_true(has_line(t, "id: null"));
	assert_true(has_line(t, "seed: 4294967295"));
	assert_true(has_line(t, "budget_seconds: 0"));
	free(t);
	s.metric = metric_get(METRIC_RMSLE);
	t = codegen_config_text(&s, &e);
	assert_true(has_line(t, "metric: \"rmsle\""));
	free(t);
}

static void
test_config_custom_and_quoting(void **state)
{
	codegen_spec s = spec_for(TASK_REGRESSION);
	ak_err e = { 0 };
	char *t;

	(void)state;
	s.metric_file = "/srv/user/m.py";
	s.custom_higher_is_better = 1;
	s.custom_needs_proba = 0;
	s.target = "price \"usd\"\\n";
	s.train = "/data/tab\there.csv";
	t = codegen_config_text(&s, &e);
	assert_non_null(t);
	assert_true(has_line(t, "metric: \"custom\""));
	assert_true(has_line(t, "metric_file: \"code/metric.py\""));
	assert_true(has_line(t, "higher_is_better: true"));
	assert_true(has_line(t, "needs_proba: false"));
	assert_true(has_line(t, "target: \"price \\\"usd\\\"\\\\n\""));
	assert_true(has_line(t, "train: \"/data/tab\\x09here.csv\""));
	free(t);
}

static void
test_config_rejects_bad_specs(void **state)
{
	codegen_spec s;
	ak_err e = { 0 };

	(void)state;
	s = spec_for(TASK_BINARY);
	s.metric = metric_get(METRIC_RMSE);
	assert_null(codegen_config_text(&s, &e));
	assert_non_null(strstr(e.msg, "rmse does not fit a binary task"));
	s = spec_for(TASK_UNKNOWN);
	assert_null(codegen_config_text(&s, &e));
	assert_non_null(strstr(e.msg, "binary, multiclass or regression"));
	s = spec_for(TASK_BINARY);
	s.train = "data/train.csv";
	assert_null(codegen_config_text(&s, &e));
	assert_non_null(strstr(e.msg, "must be absolute"));
	s = spec_for(TASK_BINARY);
	s.folds = 1;
	assert_null(codegen_config_text(&s, &e));
	s = spec_for(TASK_BINARY);
	s.family = "catboost";
	assert_null(codegen_config_text(&s, &e));
	assert_non_null(strstr(e.msg, "catboost"));
	s = spec_for(TASK_BINARY);
	s.nclasses = 3;
	s.classes = iris_classes;
	assert_null(codegen_config_text(&s, &e));
	s = spec_for(TASK_REGRESSION);
	s.metric = metric_get(METRIC_CUSTOM);
	assert_null(codegen_config_text(&s, &e));
	assert_non_null(strstr(e.msg, "no metric file"));
	s = spec_for(TASK_REGRESSION);
	s.target = "";
	assert_null(codegen_config_text(&s, &e));
}

static int
setup_datadir(void **state)
{
	(void)state;
	return setenv("AUTOKAGGLE_DATADIR", ABS_TOP_SRCDIR "/share", 1);
}

static int
count_staged(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".ak-new") || strstr(de->d_name, ".tmp."))
			n++;
	closedir(d);
	return n;
}

static void
test_write_baseline(void **state)
{
	static const char *const expect[] = {
		"code/features.py", "code/metrics.py", "code/models.py", "code/classify.py",
		"code/train.py", "code/predict.py",
	};
	codegen_spec s = spec_for(TASK_MULTICLASS);
	char *dir = testlib_tmpdir("codegen"), *mpath = fs_join(dir, "mine.py"), *code = fs_join(dir, "code");
	char *t, *want;
	ak_err e = { 0 };
	size_t i;

	(void)state;
	testlib_write(mpath, "higher_is_better = True\ndef score(y, p):\n    return 1.0\n");
	s.metric_file = mpath;
	s.custom_higher_is_better = 1;
	assert_int_equal(codegen_write_baseline(&s, dir, &e), 0);
	t = read_text(dir, "code/task.py");
	want = fs_read_file(ABS_TOP_SRCDIR "/share/templates/baseline/task_multiclass.py", NULL, NULL);
	assert_non_null(t);
	assert_non_null(want);
	assert_string_equal(t, want);
	free(t);
	free(want);
	t = read_text(dir, "code/metric.py");
	assert_non_null(strstr(t, "def score(y, p)"));
	free(t);
	t = read_text(dir, "code/config.yaml");
	assert_true(has_line(t, "metric: \"custom\""));
	free(t);
	t = read_text(dir, "env/requirements.txt");
	assert_true(has_line(t, "scikit-learn>=1.2"));
	assert_false(has_line(t, "lightgbm"));
	free(t);
	for (i = 0; i < sizeof expect / sizeof *expect; i++) {
		char *p = fs_join(dir, expect[i]);
		assert_true(fs_exists(p));
		free(p);
	}
	assert_int_equal(count_staged(code), 0);
	free(mpath);
	free(code);
	testlib_rmtree(dir);
	free(dir);
}

static void
test_write_failure_leaves_files(void **state)
{
	codegen_spec s = spec_for(TASK_BINARY);
	char *dir = testlib_tmpdir("codegen"), *empty = testlib_tmpdir("codegen");
	char *code = fs_join(dir, "code"), *cfg = fs_join(dir, "code/config.yaml"), *t;
	ak_err e = { 0 };

	(void)state;
	/* No templates where the data directory points: nothing is written. */
	setenv("AUTOKAGGLE_DATADIR", empty, 1);
	assert_int_equal(codegen_write_baseline(&s, dir, &e), -1);
	assert_non_null(strstr(e.msg, "templates/baseline/"));
	assert_false(fs_exists(code));
	setenv("AUTOKAGGLE_DATADIR", ABS_TOP_SRCDIR "/share", 1);

	/* An invalid metric file: the old configuration stays as it was. */
	assert_int_equal(fs_mkdir_p(code, 0755, &e), 0);
	testlib_write(cfg, "old\n");
	s.metric_file = "/nonexistent/metric.py";
	assert_int_equal(codegen_write_baseline(&s, dir, &e), -1);
	t = read_text(dir, "code/config.yaml");
	assert_string_equal(t, "old\n");
	free(t);
	assert_int_equal(count_staged(code), 0);
	s.metric_file = NULL;
	s.task = TASK_UNKNOWN;
	assert_int_equal(codegen_write_baseline(&s, dir, &e), -1);
	t = read_text(dir, "code/config.yaml");
	assert_string_equal(t, "old\n");
	free(t);
	free(code);
	free(cfg);
	testlib_rmtree(dir);
	free(dir);
	testlib_rmtree(empty);
	free(empty);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_check),
		cmocka_unit_test(test_metric_file_valid),
		cmocka_unit_test(test_metric_file_invalid),
		cmocka_unit_test(test_selection_by_task),
		cmocka_unit_test(test_selection_by_family_and_metric_file),
		cmocka_unit_test(test_config_binary),
		cmocka_unit_test(test_config_multiclass),
		cmocka_unit_test(test_config_regression),
		cmocka_unit_test(test_config_custom_and_quoting),
		cmocka_unit_test(test_config_rejects_bad_specs),
		cmocka_unit_test(test_write_baseline),
		cmocka_unit_test(test_write_failure_leaves_files),
	};

	return cmocka_run_group_tests_name("codegen", tests, setup_datadir, NULL);
}

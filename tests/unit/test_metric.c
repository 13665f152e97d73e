#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "codegen/metric.h"

static metric_id
lookup_id(const char *text)
{
	const metric_info *m = metric_lookup(text);

	return m ? m->id : METRIC_COUNT;
}

static void
test_kaggle_texts(void **state)
{
	(void)state;
	assert_int_equal(lookup_id("Area Under Receiver Operating Characteristic Curve"), METRIC_AUC);
	assert_int_equal(lookup_id("AUC"), METRIC_AUC);
	assert_int_equal(lookup_id("roc_auc"), METRIC_AUC);
	assert_int_equal(lookup_id("Log Loss"), METRIC_LOGLOSS);
	assert_int_equal(lookup_id("Multiclass Loss"), METRIC_LOGLOSS);
	assert_int_equal(lookup_id("Categorization Accuracy"), METRIC_ACCURACY);
	assert_int_equal(lookup_id("MeanFScore"), METRIC_F1);
	assert_int_equal(lookup_id("Root Mean Squared Error"), METRIC_RMSE);
	assert_int_equal(lookup_id("Root Mean Squared Logarithmic Error"), METRIC_RMSLE);
	assert_int_equal(lookup_id("Mean Absolute Error"), METRIC_MAE);
	assert_int_equal(lookup_id("Mean Absolute Percentage Error"), METRIC_MAPE);
	assert_int_equal(lookup_id("Quadratic Weighted Kappa"), METRIC_QWK);
	assert_int_equal(lookup_id("QWK"), METRIC_QWK);
}

static void
test_case_and_punctuation_ignored(void **state)
{
	(void)state;
	assert_int_equal(lookup_id("log_loss"), METRIC_LOGLOSS);
	assert_int_equal(lookup_id("LOGLOSS"), METRIC_LOGLOSS);
	assert_int_equal(lookup_id("  logloss "), METRIC_LOGLOSS);
	assert_int_equal(lookup_id("area-under-receiver-operating-characteristic-curve"),
			 METRIC_AUC);
	assert_int_equal(lookup_id("RMSE"), METRIC_RMSE);
	assert_int_equal(lookup_id("rmsle"), METRIC_RMSLE);
	assert_int_equal(lookup_id("custom"), METRIC_CUSTOM);
}

static void
test_unknown_texts(void **state)
{
	(void)state;
	/* Close to known names but different metrics: not mapped. */
	assert_null(metric_lookup("Mean Squared Error"));
	assert_null(metric_lookup("SMAPE"));
	assert_null(metric_lookup("Mean Columnwise Area Under Receiver Operating Characteristic Curve"));
	assert_null(metric_lookup("Root Mean Squared"));
	assert_null(metric_lookup(""));
	assert_null(metric_lookup(" - "));
	assert_null(metric_lookup(NULL));
}

static void
test_names_round_trip(void **state)
{
	int id;

	(void)state;
	for (id = 0; id < METRIC_COUNT; id++) {
		const metric_info *m = metric_get((metric_id)id);

		assert_non_null(m);
		assert_int_equal(m->id, id);
		assert_int_equal(lookup_id(m->name), id);
		assert_true(m->title && *m->title);
		assert_true(m->tasks != 0);
	}
	assert_null(metric_get(METRIC_COUNT));
	assert_null(metric_get((metric_id)-1));
}

static void
test_directions_and_kinds(void **state)
{
	static const struct { metric_id id; int hib, proba; } want[] = {
		{ METRIC_AUC, 1, 1 }, { METRIC_LOGLOSS, 0, 1 }, { METRIC_ACCURACY, 1, 0 },
		{ METRIC_F1, 1, 0 }, { METRIC_RMSE, 0, 0 }, { METRIC_RMSLE, 0, 0 },
		{ METRIC_MAE, 0, 0 }, { METRIC_MAPE, 0, 0 }, { METRIC_QWK, 1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof *want; i++) {
		const metric_info *m = metric_get(want[i].id);

		assert_int_equal(m->higher_is_better, want[i].hib);
		assert_int_equal(m->needs_proba, want[i].proba);
	}
	assert_string_equal(metric_get(METRIC_AUC)->name, "auc");
	assert_string_equal(metric_get(METRIC_QWK)->name, "qwk");
}

static void
test_defaults(void **state)
{
	(void)state;
	assert_int_equal(metric_default(TASK_BINARY, 0)->id, METRIC_AUC);
	assert_int_equal(metric_default(TASK_BINARY, 1)->id, METRIC_AUC);
	assert_int_equal(metric_default(TASK_MULTICLASS, 0)->id, METRIC_ACCURACY);
	assert_int_equal(metric_default(TASK_MULTICLASS, 1)->id, METRIC_LOGLOSS);
	assert_int_equal(metric_default(TASK_REGRESSION, 0)->id, METRIC_RMSE);
	assert_null(metric_default(TASK_UNKNOWN, 0));
}

static void
test_fits_task(void **state)
{
	(void)state;
	assert_true(metric_fits_task(metric_get(METRIC_AUC), TASK_BINARY));
	assert_true(metric_fits_task(metric_get(METRIC_LOGLOSS), TASK_MULTICLASS));
	assert_false(metric_fits_task(metric_get(METRIC_AUC), TASK_REGRESSION));
	assert_false(metric_fits_task(metric_get(METRIC_RMSE), TASK_BINARY));
	assert_true(metric_fits_task(metric_get(METRIC_QWK), TASK_REGRESSION));
	assert_true(metric_fits_task(metric_get(METRIC_QWK), TASK_MULTICLASS));
	assert_true(metric_fits_task(metric_get(METRIC_CUSTOM), TASK_REGRESSION));
	assert_false(metric_fits_task(metric_get(METRIC_CUSTOM), TASK_UNKNOWN));
	assert_false(metric_fits_task(NULL, TASK_BINARY));
}

static void
test_task_names(void **state)
{
	(void)state;
	assert_string_equal(task_name(TASK_BINARY), "binary");
	assert_string_equal(task_name(TASK_MULTICLASS), "multiclass");
	assert_string_equal(task_name(TASK_REGRESSION), "regression");
	assert_string_equal(task_name(TASK_UNKNOWN), "unknown");
	assert_string_equal(task_name((task_kind)42), "unknown");
	assert_int_equal(task_from_name("binary"), TASK_BINARY);
	assert_int_equal(task_from_name("MultiClass"), TASK_MULTICLASS);
	assert_int_equal(task_from_name("regression"), TASK_REGRESSION);
	assert_int_equal(task_from_name("unknown"), TASK_UNKNOWN);
	assert_int_equal(task_from_name("ranking"), TASK_UNKNOWN);
	assert_int_equal(task_from_name(""), TASK_UNKNOWN);
	assert_int_equal(task_from_name(NULL), TASK_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kaggle_texts),
		cmocka_unit_test(test_case_and_punctuation_ignored),
		cmocka_unit_test(test_unknown_texts),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_directions_and_kinds),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_fits_task),
		cmocka_unit_test(test_task_names),
	};

	return cmocka_run_group_tests_name("metric", tests, NULL, NULL);
}

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/validate.h"
#include "testlib.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

typedef struct fixture {
	char *dir;
	char *sample, *test, *sub;
	cJSON *report;
	ak_err err;
} fixture;

static int
setup(void **state)
{
	fixture *f = xcalloc(1, sizeof *f);

	f->dir = testlib_tmpdir("validate");
	f->sample = testlib_path(f->dir, "sample_submission.csv");
	f->test = testlib_path(f->dir, "test.csv");
	f->sub = testlib_path(f->dir, "submission.csv");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture *f = *state;

	testlib_rmtree(f->dir);
	free(f->dir);
	free(f->sample);
	free(f->test);
	free(f->sub);
	cJSON_Delete(f->report);
	free(f);
	return 0;
}

/* Regression-shaped spec: numeric predictions, no test file. */
static validate_spec
spec_of(const fixture *f)
{
	validate_spec s = { 0 };

	s.submission = f->sub;
	s.sample = f->sample;
	s.id_column = "id";
	return s;
}

static int
run(fixture *f, const validate_spec *s)
{
	cJSON_Delete(f->report);
	f->report = NULL;
	f->err.msg[0] = '\0';
	return validate_submission(s, &f->report, &f->err);
}

static const cJSON *
check_named(const fixture *f, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(f->report, "checks"))
		if (!strcmp(cJSON_GetObjectItem(c, "name")->valuestring, name))
			return c;
	fail_msg("no check named %s", name);
	return NULL;
}

static const char *
message_of(const fixture *f, const char *name)
{
	return cJSON_GetObjectItem(check_named(f, name), "message")->valuestring;
}

/* Asserts the check's outcome and that its message contains each of the
 * NULL-terminated substrings. */
static void
assert_check(const fixture *f, const char *name, int ok, ...)
{
	const cJSON *c = check_named(f, name);
	const char *msg = cJSON_GetObjectItem(c, "message")->valuestring, *want;
	va_list ap;

	if (cJSON_IsTrue(cJSON_GetObjectItem(c, "ok")) != ok)
		fail_msg("check %s: ok should be %d: %s", name, ok, msg);
	va_start(ap, ok);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(msg, want))
			fail_msg("check %s: message lacks \"%s\": %s", name, want, msg);
	va_end(ap);
}

static long
first_example_line(const fixture *f, const char *name)
{
	const cJSON *ex = cJSON_GetObjectItem(check_named(f, name), "examples");

	assert_true(cJSON_GetArraySize(ex) > 0);
	return (long)cJSON_GetObjectItem(cJSON_GetArrayItem(ex, 0), "line")->valuedouble;
}

static void
test_valid_regression(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);
	const cJSON *c;

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->test, "id,x,cat\n1,0.5,a\n2,1.5,b\n3,2.5,a\n");
	testlib_write(f->sub, "id,target\n1,10.5\n2,-3\n3,1e3\n");
	s.test = f->test;
	assert_int_equal(run(f, &s), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(f->report, "ok")));
	assert_int_equal(cJSON_GetObjectItem(f->report, "rows")->valueint, 3);
	assert_int_equal(cJSON_GetObjectItem(f->report, "columns")->valueint, 2);
	assert_string_equal(cJSON_GetObjectItem(f->report, "file")->valuestring, f->sub);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(f->report, "checks")) {
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "ok")));
		assert_true(cJSON_IsArray(cJSON_GetObjectItem(c, "examples")));
	}
	check_named(f, "sample_vs_test_ids");
	check_named(f, "numeric");
	assert_non_null(strstr(validate_summary(f->report), "checks passed"));
	assert_non_null(strstr(validate_summary(f->report), "all "));
}

static void
test_missing_sample_is_an_error(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sub, "id,target\n1,0\n");
	assert_int_equal(run(f, &s), -1);
	assert_null(f->report);
	assert_non_null(strstr(f->err.msg, "sample_submission.csv"));
}

static void
test_sample_without_id_column_is_an_error(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "key,target\n1,0\n");
	testlib_write(f->sub, "key,target\n1,0\n");
	assert_int_equal(run(f, &s), -1);
	assert_non_null(strstr(f->err.msg, "no column \"id\""));
	assert_non_null(strstr(f->err.msg, "--id"));
}

static void
test_missing_submission_fails_readable(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "readable", 0, "submission.csv", "could not be read", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(f->report, "checks")), 1);
	assert_string_equal(validate_summary(f->report), message_of(f, "readable"));
}

static void
test_empty_submission_fails_readable(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n");
	testlib_write(f->sub, "");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "readable", 0, "empty", NULL);
}

static void
test_other_delimiter_fails_readable(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n");
	testlib_write(f->sub, "id;target\n1;0.5\n2;0.25\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "readable", 0, "';'", "','", NULL);
}

static void
test_invalid_utf8(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\na,0\nb,0\nc,0\n");
	testlib_write(f->sub, "id,target\na,1\nb\xff,2\nc,3\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "utf8", 0, "line 3", "column \"id\"", "UTF-8", NULL);
	assert_int_equal(first_example_line(f, "utf8"), 3);
	testlib_write(f->sub, "id,target\na,1\nb,2\nc,3\n");
	assert_int_equal(run(f, &s), 1);
	assert_check(f, "utf8", 1, NULL);
}

static void
test_header_renamed_column(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n");
	testlib_write(f->sub, "id,prediction\n1,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "header", 0, "missing column \"target\"", "unexpected column \"prediction\"",
		     "id,target", NULL);
	assert_string_equal(validate_summary(f->report), message_of(f, "header"));
}

static void
test_header_order(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,a,b\n1,0,0\n");
	testlib_write(f->sub, "id,b,a\n1,0.5,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "header", 0, "column 2 is \"b\" where the sample has \"a\"", NULL);
	assert_check(f, "unknown_ids", 1, NULL);
}

static void
test_submission_without_id_column(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n");
	testlib_write(f->sub, "target\n0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "header", 0, "missing column \"id\"", NULL);
	assert_check(f, "unknown_ids", 0, "no column \"id\"", NULL);
}

static void
test_ragged_rows(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->sub, "id,target\n1,0.5\n2,0.5,7\n3,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "ragged_rows", 0, "1 row has", "line 3 has 3 fields", "header has 2", NULL);
	testlib_write(f->sub, "id,target\n1,0.5\n\"2\",\"0.5\"\n3,0.5\n");
	assert_int_equal(run(f, &s), 1);
	assert_check(f, "ragged_rows", 1, NULL);
}

static void
test_row_count(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->sub, "id,target\n1,0.5\n2,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "row_count", 0, "has 2 rows", "has 3", "1 missing", NULL);
	assert_check(f, "missing_ids", 0, "1 id of sample_submission.csv is missing", "first: 3", NULL);
	assert_int_equal(first_example_line(f, "missing_ids"), 4);
}

static void
test_sample_ids_differ_from_test(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);
	strbuf sample = { 0 }, test = { 0 };
	int i;

	/* The sample has ids 5001..5012 where test has 1..12, plus 100 shared ids. */
	strbuf_addstr(&sample, "id,target\n");
	strbuf_addstr(&test, "id,x\n");
	for (i = 100; i < 200; i++) {
		strbuf_addf(&sample, "%d,0\n", i);
		strbuf_addf(&test, "%d,1\n", i);
	}
	for (i = 1; i <= 12; i++) {
		strbuf_addf(&sample, "%d,0\n", 5000 + i);
		strbuf_addf(&test, "%d,1\n", i);
	}
	testlib_write(f->sample, sample.buf);
	testlib_write(f->test, test.buf);
	testlib_write(f->sub, sample.buf);
	s.test = f->test;
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "sample_vs_test_ids", 0,
		     "sample_submission.csv ids differ from test.csv: 12 ids of the sample are not in test "
		     "(first: 5001, line 102 of sample_submission.csv)",
		     "12 ids of test are not in the sample (first: 1, line 102 of test.csv)", NULL);
	assert_int_equal(first_example_line(f, "sample_vs_test_ids"), 102);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(check_named(f, "sample_vs_test_ids"), "examples")), 5);
	assert_check(f, "unknown_ids", 1, NULL);
	assert_string_equal(validate_summary(f->report), message_of(f, "sample_vs_test_ids"));
	s.test = NULL;
	assert_int_equal(run(f, &s), 1);
	strbuf_free(&sample);
	strbuf_free(&test);
}

/* The inputs' id problems, one message each; NULL when there is none. */
static cJSON *
input_problems(fixture *f, const char *sample, const char *test, int want)
{
	cJSON *problems = cJSON_CreateArray();

	testlib_write(f->sample, sample);
	testlib_write(f->test, test);
	assert_int_equal(validate_input_ids(f->sample, f->test, "id", problems, &f->err), want);
	assert_int_equal(cJSON_GetArraySize(problems), want);
	return problems;
}

static void
assert_problem(const cJSON *problems, int i, const char *want)
{
	const char *msg = cJSON_GetArrayItem(problems, i)->valuestring;

	if (!strstr(msg, want))
		fail_msg("problem %d lacks \"%s\": %s", i, want, msg);
}

static void
test_input_ids(void **state)
{
	fixture *f = *state;
	cJSON *p;

	p = input_problems(f, "id,y\n1,0\n2,0\n3,0\n", "x,id\n7,3\n8,1\n9,2\n", 0);
	cJSON_Delete(p);
	p = input_problems(f, "id,y\n1,0\n2,0\n", "id,x\n1,a\n2,b\n1,c\n2,d\n", 1);
	assert_problem(p, 0, "test.csv has 2 duplicate ids in column \"id\" (first: 1 at line 4, already at line 2)");
	cJSON_Delete(p);
	p = input_problems(f, "id,y\n1,0\n1,0\n2,0\n", "id,x\n1,a\n2,b\n", 1);
	assert_problem(p, 0, "sample_submission.csv has 1 duplicate id in column \"id\" (first: 1 at line 3, "
			     "already at line 2)");
	cJSON_Delete(p);
	p = input_problems(f, "id,y\n1,0\n2,0\n9,0\n", "id,x\n1,a\n2,b\n3,c\n", 1);
	assert_problem(p, 0, "1 id of the sample is not in test (first: 9, line 4 of sample_submission.csv), "
			     "1 id of test is not in the sample (first: 3, line 4 of test.csv)");
	cJSON_Delete(p);
	p = input_problems(f, "id,y\n1,0\n", "key,x\n1,a\n", 1);
	assert_problem(p, 0, "test.csv has no column \"id\"");
	cJSON_Delete(p);
	p = cJSON_CreateArray();
	testlib_write(f->sample, "key,y\n1,0\n");
	assert_int_equal(validate_input_ids(f->sample, f->test, "id", p, &f->err), -1);
	assert_non_null(strstr(f->err.msg, "has no column \"id\""));
	cJSON_Delete(p);
}

static void
test_test_without_id_column(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n");
	testlib_write(f->test, "ident,x\n1,0\n");
	testlib_write(f->sub, "id,target\n1,0\n");
	s.test = f->test;
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "sample_vs_test_ids", 0, "test.csv has no column \"id\"", NULL);
}

static void
test_unknown_and_missing_ids(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->sub, "id,target\n1,0.5\n9,0.5\n3,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "row_count", 1, NULL);
	assert_check(f, "unknown_ids", 0, "1 id is not in sample_submission.csv (first: 9 at line 3)", NULL);
	assert_check(f, "missing_ids", 0, "(first: 2, line 3 of the sample)", NULL);
	assert_check(f, "id_order", 1, NULL);
	assert_check(f, "duplicate_ids", 1, NULL);
}

static void
test_id_order(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\na,0\nb,0\nc,0\nd,0\n");
	testlib_write(f->sub, "id,target\na,1\nc,1\nb,1\nd,1\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "id_order", 0, "line 4 has b after c", NULL);
	assert_check(f, "unknown_ids", 1, NULL);
	assert_check(f, "missing_ids", 1, NULL);
	assert_string_equal(validate_summary(f->report), message_of(f, "id_order"));
}

static void
test_duplicate_ids(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\na,0\nb,0\nc,0\n");
	testlib_write(f->sub, "id,target\na,1\nb,1\nb,1\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "duplicate_ids", 0, "1 duplicate id (first: b at line 4, already at line 3)", NULL);
	assert_check(f, "missing_ids", 0, "first: c", NULL);
	assert_check(f, "id_order", 1, NULL);
}

static void
test_missing_values(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n");
	testlib_write(f->sub, "id,target\n1,0.5\n2,\n3,NaN\n4,inf\n5,NA\n6,-Infinity\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "missing_values", 0, "5 values are empty, NaN or infinite", "line 3, column \"target\"",
		     "fillna", NULL);
	assert_check(f, "numeric", 1, NULL);
	assert_int_equal(first_example_line(f, "missing_values"), 3);
}

static void
test_numeric(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->sub, "id,target\n1,0.5\n2,abc\n3,0x10\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "numeric", 0, "2 values are not numbers", "\"abc\" at line 3, column \"target\"", NULL);
	assert_check(f, "missing_values", 1, NULL);
}

static void
test_labels(void **state)
{
	static const char *const classes[] = { "setosa", "versicolor", "virginica" };
	fixture *f = *state;
	validate_spec s = spec_of(f);

	s.classification = 1;
	s.classes = classes;
	s.nclasses = 3;
	testlib_write(f->sample, "id,species\n1,setosa\n2,setosa\n3,setosa\n");
	testlib_write(f->sub, "id,species\n1,virginica\n2,setosa\n3,versicolor\n");
	assert_int_equal(run(f, &s), 1);
	assert_check(f, "labels", 1, NULL);
	testlib_write(f->sub, "id,species\n1,virginica\n2,Setosa\n3,\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "labels", 0, "1 value is not", "\"Setosa\" at line 3, column \"species\"",
		     "setosa, versicolor, virginica", NULL);
	assert_check(f, "missing_values", 0, "line 4", NULL);
}

static void
test_numeric_labels_are_compared_as_written(void **state)
{
	static const char *const classes[] = { "0", "1" };
	fixture *f = *state;
	validate_spec s = spec_of(f);
	const cJSON *c;

	s.classification = 1;
	s.classes = classes;
	s.nclasses = 2;
	testlib_write(f->sample, "id,label\n1,0\n2,0\n");
	testlib_write(f->sub, "id,label\n1,1.0\n2,0\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "labels", 0, "\"1.0\" at line 2", NULL);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(f->report, "checks"))
		assert_string_not_equal(cJSON_GetObjectItem(c, "name")->valuestring, "numeric");
}

static void
test_probability_range(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);

	s.needs_proba = 1;
	testlib_write(f->sample, "id,target\n1,0\n2,0\n3,0\n");
	testlib_write(f->sub, "id,target\n1,0\n2,1.0000000000000002\n3,0.3\n");
	assert_int_equal(run(f, &s), 1);
	assert_check(f, "probability_range", 1, NULL);
	testlib_write(f->sub, "id,target\n1,0.2\n2,1.3\n3,-0.1\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "probability_range", 0, "2 probabilities are outside [0, 1]",
		     "first: 1.3 at line 3, column \"target\"", NULL);
}

static void
test_probability_columns_sum_is_a_warning(void **state)
{
	static const char *const classes[] = { "a", "b" };
	fixture *f = *state;
	validate_spec s = spec_of(f);
	const cJSON *c;

	s.classification = 1;
	s.proba_columns = 1;
	s.classes = classes;
	s.nclasses = 2;
	testlib_write(f->sample, "id,a,b\n1,0.5,0.5\n2,0.5,0.5\n");
	testlib_write(f->sub, "id,a,b\n1,0.25,0.75\n2,0.5,0.5\n");
	assert_int_equal(run(f, &s), 1);
	c = check_named(f, "probability_sum");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "ok")));
	assert_null(cJSON_GetObjectItem(c, "warning"));
	testlib_write(f->sub, "id,a,b\n1,0.25,0.75\n2,0.5,0.2\n");
	assert_int_equal(run(f, &s), 1);
	c = check_named(f, "probability_sum");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "ok")));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "warning")));
	assert_check(f, "probability_sum", 1, "line 3 sums to 0.7", NULL);
	assert_non_null(strstr(validate_summary(f->report), "checks passed (warning: 1 row"));
	testlib_write(f->sub, "id,a,b\n1,0.25,0.75\n2,x,0.5\n");
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "numeric", 0, "column \"a\"", NULL);
}

static void
test_examples_are_capped(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);
	strbuf sample = { 0 }, sub = { 0 };
	int i;

	strbuf_addstr(&sample, "id,target\n");
	strbuf_addstr(&sub, "id,target\n");
	for (i = 0; i < 50; i++) {
		strbuf_addf(&sample, "%d,0\n", i);
		strbuf_addf(&sub, "%d,x%d\n", i, i);
	}
	testlib_write(f->sample, sample.buf);
	testlib_write(f->sub, sub.buf);
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "numeric", 0, "50 values are not numbers", NULL);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(check_named(f, "numeric"), "examples")), 5);
	strbuf_free(&sample);
	strbuf_free(&sub);
}

/* Enough ids to grow the id set many times; one swapped pair at the end. */
static void
test_many_ids(void **state)
{
	fixture *f = *state;
	validate_spec s = spec_of(f);
	strbuf sample = { 0 }, sub = { 0 };
	int i, n = 200000;

	strbuf_addstr(&sample, "id,target\n");
	strbuf_addstr(&sub, "id,target\n");
	for (i = 0; i < n; i++) {
		strbuf_addf(&sample, "id%d,0\n", i);
		strbuf_addf(&sub, "id%d,%d.5\n", i < n - 2 ? i : (i == n - 2 ? n - 1 : n - 2), i);
	}
	testlib_write(f->sample, sample.buf);
	testlib_write(f->sub, sub.buf);
	assert_int_equal(run(f, &s), 0);
	assert_check(f, "id_order", 0, "line 200001 has id199998 after id199999", NULL);
	assert_check(f, "unknown_ids", 1, NULL);
	assert_check(f, "missing_ids", 1, "all 200000 ids", NULL);
	assert_check(f, "row_count", 1, NULL);
	strbuf_free(&sample);
	strbuf_free(&sub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid_regression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_sample_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_without_id_column_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_submission_fails_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_submission_fails_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_delimiter_fails_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_renamed_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submission_without_id_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ragged_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_row_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_ids_differ_from_test, setup, teardown),
		cmocka_unit_test_setup_teardown(test_test_without_id_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_missing_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_id_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numeric, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numeric_labels_are_compared_as_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probability_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probability_columns_sum_is_a_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_examples_are_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_ids, setup, teardown),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}

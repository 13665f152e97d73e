#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/settings.h"
#include "util/xalloc.h"

static char *tmp;

static int
setup(void **state)
{
	(void)state;
	tmp = testlib_tmpdir("settings");
	unsetenv("AUTOKAGGLE_CONFIG");
	setenv("XDG_CONFIG_HOME", tmp, 1);
	settings_reset();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	settings_reset();
	testlib_rmtree(tmp);
	free(tmp);
	return 0;
}

static void
test_no_file(void **state)
{
	(void)state;
	assert_null(settings_get("kaggle.endpoint"));
}

static void
test_read_with_comments_and_blanks(void **state)
{
	char *path = xasprintf("%s/autokaggle/config", tmp), *where;

	(void)state;
	testlib_write(path, "# where Kaggle is\n\n  kaggle.endpoint =  http://127.0.0.1:9/v1  \n");
	assert_string_equal(settings_get("kaggle.endpoint"), "http://127.0.0.1:9/v1");
	assert_null(settings_get("no.such.key"));
	where = settings_path();
	assert_string_equal(where, path);
	free(where);
	free(path);
}

static void
test_bad_lines_are_skipped(void **state)
{
	char *path = xasprintf("%s/autokaggle/config", tmp);

	(void)state;
	testlib_write(path, "this is not a setting\nunknown.key = 1\nkaggle.endpoint = https://x/v1\n");
	assert_string_equal(settings_get("kaggle.endpoint"), "https://x/v1");
	free(path);
}

static void
test_own_path_wins(void **state)
{
	char *path = xasprintf("%s/elsewhere", tmp);

	(void)state;
	testlib_write(path, "kaggle.endpoint = https://own/v1\n");
	setenv("AUTOKAGGLE_CONFIG", path, 1);
	settings_reset();
	assert_string_equal(settings_get("kaggle.endpoint"), "https://own/v1");
	unsetenv("AUTOKAGGLE_CONFIG");
	free(path);
}

/* Keys of a family end with the user's name; the last line wins; the
 * prefix alone is not a key. */
static void
test_families(void **state)
{
	char *path = xasprintf("%s/autokaggle/config", tmp);

	(void)state;
	testlib_write(path, "llm.price.gpt-4o = 1 - 2\nllm.window.my-model = 8192\nllm.price. = 3 3 3\n"
		"llm.price.gpt-4o = 5 2.5 20\n");
	assert_string_equal(settings_get("llm.price.gpt-4o"), "5 2.5 20");
	assert_string_equal(settings_get("llm.window.my-model"), "8192");
	assert_null(settings_get("llm.price."));
	assert_null(settings_get("llm.price.other"));
	settings_reset();
	assert_string_equal(settings_get("llm.window.my-model"), "8192");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_with_comments_and_blanks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines_are_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_path_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_families, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

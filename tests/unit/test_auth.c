#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kaggle/auth.h"
#include "testlib.h"
#include "util/redact.h"
#include "util/xalloc.h"

#define FILE_KEY "filekey-abcdef0123"
#define ENV_KEY "envkey-0123456789"

static const char *const auth_vars[] = {
	"KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_DATA_PROXY_URL", "KAGGLE_API_V1_TOKEN", "KAGGLE_API_TOKEN",
	"KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "XDG_CONFIG_HOME", "KAGGLE_API_ENDPOINT",
};

/* Each test gets a fresh HOME and none of the variables that lead to
 * credentials, so the developer's own never leak in. */
static int
setup(void **state)
{
	size_t i;
	char *home = testlib_tmpdir("auth");

	for (i = 0; i < sizeof(auth_vars) / sizeof(auth_vars[0]); i++)
		unsetenv(auth_vars[i]);
	setenv("HOME", home, 1);
	redact_reset();
	*state = home;
	return 0;
}

static int
teardown(void **state)
{
	testlib_rmtree(*state);
	free(*state);
	redact_reset();
	return 0;
}

/* Writes home/rel with the given mode; returns its path (caller frees). */
static char *
put(const char *home, const char *rel, const char *text, mode_t mode)
{
	char *path = testlib_path(home, rel);

	testlib_write(path, text);
	if (chmod(path, mode) != 0)
		fail_msg("chmod %s", path);
	return path;
}

static void
expect_ok(kaggle_auth *a, const char *header, const char *source)
{
	ak_err e = { 0 };

	if (kaggle_auth_load(a, &e) != 0)
		fail_msg("expected %s, got: %s", source, e.msg);
	assert_string_equal(a->header, header);
	assert_string_equal(a->source, source);
}

/* Fails, with an auth error that names `part` and never shows `secret`. */
static void
expect_error(const char *part, const char *secret)
{
	kaggle_auth a = { 0 };
	ak_err e = { 0 };

	assert_int_equal(kaggle_auth_load(&a, &e), -1);
	assert_int_equal(err_kind_of(&e), ERR_AUTH);
	if (!strstr(e.msg, part))
		fail_msg("'%s' not in: %s", part, e.msg);
	if (secret)
		assert_null(strstr(e.msg, secret));
	assert_null(a.header);
	assert_null(a.source);
}

static void
test_every_source_shadows_the_later_ones(void **state)
{
	const char *home = *state;
	char *nb = put(home, "nb/token", "tok-notebook-1\n", 0600);
	char *at = put(home, ".kaggle/access_token", "tok-home-file-1", 0600);
	char *att = put(home, ".kaggle/access_token.txt", "tok-home-txt-1", 0600);
	char *kj = put(home, ".kaggle/kaggle.json", "{\"username\": \"fileuser\", \"key\": \"" FILE_KEY "\"}", 0600);
	char *src = xasprintf("the file named by KAGGLE_API_V1_TOKEN (%s)", nb);
	char *mixed = xasprintf("%s and KAGGLE_KEY", kj);
	kaggle_auth a = { 0 };

	setenv("KAGGLE_KERNEL_RUN_TYPE", "Interactive", 1);
	setenv("KAGGLE_DATA_PROXY_URL", "http://proxy", 1);
	setenv("KAGGLE_API_V1_TOKEN", nb, 1);
	setenv("KAGGLE_API_TOKEN", "tok-env-value-1", 1);
	setenv("KAGGLE_USERNAME", "envuser", 1);
	setenv("KAGGLE_KEY", ENV_KEY, 1);
	expect_ok(&a, "Authorization: Bearer tok-notebook-1", src);
	/* outside a notebook the file is not looked at */
	unsetenv("KAGGLE_DATA_PROXY_URL");
	expect_ok(&a, "Authorization: Bearer tok-env-value-1", "KAGGLE_API_TOKEN");
	unsetenv("KAGGLE_API_TOKEN");
	expect_ok(&a, "Authorization: Bearer tok-home-file-1", at);
	unlink(at);
	expect_ok(&a, "Authorization: Bearer tok-home-txt-1", att);
	assert_null(a.username);
	unlink(att);
	expect_ok(&a, "Authorization: Basic ZW52dXNlcjplbnZrZXktMDEyMzQ1Njc4OQ==", "KAGGLE_USERNAME and KAGGLE_KEY");
	assert_string_equal(a.username, "envuser");
	/* the environment completes the file */
	unsetenv("KAGGLE_USERNAME");
	expect_ok(&a, "Authorization: Basic ZmlsZXVzZXI6ZW52a2V5LTAxMjM0NTY3ODk=", mixed);
	assert_string_equal(a.username, "fileuser");
	unsetenv("KAGGLE_KEY");
	expect_ok(&a, "Authorization: Basic ZmlsZXVzZXI6ZmlsZWtleS1hYmNkZWYwMTIz", kj);
	assert_null(a.warning);
	unlink(kj);
	expect_error("no Kaggle credentials found", NULL);
	kaggle_auth_clean(&a);
	kaggle_auth_clean(&a);
	free(nb), free(at), free(att), free(kj), free(src), free(mixed);
}

static void
test_nothing_found_lists_every_place(void **state)
{
	const char *home = *state;
	char *at = testlib_path(home, ".config/kaggle/kaggle.json");

	expect_error("KAGGLE_API_TOKEN (not set)", NULL);
	expect_error("/.kaggle/access_token, ", NULL);
	expect_error("/.kaggle/access_token.txt", NULL);
	expect_error("KAGGLE_USERNAME and KAGGLE_KEY", NULL);
	expect_error(at, NULL);
	expect_error("https://www.kaggle.com/settings", NULL);
	free(at);
}

static void
test_token_variable_value_or_file(void **state)
{
	const char *home = *state;
	char *tf = put(home, "secrets/kaggle token", "  \tKGAT_0123456789abcdef\n\n", 0600);
	char *src = xasprintf("the file named by KAGGLE_API_TOKEN (%s)", tf);
	kaggle_auth a = { 0 };

	setenv("KAGGLE_API_TOKEN", tf, 1);
	expect_ok(&a, "Authorization: Bearer KGAT_0123456789abcdef", src);
	/* a value with '/' is a path, even when nothing is there */
	setenv("KAGGLE_API_TOKEN", "/no/such/token-file", 1);
	expect_error("/no/such/token-file, which does not exist", NULL);
	setenv("KAGGLE_API_TOKEN", " KGAT_fedcba9876543210 \n", 1);
	expect_ok(&a, "Authorization: Bearer KGAT_fedcba9876543210", "KAGGLE_API_TOKEN");
	kaggle_auth_clean(&a);
	free(tf);
	free(src);
}

static void
test_bad_tokens_are_refused_without_showing_them(void **state)
{
	const char *home = *state;
	char *at = put(home, ".kaggle/access_token.txt", "\n\t \n", 0600);

	expect_error("holds no Kaggle API token", NULL);
	free(put(home, ".kaggle/access_token.txt", "KGAT_abc123\nX-Evil: injected", 0600));
	expect_error("characters a Kaggle API token cannot have", "KGAT_abc123");
	setenv("KAGGLE_API_TOKEN", "KGAT_half one", 1);
	expect_error("KAGGLE_API_TOKEN holds characters", "KGAT_half");
	free(at);
}

static void
test_kaggle_json_locations(void **state)
{
	const char *home = *state;
	char *xdg = put(home, "xdg/kaggle/kaggle.json", "{\"username\":\"xdg\",\"key\":\"" FILE_KEY "\"}", 0600);
	char *cfg = put(home, ".config/kaggle/kaggle.json", "{\"username\":\"cfg\",\"key\":\"" FILE_KEY "\"}", 0600);
	char *kdir = testlib_path(home, "kdir"), *xdgdir = testlib_path(home, "xdg"), *dot;
	char *kd = put(home, "kdir/kaggle.json", "{\"username\":\"kd\",\"key\":\"" FILE_KEY "\"}", 0600);
	kaggle_auth a = { 0 };
	ak_err e = { 0 };

	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_string_equal(a.source, cfg);
	setenv("XDG_CONFIG_HOME", xdgdir, 1);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_string_equal(a.username, "xdg");
	/* an existing ~/.kaggle wins over the XDG directory, even without kaggle.json */
	dot = put(home, ".kaggle/kaggle.json", "{\"username\":\"dot\",\"key\":\"" FILE_KEY "\"}", 0600);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_string_equal(a.username, "dot");
	unlink(dot);
	expect_error(dot, NULL);
	setenv("KAGGLE_CONFIG_DIR", kdir, 1);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_string_equal(a.source, kd);
	kaggle_auth_clean(&a);
	free(xdg), free(cfg), free(kdir), free(xdgdir), free(dot), free(kd);
}

static void
test_readable_kaggle_json_is_warned_about(void **state)
{
	const char *home = *state;
	char *kj = put(home, ".kaggle/kaggle.json", "{\"username\":\"u1\",\"key\":\"" FILE_KEY "\"}", 0644);
	char *odd = put(home, "it's mine/kaggle.json", "{\"username\":\"u2\",\"key\":\"" FILE_KEY "\"}", 0640);
	char *dir = testlib_path(home, "it's mine");
	char *want = xasprintf("run 'chmod 600 %s'", kj);
	kaggle_auth a = { 0 };
	ak_err e = { 0 };

	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_non_null(a.warning);
	assert_non_null(strstr(a.warning, want));
	assert_null(strstr(a.warning, FILE_KEY));
	chmod(kj, 0600);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_null(a.warning);
	/* a path the shell would split is quoted */
	setenv("KAGGLE_CONFIG_DIR", dir, 1);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	assert_non_null(strstr(a.warning, "chmod 600 '"));
	assert_non_null(strstr(a.warning, "it'\\''s mine/kaggle.json'"));
	kaggle_auth_clean(&a);
	free(kj), free(odd), free(dir), free(want);
}

static void
test_malformed_kaggle_json(void **state)
{
	static const struct {
		const char *text;
		const char *part;
	} cases[] = {
		{ "not json " FILE_KEY, "is not valid JSON" },
		{ "[\"" FILE_KEY "\"]", "must hold a JSON object" },
		{ "{\"username\": 5, \"key\": \"" FILE_KEY "\"}", "\"username\" must be a string" },
		{ "{\"username\": \"alice\", \"key\": 12345678901}", "\"key\" must be a string" },
		{ "{\"username\": \"alice\"}", "comes without a key" },
		{ "{\"username\": \"alice\", \"key\": \"\"}", "comes without a key" },
		{ "{\"key\": \"" FILE_KEY "\"}", "comes without a user name" },
		{ "{\"username\": \"al:ice\", \"key\": \"" FILE_KEY "\"}", "':' in the user name" },
		{ "{\"username\": \"alice\", \"key\": \"" FILE_KEY "\\r\\nX: y\"}", "control" },
	};
	const char *home = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *kj = put(home, ".kaggle/kaggle.json", cases[i].text, 0600);

		expect_error(cases[i].part, FILE_KEY);
		expect_error(kj, FILE_KEY);
		free(kj);
	}
	/* half a pair from the environment, nothing else */
	testlib_rmtree(home);
	setenv("KAGGLE_KEY", ENV_KEY, 1);
	expect_error("KAGGLE_KEY comes without a user name", ENV_KEY);
}

static void
test_secrets_are_registered(void **state)
{
	const char *home = *state;
	char *kj = put(home, ".kaggle/kaggle.json", "{\"username\":\"fileuser\",\"key\":\"" FILE_KEY "\"}", 0600);
	kaggle_auth a = { 0 };
	ak_err e = { 0 };
	char *r;

	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	r = redact_string("key " FILE_KEY " sent as ZmlsZXVzZXI6ZmlsZWtleS1hYmNkZWYwMTIz.");
	assert_null(strstr(r, FILE_KEY));
	assert_null(strstr(r, "ZmlsZXVzZXI6ZmlsZWtleS1hYmNkZWYwMTIz"));
	free(r);
	r = redact_string(strchr(a.header, ' ') + 1);
	assert_null(strstr(r, "ZmlsZXVzZXI6"));
	free(r);
	setenv("KAGGLE_API_TOKEN", "plain-token-value-42", 1);
	assert_int_equal(kaggle_auth_load(&a, &e), 0);
	r = redact_string("token=plain-token-value-42;");
	assert_null(strstr(r, "plain-token-value-42"));
	free(r);
	kaggle_auth_clean(&a);
	free(kj);
}

static void
test_endpoint(void **state)
{
	static const char *const bad[] = {
		"ftp://api.kaggle.com/v1", "api.kaggle.com/v1", "https://api.kaggle.com", "https://api.kaggle.com/v2",
		"https://api.kaggle.com/v1x", "https:///v1", "https://v1", "https://api.kaggle.com/v1?x=1",
		"https://api.kaggle.com/v1#f", "https://api kaggle.com/v1", "https://a/v1\n",
		"https://alice:s3cret-pass@api.kaggle.com/v1",
	};
	ak_err e = { 0 };
	char *u;
	size_t i;

	(void)state;
	u = kaggle_endpoint(NULL, &e);
	assert_string_equal(u, "https://api.kaggle.com/v1");
	free(u);
	u = kaggle_endpoint("", &e);
	assert_string_equal(u, KAGGLE_ENDPOINT_DEFAULT);
	free(u);
	u = kaggle_endpoint("http://127.0.0.1:8080/api/v1/", &e);
	assert_string_equal(u, "http://127.0.0.1:8080/api/v1");
	free(u);
	setenv("KAGGLE_API_ENDPOINT", "HTTP://localhost:9/api/v1", 1);
	u = kaggle_endpoint("http://127.0.0.1:8080/api/v1", &e);
	assert_string_equal(u, "HTTP://localhost:9/api/v1");
	free(u);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("KAGGLE_API_ENDPOINT", bad[i], 1);
		if ((u = kaggle_endpoint(NULL, &e)))
			fail_msg("'%s' accepted as %s", bad[i], u);
		assert_int_equal(err_kind_of(&e), ERR_INPUT);
		assert_non_null(strstr(e.msg, "KAGGLE_API_ENDPOINT is '"));
		assert_null(strstr(e.msg, "s3cret-pass"));
		assert_null(strchr(e.msg, '\n'));
	}
	unsetenv("KAGGLE_API_ENDPOINT");
	assert_null(kaggle_endpoint("https://example.com/", &e));
	assert_non_null(strstr(e.msg, "the configured Kaggle endpoint is 'https://example.com/'"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_source_shadows_the_later_ones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_found_lists_every_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_variable_value_or_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_tokens_are_refused_without_showing_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kaggle_json_locations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readable_kaggle_json_is_warned_about, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_kaggle_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets_are_registered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

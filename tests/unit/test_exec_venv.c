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

#include "exec/exec.h"
#include "exec/venv.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The Debian interpreter with numpy, pandas and scikit-learn. */
#define SYSTEM_PYTHON "/usr/bin/python3"

static char *tmpdir;

static int
setup(void **state)
{
	char tmpl[] = "/tmp/ak-test-venv-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	tmpdir = xstrdup(tmpl);
	setenv("AUTOKAGGLE_DATADIR", ABS_TOP_SRCDIR, 1);
	return 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);

	(void)state;
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(tmpdir);
	return 0;
}

struct run {
	exec_result r;
	int done;
	strbuf out;
};

static void
on_out(const char *data, size_t len, void *arg)
{
	strbuf_add(&((struct run *)arg)->out, data, len);
}

static void
on_done(const exec_result *r, void *arg)
{
	((struct run *)arg)->r = *r;
	((struct run *)arg)->done = 1;
}

/* Runs the ENV helper on a requirements text, with pip kept quick since
 * no package index is reachable in tests. */
static void
run_env(const char *requirements, struct run *rn)
{
	char *req = xasprintf("%s/requirements.txt", tmpdir);
	char *venv = xasprintf("%s/venv", tmpdir);
	const char *argv[12];
	double end = loop_now() + 120.0;
	char **base;
	exec_spec s;
	loop *l = loop_new();
	ak_err e;
	int i;

	assert_int_equal(fs_write_atomic(req, requirements, strlen(requirements), 0644, &e), 0);
	base = venv_argv(SYSTEM_PYTHON, venv, req, &e);
	assert_non_null(base);
	for (i = 0; base[i]; i++)
		argv[i] = base[i];
	argv[i++] = "--pip-retries";
	argv[i++] = "0";
	argv[i++] = "--pip-timeout";
	argv[i++] = "5";
	argv[i] = NULL;
	memset(&s, 0, sizeof s);
	s.argv = argv;
	s.cwd = tmpdir;
	memset(rn, 0, sizeof *rn);
	assert_non_null(exec_start(l, &s, on_out, on_done, rn, &e));
	while (!rn->done && loop_now() < end)
		loop_run_once(l, 500);
	assert_true(rn->done);
	venv_argv_free(base);
	loop_free(l);
	free(req);
	free(venv);
}

static int
system_python_has_stack(void)
{
	return system(SYSTEM_PYTHON " -c 'import numpy, pandas, sklearn' >/dev/null 2>&1") == 0;
}

static void
test_argv_shape(void **state)
{
	ak_err e;
	char **argv, *py;

	(void)state;
	argv = venv_argv(NULL, "/r/env/venv", "/r/env/requirements.txt", &e);
	assert_non_null(argv);
	assert_string_equal(argv[0], "python3");
	assert_true(fs_exists(argv[1]));
	assert_non_null(strstr(argv[1], "exec/venv_setup.py"));
	assert_string_equal(argv[2], "--venv");
	assert_string_equal(argv[3], "/r/env/venv");
	assert_string_equal(argv[4], "--requirements");
	assert_string_equal(argv[5], "/r/env/requirements.txt");
	assert_null(argv[6]);
	venv_argv_free(argv);
	argv = venv_argv("/opt/py/bin/python3.11", "v", "r", &e);
	assert_string_equal(argv[0], "/opt/py/bin/python3.11");
	venv_argv_free(argv);
	py = venv_python("/r/env/venv");
	assert_string_equal(py, "/r/env/venv/bin/python");
	free(py);
}

static void
test_missing_script(void **state)
{
	ak_err e;

	(void)state;
	setenv("AUTOKAGGLE_DATADIR", tmpdir, 1);
	assert_null(venv_argv("python3", "v", "r", &e));
	assert_non_null(strstr(e.msg, "venv_setup.py"));
}

static void
test_env_offline_with_system_packages(void **state)
{
	struct run rn;
	char *py = xasprintf("%s/venv/bin/python", tmpdir);

	(void)state;
	if (!system_python_has_stack())
		skip();
	run_env("# baseline\nnumpy\npandas>=1.0  # frames\n\nscikit-learn\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_non_null(strstr(strbuf_str(&rn.out), "ok numpy "));
	assert_non_null(strstr(strbuf_str(&rn.out), "ok pandas "));
	assert_non_null(strstr(strbuf_str(&rn.out), "ok scikit-learn "));
	assert_true(fs_exists(py));
	strbuf_free(&rn.out);

	/* Same venv again: reused, and a missing package names itself. */
	run_env("numpy\nnonexistent-pkg-ak==1.0\n", &rn);
	assert_int_equal(rn.r.exit_code, 3);
	assert_non_null(strstr(strbuf_str(&rn.out), "already exists"));
	assert_non_null(strstr(strbuf_str(&rn.out), "FAILED nonexistent-pkg-ak"));
	assert_non_null(strstr(strbuf_str(&rn.out), "ENV failed: could not install nonexistent-pkg-ak"));
	assert_non_null(strstr(strbuf_str(&rn.out), "remove it from env/requirements.txt"));
	strbuf_free(&rn.out);
	free(py);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_argv_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_offline_with_system_packages, setup, teardown),
	};

	return cmocka_run_group_tests_name("exec_venv", tests, NULL, NULL);
}

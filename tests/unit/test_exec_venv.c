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
#include <sys/stat.h>
#include <unistd.h>

#include "exec/exec.h"
#include "testlib.h"
#include "exec/venv.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The Debian interpreter with numpy, pandas and scikit-learn. */
#define SYSTEM_PYTHON "/usr/bin/python3"
#define STACK "numpy\npandas>=1.0  # frames\nscikit-learn\n"

static char *tmpdir;

static int
setup(void **state)
{
	(void)state;
	tmpdir = testlib_tmpdir("venv");
	setenv("AUTOKAGGLE_DATADIR", ABS_TOP_SRCDIR "/share", 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testlib_rmtree(tmpdir);
	free(tmpdir);
	return 0;
}

struct run {
	exec_result r;
	int done;
	strbuf out;
	char **argv;
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

static int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	int rc;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	rc = system(cmd);
	free(cmd);
	return rc;
}

/* Starts the ENV helper for run `run` of the workspace tmpdir/ws, with pip
 * kept quick since no package index is reachable in tests. */
static void
start_env(loop *l, const char *python, const char *run, const char *requirements, struct run *rn)
{
	char *dir = xasprintf("%s/ws/%s", tmpdir, run);
	char *req = xasprintf("%s/env/requirements.txt", dir);
	char *env = xasprintf("%s/env", dir);
	const char *argv[16];
	char **base;
	exec_spec s;
	ak_err e;
	int i;

	assert_int_equal(fs_mkdir_p(env, 0700, &e), 0);
	assert_int_equal(fs_write_atomic(req, requirements, strlen(requirements), 0644, &e), 0);
	base = venv_argv(python, dir, &e);
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
	s.cwd = dir;
	memset(rn, 0, sizeof *rn);
	rn->argv = base;
	assert_non_null(exec_start(l, &s, on_out, on_done, rn, &e));
	free(dir);
	free(req);
	free(env);
}

static void
wait_env(loop *l, struct run *rn)
{
	double end = loop_now() + 180.0;

	while (!rn->done && loop_now() < end)
		loop_run_once(l, 500);
	assert_true(rn->done);
	strv_free(rn->argv);
	rn->argv = NULL;
}

static void
run_env(const char *python, const char *run, const char *requirements, struct run *rn)
{
	loop *l = loop_new();

	start_env(l, python, run, requirements, rn);
	wait_env(l, rn);
	loop_free(l);
}

static int
has(const struct run *rn, const char *text)
{
	return strstr(strbuf_str(&rn->out), text) != NULL;
}

static int
system_python_has_stack(void)
{
	return system(SYSTEM_PYTHON " -c 'import numpy, pandas, sklearn' >/dev/null 2>&1") == 0;
}

/* The target of run's env/venv link; caller frees. */
static char *
venv_link(const char *run)
{
	char *link = xasprintf("%s/ws/%s/env/venv", tmpdir, run);
	char buf[4096];
	ssize_t n = readlink(link, buf, sizeof buf - 1);

	free(link);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* The key of the venv run uses, from its link. */
static char *
venv_key_of(const char *run)
{
	char *target = venv_link(run), *key;

	assert_non_null(target);
	assert_int_equal(strncmp(target, "../../cache/venvs/", 18), 0);
	key = xstrdup(target + 18);
	free(target);
	return key;
}

/* How many venvs the workspace's cache holds (hidden entries are locks
 * and temporaries). */
static int
cached_venvs(void)
{
	char *path = xasprintf("%s/ws/cache/venvs", tmpdir);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	free(path);
	return n;
}

/* ENV for run-1, which must succeed; returns the key of its venv. */
static char *
prepared_run_1(const char *requirements)
{
	struct run rn;

	run_env(SYSTEM_PYTHON, "run-1", requirements, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	strbuf_free(&rn.out);
	return venv_key_of("run-1");
}

static void
test_argv_shape(void **state)
{
	ak_err e;
	char **argv, *py;

	(void)state;
	argv = venv_argv(NULL, "/w/ws/20260101-000000-x", &e);
	assert_non_null(argv);
	assert_string_equal(argv[0], "python3");
	assert_true(fs_exists(argv[1]));
	assert_non_null(strstr(argv[1], "exec/venv_setup.py"));
	assert_string_equal(argv[2], "--cache");
	assert_string_equal(argv[3], "/w/ws/cache/venvs");
	assert_string_equal(argv[4], "--requirements");
	assert_string_equal(argv[5], "/w/ws/20260101-000000-x/env/requirements.txt");
	assert_string_equal(argv[6], "--venv");
	assert_string_equal(argv[7], "/w/ws/20260101-000000-x/env/venv");
	assert_string_equal(argv[8], "--record");
	assert_string_equal(argv[9], "/w/ws/20260101-000000-x/env/venv.json");
	assert_null(argv[10]);
	strv_free(argv);
	argv = venv_argv("/opt/py/bin/python3.11", "/w/ws/run-1/", &e);
	assert_string_equal(argv[0], "/opt/py/bin/python3.11");
	assert_string_equal(argv[3], "/w/ws/cache/venvs");
	strv_free(argv);
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
	assert_null(venv_argv("python3", "/w/ws/run", &e));
	assert_non_null(strstr(e.msg, "venv_setup.py"));
}

/* Two runs of a workspace with the same interpreter and requirements share
 * one venv: made once, without pip, then reused with its check. */
static void
test_reused_across_runs(void **state)
{
	struct run rn;
	char *key1, *key2, *json, *cfg;

	(void)state;
	if (!system_python_has_stack())
		skip();
	run_env(SYSTEM_PYTHON, "run-1", STACK, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "creating venv py"));
	assert_true(has(&rn, "ok numpy "));
	assert_true(has(&rn, "ok pandas "));
	assert_true(has(&rn, "ok scikit-learn "));
	assert_false(has(&rn, "reused"));
	strbuf_free(&rn.out);
	key1 = venv_key_of("run-1");
	cfg = xasprintf("%s/ws/cache/venvs/%s/pyvenv.cfg", tmpdir, key1);
	assert_true(fs_exists(cfg));
	assert_int_equal(sh("test ! -e '%s/ws/cache/venvs/%s/lib/python3'*'/site-packages/pip'", tmpdir, key1), 0);

	/* Comments and order aside, the same requirements: the same venv. */
	run_env(SYSTEM_PYTHON, "run-2", "scikit-learn\n# the rest\nnumpy\npandas>=1.0\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "reused"));
	assert_true(has(&rn, "importability check of "));
	assert_false(has(&rn, "creating venv"));
	assert_true(has(&rn, "ok pandas "));
	key2 = venv_key_of("run-2");
	assert_string_equal(key1, key2);
	assert_int_equal(cached_venvs(), 1);
	assert_int_equal(sh("cd '%s/ws/run-2' && env/venv/bin/python -c 'import sklearn'", tmpdir), 0);
	json = xasprintf("%s/ws/run-2/env/venv.json", tmpdir);
	assert_int_equal(sh(SYSTEM_PYTHON " -c 'import json, sys; j = json.load(open(sys.argv[1])); "
		"assert j[\"key\"] == sys.argv[2] and j[\"reused\"] is True and j[\"venv\"] == \"../../cache/venvs/\" + sys.argv[2]; "
		"assert j[\"interpreter\"] and j[\"python_version\"] and j[\"created\"] and j[\"installed\"] == []; "
		"assert sorted(p[\"requirement\"] for p in j[\"packages\"]) == [\"numpy\", \"pandas>=1.0\", \"scikit-learn\"]' '%s' '%s'",
		json, key2), 0);
	strbuf_free(&rn.out);
	free(json);
	free(cfg);
	free(key1);
	free(key2);
}

/* A moved workspace keeps working: nothing in it names its old place. */
static void
test_workspace_moves(void **state)
{
	struct run rn;

	(void)state;
	if (!system_python_has_stack())
		skip();
	free(prepared_run_1(STACK));
	assert_int_equal(sh("mv '%s/ws' '%s/moved' && mkdir '%s/ws' && mv '%s/moved' '%s/ws/inner'",
		tmpdir, tmpdir, tmpdir, tmpdir, tmpdir), 0);
	assert_int_equal(sh("cd '%s/ws/inner/run-1' && env/venv/bin/python -c 'import numpy'", tmpdir), 0);
	assert_int_equal(sh("mv '%s/ws/inner' '%s/ws2' && rm -r '%s/ws' && mv '%s/ws2' '%s/ws'",
		tmpdir, tmpdir, tmpdir, tmpdir, tmpdir), 0);
	run_env(SYSTEM_PYTHON, "run-2", STACK, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "reused"));
	assert_true(has(&rn, "importability check of "));
	strbuf_free(&rn.out);
}

/* Another requirement is another venv; a package that cannot be
 * installed (no index here) names itself and what to do. */
static void
test_changed_requirements(void **state)
{
	struct run rn;
	char *key1, *key2;

	(void)state;
	if (!system_python_has_stack())
		skip();
	key1 = prepared_run_1(STACK);
	run_env(SYSTEM_PYTHON, "run-2", STACK "nonexistent-pkg-ak==1.0\n", &rn);
	assert_int_equal(rn.r.exit_code, 3);
	assert_true(has(&rn, "creating venv py"));
	assert_true(has(&rn, "installing nonexistent-pkg-ak==1.0"));
	assert_true(has(&rn, "FAILED nonexistent-pkg-ak"));
	assert_true(has(&rn, "ENV failed: could not install nonexistent-pkg-ak"));
	assert_true(has(&rn, "remove it from env/requirements.txt"));
	strbuf_free(&rn.out);
	key2 = venv_key_of("run-2");
	assert_string_not_equal(key1, key2);
	assert_int_equal(cached_venvs(), 2);

	/* Still missing next time: the failed check is not taken as good. */
	run_env(SYSTEM_PYTHON, "run-2", STACK "nonexistent-pkg-ak==1.0\n", &rn);
	assert_int_equal(rn.r.exit_code, 3);
	assert_true(has(&rn, "reused"));
	assert_false(has(&rn, "importability check of "));
	assert_true(has(&rn, "FAILED nonexistent-pkg-ak"));
	strbuf_free(&rn.out);
	free(key1);
	free(key2);
}

/* A change on the import paths (here: a package appearing in the venv)
 * makes the cached check stale. */
static void
test_check_cache_follows_packages(void **state)
{
	struct run rn;
	char *key;

	(void)state;
	if (!system_python_has_stack())
		skip();
	key = prepared_run_1("numpy\n");
	assert_int_equal(sh("cd '%s/ws/cache/venvs/%s/lib/'python3*/site-packages && mkdir newpkg", tmpdir, key), 0);
	run_env(SYSTEM_PYTHON, "run-2", "numpy\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "reused"));
	assert_false(has(&rn, "importability check of "));
	assert_true(has(&rn, "ok numpy "));
	strbuf_free(&rn.out);
	run_env(SYSTEM_PYTHON, "run-3", "numpy\n", &rn);
	assert_true(has(&rn, "importability check of "));
	strbuf_free(&rn.out);
	free(key);
}

/* A kill -9 during creation leaves a temporary directory; a copy cut
 * short leaves a venv without its manifest. Both are cleaned and rebuilt. */
static void
test_half_written_rebuilt(void **state)
{
	struct run rn;
	char *key;

	(void)state;
	if (!system_python_has_stack())
		skip();
	key = prepared_run_1("numpy\n");
	assert_int_equal(sh("cd '%s/ws/cache/venvs' && mkdir -p .%s.tmp-4242/bin .py0-other.tmp-77 && "
		"rm %s/autokaggle-venv.json", tmpdir, key, key), 0);
	run_env(SYSTEM_PYTHON, "run-2", "numpy\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "rebuilding venv "));
	assert_true(has(&rn, "incomplete"));
	assert_true(has(&rn, "removing .py0-other.tmp-77"));
	assert_int_equal(sh("cd '%s/ws/cache/venvs' && test -z \"$(ls -d .*.tmp-* 2>/dev/null)\" && "
		"test -f %s/autokaggle-venv.json", tmpdir, key), 0);
	assert_int_equal(sh("cd '%s/ws/run-2' && env/venv/bin/python -c 'import numpy'", tmpdir), 0);
	strbuf_free(&rn.out);
	free(key);
}

/* The venv was made through an interpreter path that is gone since: the
 * same interpreter under another path gets it rebuilt. */
static void
test_deleted_interpreter_rebuilt(void **state)
{
	struct run rn;
	char *alias = xasprintf("%s/bin/python3", tmpdir);

	(void)state;
	if (!system_python_has_stack())
		skip();
	assert_int_equal(sh("mkdir '%s/bin' && ln -s " SYSTEM_PYTHON " '%s'", tmpdir, alias), 0);
	run_env(alias, "run-1", "numpy\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "creating venv py"));
	strbuf_free(&rn.out);
	assert_int_equal(unlink(alias), 0);
	assert_int_equal(sh("cd '%s/ws/run-1' && ! env/venv/bin/python -c pass 2>/dev/null", tmpdir), 0);
	run_env(SYSTEM_PYTHON, "run-2", "numpy\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "rebuilding venv "));
	assert_true(has(&rn, "is gone"));
	assert_int_equal(sh("cd '%s/ws/run-2' && env/venv/bin/python -c 'import numpy'", tmpdir), 0);
	/* run-1 links the same key: it works again too. */
	assert_int_equal(sh("cd '%s/ws/run-1' && env/venv/bin/python -c 'import numpy'", tmpdir), 0);
	strbuf_free(&rn.out);
	free(alias);
}

/* Two runs preparing the same key at once: one creates it, the other
 * waits and uses it. */
static void
test_concurrent_same_key(void **state)
{
	struct run a, b;
	loop *l = loop_new();
	int created;

	(void)state;
	if (!system_python_has_stack())
		skip();
	start_env(l, SYSTEM_PYTHON, "run-a", "numpy\n", &a);
	start_env(l, SYSTEM_PYTHON, "run-b", "numpy\n", &b);
	wait_env(l, &a);
	wait_env(l, &b);
	loop_free(l);
	assert_int_equal(a.r.exit_code, 0);
	assert_int_equal(b.r.exit_code, 0);
	created = has(&a, "creating venv") + has(&b, "creating venv");
	assert_int_equal(created, 1);
	assert_true(has(&a, "reused") != has(&b, "reused"));
	assert_int_equal(cached_venvs(), 1);
	assert_int_equal(sh("cd '%s/ws/cache/venvs' && test -z \"$(ls -d .*.tmp-* 2>/dev/null)\"", tmpdir), 0);
	strbuf_free(&a.out);
	strbuf_free(&b.out);
}

/* An old run's env/venv, a venv of its own, gives way to the link. */
static void
test_own_venv_replaced(void **state)
{
	struct run rn;
	char *target;

	(void)state;
	if (!system_python_has_stack())
		skip();
	assert_int_equal(sh("mkdir -p '%s/ws/run-1/env/venv/bin' && touch '%s/ws/run-1/env/venv/autokaggle-base.txt'",
		tmpdir, tmpdir), 0);
	run_env(SYSTEM_PYTHON, "run-1", "numpy\n", &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_true(has(&rn, "replacing the run's own venv"));
	target = venv_link("run-1");
	assert_non_null(target);
	free(target);
	strbuf_free(&rn.out);
}

static void
test_interpreter_hash(void **state)
{
	char *copy = xasprintf("%s/python3", tmpdir);
	char a[HASH_HEX_LEN + 1], b[HASH_HEX_LEN + 1], c[HASH_HEX_LEN + 1];
	hash_ctx h;

	(void)state;
	assert_int_equal(sh("cp /bin/sh '%s'", copy), 0);
	hash_init(&h);
	venv_hash_interpreter(&h, copy);
	hash_final_hex(&h, a);
	hash_init(&h);
	venv_hash_interpreter(&h, copy);
	hash_final_hex(&h, b);
	assert_string_equal(a, b);
	/* Replaced in place, as an upgrade does. */
	assert_int_equal(sh("cat /bin/sh /bin/sh > '%s.new' && chmod +x '%s.new' && mv '%s.new' '%s'", copy, copy, copy, copy), 0);
	hash_init(&h);
	venv_hash_interpreter(&h, copy);
	hash_final_hex(&h, c);
	assert_string_not_equal(a, c);
	free(copy);
}

static int
env_has(char **env, const char *entry)
{
	for (; *env; env++)
		if (strcmp(*env, entry) == 0)
			return 1;
	return 0;
}

static int
env_has_name(char **env, const char *name)
{
	size_t n = strlen(name);

	for (; *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return 1;
	return 0;
}

/* Credentials in environment values reach ENV (pip) only, and the
 * redactor knows them. */
static void
test_credentials_for_env_only(void **state)
{
	char **scrubbed, **pip, *red;

	(void)state;
	setenv("HTTPS_PROXY", "http://u:PASSWORD-proxy-1@proxy.invalid:3128", 1);
	setenv("http_proxy", "u:PASSWORD-bare-2@proxy.invalid:3128", 1);
	setenv("HTTP_PROXY", "http://proxy.invalid:3128", 1);
	setenv("PIP_INDEX_URL", "https://__token__:TOKEN-index-3@pypi.invalid/simple", 1);
	setenv("PIP_EXTRA_INDEX_URL", "https://ghp-style-lone-token-44@pypi.invalid/simple", 1);
	setenv("PIP_DEFAULT_TIMEOUT", "5", 1);
	setenv("XDG_CACHE_HOME", "https://a:p%40ss-w0rd-5@host.invalid/", 1);
	scrubbed = exec_env_scrubbed(NULL);
	pip = exec_env_for_pip();
	assert_false(env_has_name(scrubbed, "HTTPS_PROXY"));
	assert_false(env_has_name(scrubbed, "http_proxy"));
	assert_false(env_has_name(scrubbed, "PIP_INDEX_URL"));
	assert_false(env_has_name(scrubbed, "PIP_EXTRA_INDEX_URL"));
	assert_false(env_has_name(scrubbed, "PIP_DEFAULT_TIMEOUT"));
	assert_false(env_has_name(scrubbed, "XDG_CACHE_HOME"));
	assert_true(env_has(scrubbed, "HTTP_PROXY=http://proxy.invalid:3128"));
	assert_true(env_has(pip, "HTTPS_PROXY=http://u:PASSWORD-proxy-1@proxy.invalid:3128"));
	assert_true(env_has(pip, "http_proxy=u:PASSWORD-bare-2@proxy.invalid:3128"));
	assert_true(env_has(pip, "PIP_INDEX_URL=https://__token__:TOKEN-index-3@pypi.invalid/simple"));
	assert_true(env_has(pip, "PIP_DEFAULT_TIMEOUT=5"));
	assert_false(env_has_name(pip, "XDG_CACHE_HOME"));
	assert_false(env_has_name(pip, "PATH"));

	redact_reset();
	redact_add_from_env();
	red = redact_string("PASSWORD-proxy-1 PASSWORD-bare-2 TOKEN-index-3 ghp-style-lone-token-44 p@ss-w0rd-5 p%40ss-w0rd-5 __token__ proxy.invalid");
	assert_string_equal(red, "[REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] __token__ proxy.invalid");
	free(red);
	redact_reset();
	strv_free(scrubbed);
	strv_free(pip);
	unsetenv("HTTPS_PROXY");
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("PIP_INDEX_URL");
	unsetenv("PIP_EXTRA_INDEX_URL");
	unsetenv("PIP_DEFAULT_TIMEOUT");
	unsetenv("XDG_CACHE_HOME");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_argv_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reused_across_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workspace_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_requirements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_cache_follows_packages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_half_written_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_interpreter_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_same_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_venv_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interpreter_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials_for_env_only, setup, teardown),
	};

	return cmocka_run_group_tests_name("exec_venv", tests, NULL, NULL);
}

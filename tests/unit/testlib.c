#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "util/fs.h"
#include "util/xalloc.h"

char *
testlib_tmpdir(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/ak-test-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);

	if (!mkdtemp(path))
		fail_msg("cannot make a temporary directory %s: %s", path, strerror(errno));
	return path;
}

void
testlib_rmtree(const char *path)
{
	ak_err e = { 0 };

	if (path && fs_remove_tree(path, &e) < 0)
		fail_msg("%s", e.msg);
}

char *
testlib_path(const char *dir, const char *name)
{
	return fs_join(dir, name);
}

void
testlib_write_bytes(const char *path, const void *data, size_t len)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	ak_err e = { 0 };

	if (slash && slash != dir) {
		*slash = '\0';
		if (fs_mkdir_p(dir, 0700, &e) < 0)
			fail_msg("%s", e.msg);
	}
	free(dir);
	if (fs_write_atomic(path, data, len, 0644, &e) < 0)
		fail_msg("%s", e.msg);
}

void
testlib_write(const char *path, const char *text)
{
	testlib_write_bytes(path, text, strlen(text));
}

void
testlib_run_until(loop *l, const int *flag)
{
	double end = loop_now() + 10.0;

	while (!*flag && loop_now() < end)
		loop_run_once(l, 100);
	assert_true(*flag);
}

int
testlib_python_server(const char *script, const char *port_flag, const char *dir, pid_t *pid)
{
	const char *python = getenv("AUTOKAGGLE_PYTHON");
	char *portfile = testlib_path(dir, "port"), *text = NULL;
	double end;
	int port;

	if (!python || !*python)
		python = "/usr/bin/python3";
	*pid = fork();
	if (*pid == 0) {
		if (port_flag)
			execl(python, python, script, port_flag, portfile, (char *)NULL);
		else
			execl(python, python, script, portfile, (char *)NULL);
		_exit(127);
	}
	for (end = loop_now() + 10.0; !text && loop_now() < end; usleep(20000))
		text = fs_read_file(portfile, NULL, NULL);
	free(portfile);
	if (!text)
		return -1;
	port = atoi(text);
	free(text);
	return port;
}

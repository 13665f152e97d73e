#ifndef AK_TESTLIB_H
#define AK_TESTLIB_H

#include <stddef.h>
#include <sys/types.h>

#include "util/loop.h"

/* What the unit tests share: private temporary directories and files in
 * them, and running an event loop until something happened. Each function fails the running cmocka test when it cannot do its
 * job, so callers need no checks. */

/* A new private directory /tmp/ak-test-NAME-XXXXXX ($TMPDIR when set);
 * caller frees the path (after testlib_rmtree). */
char *testlib_tmpdir(const char *name);
/* Removes a directory and everything under it, as rm -rf does, without a
 * shell; a missing path is fine. */
void testlib_rmtree(const char *path);
/* Writes text to path, making its directories on the way and replacing
 * what was there. */
void testlib_write(const char *path, const char *text);
/* The same for len bytes that may hold NULs. */
void testlib_write_bytes(const char *path, const void *data, size_t len);
/* dir/name; caller frees. */
char *testlib_path(const char *dir, const char *name);
/* Starts a loopback server written in Python (under $AUTOKAGGLE_PYTHON,
 * else /usr/bin/python3): script, then port_flag and a port file in dir
 * (port_flag NULL: the port file alone), and waits up to 10 s for the port
 * the server writes there. Returns the port, *pid set; -1 on failure. */
int testlib_python_server(const char *script, const char *port_flag, const char *dir, pid_t *pid);
/* Runs turns of l until *flag is set, failing after a generous 10 s. */
void testlib_run_until(loop *l, const int *flag);

#endif

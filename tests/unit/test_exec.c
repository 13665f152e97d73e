#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/exec.h"
#include "testlib.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct run {
	exec_result r;
	int done;
	int done_calls;
	strbuf out;
	exec_proc *p;
	const char *cancel_on;
	int cancel_sent;
	const char *resize_on;   /* output that makes the test resize the pty */
	int resize_cols, resize_rows, resized;
};

static char *tmpdir;

static int
setup(void **state)
{
	(void)state;
	tmpdir = testlib_tmpdir("exec");
	redact_reset();
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

static void
on_out(const char *data, size_t len, void *arg)
{
	struct run *rn = arg;

	strbuf_add(&rn->out, data, len);
	if (rn->cancel_on && !rn->cancel_sent && strstr(strbuf_str(&rn->out), rn->cancel_on)) {
		rn->cancel_sent = 1;
		exec_cancel(rn->p);
	}
	if (rn->resize_on && !rn->resized && strstr(strbuf_str(&rn->out), rn->resize_on)) {
		rn->resized = 1;
		exec_resize(rn->p, rn->resize_cols, rn->resize_rows);
	}
}

static void
on_done(const exec_result *r, void *arg)
{
	struct run *rn = arg;

	rn->r = *r;
	rn->done = 1;
	rn->done_calls++;
}

/* Runs spec to completion in a fresh loop. */
static void
run_spec(const exec_spec *s, struct run *rn)
{
	double end = loop_now() + 30.0;
	loop *l = loop_new();
	ak_err e;

	assert_non_null(l);
	rn->p = exec_start(l, s, on_out, on_done, rn, &e);
	if (!rn->p)
		fail_msg("exec_start: %s", e.msg);
	while (!rn->done && loop_now() < end)
		loop_run_once(l, 500);
	assert_true(rn->done);
	/* Nothing may fire for this child after done. */
	loop_run_once(l, 50);
	assert_int_equal(rn->done_calls, 1);
	loop_free(l);
}

static char *
log_path(const char *name)
{
	return xasprintf("%s/%s.log", tmpdir, name);
}

static char *
read_all(const char *path)
{
	ak_err e;
	char *s = fs_read_file(path, NULL, &e);

	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

/* True while pid exists and is not a zombie. */
static int
process_alive_now(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	if (!p || !(p = strrchr(buf, ')')))
		return 0;
	return p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* A killed process may take a moment to finish dying. */
static int
process_alive(pid_t pid)
{
	int i;

	for (i = 0; i < 200 && process_alive_now(pid); i++)
		usleep(10000);
	return process_alive_now(pid);
}

static void
test_exit_status(void **state)
{
	const char *argv[] = { "sh", "-c", "exit 3", NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };

	(void)state;
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 3);
	assert_int_equal(rn.r.term_signal, 0);
	assert_false(rn.r.spawn_failed || rn.r.timed_out || rn.r.oom || rn.r.cancelled);
	assert_string_equal(rn.r.reason, "exited with status 3");
	assert_true(rn.r.maxrss_kb > 0);
	strbuf_free(&rn.out);
}

static void
test_output_to_log_and_callback(void **state)
{
	const char *argv[] = { "sh", "-c", "echo to-stdout; echo to-stderr >&2; echo \"$AK_SECRET_VALUE\"", NULL };
	const char *extra[] = { "AK_SECRET_VALUE=s3cr3t-v4lue-123", NULL };
	char *log = log_path("out");
	exec_spec s = { .argv = argv, .log_path = log, .env_extra = extra };
	struct run rn = { 0 };
	char *text;
	struct stat st;

	(void)state;
	redact_add_secret("s3cr3t-v4lue-123");
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_string_equal(strbuf_str(&rn.out), "to-stdout\nto-stderr\n[REDACTED]\n");
	text = read_all(log);
	assert_non_null(strstr(text, "to-stdout\nto-stderr\n[REDACTED]\n"));
	assert_null(strstr(text, "s3cr3t"));
	assert_non_null(strstr(text, "started: sh -c"));
	assert_non_null(strstr(text, "exited with status 0"));
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0);
	free(text);
	free(log);
	strbuf_free(&rn.out);
}

/* On a pty the child's stderr is a terminal of 80 columns (so progress
 * bars draw) and its stdout a pipe with Python unbuffered; carriage
 * returns and secrets go through as on a pipe (redacted), \n stays \n,
 * and the end of both outputs is seen (EOF, EIO). */
static void
test_output_on_pty(void **state)
{
	const char *argv[] = { "sh", "-c",
		"[ ! -t 1 ] && echo \"stdout a pipe, PYTHONUNBUFFERED=$PYTHONUNBUFFERED\"; "
		"{ [ -t 2 ] && echo tty; stty size <&2 2>/dev/null || echo no-stty; echo \"TERM=$TERM\"; "
		"printf '10%%\\r20%%\\r%s\\n' \"$AK_SECRET_VALUE\"; } >&2", NULL };
	const char *extra[] = { "AK_SECRET_VALUE=s3cr3t-pty-4567", NULL };
	char *log = log_path("pty");
	exec_spec s = { .argv = argv, .log_path = log, .env_extra = extra, .pty = 1 };
	struct run rn = { 0 };
	char *text;

	(void)state;
	redact_add_secret("s3cr3t-pty-4567");
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	/* Two outputs: each in its own order, merged in the order read. */
	assert_non_null(strstr(strbuf_str(&rn.out), "stdout a pipe, PYTHONUNBUFFERED=1\n"));
	assert_non_null(strstr(strbuf_str(&rn.out), "tty\n24 80\nTERM=xterm-256color\n10%\r20%\r[REDACTED]\n"));
	assert_int_equal(rn.out.len, strlen("stdout a pipe, PYTHONUNBUFFERED=1\n") +
		strlen("tty\n24 80\nTERM=xterm-256color\n10%\r20%\r[REDACTED]\n"));
	text = read_all(log);
	assert_non_null(strstr(text, "10%\r20%\r[REDACTED]\n"));
	assert_null(strstr(text, "s3cr3t"));
	free(text);
	free(log);
	strbuf_free(&rn.out);
}

/* Stdout (a pipe read up to a pause late) and stderr (the pty, read at
 * once): a line printed just before a stderr line (the last print before
 * a traceback) comes before it, even while the pipe's reader pauses (the
 * "tick" line starts a pause just before). */
static void
test_stdout_before_stderr(void **state)
{
	const char *argv[] = { "sh", "-c",
		"i=0; while [ $i -lt 40 ]; do i=$((i + 1)); echo tick; echo \"out $i\"; echo \"err $i\" >&2; sleep 0.02; done",
		NULL };
	exec_spec s = { .argv = argv, .pty = 1 };
	struct run rn = { 0 };
	const char *o;
	char want[64];
	int i;

	(void)state;
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	for (i = 1, o = strbuf_str(&rn.out); i <= 40; i++) {
		snprintf(want, sizeof want, "out %d\nerr %d\n", i, i);
		o = strstr(o, want);
		if (!o)
			fail_msg("\"out %d\" then \"err %d\" not found in order in:\n%s", i, i, strbuf_str(&rn.out));
	}
	strbuf_free(&rn.out);
}

/* A pty child starts at the size asked; a resize gives it the new size
 * and a SIGWINCH, which the kernel would not send (the pty is not its
 * controlling terminal). */
static void
test_pty_size_and_resize(void **state)
{
	const char *argv[] = { "sh", "-c",
		"trap 'stty size <&2; exit 0' WINCH; stty size <&2; echo ready; i=0; "
		"while [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; echo no SIGWINCH", NULL };
	exec_spec s = { .argv = argv, .pty = 1, .cols = 100, .rows = 30 };
	struct run rn = { .resize_on = "ready", .resize_cols = 120, .resize_rows = 40 };

	(void)state;
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_string_equal(strbuf_str(&rn.out), "30 100\nready\n40 120\n");
	strbuf_free(&rn.out);
}

/* What the firehose child below prints: lines of varying length, a
 * registered secret and a Bearer token every so often, so that reads
 * split secrets at all kinds of offsets. */
#define FIREHOSE_LINES 100000
#define FIREHOSE_SECRET "s3cr3t-firehose-9876"

static const char firehose_py[] =
	"import os\n"
	"sec = os.environ['AK_FIREHOSE_SECRET']\n"
	"for i in range(100000):\n"
	"    tail = sec if i % 101 == 0 else ('Authorization: Bearer tok%08d' % i if i % 103 == 0 else 'ok')\n"
	"    print('line %d %s %s' % (i, 'x' * (i % 37), tail))\n";

static char *
firehose_expected(void)
{
	strbuf plain = { 0 };
	char *want;
	int i;

	for (i = 0; i < FIREHOSE_LINES; i++) {
		strbuf_addf(&plain, "line %d %.*s ", i, i % 37, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		if (i % 101 == 0)
			strbuf_addstr(&plain, FIREHOSE_SECRET);
		else if (i % 103 == 0)
			strbuf_addf(&plain, "Authorization: Bearer tok%08d", i);
		else
			strbuf_addstr(&plain, "ok");
		strbuf_addch(&plain, '\n');
	}
	want = redact_string(strbuf_str(&plain));
	strbuf_free(&plain);
	return want;
}

/* A child printing as fast as it can (a write per print): the log holds
 * every byte, in order, redacted, between our start and end lines. */
static void
test_output_firehose_complete(void **state)
{
	const char *argv[] = { "python3", "-c", firehose_py, NULL };
	const char *extra[] = { "AK_FIREHOSE_SECRET=" FIREHOSE_SECRET, NULL };
	char *log = log_path("firehose");
	exec_spec s = { .argv = argv, .log_path = log, .env_extra = extra };
	struct run rn = { 0 };
	char *text, *want, *body, *end;

	(void)state;
	redact_add_secret(FIREHOSE_SECRET);
	want = firehose_expected();
	assert_null(strstr(want, FIREHOSE_SECRET));
	assert_non_null(strstr(want, "Authorization: [REDACTED]\n"));
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	assert_string_equal(strbuf_str(&rn.out), want);
	text = read_all(log);
	body = strchr(text, '\n');
	assert_non_null(body);
	assert_true(strncmp(text, "[autokaggle] ", 13) == 0 && strstr(text, "started: python3 -c") < body);
	body++;
	end = strstr(body, "[autokaggle] exited with status 0 (");
	assert_non_null(end);
	assert_int_equal((size_t)(end - body), strlen(want));
	assert_memory_equal(body, want, strlen(want));
	free(text);
	free(want);
	free(log);
	strbuf_free(&rn.out);
}

/* Reads the log until it holds `line` or the child is done; returns
 * whether the line got there first. */
static int
log_shows_before_done(loop *l, const char *log, const char *line, struct run *rn)
{
	double end = loop_now() + 20.0;
	int seen = 0;

	while (!seen && !rn->done && loop_now() < end) {
		char *text;

		loop_run_once(l, 20);
		text = fs_read_file(log, NULL, NULL);
		seen = text && strstr(text, line);
		free(text);
	}
	return seen && !rn->done;
}

/* Output stays live: a line printed after a burst, while the child then
 * sleeps, is in the log (and passed on) long before the child ends. */
static void
test_output_live_after_burst(void **state)
{
	const char *argv[] = { "python3", "-c",
		"import time\n"
		"for i in range(20000):\n"
		"    print('burst line %d' % i)\n"
		"print('last line before the pause')\n"
		"time.sleep(60)\n",
		NULL };
	char *log = log_path("live");
	exec_spec s = { .argv = argv, .log_path = log };
	struct run rn = { 0 };
	loop *l = loop_new();
	ak_err e;

	(void)state;
	rn.p = exec_start(l, &s, on_out, on_done, &rn, &e);
	if (!rn.p)
		fail_msg("exec_start: %s", e.msg);
	assert_true(log_shows_before_done(l, log, "burst line 19999\nlast line before the pause\n", &rn));
	assert_non_null(strstr(strbuf_str(&rn.out), "last line before the pause\n"));
	exec_cancel(rn.p);
	while (!rn.done)
		loop_run_once(l, 500);
	assert_true(rn.r.cancelled);
	loop_free(l);
	free(log);
	strbuf_free(&rn.out);
}

static void
test_env_scrubbed(void **state)
{
	const char *argv[] = { "env", NULL };
	const char *extra[] = { "AK_EXTRA=yes", "LANG=C.UTF-8", NULL };
	exec_spec s = { .argv = argv, .env_extra = extra, .limits = { .threads = 2 } };
	struct run rn = { 0 };
	const char *out;

	(void)state;
	setenv("KAGGLE_KEY", "kaggle-key-value", 1);
	setenv("OPENAI_API_KEY", "openai-key-value", 1);
	setenv("MY_TOKEN", "my-token-value", 1);
	setenv("AK_UNLISTED", "unlisted", 1);
	setenv("LANG", "en_US.UTF-8", 1);
	run_spec(&s, &rn);
	out = strbuf_str(&rn.out);
	assert_int_equal(rn.r.exit_code, 0);
	assert_null(strstr(out, "KAGGLE_KEY"));
	assert_null(strstr(out, "OPENAI_API_KEY"));
	assert_null(strstr(out, "MY_TOKEN"));
	assert_null(strstr(out, "AK_UNLISTED"));
	assert_null(strstr(out, "-value"));
	assert_true(strncmp(out, "PATH=", 5) == 0 || strstr(out, "\nPATH="));
	assert_non_null(strstr(out, "AK_EXTRA=yes\n"));
	assert_non_null(strstr(out, "LANG=C.UTF-8\n"));
	assert_null(strstr(out, "en_US"));
	assert_non_null(strstr(out, "OMP_NUM_THREADS=2\n"));
	assert_non_null(strstr(out, "OPENBLAS_NUM_THREADS=2\n"));
	assert_non_null(strstr(out, "MKL_NUM_THREADS=2\n"));
	unsetenv("KAGGLE_KEY");
	unsetenv("OPENAI_API_KEY");
	unsetenv("MY_TOKEN");
	unsetenv("AK_UNLISTED");
	strbuf_free(&rn.out);
}

static void
test_env_scrubbed_direct(void **state)
{
	const char *extra[] = { "PATH=/opt/x", "NOEQUALS", "A=1", NULL };
	char **env, **e;
	int path = 0, a = 0;

	(void)state;
	setenv("GITHUB_TOKEN", "ghp_x", 1);
	setenv("LC_ALL", "C", 1);
	env = exec_env_scrubbed(extra);
	for (e = env; *e; e++) {
		assert_null(strstr(*e, "GITHUB_TOKEN"));
		assert_null(strstr(*e, "NOEQUALS"));
		if (strncmp(*e, "PATH=", 5) == 0) {
			assert_string_equal(*e, "PATH=/opt/x");
			path++;
		}
		a += strcmp(*e, "A=1") == 0;
	}
	assert_int_equal(path, 1);
	assert_int_equal(a, 1);
	strv_free(env);
	unsetenv("GITHUB_TOKEN");
}

static void
test_cwd_honoured(void **state)
{
	const char *argv[] = { "pwd", NULL };
	exec_spec s = { .argv = argv, .cwd = tmpdir };
	struct run rn = { 0 };
	char *want = xasprintf("%s\n", tmpdir);

	(void)state;
	run_spec(&s, &rn);
	assert_string_equal(strbuf_str(&rn.out), want);
	free(want);
	strbuf_free(&rn.out);
}

static void
test_missing_program(void **state)
{
	const char *argv[] = { "no-such-program-ak", "x", NULL };
	char *log = log_path("missing");
	exec_spec s = { .argv = argv, .log_path = log };
	struct run rn = { 0 };
	char *text;

	(void)state;
	run_spec(&s, &rn);
	assert_true(rn.r.spawn_failed);
	assert_int_equal(rn.r.exit_code, 127);
	assert_string_equal(rn.r.reason, "cannot run no-such-program-ak: No such file or directory");
	text = read_all(log);
	assert_non_null(strstr(text, "cannot run no-such-program-ak"));
	free(text);
	free(log);
	strbuf_free(&rn.out);
}

static void
test_not_executable_and_bad_cwd(void **state)
{
	char *script = xasprintf("%s/script.sh", tmpdir);
	char *nodir = xasprintf("%s/nonexistent", tmpdir);
	const char *argv[] = { script, NULL };
	const char *argv2[] = { "true", NULL };
	exec_spec s = { .argv = argv };
	exec_spec s2 = { .argv = argv2, .cwd = nodir };
	struct run rn = { 0 }, rn2 = { 0 };
	ak_err e;

	(void)state;
	assert_int_equal(fs_write_atomic(script, "#!/bin/sh\necho hi\n", 18, 0644, &e), 0);
	run_spec(&s, &rn);
	assert_true(rn.r.spawn_failed);
	assert_non_null(strstr(rn.r.reason, "Permission denied"));
	run_spec(&s2, &rn2);
	assert_true(rn2.r.spawn_failed);
	assert_non_null(strstr(rn2.r.reason, "cannot enter its directory"));
	free(script);
	free(nodir);
	strbuf_free(&rn.out);
	strbuf_free(&rn2.out);
}

static void
test_wall_budget_kills_group(void **state)
{
	/* The background sleep ignores SIGINT (as in any non-interactive sh),
	 * so only the group-wide escalation can stop it. */
	const char *argv[] = { "sh", "-c", "sleep 60 & echo $!; sleep 60", NULL };
	char *log = log_path("wall");
	exec_spec s = { .argv = argv, .log_path = log, .limits = { .wall_ms = 300 } };
	struct run rn = { 0 };
	pid_t grandchild;
	char *text;

	(void)state;
	run_spec(&s, &rn);
	assert_true(rn.r.timed_out);
	assert_false(rn.r.cancelled);
	assert_string_equal(rn.r.reason, "wall-clock budget 300ms exceeded");
	grandchild = (pid_t)atoi(strbuf_str(&rn.out));
	assert_true(grandchild > 0);
	assert_false(process_alive(grandchild));
	text = read_all(log);
	assert_non_null(strstr(text, "wall-clock budget 300ms exceeded"));
	free(text);
	free(log);
	strbuf_free(&rn.out);
}

static void
test_straggler_holding_output_killed(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 60 & echo $!", NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };
	pid_t holder;

	(void)state;
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	holder = (pid_t)atoi(strbuf_str(&rn.out));
	assert_true(holder > 0);
	assert_false(process_alive(holder));
	strbuf_free(&rn.out);
}

static void
test_detached_leftover_killed(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 61 >/dev/null 2>&1 & echo $!", NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };
	pid_t detached;

	(void)state;
	run_spec(&s, &rn);
	assert_int_equal(rn.r.exit_code, 0);
	detached = (pid_t)atoi(strbuf_str(&rn.out));
	assert_true(detached > 0);
	assert_false(process_alive(detached));
	strbuf_free(&rn.out);
}

static void
test_cancel_reaches_other_groups_of_session(void **state)
{
	/* The grandchild moves to a process group of its own, out of reach of
	 * kill(-pgid), but still in the child's session. */
	const char *argv[] = { "sh", "-c",
		"python3 -c 'import os, time; os.setpgid(0, 0); print(os.getpid(), flush=True); time.sleep(60)' & wait",
		NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };
	pid_t grandchild;

	(void)state;
	rn.cancel_on = "\n";
	run_spec(&s, &rn);
	assert_true(rn.r.cancelled);
	grandchild = (pid_t)atoi(strbuf_str(&rn.out));
	assert_true(grandchild > 0);
	assert_false(process_alive(grandchild));
	strbuf_free(&rn.out);
}

static void
test_memory_limit(void **state)
{
	/* Grows by 4 MiB every 50 ms, touching what it allocates. */
	const char *argv[] = { "python3", "-c",
		"import time\nb = []\nwhile True:\n    b.append(b'x' * (4 << 20))\n    time.sleep(0.05)\n", NULL };
	exec_spec s = { .argv = argv, .limits = { .mem_bytes = 64ULL << 20, .wall_ms = 20000 } };
	struct run rn = { 0 };

	(void)state;
	run_spec(&s, &rn);
	assert_true(rn.r.oom);
	assert_false(rn.r.timed_out);
	assert_int_equal(rn.r.term_signal, SIGKILL);
	assert_non_null(strstr(rn.r.reason, "killed: memory limit 64.0 MiB exceeded (peak "));
	strbuf_free(&rn.out);
}

static void
test_cancel_interrupts(void **state)
{
	const char *argv[] = { "sh", "-c", "echo ready; exec sleep 60", NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };

	(void)state;
	rn.cancel_on = "ready";
	run_spec(&s, &rn);
	assert_true(rn.r.cancelled);
	assert_int_equal(rn.r.term_signal, SIGINT);
	assert_int_equal(rn.r.exit_code, -1);
	assert_string_equal(rn.r.reason, "cancelled");
	strbuf_free(&rn.out);
}

static void
test_cancel_escalates_to_kill(void **state)
{
	const char *argv[] = { "sh", "-c", "trap '' INT TERM; echo ready; sleep 60", NULL };
	exec_spec s = { .argv = argv };
	struct run rn = { 0 };

	(void)state;
	rn.cancel_on = "ready";
	run_spec(&s, &rn);
	assert_true(rn.r.cancelled);
	assert_int_equal(rn.r.term_signal, SIGKILL);
	assert_string_equal(rn.r.reason, "cancelled");
	strbuf_free(&rn.out);
}

static void
test_no_network(void **state)
{
	const char *argv[] = { "cat", "/proc/net/dev", NULL };
	exec_spec s = { .argv = argv, .limits = { .no_network = 1 } };
	struct run rn = { 0 };
	const char *out;
	int lines = 0;

	(void)state;
	run_spec(&s, &rn);
	out = strbuf_str(&rn.out);
	assert_int_equal(rn.r.exit_code, 0);
	if (strstr(out, "network isolation unavailable")) {
		/* The kernel forbids it here; the child still ran. */
		strbuf_free(&rn.out);
		skip();
	}
	for (; *out; out++)
		lines += *out == '\n';
	/* Two header lines, then loopback alone. */
	assert_int_equal(lines, 3);
	assert_non_null(strstr(strbuf_str(&rn.out), "lo:"));
	strbuf_free(&rn.out);
}

static void
test_log_not_writable(void **state)
{
	const char *argv[] = { "true", NULL };
	char *log = xasprintf("%s/no/such/dir/x.log", tmpdir);
	exec_spec s = { .argv = argv, .log_path = log };
	loop *l = loop_new();
	ak_err e;

	(void)state;
	assert_null(exec_start(l, &s, NULL, on_done, NULL, &e));
	assert_non_null(strstr(e.msg, "cannot open the log"));
	free(log);
	loop_free(l);
}

static void
test_parse_durations(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(exec_parse_duration_ms("30m", &e), 1800000);
	assert_int_equal(exec_parse_duration_ms("2h", &e), 7200000);
	assert_int_equal(exec_parse_duration_ms("90s", &e), 90000);
	assert_int_equal(exec_parse_duration_ms("1h30m", &e), 5400000);
	assert_int_equal(exec_parse_duration_ms("1h 30m", &e), 5400000);
	assert_int_equal(exec_parse_duration_ms("45", &e), 45000);
	assert_int_equal(exec_parse_duration_ms(" 1.5h ", &e), 5400000);
	assert_int_equal(exec_parse_duration_ms("250ms", &e), 250);
	assert_int_equal(exec_parse_duration_ms("0", &e), 0);
	assert_int_equal(exec_parse_duration_ms("", &e), -1);
	assert_int_equal(exec_parse_duration_ms("-5m", &e), -1);
	assert_int_equal(exec_parse_duration_ms("10x", &e), -1);
	assert_non_null(strstr(e.msg, "1h30m"));
	assert_int_equal(exec_parse_duration_ms("45 30", &e), -1);
	assert_int_equal(exec_parse_duration_ms("m", &e), -1);
}

static void
test_parse_bytes(void **state)
{
	ak_err e;

	(void)state;
	assert_int_equal(exec_parse_bytes("8G", &e), 8LL << 30);
	assert_int_equal(exec_parse_bytes("512M", &e), 512LL << 20);
	assert_int_equal(exec_parse_bytes("1.5G", &e), 3LL << 29);
	assert_int_equal(exec_parse_bytes("64k", &e), 65536);
	assert_int_equal(exec_parse_bytes("8GiB", &e), 8LL << 30);
	assert_int_equal(exec_parse_bytes("8 GB", &e), 8LL << 30);
	assert_int_equal(exec_parse_bytes("100", &e), 100);
	assert_int_equal(exec_parse_bytes("G", &e), -1);
	assert_int_equal(exec_parse_bytes("8X", &e), -1);
	assert_non_null(strstr(e.msg, "512M"));
	assert_int_equal(exec_parse_bytes("-1G", &e), -1);
}

static void
test_format(void **state)
{
	char b[64];

	(void)state;
	exec_format_duration(1800000, b, sizeof b);
	assert_string_equal(b, "30m0s");
	exec_format_duration(5400000, b, sizeof b);
	assert_string_equal(b, "1h30m0s");
	exec_format_duration(45000, b, sizeof b);
	assert_string_equal(b, "45s");
	exec_format_duration(1500, b, sizeof b);
	assert_string_equal(b, "1.5s");
	exec_format_duration(250, b, sizeof b);
	assert_string_equal(b, "250ms");
	exec_format_bytes(8ULL << 30, b, sizeof b);
	assert_string_equal(b, "8.0 GiB");
	exec_format_bytes(512ULL << 20, b, sizeof b);
	assert_string_equal(b, "512.0 MiB");
	exec_format_bytes(100, b, sizeof b);
	assert_string_equal(b, "100 B");
	exec_format_bytes(1536, b, sizeof b);
	assert_string_equal(b, "1.5 KiB");
}

static void
write_script(const char *path, const char *text)
{
	ak_err e;

	assert_int_equal(fs_write_atomic(path, text, strlen(text), 0755, &e), 0);
}

static void
test_gpu_detect(void **state)
{
	char *smi = xasprintf("%s/nvidia-smi", tmpdir);
	char *old = xstrdup(getenv("PATH"));

	(void)state;
	setenv("PATH", tmpdir, 1);
	assert_int_equal(exec_gpu_detect(), 0);
	write_script(smi, "#!/bin/sh\necho 'GPU 0: Fake GPU (UUID: GPU-0000)'\n");
	assert_int_equal(exec_gpu_detect(), 1);
	write_script(smi, "#!/bin/sh\necho 'NVIDIA-SMI has failed'\nexit 9\n");
	assert_int_equal(exec_gpu_detect(), 0);
	setenv("PATH", old, 1);
	free(old);
	free(smi);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_to_log_and_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_on_pty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pty_size_and_resize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stdout_before_stderr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_firehose_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_live_after_burst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_scrubbed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_scrubbed_direct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cwd_honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_executable_and_bad_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wall_budget_kills_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_straggler_holding_output_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detached_leftover_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_reaches_other_groups_of_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_escalates_to_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_network, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_not_writable, setup, teardown),
		cmocka_unit_test(test_parse_durations),
		cmocka_unit_test(test_parse_bytes),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpu_detect, setup, teardown),
	};

	return cmocka_run_group_tests_name("exec", tests, NULL, NULL);
}

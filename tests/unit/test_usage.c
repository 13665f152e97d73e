#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec.h"
#include "exec/proctree.h"
#include "pipeline/machine.h"
#include "pipeline/rundir.h"
#include "pipeline/traceback.h"
#include "pipeline/usage.h"
#include "testlib.h"
#include "util/linediff.h"
#include "util/xalloc.h"

/* What the workbench's live panes are told, without a terminal: a
 * process's /proc/PID/stat and a session's sum, nvidia-smi's lines, the
 * usage file, the frames of a traceback, and the diff of two texts. */

static void
test_proc_stat(void **state)
{
	/* A command name with spaces and a ')' inside, as the kernel shows it. */
	static const char stat[] = "4242 (py (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
				   "150 50 7 3 20 0 1 0 987654 1000000 2560 18446744073709551615";
	proctree_info pi;

	(void)state;
	assert_int_equal(proctree_parse_stat(stat, &pi), 0);
	assert_int_equal(pi.ppid, 1);
	assert_int_equal(pi.sid, 4242);
	assert_int_equal(pi.ticks, 150 + 50 + 7 + 3);
	assert_int_equal(pi.start, 987654);
	assert_int_equal(pi.rss_pages, 2560);
	assert_int_equal(proctree_parse_stat("4242 (cut) S 1 4242", &pi), -1);
	assert_int_equal(proctree_parse_stat("no parenthesis", &pi), -1);
}

/* A copy of /proc with three processes, two of them in session 100. */
static void
test_proc_session_usage(void **state)
{
	char *root = testlib_tmpdir("proc"), *p;
	long page = sysconf(_SC_PAGESIZE);
	proctree_usage u;

	(void)state;
	p = testlib_path(root, "100/stat");
	testlib_write(p, "100 (python) R 1 100 100 0 -1 0 0 0 0 0 300 100 0 0 20 0 1 0 5 0 1000 0\n");
	free(p);
	p = testlib_path(root, "101/stat");
	testlib_write(p, "101 (worker) S 100 101 100 0 -1 0 0 0 0 0 40 10 0 0 20 0 1 0 6 0 500 0\n");
	free(p);
	p = testlib_path(root, "200/stat");
	testlib_write(p, "200 (other) S 1 200 200 0 -1 0 0 0 0 0 999 999 0 0 20 0 1 0 7 0 9999 0\n");
	free(p);
	p = testlib_path(root, "self");
	testlib_write(p, "not a process\n");
	free(p);
	proctree_session_usage(root, 100, &u);
	assert_int_equal(u.procs, 2);
	assert_int_equal(u.ticks, 300 + 100 + 40 + 10);
	assert_int_equal(u.rss, 1500ULL * (unsigned long long)page);
	proctree_session_usage(root, 300, &u);
	assert_int_equal(u.procs, 0);
	testlib_rmtree(root);
	free(root);
}

/* The real /proc: a child in a session of its own, as the supervisor
 * starts a stage. The test's own session may be 0 or 1 in a container,
 * which the sampler rightly never counts. */
static void
test_proc_real_session(void **state)
{
	int ready[2];
	char c;
	pid_t pid;
	proctree_usage u;

	(void)state;
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		if (setsid() < 0 || write(ready[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	proctree_session_usage("/proc", pid, &u);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_int_equal(u.procs, 1);
	assert_true(u.rss > 0);
}

static void
test_gpu_parse(void **state)
{
	exec_gpu_usage g;

	(void)state;
	assert_int_equal(exec_gpu_parse("37, 2048, 16384\n", &g), 0);
	assert_int_equal(g.gpus, 1);
	assert_true(g.util_pct == 37.0);
	assert_int_equal(g.used, 2048ULL << 20);
	assert_int_equal(g.total, 16384ULL << 20);
	/* Two GPUs: the mean utilisation, the memory summed; [N/A] is 0. */
	assert_int_equal(exec_gpu_parse("10, 100, 1000\n50, [N/A], 1000\n", &g), 0);
	assert_int_equal(g.gpus, 2);
	assert_true(g.util_pct == 30.0);
	assert_int_equal(g.used, 100ULL << 20);
	assert_int_equal(g.total, 2000ULL << 20);
	assert_int_equal(exec_gpu_parse("NVIDIA-SMI has failed\n", &g), -1);
	assert_int_equal(exec_gpu_parse("12, 34\n", &g), -1);
	assert_int_equal(exec_gpu_parse("", &g), -1);
}

/* A meter with nothing to watch records nothing; the file's attempts are
 * read back by front ends, newest last, and formatted short. */
static void
test_usage_file(void **state)
{
	char *dir = testlib_tmpdir("usage"), *path = rundir_path(dir, RUNDIR_USAGE), buf[128];
	loop *l = loop_new();
	usage_report r;
	usage_figures f = { 250.4, 3ULL << 30, 1, 45.0, 1536ULL << 20, 16ULL << 30 };

	(void)state;
	assert_int_equal(usage_read(dir, &r), -1);
	usage_stop(usage_start(l, dir, STAGE_TRAIN), 1);
	assert_int_equal(usage_read(dir, &r), -1);
	testlib_write(path, "{\"running\": {\"stage\": \"predict\", \"time\": 12.5, \"now\": {\"cpu_pct\": 99, \"rss\": 1048576}},"
			    " \"attempts\": [{\"stage\": \"train\", \"attempt\": 1, \"peak\": {\"cpu_pct\": 180, \"rss\": 2097152,"
			    " \"gpus\": 1, \"gpu_pct\": 45, \"gpu_used\": 1073741824, \"gpu_total\": 17179869184}},"
			    " {\"stage\": \"nope\", \"attempt\": 2}]}");
	assert_int_equal(usage_read(dir, &r), 0);
	assert_int_equal(r.stage, STAGE_PREDICT);
	assert_true(r.time == 12.5);
	assert_int_equal(r.now.rss, 1048576);
	assert_int_equal(r.nattempts, 1);
	assert_int_equal(r.attempts[0].stage, STAGE_TRAIN);
	assert_int_equal(r.attempts[0].peak.gpus, 1);
	usage_report_free(&r);
	usage_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "cpu 250%  rss 3.0G  gpu 45% 1.5G/16.0G");
	f.gpus = 0;
	f.rss = 300ULL << 20;
	usage_format(&f, buf, sizeof(buf));
	assert_string_equal(buf, "cpu 250%  rss 300M");
	loop_free(l);
	free(path);
	testlib_rmtree(dir);
	free(dir);
}

static void
test_traceback(void **state)
{
	char *run = testlib_tmpdir("tb"), *p = testlib_path(run, "code/train.py"), *line, path[256], file[64];
	int n = 0;

	(void)state;
	testlib_write(p, "raise SystemExit\n");
	line = xasprintf("  File \"%s\", line 42, in main", p);
	assert_int_equal(traceback_parse(line, path, sizeof(path), &n), 0);
	assert_string_equal(path, p);
	assert_int_equal(n, 42);
	assert_int_equal(traceback_code_file(run, path, file, sizeof(file)), 0);
	assert_string_equal(file, "train.py");
	/* Relative to the run, or from a copy of the run elsewhere. */
	assert_int_equal(traceback_code_file(run, "code/train.py", file, sizeof(file)), 0);
	assert_int_equal(traceback_code_file(run, "/old/place/RUN/code/train.py", file, sizeof(file)), 0);
	/* A library's frame, or a file the run does not have, is not the run's. */
	assert_int_equal(traceback_code_file(run, "/usr/lib/python3/dist-packages/sklearn/base.py", file, sizeof(file)), -1);
	assert_int_equal(traceback_code_file(run, "code/gone.py", file, sizeof(file)), -1);
	assert_int_equal(traceback_code_file(run, "code/../../etc/passwd", file, sizeof(file)), -1);
	assert_int_equal(traceback_parse("File \"x.py\", line 7", path, sizeof(path), &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(traceback_parse("Traceback (most recent call last):", path, sizeof(path), &n), -1);
	assert_int_equal(traceback_parse("  File \"x.py\", line zero", path, sizeof(path), &n), -1);
	assert_int_equal(traceback_parse("  File \"\", line 3", path, sizeof(path), &n), -1);
	free(line);
	free(p);
	testlib_rmtree(run);
	free(run);
}

/* The diff as a string: one sign and the line per line. */
static char *
diff_text(const char *a, const char *b)
{
	linediff_line *d;
	size_t n = linediff(a, strlen(a), b, strlen(b), &d), i, len = 0;
	char *out = xmalloc(strlen(a) + strlen(b) + 2 * n + 1);

	for (i = 0; i < n; i++) {
		out[len++] = " -+"[d[i].kind];
		memcpy(out + len, d[i].text, d[i].len);
		len += d[i].len;
		out[len++] = '|';
	}
	out[len] = '\0';
	free(d);
	return out;
}

static void
test_linediff(void **state)
{
	static const struct {
		const char *a, *b, *want;
	} cases[] = {
		{ "a\nb\nc\n", "a\nb\nc\n", " a| b| c|" },
		{ "a\nb\nc\n", "a\nx\nc\n", " a|-b|+x| c|" },
		{ "a\nb\nc\n", "a\nc\n", " a|-b| c|" },
		{ "", "new\n", "+new|" },
		{ "old\n", "", "-old|" },
		{ "x\na\nb\n", "a\nb\ny\n", "-x| a| b|+y|" },
		{ "no newline", "no newline\nmore", " no newline|+more|" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = diff_text(cases[i].a, cases[i].b);
		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_stat),
		cmocka_unit_test(test_proc_session_usage),
		cmocka_unit_test(test_proc_real_session),
		cmocka_unit_test(test_gpu_parse),
		cmocka_unit_test(test_usage_file),
		cmocka_unit_test(test_traceback),
		cmocka_unit_test(test_linediff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"
#include "util/loop.h"

struct order {
	char seen[16];
	int n;
	int cancel_id;
	loop *l;
};

static void
order_cb(loop *l, void *arg, char tag)
{
	struct order *o = arg;

	(void)l;
	o->seen[o->n++] = tag;
}

static void
tag_a(loop *l, void *arg)
{
	order_cb(l, arg, 'a');
}

static void
tag_b(loop *l, void *arg)
{
	order_cb(l, arg, 'b');
}

static void
tag_c(loop *l, void *arg)
{
	order_cb(l, arg, 'c');
}

static void
tag_quit(loop *l, void *arg)
{
	order_cb(l, arg, 'q');
	loop_quit(l, 7);
}

static void
test_timers_run_by_deadline(void **state)
{
	struct order o = { 0 };
	loop *l = loop_new();

	(void)state;
	assert_non_null(l);
	loop_timer_add(l, 30, 0, tag_c, &o);
	loop_timer_add(l, 10, 0, tag_a, &o);
	loop_timer_add(l, 20, 0, tag_b, &o);
	loop_timer_add(l, 40, 0, tag_quit, &o);
	assert_int_equal(loop_run(l), 7);
	assert_string_equal(o.seen, "abcq");
	loop_free(l);
}

static void
test_same_deadline_keeps_insertion_order(void **state)
{
	struct order o = { 0 };
	loop *l = loop_new();

	(void)state;
	loop_timer_add(l, 0, 0, tag_b, &o);
	loop_timer_add(l, 0, 0, tag_a, &o);
	loop_timer_add(l, 0, 0, tag_c, &o);
	loop_timer_add(l, 5, 0, tag_quit, &o);
	loop_run(l);
	assert_string_equal(o.seen, "bacq");
	loop_free(l);
}

static void
test_timer_cancel(void **state)
{
	struct order o = { 0 };
	loop *l = loop_new();
	int id;

	(void)state;
	id = loop_timer_add(l, 5, 0, tag_a, &o);
	assert_true(id > 0);
	loop_timer_add(l, 10, 0, tag_b, &o);
	loop_timer_add(l, 20, 0, tag_quit, &o);
	loop_timer_cancel(l, id);
	loop_timer_cancel(l, 12345);
	loop_run(l);
	assert_string_equal(o.seen, "bq");
	loop_free(l);
}

static void
self_cancel(loop *l, void *arg)
{
	struct order *o = arg;

	o->seen[o->n++] = 'r';
	if (o->n == 3)
		loop_timer_cancel(l, o->cancel_id);
}

static void
test_repeating_timer_cancels_itself(void **state)
{
	struct order o = { 0 };
	loop *l = loop_new();

	(void)state;
	o.cancel_id = loop_timer_add(l, 2, 1, self_cancel, &o);
	loop_timer_add(l, 60, 0, tag_quit, &o);
	loop_run(l);
	assert_string_equal(o.seen, "rrrq");
	loop_free(l);
}

static void
cancel_other(loop *l, void *arg)
{
	struct order *o = arg;

	o->seen[o->n++] = 'x';
	loop_timer_cancel(l, o->cancel_id);
}

static void
test_cancel_other_timer_due_same_turn(void **state)
{
	struct order o = { 0 };
	loop *l = loop_new();

	(void)state;
	loop_timer_add(l, 0, 0, cancel_other, &o);
	o.cancel_id = loop_timer_add(l, 0, 0, tag_a, &o);
	loop_timer_add(l, 5, 0, tag_quit, &o);
	loop_run(l);
	assert_string_equal(o.seen, "xq");
	loop_free(l);
}

struct fdstate {
	int reads;
	int removed;
	char buf[64];
	int other_fd;
	int other_called;
};

static void
read_once(loop *l, int fd, short revents, void *arg)
{
	struct fdstate *s = arg;
	ssize_t n;

	assert_true(revents & POLLIN);
	n = read(fd, s->buf, sizeof s->buf - 1);
	assert_true(n > 0);
	s->buf[n] = '\0';
	s->reads++;
	loop_fd_remove(l, fd);
	loop_fd_remove(l, s->other_fd);
	s->removed = 1;
}

static void
other_cb(loop *l, int fd, short revents, void *arg)
{
	struct fdstate *s = arg;

	(void)l;
	(void)fd;
	(void)revents;
	s->other_called++;
}

static void
test_fd_readiness_and_removal_in_callback(void **state)
{
	struct fdstate s = { 0 };
	int a[2], b[2];
	loop *l = loop_new();

	(void)state;
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	s.other_fd = b[0];
	assert_int_equal(loop_fd_add(l, a[0], POLLIN, read_once, &s), 0);
	assert_int_equal(loop_fd_add(l, b[0], POLLIN, other_cb, &s), 0);
	assert_int_equal(loop_fd_add(l, a[0], POLLIN, read_once, &s), -1);
	assert_int_equal(errno, EEXIST);
	/* Nothing ready: the turn times out without callbacks. */
	assert_int_equal(loop_run_once(l, 10), 0);
	assert_int_equal(write(a[1], "hello", 5), 5);
	assert_int_equal(write(b[1], "x", 1), 1);
	testlib_run_until(l, &s.removed);
	assert_string_equal(s.buf, "hello");
	/* b was removed by a's callback in the same turn: never called. */
	assert_int_equal(s.other_called, 0);
	assert_int_equal(write(a[1], "more", 4), 4);
	loop_run_once(l, 20);
	assert_int_equal(s.reads, 1);
	assert_int_equal(s.other_called, 0);
	/* A removed fd may be added again. */
	assert_int_equal(loop_fd_add(l, b[0], POLLIN, other_cb, &s), 0);
	loop_run_once(l, 20);
	assert_int_equal(s.other_called, 1);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	loop_free(l);
}

static void
count_cb(loop *l, int fd, short revents, void *arg)
{
	(void)l;
	(void)fd;
	(void)revents;
	(*(int *)arg)++;
}

static void
test_fd_pause_with_zero_events(void **state)
{
	int p[2], calls = 0;
	loop *l = loop_new();

	(void)state;
	assert_int_equal(pipe(p), 0);
	loop_fd_add(l, p[0], POLLIN, count_cb, &calls);
	assert_int_equal(write(p[1], "x", 1), 1);
	loop_fd_set_events(l, p[0], 0);
	loop_run_once(l, 10);
	assert_int_equal(calls, 0);
	loop_fd_set_events(l, p[0], POLLIN);
	loop_run_once(l, 100);
	assert_int_equal(calls, 1);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

struct childstate {
	pid_t pid;
	int status;
	int done;
	double cpu;
};

static void
child_cb(loop *l, pid_t pid, int status, const struct rusage *ru, void *arg)
{
	struct childstate *c = arg;

	(void)l;
	c->pid = pid;
	c->status = status;
	c->cpu = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6;
	c->done = 1;
}

static void
test_child_exit_status_and_rusage(void **state)
{
	struct childstate c = { 0 };
	loop *l = loop_new();
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Burn 0.1 s of CPU (not of wall time, which a loaded machine
		 * hands out slowly) so rusage has something to report. */
		volatile unsigned long x = 0;
		struct timespec cpu = { 0, 0 };

		while (cpu.tv_sec == 0 && cpu.tv_nsec < 100000000L)
			if ((++x & 0xfffff) == 0)
				clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
		_exit(3);
	}
	assert_int_equal(loop_child_watch(l, pid, child_cb, &c), 0);
	testlib_run_until(l, &c.done);
	assert_int_equal(c.pid, pid);
	assert_true(WIFEXITED(c.status));
	assert_int_equal(WEXITSTATUS(c.status), 3);
	assert_true(c.cpu > 0.05);
	/* Reaped: no zombie left behind. */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	loop_free(l);
}

static void
test_child_already_exited_and_killed(void **state)
{
	struct childstate c = { 0 };
	loop *l = loop_new();
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGKILL);
	usleep(50000);
	assert_int_equal(loop_child_watch(l, pid, child_cb, &c), 0);
	testlib_run_until(l, &c.done);
	assert_true(WIFSIGNALED(c.status));
	assert_int_equal(WTERMSIG(c.status), SIGKILL);
	loop_free(l);
}

static void
test_child_watch_rejects_strangers(void **state)
{
	struct childstate c = { 0 };
	loop *l = loop_new();

	(void)state;
	assert_int_equal(loop_child_watch(l, getppid(), child_cb, &c), -1);
	assert_int_equal(errno, ECHILD);
	loop_free(l);
}

struct sigstate {
	int signo;
	int count;
};

static void
sig_cb(loop *l, int signo, void *arg)
{
	struct sigstate *s = arg;

	(void)l;
	s->signo = signo;
	s->count++;
}

static void
test_signal_delivery(void **state)
{
	struct sigstate s = { 0 }, s2 = { 0 };
	loop *l = loop_new(), *l2 = loop_new();

	(void)state;
	assert_int_equal(loop_signal_watch(l, SIGUSR1, sig_cb, &s), 0);
	assert_int_equal(loop_signal_watch(l2, SIGUSR1, sig_cb, &s2), 0);
	assert_int_equal(loop_signal_watch(l, SIGKILL, sig_cb, &s), -1);
	raise(SIGUSR1);
	testlib_run_until(l, &s.count);
	assert_int_equal(s.signo, SIGUSR1);
	/* Every loop hears it, each through its own pipe. */
	testlib_run_until(l2, &s2.count);
	loop_free(l2);
	/* The other loop's departure leaves this one's handler in place. */
	s.count = 0;
	raise(SIGUSR1);
	testlib_run_until(l, &s.count);
	assert_int_equal(s.count, 1);
	loop_free(l);
}

static void
test_signal_disposition_restored(void **state)
{
	struct sigaction sa;
	struct sigstate s = { 0 };
	loop *l = loop_new();

	(void)state;
	loop_signal_watch(l, SIGUSR2, sig_cb, &s);
	sigaction(SIGUSR2, NULL, &sa);
	assert_true(sa.sa_handler != SIG_DFL);
	loop_free(l);
	sigaction(SIGUSR2, NULL, &sa);
	assert_true(sa.sa_handler == SIG_DFL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_run_by_deadline),
		cmocka_unit_test(test_same_deadline_keeps_insertion_order),
		cmocka_unit_test(test_timer_cancel),
		cmocka_unit_test(test_repeating_timer_cancels_itself),
		cmocka_unit_test(test_cancel_other_timer_due_same_turn),
		cmocka_unit_test(test_fd_readiness_and_removal_in_callback),
		cmocka_unit_test(test_fd_pause_with_zero_events),
		cmocka_unit_test(test_child_exit_status_and_rusage),
		cmocka_unit_test(test_child_already_exited_and_killed),
		cmocka_unit_test(test_child_watch_rejects_strangers),
		cmocka_unit_test(test_signal_delivery),
		cmocka_unit_test(test_signal_disposition_restored),
	};

	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}

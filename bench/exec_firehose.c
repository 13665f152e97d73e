/* The exec layer alone: runs a command under exec_start with its output
 * appended to a log, as the supervisor does for a stage, and prints the
 * wall time and this process's CPU time (the reader's cost).
 *
 *   exec_firehose LOG COMMAND [ARG...]
 */
#include "config.h"

#include "exec/exec.h"
#include "util/loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

struct driver {
	exec_result r;
	int done;
};

static void
driver_done(const exec_result *r, void *arg)
{
	struct driver *d = arg;

	d->r = *r;
	d->done = 1;
}

static double
driver_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
main(int argc, char **argv)
{
	struct driver d = { 0 };
	exec_spec s = { 0 };
	double t0, cpu0;
	ak_err e;
	loop *l;

	if (argc < 3) {
		fprintf(stderr, "usage: %s LOG COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	l = loop_new();
	if (!l) {
		perror("loop_new");
		return 1;
	}
	s.argv = (const char *const *)argv + 2;
	s.log_path = argv[1];
	t0 = loop_now();
	cpu0 = driver_cpu_s();
	if (!exec_start(l, &s, NULL, driver_done, &d, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	while (!d.done)
		loop_run_once(l, -1);
	printf("wall %.3f s, reader cpu %.3f s, child cpu %.3f s, child: %s\n", loop_now() - t0,
		driver_cpu_s() - cpu0, d.r.cpu_s, d.r.reason);
	loop_free(l);
	return d.r.exit_code == 0 ? 0 : 1;
}

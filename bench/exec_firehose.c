/* The exec layer alone: runs a command under exec_start with its output
 * appended to a log, as the supervisor does for a stage, and prints the
 * wall time, this process's CPU time (the reader's cost) and the child's.
 *
 *   exec_firehose [--latency] LOG COMMAND [ARG...]
 *
 * With --latency, output lines "@t=SECONDS" (the child's CLOCK_MONOTONIC,
 * Python's time.monotonic()) are timed from the child's write to their
 * arrival here, which is when they are written to the log; the median
 * and the maximum are printed.
 */
#include "config.h"

#include "exec/exec.h"
#include "util/loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define DRIVER_MAX_MARKS 100000

struct driver {
	exec_result r;
	int done;
	char line[64]; /* the start of the current output line */
	size_t line_len;
	double lat[DRIVER_MAX_MARKS];
	size_t nlat;
};

static void
driver_done(const exec_result *r, void *arg)
{
	struct driver *d = arg;

	d->r = *r;
	d->done = 1;
}

static void
driver_line_end(struct driver *d, double now)
{
	d->line[d->line_len < sizeof d->line ? d->line_len : sizeof d->line - 1] = '\0';
	if (strncmp(d->line, "@t=", 3) == 0 && d->nlat < DRIVER_MAX_MARKS)
		d->lat[d->nlat++] = now - strtod(d->line + 3, NULL);
	d->line_len = 0;
}

static void
driver_output(const char *data, size_t len, void *arg)
{
	struct driver *d = arg;
	double now = loop_now();
	size_t i;

	for (i = 0; i < len; i++) {
		if (data[i] == '\n')
			driver_line_end(d, now);
		else if (d->line_len++ < sizeof d->line - 1)
			d->line[d->line_len - 1] = data[i];
	}
}

static int
driver_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
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
	static struct driver d;
	exec_spec s = { 0 };
	int latency = argc > 1 && strcmp(argv[1], "--latency") == 0;
	double t0, cpu0;
	ak_err e;
	loop *l;

	argv += latency;
	argc -= latency;
	if (argc < 3) {
		fprintf(stderr, "usage: exec_firehose [--latency] LOG COMMAND [ARG...]\n");
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
	if (!exec_start(l, &s, latency ? driver_output : NULL, driver_done, &d, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	while (!d.done)
		loop_run_once(l, -1);
	printf("wall %.3f s, reader cpu %.3f s, child cpu %.3f s, child: %s", loop_now() - t0,
		driver_cpu_s() - cpu0, d.r.cpu_s, d.r.reason);
	if (d.nlat) {
		qsort(d.lat, d.nlat, sizeof *d.lat, driver_cmp);
		printf("; latency of %zu marks: median %.1f ms, max %.1f ms", d.nlat, d.lat[d.nlat / 2] * 1e3,
			d.lat[d.nlat - 1] * 1e3);
	}
	printf("\n");
	loop_free(l);
	return d.r.exit_code == 0 ? 0 : 1;
}

/* kaggle_unzip alone, as DATA calls it (nested zips on), for
 * bench/unzip-bench.sh: extracts ZIP into DEST and prints one line with
 * the bytes written, the progress callbacks seen and the wall time.
 *
 *   unzip_bench ZIP DEST
 */
#include "config.h"

#include "kaggle/unzip.h"

#include <stdio.h>
#include <time.h>

struct seen {
	unsigned long calls;
	uint64_t done;
};

static void
bench_progress(void *arg, uint64_t done, uint64_t total)
{
	struct seen *s = arg;

	(void)total;
	s->calls++;
	s->done = done;
}

int
main(int argc, char **argv)
{
	struct seen s = { 0 };
	kaggle_unzip_opts o = { .nested = 1, .progress = bench_progress, .arg = &s };
	struct timespec t0, t1;
	ak_err e = { 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: unzip_bench ZIP DEST\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (kaggle_unzip(argv[1], argv[2], &o, &e) < 0) {
		fprintf(stderr, "unzip_bench: %s\n", e.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%llu bytes, %lu progress calls, %.3f s\n", (unsigned long long)s.done, s.calls,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

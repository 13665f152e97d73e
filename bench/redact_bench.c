/* The redactor alone: 88 MB of one training-log line (the firehose
 * benchmark's) through redact_stream in 64 KiB feeds, with one secret
 * registered. Prints the time; for instruction counts run it under
 * `valgrind --tool=callgrind`. Build against any tree's redactor:
 *
 *   cc -O2 -I BUILD -I SRC bench/redact_bench.c SRC/util/redact.c \
 *      SRC/util/strbuf.c SRC/util/xalloc.c -o redact_bench
 */
#include "config.h"

#include "util/redact.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define BENCH_BYTES 88000000

static size_t bench_out;

static void
bench_emit(const char *data, size_t len, void *arg)
{
	(void)data;
	(void)arg;
	bench_out += len;
}

int
main(void)
{
	static char chunk[65536];
	const char *line = "[fold 1/5] iter 000042  train rmse 10.711700  valid rmse 10.792200  lr 0.0500  best 000\n";
	size_t ll = strlen(line), n = 0, i;
	struct timespec a, b;
	redact_stream *s;

	redact_add_secret("0123456789abcdef0123456789abcdef");
	while (n + ll <= sizeof chunk) {
		memcpy(chunk + n, line, ll);
		n += ll;
	}
	s = redact_stream_new(bench_emit, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < BENCH_BYTES / n; i++)
		redact_stream_feed(s, chunk, n);
	redact_stream_flush(s);
	clock_gettime(CLOCK_MONOTONIC, &b);
	redact_stream_free(s);
	printf("%zu bytes redacted in %.3f s\n", bench_out,
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}

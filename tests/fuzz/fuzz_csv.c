/* libFuzzer target for the CSV reader, the profiler's fast scanner and
 * value inference. Besides crashes and sanitizer reports it checks that
 * the scanner and the reference reader agree on the number of records,
 * and that the profile's JSON is valid. Built and run by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "data/csv.h"
#include "data/infer.h"
#include "data/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long
count_records(const char *path)
{
	csv_reader *r;
	csv_record rec;
	ak_err e;
	long n = 0;
	int k;

	r = csv_open(path, &e);
	if (!r)
		return -1;
	while ((k = csv_next(r, &rec, &e)) == 1)
		n++;
	csv_close(r);
	return k < 0 ? -1 : n;
}

static void
infer_slices(const uint8_t *data, size_t size)
{
	size_t i, start = 0;

	for (i = 0; i <= size; i++) {
		if (i < size && data[i] != ',' && data[i] != '\n')
			continue;
		{
			const char *s = (const char *)data + start;
			size_t n = i - start;
			double num;
			unsigned flags;
			char *m;

			if (!infer_missing(s, n))
				infer_value(s, n, &num, &flags);
			infer_pii(s, n);
			m = infer_display(s, n);
			free(m);
		}
		start = i + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	int fd = memfd_create("fuzz.csv", 0);
	char path[64];
	profile_opts o = {NULL, NULL, 1 + (int)(size & 1), 0};
	const char *paths[1] = {path};
	ak_err e;
	cJSON *p;
	long records;

	if (!sink)
		sink = fopen("/dev/null", "w");
	infer_slices(data, size);
	if (fd < 0 || !sink || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	records = count_records(path);
	p = profile_files(paths, 1, &o, &e);
	if (p) {
		const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "files"), 0);
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(f, "dialect");
		long rows = (long)cJSON_GetObjectItemCaseSensitive(f, "rows")->valuedouble;
		int header = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "header"));
		char *json = cJSON_PrintUnformatted(p);
		cJSON *back = cJSON_Parse(json);

		if (records >= 0 && rows + (records > 0 && header) != records) {
			fprintf(stderr, "scanner saw %ld rows, reader %ld records (header %d)\n", rows, records, header);
			abort();
		}
		if (!back)
			abort();
		profile_print_table(sink, p);
		cJSON_Delete(back);
		free(json);
		cJSON_Delete(p);
	}
	close(fd);
	return 0;
}

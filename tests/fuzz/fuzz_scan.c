/* libFuzzer target for the whole profile of a file: the threaded scanner
 * (one or two workers, chosen by the input's size), the columns'
 * statistics and the JSON. It checks that the scanner and the reference
 * reader (csv.c) agree on the number of records, that the JSON is valid,
 * and that the JSON written a column at a time is the tree's text. Slow
 * (threads and a whole profile per input): the reader, inference and
 * column statistics have fast targets of their own. Built and run by
 * ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/csv.h"
#include "data/profile.h"
#include "fuzz_file.h"

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

/* profile_write()'s JSON is cJSON_Print's text of the tree, and a line break. */
static void
check_written(const char *const *paths, const profile_opts *o, const cJSON *p)
{
	char *tree = cJSON_Print(p), *json = NULL;
	size_t len = 0, n = strlen(tree);
	FILE *f = open_memstream(&json, &len);
	ak_err e;

	if (!f || profile_write(paths, 1, o, f, NULL, &e) < 0 || fclose(f) != 0)
		abort();
	if (len != n + 1 || memcmp(json, tree, n) != 0 || json[n] != '\n')
		abort();
	free(json);
	free(tree);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));
	profile_opts o = {NULL, NULL, 1 + (int)(size & 1), 0};
	const char *paths[1] = {path};
	ak_err e;
	cJSON *p;
	long records;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
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
		check_written(paths, &o, p);
		profile_print_table(sink, p);
		cJSON_Delete(back);
		free(json);
		cJSON_Delete(p);
	}
	close(fd);
	return 0;
}

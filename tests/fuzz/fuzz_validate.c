/* libFuzzer target for the submission validator and the input id check:
 * the input holds a sample submission, a test file and a submission,
 * separated by NUL bytes, written to files and checked as VALIDATE and
 * PROFILE check them. Whatever the bytes: a report whose "ok" agrees with
 * its checks, or an error with a message. Built and run by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void
put(const char *name, const uint8_t *p, size_t n, char *path, size_t cap)
{
	FILE *f;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

/* The next NUL-separated piece of the input. */
static size_t
piece(const uint8_t *data, size_t size, size_t *at)
{
	const uint8_t *nul = *at < size ? memchr(data + *at, 0, size - *at) : NULL;
	size_t start = *at, end = nul ? (size_t)(nul - data) : size;

	*at = end < size ? end + 1 : size;
	return end - start;
}

static void
check_report(const cJSON *report, int valid)
{
	const cJSON *c;
	int all = 1;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(report, "checks"))
		all &= cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ok"));
	if (all != valid || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(report, "ok")) != valid ||
	    !validate_summary(report))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const classes[] = { "0", "1", "a" };
	char sample[128], test[128], sub[128];
	size_t at = 0, ns, nt, nb, s0, t0, b0;
	validate_spec spec = { 0 };
	cJSON *report = NULL, *problems;
	ak_err e;
	int rc;

	if (!dir[0]) {
		/* Memory-backed when there is /dev/shm: three files a run. */
		snprintf(dir, sizeof(dir), "%s/ak-fuzz-validate-%ld", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
			(long)getpid());
		mkdir(dir, 0700);
	}
	s0 = at;
	ns = piece(data, size, &at);
	t0 = at;
	nt = piece(data, size, &at);
	b0 = at;
	nb = piece(data, size, &at);
	put("sample.csv", data + s0, ns, sample, sizeof(sample));
	put("test.csv", data + t0, nt, test, sizeof(test));
	put("submission.csv", data + b0, nb, sub, sizeof(sub));
	spec.submission = sub;
	spec.sample = sample;
	spec.test = test;
	spec.id_column = "id";
	spec.classification = size > 0 && (data[0] & 1);
	spec.proba_columns = size > 0 && (data[0] & 2);
	spec.needs_proba = size > 0 && (data[0] & 4);
	spec.classes = classes;
	spec.nclasses = 3;
	e.msg[0] = '\0';
	rc = validate_submission(&spec, &report, &e);
	if (rc < 0 && !e.msg[0])
		abort();
	if (rc >= 0)
		check_report(report, rc);
	cJSON_Delete(report);
	problems = cJSON_CreateArray();
	e.msg[0] = '\0';
	rc = validate_input_ids(sample, test, "id", problems, &e);
	if ((rc < 0 && !e.msg[0]) || (rc >= 0 && cJSON_GetArraySize(problems) != rc))
		abort();
	cJSON_Delete(problems);
	return 0;
}

/* libFuzzer target for the run-option parser: the input is an argv, one
 * argument per NUL-separated piece. Every argument is consumed, refused
 * with a message, or left for the command; what is accepted stays within
 * the documented ranges and survives run.json's round trip. Built and run
 * by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/runopts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static void
check_ranges(const runopts *o)
{
	if (o->seed > 4294967295UL || o->folds < 2 || o->folds > 50 || o->threads < 0 || o->threads > 1024)
		abort();
	if (o->memory_bytes != 0 && (o->memory_bytes < RUNOPTS_MIN_MEMORY || o->memory_bytes > RUNOPTS_MAX_MEMORY))
		abort();
	if (o->budget_ms != 0 && (o->budget_ms < RUNOPTS_MIN_BUDGET_MS || o->budget_ms > RUNOPTS_MAX_BUDGET_MS))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS + 1];
	runopts o, back;
	cJSON *j;
	ak_err e;
	int argc = 0, i;
	size_t k = 0;

	memcpy(buf, data, size);
	buf[size] = '\0';
	while (k <= size && argc < MAX_ARGS) {
		argv[argc++] = buf + k;
		k += strlen(buf + k) + 1;
	}
	argv[argc] = NULL;
	runopts_init(&o);
	for (i = 0; i < argc; i++) {
		e.msg[0] = '\0';
		if (runopts_parse_one(&o, argc, argv, &i, &e) < 0 && !e.msg[0])
			abort();
	}
	check_ranges(&o);
	j = runopts_to_json(&o);
	runopts_init(&back);
	runopts_from_json(&back, j);
	check_ranges(&back);
	if (back.seed != o.seed || back.folds != o.folds || back.memory_bytes != o.memory_bytes ||
	    back.budget_ms != o.budget_ms || back.threads != o.threads || strcmp(back.family, o.family) != 0)
		abort();
	cJSON_Delete(j);
	runopts_free(&back);
	runopts_free(&o);
	free(buf);
	return 0;
}

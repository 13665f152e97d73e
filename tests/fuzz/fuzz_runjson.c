/* libFuzzer target for run.json as reindex and a rerun read it: the
 * run's row and stages (reindex_parse_runjson) and the stored options
 * (runopts_from_json, then back to JSON). Whatever the bytes, every
 * stage status read is one the machine knows. Built and run by ci-fuzz.sh. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/reindex.h"
#include "pipeline/runopts.h"
#include "util/jsonfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	store_stage st[STAGE_COUNT];
	store_run r;
	runopts o;
	cJSON *j, *back;
	ak_err e;
	int i;

	if (reindex_parse_runjson("20260101-000000-fuzz", (const char *)data, size, &r, st, &e) == 0) {
		for (i = 0; i < STAGE_COUNT; i++)
			if ((int)st[i].m.status < 0 || st[i].m.status >= STATUS_COUNT ||
			    strlen(st[i].m.done_fp) > MACHINE_FP_LEN)
				abort();
		if (!r.id || !r.status || !r.title)
			abort();
		store_run_free(&r);
	}
	j = jsonfile_parse((const char *)data, size, "run.json", &e);
	if (!j)
		return 0;
	runopts_init(&o);
	runopts_from_json(&o, cJSON_GetObjectItemCaseSensitive(j, "options"));
	if (!o.python || !o.family || o.seed > 4294967295UL || o.folds < 2 || o.folds > 50 || o.threads < 0 ||
	    o.threads > 1024 || o.budget_ms < 0 || o.budget_ms > RUNOPTS_MAX_BUDGET_MS || o.memory_bytes < 0 ||
	    o.memory_bytes > RUNOPTS_MAX_MEMORY)
		abort();
	back = runopts_to_json(&o);
	cJSON_Delete(back);
	runopts_free(&o);
	cJSON_Delete(j);
	return 0;
}

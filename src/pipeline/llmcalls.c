#include "config.h"

#include "pipeline/llmcalls.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
llmcalls_append(const char *run_dir, const store_llm_call *c)
{
	char *path = rundir_path(run_dir, RUNDIR_LLM_CALLS), *line, *full = NULL;
	cJSON *j = cJSON_CreateObject();
	int fd, rc = -1;

	cJSON_AddNumberToObject(j, "time", c->time);
	cJSON_AddStringToObject(j, "purpose", c->purpose ? c->purpose : "");
	cJSON_AddStringToObject(j, "provider", c->provider ? c->provider : "");
	cJSON_AddStringToObject(j, "model", c->model ? c->model : "");
	cJSON_AddNumberToObject(j, "input_tokens", (double)c->input_tokens);
	cJSON_AddNumberToObject(j, "output_tokens", (double)c->output_tokens);
	cJSON_AddNumberToObject(j, "cached_tokens", (double)c->cached_tokens);
	cJSON_AddNumberToObject(j, "seconds", c->seconds);
	cJSON_AddStringToObject(j, "outcome", c->outcome ? c->outcome : "");
	if (c->priced)
		cJSON_AddNumberToObject(j, "cost", c->cost);
	else
		cJSON_AddNullToObject(j, "cost");
	line = cJSON_PrintUnformatted(j);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd >= 0 && line) {
		/* One write of the whole line: concurrent writers do not interleave. */
		full = xasprintf("%s\n", line);
		rc = write(fd, full, strlen(full)) == (ssize_t)strlen(full) ? 0 : -1;
	}
	if (fd >= 0)
		close(fd);
	free(full);
	cJSON_free(line);
	cJSON_Delete(j);
	free(path);
	return rc;
}

int
llmcalls_add(store *db, const char *run_id, const char *run_dir, const store_llm_call *c, ak_err *e)
{
	store_llm_call row = *c;

	if (row.time <= 0)
		row.time = timefmt_wall_now();
	/* The row is what status and the budget read; the file is its copy
	 * for reindex, so a failure to write it loses nothing else. */
	if (run_dir)
		(void)llmcalls_append(run_dir, &row);
	return store_llm_call_add(db, run_id, &row, e);
}

int
llmcalls_reindex(store *db, const char *run_id, const char *run_dir, ak_err *e)
{
	char *path = rundir_path(run_dir, RUNDIR_LLM_CALLS), *text, *line, *next;
	store_llm_totals t;
	size_t len;
	int added = 0;

	if (store_llm_totals_get(db, run_id, &t, e) < 0) {
		free(path);
		return -1;
	}
	text = t.calls == 0 ? fs_read_file(path, &len, NULL) : NULL;
	free(path);
	for (line = text; line && *line; line = next) {
		cJSON *j;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		j = cJSON_Parse(line);
		if (cJSON_IsObject(j)) {
			const cJSON *cost = cJSON_GetObjectItemCaseSensitive(j, "cost");
			store_llm_call c = {
				.purpose = json_str(j, "purpose", ""),
				.provider = json_str(j, "provider", ""),
				.model = json_str(j, "model", ""),
				.input_tokens = (long)json_num(j, "input_tokens", 0),
				.output_tokens = (long)json_num(j, "output_tokens", 0),
				.cached_tokens = (long)json_num(j, "cached_tokens", 0),
				.seconds = json_num(j, "seconds", 0),
				.outcome = json_str(j, "outcome", ""),
				.priced = cJSON_IsNumber(cost),
				.cost = cJSON_IsNumber(cost) ? cost->valuedouble : 0,
				.time = json_num(j, "time", 0),
			};
			if (store_llm_call_add(db, run_id, &c, e) < 0) {
				cJSON_Delete(j);
				free(text);
				return -1;
			}
			added++;
		}
		cJSON_Delete(j);
	}
	free(text);
	return added;
}

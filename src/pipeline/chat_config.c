#include "config.h"

#include "pipeline/chat.h"
#include "pipeline/rundir.h"
#include "util/jsonfile.h"

#include <stdlib.h>

/* The chat's provider, one rule for `autokaggle chat` and the workbench:
 * what the caller chose, else what the run was started with. */
int
chat_config(const char *run_dir, const llm_choice *want, llm_config *cfg, ak_err *e)
{
	char *path = rundir_path(run_dir, RUNDIR_RUN_JSON);
	cJSON *j = jsonfile_load(path, NULL);
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "options");
	llm_choice c = *want;
	int rc;

	if (!c.provider)
		c.provider = json_str(o, "provider", NULL);
	if (!c.model)
		c.model = json_str(o, "model", NULL);
	if (!c.base_url)
		c.base_url = json_str(o, "base_url", NULL);
	rc = llm_config_resolve(&c, cfg, e);
	cJSON_Delete(j);
	free(path);
	return rc;
}

#include "config.h"

#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A run's options as run.json records them: read, changed by a flag (the
 * command line's parser, for rerun's flags and the workbench's commands
 * alike) and written back. The supervisor reads them when it starts, and
 * the stages that read a changed option go stale then. */

cJSON *
run_options_load(const store_run *r, runopts *o)
{
	char *path = rundir_path(r->dir, RUNDIR_RUN_JSON);
	cJSON *j = jsonfile_load(path, NULL);

	if (j)
		runopts_from_json(o, cJSON_GetObjectItemCaseSensitive(j, "options"));
	free(path);
	return j;
}

int
run_options_save(const store_run *r, cJSON *j, const runopts *o, ak_err *e)
{
	char *path = rundir_path(r->dir, RUNDIR_RUN_JSON);
	int rc;

	json_set(j, "options", runopts_to_json(o));
	rc = jsonfile_save(path, j, e);
	free(path);
	return rc;
}

/* --overview is an input of CODE and of the chat as input/overview.md:
 * copied now, so that the next chat turn reads it too. */
static int
run_options_copy_overview(const store_run *r, const runopts *o, ak_err *e)
{
	char *dst;
	int rc;

	if (!o->overview)
		return 0;
	dst = rundir_path(r->dir, RUNDIR_OVERVIEW);
	rc = fs_copy_file(o->overview, dst, 0600, e);
	free(dst);
	return rc;
}

int
run_option_set(const store_run *r, const char *flag, const char *value, ak_err *e)
{
	char *argv[] = { (char *)"set", (char *)flag, (char *)value, NULL };
	runopts o;
	cJSON *j;
	int lock, i = 1, rc;

	/* The lock first, as rerun takes it: the options in run.json are then ours to write. */
	lock = run_take_lock(r, e);
	if (lock < 0) {
		if (err_kind_of(e) == ERR_BUSY)
			err_kind_set(e, ERR_BUSY, "a stage of run %s is running: change %s when it stops (x cancels it)",
				r->id, flag);
		return -1;
	}
	runopts_init(&o);
	j = run_options_load(r, &o);
	if (!j)
		rc = err_set(e, "cannot read run %s's run.json: is its directory %s still there?", r->id, r->dir);
	else if ((rc = runopts_parse_one(&o, 3, argv, &i, e)) == 0)
		rc = err_set(e, "%s is not a run option", flag);
	else if (rc > 0 && strcmp(flag, "--overview") == 0)
		rc = run_options_copy_overview(r, &o, e);
	if (rc >= 0)
		rc = run_options_save(r, j, &o, e);
	cJSON_Delete(j);
	runopts_free(&o);
	close(lock);
	return rc < 0 ? -1 : 0;
}

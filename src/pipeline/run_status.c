#include "config.h"

#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a reader of a run shows: its status, its submission, its end. */

int
run_is_driven(const store_run *r)
{
	return rundir_is_locked(r->dir);
}

const char *
run_status_shown(const store_run *r)
{
	static const char interrupted[] = "interrupted", missing[] = "missing";

	if (!fs_is_dir(r->dir))
		return missing;
	if ((strcmp(r->status, "running") == 0 || strcmp(r->status, "created") == 0) &&
	    !rundir_is_locked(r->dir))
		return strcmp(r->status, "created") == 0 ? r->status : interrupted;
	return r->status;
}

const char *
run_stage_status_shown(const char *run_status, const store_stage *st)
{
	if ((st->m.status == STATUS_RUNNING || st->m.status == STATUS_REPAIRING) &&
	    strcmp(run_status, "interrupted") == 0)
		return "interrupted";
	return machine_status_name(st->m.status);
}

char *
run_submission_path(const store_run *r, const store_stage *st)
{
	char *p = rundir_path(r->dir, RUNDIR_SUBMISSION);

	if (st[STAGE_VALIDATE].m.status == STATUS_DONE && fs_exists(p))
		return p;
	free(p);
	return NULL;
}

/* The metric's direction comes from run.json, which knows it for a
 * user-defined metric too. */
static int
run_higher_is_better(const char *dir)
{
	char *path = rundir_path(dir, RUNDIR_RUN_JSON);
	cJSON *run = jsonfile_load(path, NULL);
	const cJSON *cv = cJSON_GetObjectItemCaseSensitive(run, "cv");
	const cJSON *hib = cJSON_GetObjectItemCaseSensitive(cv, "higher_is_better");
	int v = cJSON_IsBool(hib) ? cJSON_IsTrue(hib) : -1;

	cJSON_Delete(run);
	free(path);
	return v;
}

static void
run_outcome_failure(store *db, run_outcome *o)
{
	store_stage st[STAGE_COUNT];
	int i;

	if (store_stage_get_all(db, o->run.id, st, NULL) < 0)
		return;
	for (i = 0; i < STAGE_COUNT; i++) {
		if (st[i].m.status != STATUS_FAILED)
			continue;
		o->failed_stage = i;
		snprintf(o->message, sizeof(o->message), "%s", st[i].message);
		o->failed_log = rundir_log(o->run.dir, machine_stage_name(i));
		if (!fs_exists(o->failed_log)) {
			free(o->failed_log);
			o->failed_log = NULL;
		}
		return;
	}
}

int
run_outcome_get(store *db, const char *run_id, run_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->failed_stage = -1;
	o->higher_is_better = -1;
	if (store_run_get(db, run_id, &o->run, NULL) <= 0)
		return -1;
	if (strcmp(o->run.status, "done") == 0) {
		o->end = RUN_END_DONE;
		o->submission = rundir_path(o->run.dir, RUNDIR_SUBMISSION);
		o->higher_is_better = run_higher_is_better(o->run.dir);
	} else if (strcmp(o->run.status, "cancelled") == 0) {
		o->end = RUN_END_CANCELLED;
		o->exit_code = 130;
	} else if (strcmp(o->run.status, "failed") == 0) {
		o->end = RUN_END_FAILED;
		o->exit_code = 1;
		run_outcome_failure(db, o);
	} else if (strcmp(o->run.status, "paused") == 0) {
		o->end = RUN_END_PAUSED;
		o->exit_code = 9;
	} else {
		o->end = RUN_END_STOPPED;
		o->exit_code = 1;
	}
	return 0;
}

void
run_outcome_free(run_outcome *o)
{
	store_run_free(&o->run);
	free(o->failed_log);
	free(o->submission);
	memset(o, 0, sizeof(*o));
}

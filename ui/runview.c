#include "config.h"

#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "ui/runview.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A sample older than this is of a supervisor that is gone. */
#define RUNVIEW_USAGE_FRESH_S 5.0

static cJSON *
runview_load(const char *dir, const char *rel)
{
	char *path = rundir_path(dir, rel);
	cJSON *j = jsonfile_load(path, NULL);

	free(path);
	return j;
}

double
runview_public_score(store *db, const char *run_id)
{
	store_submission *subs = NULL;
	size_t n = 0, i;
	double best = NAN;

	if (store_submission_list(db, NULL, run_id, &subs, &n, NULL) < 0)
		return NAN;
	for (i = 0; i < n; i++)
		if (!isnan(subs[i].public_score))
			best = subs[i].public_score;
	store_submission_list_free(subs, n);
	return best;
}

static int
runview_subs_today(runview *v)
{
	store_submission *subs = NULL;
	size_t n = 0, i;
	time_t now = time(NULL);
	int count = 0;
	const char *slug = json_str(v->competition, "ref", "");

	if (!*slug || store_submission_list(v->db, slug, NULL, &subs, &n, NULL) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((long long)subs[i].time / 86400 == (long long)now / 86400)
			count++;
	store_submission_list_free(subs, n);
	return count;
}

void
runview_reload(runview *v)
{
	store_run r;

	if (store_run_get(v->db, v->run.id, &r, NULL) == 1) {
		store_run_free(&v->run);
		v->run = r;
	}
	store_stage_get_all(v->db, v->run.id, v->st, NULL);
	store_attempt_counts(v->db, v->run.id, v->attempts, NULL);
	/* The lock says whether a supervisor drives the run, before the
	 * store's status catches up with a re-run it just started. */
	v->locked = run_is_driven(&v->run);
	snprintf(v->status, sizeof(v->status), "%s", v->locked ? "running" : run_status_shown(&v->run));
	/* The inputs appear once META and PROFILE ran, and change on a re-run. */
	cJSON_Delete(v->competition);
	cJSON_Delete(v->profile);
	v->competition = runview_load(v->run.dir, RUNDIR_COMPETITION);
	v->profile = runview_load(v->run.dir, RUNDIR_PROFILE);
	v->public_score = runview_public_score(v->db, v->run.id);
	v->subs_today = runview_subs_today(v);
	runview_usage_reload(v);
}

runview *
runview_open(store *db, const char *run_id, ak_err *e)
{
	runview *v = xcalloc(1, sizeof(*v));
	int rc;

	v->db = db;
	rc = store_run_get(db, run_id, &v->run, e);
	if (rc != 1) {
		if (rc == 0)
			err_set(e, "no run '%s' in this workspace: see autokaggle list", run_id);
		free(v);
		return NULL;
	}
	runview_reload(v);
	return v;
}

void
runview_usage_reload(runview *v)
{
	usage_report_free(&v->usage);
	usage_read(v->run.dir, &v->usage);
}

const usage_figures *
runview_usage_now(const runview *v)
{
	int stage = runview_running(v);

	if (stage < 0 || v->usage.stage != stage || timefmt_wall_now() - v->usage.time > RUNVIEW_USAGE_FRESH_S)
		return NULL;
	return &v->usage.now;
}

const usage_figures *
runview_usage_peak(const runview *v, int stage)
{
	size_t i;

	if (runview_usage_now(v) && v->usage.stage == stage)
		return &v->usage.peak;
	for (i = v->usage.nattempts; i-- > 0;)
		if (v->usage.attempts[i].stage == stage)
			return &v->usage.attempts[i].peak;
	return NULL;
}

void
runview_close(runview *v)
{
	if (!v)
		return;
	store_run_free(&v->run);
	cJSON_Delete(v->competition);
	cJSON_Delete(v->profile);
	usage_report_free(&v->usage);
	free(v);
}

int
runview_running(const runview *v)
{
	int i;

	if (!v->locked)
		return -1;
	for (i = 0; i < STAGE_COUNT; i++)
		if (v->st[i].m.status == STATUS_RUNNING || v->st[i].m.status == STATUS_REPAIRING)
			return i;
	return -1;
}

double
runview_elapsed(const runview *v, int stage, double now)
{
	const store_stage *s = &v->st[stage];

	if (s->started <= 0)
		return 0;
	if ((s->m.status == STATUS_RUNNING || s->m.status == STATUS_REPAIRING) && v->locked)
		return now - s->started;
	if (s->wall_s > 0)
		return s->wall_s;
	return s->ended > s->started ? s->ended - s->started : 0;
}

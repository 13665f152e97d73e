#include "config.h"

#include "pipeline/run.h"
#include "ui/actions.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Takes the run's lock and hands it to a supervisor. */
static int
actions_start(app *a, const store_run *r, const char *stage, int retry)
{
	ak_err e = { 0 };
	int lock;

	if (run_check_room(a->ctx->workspace, &e) < 0 || (lock = run_take_lock(r, &e)) < 0) {
		app_status(a, 1, "%s", e.msg);
		return -1;
	}
	if (run_start(a->ctx->workspace, r, lock, stage, retry, NULL, &e) < 0) {
		app_status(a, 1, "%s", e.msg);
		return -1;
	}
	if (a->fw)
		follow_started(a->fw);
	return 0;
}

static int
actions_idle(app *a)
{
	runview_reload(a->rv);
	if (!a->rv->locked)
		return 1;
	app_status(a, 1, "a stage is running: x cancels it first");
	return 0;
}

void
actions_rerun(app *a)
{
	if (!a->rv || !actions_idle(a))
		return;
	if (actions_start(a, &a->rv->run, NULL, 1) == 0)
		app_status(a, 0, "re-running the failed and stale stages of %s", a->rv->run.id);
}

void
actions_rerun_stage(app *a, int stage)
{
	if (!a->rv || !actions_idle(a))
		return;
	if (actions_start(a, &a->rv->run, machine_stage_name(stage), 0) == 0)
		app_status(a, 0, "re-running %s and what it makes stale", machine_stage_name(stage));
}

void
actions_cancel(app *a)
{
	ak_err e = { 0 };

	if (!a->rv)
		return;
	runview_reload(a->rv);
	if (!a->rv->locked) {
		app_status(a, 0, "nothing is running");
		return;
	}
	if (run_request_cancel(&a->rv->run, &e) < 0)
		app_status(a, 1, "%s", e.msg);
	else
		app_status(a, 0, "cancelling the running stage...");
}

void
actions_new_run(app *a, const char *src)
{
	run_source s;
	store_run r;
	runopts o;
	ak_err e = { 0 };
	int rc;

	if (!*src)
		return;
	if (run_source_resolve(src, &s, &e) < 0) {
		app_status(a, 1, "%s", e.msg);
		return;
	}
	runopts_init(&o);
	memset(&r, 0, sizeof(r));
	rc = run_check_room(a->ctx->workspace, &e);
	if (rc == 0)
		rc = run_create(a->db, a->ctx->workspace, &s, &o, &r, &e);
	if (rc < 0)
		app_status(a, 1, "%s", e.msg);
	else if (actions_start(a, &r, NULL, 0) == 0 && app_open_run(a, r.id) == 0)
		app_status(a, 0, "run %s started", r.id);
	store_run_free(&r);
	runopts_free(&o);
	run_source_free(&s);
}

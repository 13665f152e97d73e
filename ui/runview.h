#ifndef AK_UI_RUNVIEW_H
#define AK_UI_RUNVIEW_H

#include <cjson/cJSON.h>

#include "pipeline/usage.h"
#include "store/store.h"

/* The model of the run the workbench shows: what the store and the run
 * directory say, re-read when the run's events say something changed.
 * The TUI decides nothing about the run: this is all it knows. */

typedef struct runview {
	store *db;
	store_run run;
	store_stage st[STAGE_COUNT];
	int attempts[STAGE_COUNT];
	char status[32];        /* run_status_shown's */
	int locked;             /* a supervisor drives the run */
	double public_score;    /* the newest scored submission's, NaN when none */
	int subs_today;         /* submissions to the competition today (UTC) */
	cJSON *competition;     /* input/competition.json, NULL until META wrote it */
	cJSON *profile;         /* input/data_profile.json, NULL until PROFILE wrote it */
	usage_report usage;     /* the running stage's resources, each attempt's peaks */
} runview;

/* Reads run_id; NULL with e set when it is unknown. */
runview *runview_open(store *db, const char *run_id, ak_err *e);
void runview_close(runview *v);
/* Reads the run and its stages again. */
void runview_reload(runview *v);
/* Reads the resource figures again (once a second: the supervisor
 * samples that often). */
void runview_usage_reload(runview *v);
/* The running stage's figures now, NULL when there are none (no stage
 * runs, or nothing sampled it lately). */
const usage_figures *runview_usage_now(const runview *v);
/* The peaks of stage's last attempt (or of the attempt running), NULL
 * when none were sampled. */
const usage_figures *runview_usage_peak(const runview *v, int stage);
/* The RUNNING or REPAIRING stage, or -1. */
int runview_running(const runview *v);
/* Seconds a stage has run (so far, when it runs), 0 when never. */
double runview_elapsed(const runview *v, int stage, double now);
/* The newest public score among submissions, NaN when none (helper for
 * the run list too). */
double runview_public_score(store *db, const char *run_id);

#endif

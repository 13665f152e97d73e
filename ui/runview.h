#ifndef AK_UI_RUNVIEW_H
#define AK_UI_RUNVIEW_H

#include <cjson/cJSON.h>

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
} runview;

/* Reads run_id; NULL with e set when it is unknown. */
runview *runview_open(store *db, const char *run_id, ak_err *e);
void runview_close(runview *v);
/* Reads the run and its stages again. */
void runview_reload(runview *v);
/* The RUNNING or REPAIRING stage, or -1. */
int runview_running(const runview *v);
/* Seconds a stage has run (so far, when it runs), 0 when never. */
double runview_elapsed(const runview *v, int stage, double now);
/* The newest public score among submissions, NaN when none (helper for
 * the run list too). */
double runview_public_score(store *db, const char *run_id);

#endif

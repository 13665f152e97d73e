#ifndef AK_UI_ACTIONS_H
#define AK_UI_ACTIONS_H

#include "ui/app.h"

/* What the workbench's keys ask of the run, through the run model only
 * (pipeline/run.h): the supervisor drives; the TUI starts it, asks it to
 * cancel, and follows. Each says what happened on the status line. */

/* r: continues the run, re-running its failed, cancelled or stale stages. */
void actions_rerun(app *a);
/* R (after picking): re-runs stage and what it makes stale. */
void actions_rerun_stage(app *a, int stage);
/* x: cancels the running stage. */
void actions_cancel(app *a);
/* Starts a new run from a URL, slug or folder, and opens it. */
void actions_new_run(app *a, const char *src);

#endif

#ifndef AK_UI_SUBMIT_H
#define AK_UI_SUBMIT_H

#include "ui/app.h"

/* s: the run's submission to Kaggle without blocking the loop. The
 * pre-flight gate's local part (pipeline/submit_gate.h) first; then
 * `autokaggle submit RUN --check` as a child, whose checks (today's count
 * and what is left among them) fill a popup with the file and the CV;
 * y then runs `autokaggle submit RUN --wait` as a child, and the status
 * line follows it to the public score. Quitting meanwhile leaves the
 * child to finish: the submission is recorded in the workspace. */

typedef struct submit_job submit_job;

/* Starts the checks (or says why the run cannot be submitted). */
void submit_start(app *a);
/* A key while the popup shows. */
void submit_popup_key(app *a, int key);
/* Draws the popup (chrome's last layer). */
void submit_draw(app *a);
/* 1 while the submission itself (not its checks) is under way. */
int submit_sending(const app *a);
/* Forgets the job (the workbench ends); a child goes on alone. */
void submit_close(app *a);

#endif

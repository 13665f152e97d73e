#ifndef AK_SESSION_H
#define AK_SESSION_H

#include "store/store.h"
#include "util/err.h"
#include "util/loop.h"

/* The session drives one run: it feeds the state machine with what it
 * observes on disk and with stage outcomes, writes every transition to the
 * store (and run.json) before acting on it, and carries out the actions by
 * starting stages. It runs inside the run's supervisor process. */

typedef struct session session;

/* Loads the run (its run.json, stages from the store). */
session *session_open(store *db, const char *run_id, loop *l, ak_err *e);
void session_close(session *s);

/* Starts driving: rerun_stage >= 0 re-runs that stage; otherwise the plan
 * continues, and with retry_failed a failed or cancelled plan stage is
 * tried again (the user fixed something). The loop then runs until the
 * session calls loop_quit() with its exit code: 0 done, 1 failed,
 * 130 cancelled. */
void session_start(session *s, int rerun_stage, int retry_failed);

/* The user asked to stop: the running stage is cancelled. */
void session_cancel(session *s);

/* For a run nobody drives (its supervisor died): ends what its running
 * stages left behind, marks them and the run cancelled and records it.
 * Returns how many stages were running (0: nothing was changed). */
int session_settle(session *s);

/* A front end showing the run changed the size of the terminal TRAIN
 * and PREDICT run on (the run's size file): the running child's follows. */
void session_tty_resize(session *s);

/* Sets space aside in the run directory (.reserve) that the session
 * gives back when a write fails on a full disk, so that the outcome of
 * the run is still recorded; released when the session closes. */
void session_keep_reserve(session *s);
/* Gives the space back at once (the disk filled up under a stage). */
void session_release_reserve(session *s);

/* Makes the session end, when a stage ends, every process left below
 * this one: the supervisor is its children's subreaper, so what a stage
 * detached from its own session lands here. */
void session_reap_strays(session *s);

#endif

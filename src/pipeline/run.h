#ifndef AK_RUN_H
#define AK_RUN_H

#include <cjson/cJSON.h>
#include <sys/types.h>

#include "pipeline/machine.h"
#include "pipeline/runopts.h"
#include "store/store.h"
#include "util/err.h"

/* The run model every front end shares: where a new run's data comes
 * from, creating the run, handing it to its supervisor, the status a
 * reader shows, and how a run ended. The headless front end and the TUI
 * both go through it; neither knows run.json or a run directory's layout. */

/* Where a new run's data comes from. */
typedef struct run_source {
	char *dir;   /* a local competition directory, or where the cache holds a Kaggle competition's data */
	char *slug;  /* the Kaggle competition, or NULL for a local directory */
	char *name;  /* what names the run: the directory's base name, "demo" or the slug */
} run_source;

/* SRC as a user gives it: a local directory when one exists by that name
 * (it must hold train, test and sample_submission), else a competition's
 * URL or slug. -1 with e set (ERR_INPUT, or the URL parser's kind). */
int run_source_resolve(const char *src, run_source *out, ak_err *e);
/* A local competition directory named name (the demo's). */
int run_source_local(const char *dir, const char *name, run_source *out, ak_err *e);
void run_source_free(run_source *s);

/* -1 with e set when the disk holding the workspace is too full to start
 * a run (it would fail at its first write with a worse message). */
int run_check_room(const char *workspace, ak_err *e);

/* Creates the run directory, its run.json and its row in the store; out
 * is filled (free with store_run_free). -1 with e set. */
int run_create(store *db, const char *workspace, const run_source *src, const runopts *o, store_run *out,
	ak_err *e);

/* Takes the run's lock for the supervisor about to start: the fd, or -1
 * with e set (ERR_BUSY when another process drives the run). */
int run_take_lock(const store_run *r, ak_err *e);

/* Hands the run and its lock (closed here) to a detached supervisor.
 * rerun_stage re-runs that stage; else the plan continues, retrying a
 * failed stage when retry is set. With notify_rd, *notify_rd gets a pipe
 * end that reaches EOF when the supervisor exits. Returns its pid, or -1. */
pid_t run_start(const char *workspace, const store_run *r, int lock, const char *rerun_stage, int retry,
	int *notify_rd, ak_err *e);

/* The run's options as its run.json records them, read over o
 * (runopts_init's); returns run.json for run_options_save, NULL when it
 * cannot be read (o unchanged). */
cJSON *run_options_load(const store_run *r, runopts *o);
/* Writes o into j as its options and j to the run's run.json; j stays the
 * caller's. 0, or -1 with e set. */
int run_options_save(const store_run *r, cJSON *j, const runopts *o, ak_err *e);
/* Sets one run option as its command-line flag would on rerun ("--budget",
 * "30m"): parsed over the run's options, so a bad value changes nothing
 * and e holds the flag's own message. --overview FILE is copied to
 * input/overview.md at once. ERR_BUSY while a supervisor drives the run.
 * The stages that read the option go stale when the run continues. */
int run_option_set(const store_run *r, const char *flag, const char *value, ak_err *e);

/* Asks the run's supervisor to cancel the running stage (SIGTERM, which
 * it turns into a cancel). -1 with e set (ERR_BUSY) when the process
 * holding the run is not its recorded supervisor. */
int run_request_cancel(const store_run *r, ak_err *e);
/* The size (cols x rows) of the terminal that shows the run's output (a
 * front end's pane): written to the run directory for the TRAIN and
 * PREDICT to come, and passed on now to the one running, whose
 * supervisor a SIGWINCH asks to look (sent only to a process that is the
 * run's supervisor). 0, or -1 with e set when it cannot be written. */
int run_tell_tty_size(store *db, const char *run_id, int cols, int rows, ak_err *e);
/* 1 when pid is the supervisor of run_id (its command line says so). */
int run_is_supervisor(pid_t pid, const char *run_id);

/* The id of the run's newest event, 0 when none: follow from there. */
long long run_last_event_id(store *db, const char *run_id);

/* 1 when a supervisor drives the run now (it holds the run's lock). */
int run_is_driven(const store_run *r);
/* The status a reader should show: "missing" when the run's directory is
 * gone, "interrupted" when the run claims to be running but no process
 * holds its lock. Returns a static string or r->status. */
const char *run_status_shown(const store_run *r);
/* A stage's status as shown: "interrupted" for one that claims to run in
 * an interrupted run (run_status: run_status_shown's). */
const char *run_stage_status_shown(const char *run_status, const store_stage *st);
/* The run's validated submission, or NULL while there is none; caller frees. */
char *run_submission_path(const store_run *r, const store_stage *st);

/* How a run ended, for a closing summary. */
typedef enum run_end {
	RUN_END_DONE,
	RUN_END_CANCELLED,
	RUN_END_FAILED,
	RUN_END_PAUSED,   /* its LLM budget is used up */
	RUN_END_STOPPED,  /* it stopped while still claiming another status */
} run_end;

typedef struct run_outcome {
	store_run run;
	run_end end;
	int exit_code;           /* what the command line exits with: 0, 1, 9 or 130 */
	int failed_stage;        /* the failed stage, or -1 */
	char message[512];       /* its last message */
	char *failed_log;        /* its log when there is one, else NULL */
	char *submission;        /* RUN_END_DONE: where the submission is */
	int higher_is_better;    /* the metric's direction: 1, 0, or -1 unknown */
} run_outcome;

/* 0 with *o filled (free with run_outcome_free), -1 when the run is unknown. */
int run_outcome_get(store *db, const char *run_id, run_outcome *o);
void run_outcome_free(run_outcome *o);

#endif

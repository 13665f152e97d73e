#ifndef AK_RUNDIR_H
#define AK_RUNDIR_H

#include "util/err.h"

/* A run directory: runs/{run_id}/ with input/ code/ env/ output/ logs/.
 * One per run, never shared; inspectable with ls and cat. */

/* The files of a run directory that stages and front ends name, relative
 * to it: the one place that spells them (logs: rundir_log). */
#define RUNDIR_RUN_JSON "run.json"
#define RUNDIR_COMPETITION "input/competition.json"
#define RUNDIR_PROFILE "input/data_profile.json"
#define RUNDIR_DATA_HASHES "input/data_hashes.json"
#define RUNDIR_OVERVIEW "input/overview.md"    /* --overview's copy */
#define RUNDIR_CODE "code"
#define RUNDIR_REQUIREMENTS "env/requirements.txt"
#define RUNDIR_VENV "env/venv"
#define RUNDIR_METRICS "output/metrics.json"
#define RUNDIR_SUBMISSION "output/submission.csv"
#define RUNDIR_VALIDATION "output/validation.json"
#define RUNDIR_LLM_CALLS "logs/llm_calls.jsonl" /* each LLM call, for reindex */
#define RUNDIR_CLIPBOARD "clipboard.txt"   /* what the workbench copied, when nothing else took it */
#define RUNDIR_USAGE "logs/usage.json"     /* the running stage's CPU, memory and GPU, and each attempt's peaks */
#define RUNDIR_TTY_SIZE "tty.size"         /* the terminal TRAIN and PREDICT see (pipeline/ttysize.h) */

/* Creates a fresh run directory under workspace (0700) and returns its id
 * ("20261125-163012-name", with "-2", "-3"... when taken); *dir gets the
 * absolute path. name is reduced to [a-z0-9-]. */
char *rundir_create(const char *workspace, const char *name, char **dir, ak_err *e);

/* Takes the run's lock without waiting. Returns an fd to keep open while
 * the run is driven; -1 with *busy = 1 when another process holds it. */
int rundir_lock(const char *dir, int *busy, ak_err *e);

/* 1 when a live process holds the run's lock. */
int rundir_is_locked(const char *dir);

/* dir/rel; caller frees. */
char *rundir_path(const char *dir, const char *rel);
/* dir/logs/NAME.log: a stage's log ("train"), the run's ("run") or the
 * supervisor's own ("supervisor"); caller frees. */
char *rundir_log(const char *dir, const char *name);

#endif

#ifndef AK_STAGE_H
#define AK_STAGE_H

/* Internal to src/pipeline: the session's state as the stages see it, and
 * the ops table each stage implements (one file per stage family). */

#include <cjson/cJSON.h>
#include <stddef.h>

#include "codegen/metric.h"
#include "exec/exec.h"
#include "pipeline/machine.h"
#include "pipeline/runopts.h"
#include "store/store.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/loop.h"

typedef struct stage_outcome {
	int ok;
	int repairable;   /* a failure the LLM could repair (a traceback) */
	int cancelled;
	/* The stage's inputs were only known by what it did (DATA hashes the
	 * files): its fingerprint is taken again when it succeeds. */
	int refingerprint;
	/* The stage's after-callback started its next step (another child):
	 * the stage ends later, from that step. */
	int continued;
	int exit_code;
	double cpu_s;
	long maxrss_kb;
	char message[512];
} stage_outcome;

/* What the run knows about its competition once META and PROFILE ran. */
typedef struct session_facts {
	char *title;
	char *train, *test, *sample;   /* absolute data paths */
	task_kind task;
	char *target, *id_col;
	const metric_info *metric;
	const char *metric_source;     /* "metric_file", "option", "competition" or "default" */
	char *metric_warning;          /* why the metric is not the one asked for, or NULL */
	int higher_is_better, needs_proba;
	int proba_columns;
	char **classes;
	size_t nclasses;
} session_facts;

typedef struct session {
	store *db;
	loop *l;
	char *run_id;
	char *dir;
	char *self_exe;
	cJSON *run;                 /* run.json */
	runopts opts;
	machine_state m;
	store_stage st[STAGE_COUNT];
	session_facts facts;
	int running;                /* stage id, or -1 */
	char running_fp[MACHINE_FP_LEN + 1];
	double running_started;     /* monotonic */
	exec_proc *child;
	int cancel_requested;
	int start_stage, start_retry; /* what session_start was asked, for the plan */
	int start_timer;
	int finished;
	int reap_strays;            /* see session_reap_strays */
	char *reserve;              /* see session_keep_reserve, or NULL */
	char status[16];            /* the run's: running, done, failed, cancelled */
	int progress_timer;         /* polls a remote executor while its step runs, or 0 */
	char progress_last[64];     /* the status word last noted */
} session;

typedef struct stage_ops {
	/* Feeds the stage's own inputs (beyond the upstream stage's result). */
	void (*fingerprint)(session *s, hash_ctx *h);
	/* Starts the stage. It ends through session_stage_end(), now or later
	 * from the loop; -1 means it could not start (message in e). */
	int (*start)(session *s, ak_err *e);
} stage_ops;

extern const stage_ops stage_meta_ops, stage_data_ops, stage_profile_ops, stage_code_ops,
	stage_env_ops, stage_train_ops, stage_predict_ops, stage_validate_ops;

/* The fingerprint of a stage's inputs as they are now: its own inputs
 * (ops->fingerprint) and the upstream stage's last success. */
void session_fingerprint(session *s, machine_stage_id id, char out[MACHINE_FP_LEN + 1]);
/* Records the running stage's child (its session and start time) in the
 * store, so that a later rerun or cancel can end what is left of it. */
void session_record_child(session *s);
/* When evidence (a child's last line, an error) says a disk is full:
 * writes what to do into msg (where, how much is free) and returns 1. */
int session_disk_full(session *s, const char *evidence, char *msg, size_t n);
/* Reports the end of the running stage. */
void session_stage_end(session *s, const stage_outcome *o);
/* An info/warning line in the run's event log and logs/run.log. */
void session_note(session *s, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* dir/rel, caller frees. */
char *session_path(const session *s, const char *rel);
/* Writes run.json from the session's state. */
int session_save_runjson(session *s, ak_err *e);

/* Before a plan is made for a run whose DATA is done: the data files that
 * are not known as they are now (touched, copied, an index rebuilt) are
 * hashed again in a child, so that a file whose bytes did not change does
 * not make everything below DATA stale. Returns 1 when a child started
 * (then() is called when it ends), 0 when nothing had to be checked. */
int stage_data_verify(session *s, void (*then)(session *s), ak_err *e);

/* Reads input/competition.json, input/data_profile.json and the options
 * into s->facts; -1 with a message saying what to pass when the task
 * cannot be determined. */
int session_facts_load(session *s, ak_err *e);
void session_facts_free(session_facts *f);

/* Runs a child for the running stage with the stage log; after() turns
 * its result into the outcome (may be NULL: exit status 0 = success). */
typedef void (*stage_after_fn)(session *s, const exec_result *r, stage_outcome *o);
int stage_spawn(session *s, const char *const *argv, const exec_limits *lim,
	const char *const *env_extra, stage_after_fn after, ak_err *e);

/* The same in cwd instead of the run directory. */
int stage_spawn_in(session *s, const char *cwd, const char *const *argv, const exec_limits *lim,
	const char *const *env_extra, stage_after_fn after, ak_err *e);
/* The limits every child of the run gets (memory, threads). */
exec_limits stage_limits(const session *s);
/* The environment of the model scripts ("K=V", strv_free). */
char **stage_model_env(const session *s);

/* Checks a submission file against a sample submission and test (the
 * sample run's; NULL for the run's own), with what the run knows of its
 * task: validate_submission's 1 / 0 / -1 and report. */
int stage_validate_file(session *s, const char *sub, const char *sample, const char *test, cJSON **report,
	ak_err *e);

/* --sample N (stage_sample.c): whether TRAIN must first run the sample
 * (asked, and not passed yet for TRAIN's inputs as they are), and the
 * sample run itself, which starts the full one when it passed. */
int stage_sample_needed(session *s);
int stage_sample_start(session *s, ak_err *e);
/* TRAIN's full run, under the run's executor. */
int stage_train_full_start(session *s, ak_err *e);

#endif

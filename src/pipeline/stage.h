#ifndef AK_STAGE_H
#define AK_STAGE_H

/* Internal to src/pipeline: the session's state as the stages see it, and
 * the ops table each stage implements (one file per stage family). */

#include <cjson/cJSON.h>
#include <stddef.h>

#include "codegen/metric.h"
#include "codegen/blocks.h"
#include "exec/exec.h"
#include "llm/llm.h"
#include "pipeline/machine.h"
#include "pipeline/runopts.h"
#include "pipeline/ttysize.h"
#include "store/store.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/loop.h"
#include "util/redact.h"

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

typedef struct session session;
/* The end of an LLM call of the session: r->text is valid during the
 * call only; e is NULL on success. */
typedef void (*session_llm_done_fn)(session *s, const llm_result *r, const ak_err *e);
/* The end of an install (see stage_install): ok, or why not in msg. */
typedef void (*stage_install_fn)(session *s, int ok, const char *msg);

/* The session's one LLM call at a time, and an install of new code. */
typedef struct session_llm {
	http *http;                 /* made on first use */
	llm_stream *stream;         /* the call under way, or NULL */
	struct chat *chat;          /* the brief's chat turn under way, or NULL */
	int refingerprint;          /* CODE's inputs changed under it (the brief's decisions) */
	FILE *log;                  /* where its reply streams (a stage log) */
	redact_stream *redact;
	char purpose[16];
	session_llm_done_fn done;
	/* The code a call started from (CODE: the templates; a repair: the
	 * run's), which the reply's files overlay. */
	codegen_block *base;
	size_t nbase;
	/* The install under way: its files, origin and callback. */
	exec_proc *check;
	char *tmp;
	char origin[16];
	char install_log[16];       /* the stage log the compiler writes to */
	stage_install_fn installed;
} session_llm;

struct session {
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
	ttysize tty;                /* the last good size file's, 0x0 before one (stage_tty.c) */
	struct usage_meter *usage;  /* samples the running stage's child, or NULL */
	int cancel_requested;
	int start_stage, start_retry; /* what session_start was asked, for the plan */
	int start_timer;
	int finished;
	int reap_strays;            /* see session_reap_strays */
	char *reserve;              /* see session_keep_reserve, or NULL */
	char status[16];            /* the run's: running, done, failed, cancelled */
	int progress_timer;         /* polls a remote executor while its step runs, or 0 */
	char progress_last[64];     /* the status word last noted */
	session_llm llm;
	char pause_reason[400];     /* why the run paused (the LLM budget) */
};

/* The supervisor's exit status for a paused run (the front end says why). */
#define SESSION_EXIT_PAUSED 9

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
/* An event of stage (which need not be running). */
void session_event_note(session *s, machine_stage_id stage, const char *kind, const char *msg);
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
/* A child on a pty starts at the size the run's size file says, else
 * at the last good one (stage_tty.c). */
void stage_tty_spec(session *s, exec_spec *spec);
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

/* The last line a child wrote to the log at path (usually the
 * exception), skipping the executor's own "[autokaggle] ..." lines;
 * redacted, cut to n. */
void stage_log_last_line(const char *path, char *out, size_t n);

/* LLM calls of the session (stage_llm.c). */

/* 1 when CODE and repairs use an LLM (cfg filled: llm_config_clean it),
 * 0 when the templates write the code (--offline, or no provider is set up
 * and none was named: then why is filled when something half set up was
 * ignored, else ""), -1 when a provider named cannot be used (e set). */
int session_llm_config(session *s, llm_config *cfg, char *why, size_t whylen, ak_err *e);
/* Starts one call on the session's loop: the reply streams (redacted)
 * into logs/LOG.log, its tokens and time are recorded in the store when
 * it ends, then done runs. -1 with e set when it cannot start. */
int session_llm_ask(session *s, const char *purpose, const char *log, const char *system, const char *user,
	session_llm_done_fn done, ak_err *e);
/* The session's HTTP client, made on first use; NULL with e set. */
http *session_llm_http(session *s, ak_err *e);
/* Stops the call under way (done is not called) and any install. */
void session_llm_cancel(session *s);
/* Tokens (in + out) the run's LLM calls used so far. */
long session_llm_used(session *s);
/* 1 when --llm-budget is set and used up. */
int session_llm_budget_spent(session *s);
void session_llm_free(session *s);
/* The "llm" object of run.json: provider, model, calls, tokens, budget. */
cJSON *session_llm_json(session *s);

/* Installs new code (stage_install.c): base's files overlaid with
 * reply's are written to a folder beside code/, each Python file is
 * compiled by the run's interpreter (output to logs/LOG.log), and only
 * when all compile do they replace the run's files (the replaced ones
 * kept in code/history/STAMP/), recorded as a version of origin. done
 * runs from the loop. -1 with e set when nothing could be started. */
int stage_install(session *s, const codegen_block *base, size_t nbase, const codegen_block *reply, size_t nreply,
	const char *origin, const char *log, stage_install_fn done, ak_err *e);

/* Repairs (stage_repair.c): asks the LLM to fix stage's code after a
 * failure; ends with EV_REPAIRED or EV_REPAIR_FAILED fed to the machine. */
void stage_repair_start(session *s, machine_stage_id stage);
/* Feeds a repair's outcome to the machine (session.c). */
void session_repair_end(session *s, machine_stage_id stage, int repaired, const char *msg);

#endif

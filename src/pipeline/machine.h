#ifndef AK_MACHINE_H
#define AK_MACHINE_H

#include <stddef.h>

/* The pipeline's state machine: pure code, no I/O.
 * machine_step(state, event) -> (state, actions). The session feeds it
 * events (inputs observed, stage finished, user requests) and carries out
 * the actions it returns, after writing the new state to the store. */

#define MACHINE_FP_LEN 64

/* X(ENUM, name, title): stage order is pipeline order. */
#define MACHINE_STAGES(X)                       \
	X(META, "meta", "competition metadata") \
	X(DATA, "data", "data files")           \
	X(PROFILE, "profile", "data profile")   \
	X(CODE, "code", "pipeline code")        \
	X(ENV, "env", "python environment")     \
	X(TRAIN, "train", "training")           \
	X(PREDICT, "predict", "prediction")     \
	X(VALIDATE, "validate", "validation")   \
	X(SUBMIT, "submit", "submission")

#define MACHINE_STAGE_ENUM(e, n, t) STAGE_##e,
typedef enum machine_stage_id { MACHINE_STAGES(MACHINE_STAGE_ENUM) STAGE_COUNT } machine_stage_id;
#undef MACHINE_STAGE_ENUM

/* X(ENUM, name) */
#define MACHINE_STATUSES(X)        \
	X(IDLE, "idle")            \
	X(RUNNING, "running")      \
	X(DONE, "done")            \
	X(FAILED, "failed")        \
	X(STALE, "stale")          \
	X(CANCELLED, "cancelled")  \
	X(REPAIRING, "repairing")

#define MACHINE_STATUS_ENUM(e, n) STATUS_##e,
typedef enum machine_status { MACHINE_STATUSES(MACHINE_STATUS_ENUM) STATUS_COUNT } machine_status;
#undef MACHINE_STATUS_ENUM

typedef struct machine_stage {
	machine_status status;
	char input_fp[MACHINE_FP_LEN + 1]; /* fingerprint of its inputs now ("" = unknown) */
	char done_fp[MACHINE_FP_LEN + 1];  /* fingerprint of its inputs at its last success */
	int attempts;                      /* runs started since the last success */
	int repairs;                       /* repairs asked since the last success */
} machine_stage;

typedef struct machine_state {
	machine_stage st[STAGE_COUNT];
	int repair_max;  /* repairs allowed per failing TRAIN/PREDICT */
	int want_submit; /* SUBMIT belongs to the plan */
} machine_state;

typedef enum machine_event_kind {
	EV_INPUTS,     /* stage's input fingerprint observed: fp */
	EV_CONTINUE,   /* advance to the plan (start, or after the user fixed something) */
	EV_DONE,       /* stage succeeded; fp = the input fingerprint it ran with */
	EV_FAILED,     /* stage failed; repairable = the failure may be repaired (a traceback) */
	EV_RERUN,      /* the user asks to re-run stage (and whatever that makes stale) */
	EV_CANCEL,     /* the user cancels the running stage */
	EV_CANCELLED,  /* the running stage stopped after a cancel */
	EV_REPAIRED,   /* a repair of stage produced new code: run it again */
	EV_REPAIR_FAILED, /* no usable repair came back */
	EV_PAUSE,      /* the stage about to run must wait (the LLM budget is used up) */
} machine_event_kind;

typedef struct machine_event {
	machine_event_kind kind;
	machine_stage_id stage;
	const char *fp;
	int repairable;
} machine_event;

typedef enum machine_action_kind {
	ACT_RUN,       /* start stage */
	ACT_REPAIR,    /* ask for a repair of stage's code */
	ACT_KILL,      /* stop the running stage */
	ACT_WAIT_USER, /* stage failed or was cancelled: nothing runs until the user acts */
	ACT_FINISHED,  /* every planned stage is done and fresh */
	ACT_INVALIDATE, /* stage's outputs are now stale: the session may mark them (display) */
	ACT_PAUSE,     /* the run pauses before stage: nothing runs until the user continues it */
} machine_action_kind;

typedef struct machine_action {
	machine_action_kind kind;
	machine_stage_id stage;
} machine_action;

#define MACHINE_MAX_ACTIONS (STAGE_COUNT + 2)

const char *machine_stage_name(machine_stage_id s);
const char *machine_stage_title(machine_stage_id s);
/* -1 when name is not a stage name (case-insensitive). */
int machine_stage_from_name(const char *name);
const char *machine_status_name(machine_status st);
int machine_status_from_name(const char *name);

/* All stages idle, no fingerprints. */
void machine_init(machine_state *m, int repair_max);

/* Applies ev to *m in place and writes up to MACHINE_MAX_ACTIONS actions.
 * Returns the number of actions. Rules:
 * - A stage is fresh when DONE and input_fp equals done_fp.
 * - The plan is the first stage, in order, that is not fresh (SUBMIT only
 *   when want_submit). An empty plan yields ACT_FINISHED.
 * - EV_INPUTS records input_fp; a DONE stage whose fp changed becomes
 *   STALE, and staleness flows to every DONE, FAILED or CANCELLED stage
 *   below it (ACT_INVALIDATE for each stage that turned stale). A FAILED
 *   stage whose own inputs changed stays FAILED until EV_RERUN.
 * - EV_CONTINUE with nothing RUNNING/REPAIRING: if the plan stage is
 *   FAILED or CANCELLED, ACT_WAIT_USER; otherwise it becomes RUNNING and
 *   ACT_RUN. While something runs, EV_CONTINUE does nothing.
 * - EV_DONE: DONE with done_fp = fp, attempts/repairs reset, then the
 *   next plan step as EV_CONTINUE would (ACT_RUN or ACT_FINISHED).
 * - EV_FAILED: TRAIN/PREDICT with repairable set and repairs < repair_max
 *   become REPAIRING with ACT_REPAIR; otherwise FAILED and ACT_WAIT_USER.
 * - EV_REPAIRED: RUNNING again, ACT_RUN. EV_REPAIR_FAILED: FAILED, ACT_WAIT_USER.
 * - EV_RERUN (ignored while a stage is RUNNING or REPAIRING): the stage
 *   becomes STALE with attempts/repairs reset, every DONE, FAILED or
 *   CANCELLED stage below it becomes STALE (ACT_INVALIDATE), then the plan
 *   proceeds from the first
 *   non-fresh stage as EV_CONTINUE would, FAILED/CANCELLED stages above
 *   it still waiting for the user.
 * - EV_PAUSE: a RUNNING stage that has not started yet goes back to STALE
 *   (IDLE when it never succeeded), its attempt not counted: ACT_PAUSE.
 * - EV_CANCEL: a RUNNING stage gets ACT_KILL; a REPAIRING one becomes
 *   CANCELLED at once with ACT_WAIT_USER. EV_CANCELLED: CANCELLED, ACT_WAIT_USER.
 * - Events that do not apply (EV_DONE for a stage that is not running...)
 *   change nothing and return 0 actions. */
size_t machine_step(machine_state *m, const machine_event *ev, machine_action *acts);

/* The stage the plan would run next, or -1 when everything is fresh. */
int machine_plan(const machine_state *m);
/* The RUNNING or REPAIRING stage, or -1. */
int machine_running(const machine_state *m);
int machine_is_fresh(const machine_state *m, machine_stage_id s);

#endif

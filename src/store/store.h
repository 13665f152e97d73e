#ifndef AK_STORE_H
#define AK_STORE_H

#include <stddef.h>

#include "pipeline/machine.h"
#include "util/err.h"

/* The workspace database (sqlite3, WAL): it indexes runs, stages,
 * attempts, events, chat messages and settings. Run directories hold the
 * artifacts. Every writer of a run is its supervisor process; other
 * processes (status, list, a TUI) read concurrently. */

typedef struct store store;

typedef enum store_mode {
	/* Creates the workspace directory (0700) and the database when
	 * missing, and migrates it: what a run's writer uses. */
	STORE_WRITE,
	/* For readers (status, list, logs): the database opened read-only, so
	 * a full disk or a read-only filesystem does not stop them. A missing
	 * or older database is made or migrated when the workspace is
	 * writable; where nothing can be written, the index is built in
	 * memory instead (store_fallback_note says why). */
	STORE_READ,
} store_mode;

/* Opens workspace_dir/autokaggle.db. Foreign keys and WAL are on; the
 * -wal and -shm files are kept between connections. */
store *store_open(const char *workspace_dir, store_mode mode, ak_err *e);
void store_close(store *s);
/* 1 when the index was empty on open (the database was missing, or a
 * reader fell back to memory): fill it from the run directories. */
int store_is_new(const store *s);
int store_is_readonly(const store *s);
/* Why a reader uses an index in memory, or NULL. */
const char *store_fallback_note(const store *s);
/* The workspace directory as given to store_open. */
const char *store_workspace(const store *s);
/* The schema version reached by the migrations (PRAGMA user_version). */
int store_schema_version(store *s);

typedef struct store_run {
	char *id;          /* e.g. "20261125-163012-demo" */
	char *dir;         /* WORKSPACE/ID, filled on read (never stored: workspaces move) */
	char *source;      /* local directory or competition slug */
	char *title;
	char *task;        /* binary|multiclass|regression or "" */
	char *target;
	char *id_column;
	char *metric;
	char *status;      /* machine-independent run status: created, running, done, failed, cancelled, interrupted */
	double created;    /* unix seconds */
	double updated;
	int supervisor_pid;
	double cv_score;   /* NaN until known */
} store_run;

/* Inserts a run; id must be unique. Strings may be NULL (stored as ""). */
int store_run_create(store *s, const store_run *r, ak_err *e);
/* 1 found (fields filled; free with store_run_free), 0 not found, -1 error. */
int store_run_get(store *s, const char *id, store_run *out, ak_err *e);
/* Newest first. *runs is an array of n runs; free with store_run_list_free. */
int store_run_list(store *s, store_run **runs, size_t *n, ak_err *e);
/* Replaces every column of the run r->id. */
int store_run_update(store *s, const store_run *r, ak_err *e);
/* Sets the status and stamps updated with the current time. */
int store_run_set_status(store *s, const char *id, const char *status, ak_err *e);
/* Drops a run and its stages, attempts, events and messages. */
int store_run_delete(store *s, const char *id, ak_err *e);
void store_run_free(store_run *r);
void store_run_list_free(store_run *runs, size_t n);

/* Stage rows mirror machine_stage plus the measurements of the last attempt. */
typedef struct store_stage {
	machine_stage m;
	double started, ended; /* unix seconds, 0 = never */
	int exit_code;
	double wall_s, cpu_s;
	long maxrss_kb;
	char message[512];     /* last outcome in one line ("exited with status 1") */
	/* The process session the stage's child leads (0 = none) and its
	 * leader's start time in clock ticks since boot, with the boot's id:
	 * enough to find what is left of it after a supervisor died. */
	int proc_sid;
	long long proc_start;
	char proc_boot[40];
} store_stage;

/* Writes one stage of a run (insert or replace). */
int store_stage_set(store *s, const char *run_id, machine_stage_id id, const store_stage *st, ak_err *e);
/* Fills all STAGE_COUNT stages; stages never written come back idle and zeroed. */
int store_stage_get_all(store *s, const char *run_id, store_stage out[STAGE_COUNT], ak_err *e);
/* Writes all stages in one transaction (the machine state after a step). */
int store_stage_set_all(store *s, const char *run_id, const store_stage st[STAGE_COUNT], ak_err *e);

/* One execution of a stage; n is 1-based per (run, stage). */
typedef struct store_attempt {
	machine_stage_id stage;
	int n;
	double started, ended;
	int exit_code;
	double wall_s, cpu_s;
	long maxrss_kb;
	char *outcome;   /* done, failed, cancelled, ... */
	char *message;
} store_attempt;
/* Records an attempt numbered by the store, next after the stage's last
 * one (a->n is ignored): returns that n, or -1. */
int store_attempt_add(store *s, const char *run_id, const store_attempt *a, ak_err *e);
int store_attempt_list(store *s, const char *run_id, store_attempt **out, size_t *n, ak_err *e);
void store_attempt_list_free(store_attempt *a, size_t n);
/* Attempts per stage over the run's life (the machine's counter only
 * covers those since the last success). */
int store_attempt_counts(store *s, const char *run_id, int counts[STAGE_COUNT], ak_err *e);

/* The event log of a run, in order; what front ends follow. */
typedef struct store_event {
	long long id;     /* increasing */
	double time;
	char *stage;      /* stage name or "" */
	char *kind;       /* started, done, failed, cancelled, info, warning, error, ... */
	char *message;
} store_event;
/* Returns the new event id, or -1. */
long long store_event_add(store *s, const char *run_id, const char *stage, const char *kind, const char *message, ak_err *e);
/* Events with id > after_id, oldest first, at most max (0 = all). */
int store_events_since(store *s, const char *run_id, long long after_id, size_t max, store_event **out, size_t *n, ak_err *e);
void store_events_free(store_event *ev, size_t n);

/* Chat messages (role: user, assistant, system), stored redacted. */
int store_message_add(store *s, const char *run_id, const char *role, const char *content, ak_err *e);
typedef struct store_message {
	double time;
	char *role, *content;
} store_message;
/* The run's messages, oldest first; free with store_message_list_free. */
int store_message_list(store *s, const char *run_id, store_message **out, size_t *n, ak_err *e);
void store_message_list_free(store_message *m, size_t n);

/* One call to an LLM (schema 5, cost 6); tokens are -1 where the provider
 * did not say, stored as 0. */
typedef struct store_llm_call {
	const char *purpose;    /* code, repair, chat, decisions */
	const char *provider, *model;
	long input_tokens, output_tokens, cached_tokens;
	double seconds;
	const char *outcome;    /* done, failed, cancelled */
	int priced;             /* cost is known (llm/price.h) */
	double cost;            /* dollars */
	double time;            /* when (seconds since the epoch), 0: now */
} store_llm_call;
int store_llm_call_add(store *s, const char *run_id, const store_llm_call *c, ak_err *e);
/* The run's calls summed; zeros when it made none. */
typedef struct store_llm_totals {
	long calls, input_tokens, output_tokens;
	double seconds;
	double cost;            /* dollars, of the priced calls */
	long unpriced;          /* calls whose model has no price */
} store_llm_totals;
int store_llm_totals_get(store *s, const char *run_id, store_llm_totals *t, ak_err *e);

/* One version of a run's code (schema 5); its files are in
 * code/.versions/N/. */
typedef struct store_version {
	int n;                  /* 1-based per run */
	double time;
	char *origin;           /* template, llm, repair, hand edit, restore */
	char *fp;               /* the hash of its files */
	double cv;              /* NaN until trained */
	char *note;
} store_version;
/* Records the next version (returned, or -1), made at time (unix
 * seconds; 0: now). */
int store_version_add(store *s, const char *run_id, const char *origin, const char *fp, const char *note,
	double time, ak_err *e);
int store_version_set_cv(store *s, const char *run_id, int n, double cv, ak_err *e);
/* Oldest first; free with store_version_list_free. */
int store_version_list(store *s, const char *run_id, store_version **out, size_t *n, ak_err *e);
void store_version_list_free(store_version *v, size_t n);

/* What identifies a data file's content without reading it: a file whose
 * size and mtime are unchanged counts as changed only when its inode,
 * device or ctime changed too (a rewrite in place with a faked mtime
 * still moves the ctime). */
typedef struct store_file_key {
	const char *path;
	long long size, mtime_ns, ctime_ns, inode, dev;
} store_file_key;
/* 1 with the file's SHA-256 when the same key was hashed before, 0 when
 * not, -1 on error. */
int store_file_hash_get(store *s, const store_file_key *k, char sha256[65], ak_err *e);
int store_file_hash_put(store *s, const store_file_key *k, const char *sha256, ak_err *e);

/* Workspace settings: key/value text. 1 found (*value malloc'd), 0 absent. */
int store_setting_get(store *s, const char *key, char **value, ak_err *e);
int store_setting_set(store *s, const char *key, const char *value, ak_err *e);

/* A submission to Kaggle (schema 4). */
typedef struct store_submission {
	long long id;           /* set by store_submission_add */
	char *run_id, *slug;
	long long ref;          /* Kaggle's, 0 until CreateSubmission answered */
	double time;            /* unix seconds */
	char *message;          /* stored redacted */
	char *file_sha256;
	char *code_fp;          /* the hash of the run's code/ when submitted */
	double cv;              /* the run's CV score, NaN when unknown */
	double public_score;    /* NaN until scored */
	char *status;           /* pending, complete, error */
	char *error;            /* Kaggle's errorDescription */
} store_submission;

/* Records a submission; sets sub->id. */
int store_submission_add(store *s, store_submission *sub, ak_err *e);
/* Updates ref, public_score, status and error of sub->id. */
int store_submission_update(store *s, const store_submission *sub, ak_err *e);
/* Oldest first; slug and run_id filter when not NULL. Free with
 * store_submission_list_free. */
int store_submission_list(store *s, const char *slug, const char *run_id, store_submission **out, size_t *n,
	ak_err *e);
void store_submission_list_free(store_submission *v, size_t n);

#endif

#include "config.h"

#include "exec/proctree.h"
#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What the last records of a run take (a few database pages, run.json,
 * log lines), many times over. */
#define SESSION_RESERVE_BYTES (4LL << 20)

static const stage_ops *const session_ops[STAGE_COUNT] = {
	[STAGE_META] = &stage_meta_ops,
	[STAGE_DATA] = &stage_data_ops,
	[STAGE_PROFILE] = &stage_profile_ops,
	[STAGE_CODE] = &stage_code_ops,
	[STAGE_ENV] = &stage_env_ops,
	[STAGE_TRAIN] = &stage_train_ops,
	[STAGE_PREDICT] = &stage_predict_ops,
	[STAGE_VALIDATE] = &stage_validate_ops,
};

static void session_perform(session *s, const machine_action *acts, size_t n);

char *
session_path(const session *s, const char *rel)
{
	return fs_join(s->dir, rel);
}

static void
session_log_line(session *s, const char *stage, const char *kind, const char *msg)
{
	char *path = rundir_log(s->dir, "run"), *clean = redact_string(msg);
	char stamp[TIMEFMT_ISO_LEN];
	FILE *f = fopen(path, "a");

	timefmt_iso_utc(time(NULL), stamp);
	if (f) {
		fprintf(f, "%s [%s] %s: %s\n", stamp, stage && *stage ? stage : "run", kind, clean);
		fclose(f);
	}
	free(clean);
	free(path);
}

/* A write failed: when the disk is full, the space set aside for this
 * moment is given back, so that the run's outcome can still be recorded.
 * 1 when a retry may now succeed. */
static int
session_free_reserve(session *s, const ak_err *e)
{
	if (!err_is_disk_full(e) || !s->reserve || unlink(s->reserve) < 0)
		return 0;
	free(s->reserve);
	s->reserve = NULL;
	return 1;
}

static void
session_event(session *s, const char *stage, const char *kind, const char *msg)
{
	ak_err e;

	session_log_line(s, stage, kind, msg);
	if (store_event_add(s->db, s->run_id, stage ? stage : "", kind, msg, &e) < 0 &&
	    (!session_free_reserve(s, &e) || store_event_add(s->db, s->run_id, stage ? stage : "", kind, msg, &e) < 0))
		session_log_line(s, stage, "error", e.msg);
}

void
session_event_note(session *s, machine_stage_id stage, const char *kind, const char *msg)
{
	session_event(s, machine_stage_name(stage), kind, msg);
}

void
session_note(session *s, const char *kind, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	session_event(s, s->running >= 0 ? machine_stage_name(s->running) : "", kind, msg);
	free(msg);
}

/* What the run learnt about the task, once PROFILE has told it. */
static cJSON *
session_task_json(const session_facts *f)
{
	cJSON *t = cJSON_CreateObject(), *classes;
	size_t i;

	cJSON_AddStringToObject(t, "type", task_name(f->task));
	cJSON_AddStringToObject(t, "target", f->target);
	cJSON_AddStringToObject(t, "id", f->id_col);
	cJSON_AddStringToObject(t, "metric", f->metric->name);
	cJSON_AddStringToObject(t, "metric_source", f->metric_source);
	if (f->metric_warning)
		cJSON_AddStringToObject(t, "metric_warning", f->metric_warning);
	cJSON_AddBoolToObject(t, "higher_is_better", f->higher_is_better);
	cJSON_AddBoolToObject(t, "needs_proba", f->needs_proba);
	cJSON_AddStringToObject(t, "submission_format", f->proba_columns ? "proba_columns" : "label");
	classes = cJSON_AddArrayToObject(t, "classes");
	for (i = 0; i < f->nclasses; i++)
		cJSON_AddItemToArray(classes, cJSON_CreateString(f->classes[i]));
	return t;
}

/* run.json: static parts come from creation; stages, options and the
 * task are rewritten here after every transition. */
int
session_save_runjson(session *s, ak_err *e)
{
	cJSON *stages = cJSON_CreateObject();
	int attempts[STAGE_COUNT];
	char *path;
	int i, rc;

	store_attempt_counts(s->db, s->run_id, attempts, NULL);
	for (i = 0; i < STAGE_COUNT; i++) {
		const store_stage *st = &s->st[i];
		cJSON *o = cJSON_AddObjectToObject(stages, machine_stage_name(i));
		cJSON_AddStringToObject(o, "status", machine_status_name(st->m.status));
		cJSON_AddNumberToObject(o, "attempts", attempts[i]);
		cJSON_AddNumberToObject(o, "started", st->started);
		cJSON_AddNumberToObject(o, "ended", st->ended);
		cJSON_AddNumberToObject(o, "wall_s", st->wall_s);
		cJSON_AddNumberToObject(o, "cpu_s", st->cpu_s);
		cJSON_AddNumberToObject(o, "maxrss_kb", (double)st->maxrss_kb);
		cJSON_AddNumberToObject(o, "exit_code", st->exit_code);
		cJSON_AddStringToObject(o, "input_fingerprint", st->m.input_fp);
		cJSON_AddStringToObject(o, "done_fingerprint", st->m.done_fp);
		if (st->message[0])
			cJSON_AddStringToObject(o, "message", st->message);
	}
	json_set(s->run, "status", cJSON_CreateString(s->status));
	if (s->facts.title)
		json_set(s->run, "title", cJSON_CreateString(s->facts.title));
	json_set(s->run, "stages", stages);
	json_set(s->run, "options", runopts_to_json(&s->opts));
	json_set(s->run, "llm", session_llm_json(s));
	if (s->facts.metric && s->facts.target && s->facts.id_col && s->facts.task != TASK_UNKNOWN)
		json_set(s->run, "task", session_task_json(&s->facts));
	path = session_path(s, "run.json");
	rc = jsonfile_save(path, s->run, e);
	free(path);
	return rc;
}

static void
set_field(char **field, const char *v)
{
	if (!v)
		return;
	free(*field);
	*field = xstrdup(v);
}

/* The run row carries what `list` shows: title, task, metric, score. */
static void
session_update_run_row(session *s)
{
	const session_facts *f = &s->facts;
	const cJSON *cv = cJSON_GetObjectItemCaseSensitive(s->run, "cv");
	store_run r;
	ak_err e;

	if (store_run_get(s->db, s->run_id, &r, &e) <= 0)
		return;
	set_field(&r.status, s->status);
	set_field(&r.title, f->title);
	if (f->task != TASK_UNKNOWN)
		set_field(&r.task, task_name(f->task));
	set_field(&r.target, f->target);
	set_field(&r.id_column, f->id_col);
	if (f->metric)
		set_field(&r.metric, f->metric->name);
	r.cv_score = json_num(cv, "cv_mean", NAN);
	if (store_run_update(s->db, &r, &e) < 0 && (!session_free_reserve(s, &e) || store_run_update(s->db, &r, &e) < 0))
		session_log_line(s, "", "error", e.msg);
	store_run_free(&r);
}

/* The store is written before any action is taken, so another process
 * (status, a re-opened TUI) never sees an action without its cause. */
static void
session_persist(session *s)
{
	ak_err e;
	int i;

	for (i = 0; i < STAGE_COUNT; i++)
		s->st[i].m = s->m.st[i];
	if (store_stage_set_all(s->db, s->run_id, s->st, &e) < 0 &&
	    (!session_free_reserve(s, &e) || store_stage_set_all(s->db, s->run_id, s->st, &e) < 0))
		session_log_line(s, "", "error", e.msg);
	if (session_save_runjson(s, &e) < 0 && (!session_free_reserve(s, &e) || session_save_runjson(s, &e) < 0))
		session_log_line(s, "", "error", e.msg);
	session_update_run_row(s);
}

void
session_fingerprint(session *s, machine_stage_id id, char out[MACHINE_FP_LEN + 1])
{
	hash_ctx h;

	hash_init(&h);
	hash_update_str(&h, machine_stage_name(id));
	if (id > 0)
		hash_update_str(&h, s->m.st[id - 1].done_fp);
	if (session_ops[id])
		session_ops[id]->fingerprint(s, &h);
	hash_final_hex(&h, out);
}

static size_t
session_step(session *s, machine_event_kind kind, machine_stage_id stage, const char *fp,
	int repairable, machine_action *acts)
{
	machine_event ev = { .kind = kind, .stage = stage, .fp = fp, .repairable = repairable };

	return machine_step(&s->m, &ev, acts);
}

/* Observes every stage's inputs; stages whose inputs changed turn stale. */
static void
session_refresh_inputs(session *s)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	char fp[MACHINE_FP_LEN + 1];
	int i;

	for (i = 0; i < STAGE_COUNT; i++) {
		if (!session_ops[i])
			continue;
		session_fingerprint(s, i, fp);
		session_step(s, EV_INPUTS, i, fp, 0, acts);
	}
}

static void
session_finish(session *s, const char *status, int code)
{
	if (s->finished)
		return;
	s->finished = 1;
	snprintf(s->status, sizeof(s->status), "%s", status);
	session_persist(s);
	session_event(s, "", "finished", status);
	loop_quit(s->l, code);
}

static void
session_start_stage(session *s, machine_stage_id id)
{
	store_stage *st = &s->st[id];
	ak_err e;

	s->running = id;
	session_fingerprint(s, id, s->running_fp);
	s->running_started = loop_now();
	st->started = timefmt_wall_now();
	st->ended = 0;
	st->message[0] = '\0';
	session_event(s, machine_stage_name(id), "started", "started");
	if (s->cancel_requested) {
		stage_outcome o = { .cancelled = 1 };
		snprintf(o.message, sizeof(o.message), "cancelled before it began");
		session_stage_end(s, &o);
		return;
	}
	if (!session_ops[id]) {
		stage_outcome o = { 0 };
		snprintf(o.message, sizeof(o.message),
			"the %s stage needs the Kaggle client, which this build does not have yet",
			machine_stage_name(id));
		session_stage_end(s, &o);
		return;
	}
	if (session_ops[id]->start(s, &e) < 0) {
		stage_outcome o = { 0 };
		snprintf(o.message, sizeof(o.message), "%.500s", e.msg);
		session_stage_end(s, &o);
	}
}

static void
session_start_timer(loop *l, void *arg)
{
	session *s = arg;
	int id = machine_running(&s->m);

	(void)l;
	s->start_timer = 0;
	if (id < 0 || s->running >= 0)
		return;
	if (session_llm_budget_spent(s)) {
		machine_action acts[MACHINE_MAX_ACTIONS];
		size_t n;

		snprintf(s->pause_reason, sizeof(s->pause_reason),
			"paused before %s: the LLM budget of %ld tokens is used up (%ld used); "
			"continue with: autokaggle rerun %s --llm-budget TOKENS",
			machine_stage_name(id), s->opts.llm_budget, session_llm_used(s), s->run_id);
		n = session_step(s, EV_PAUSE, id, NULL, 0, acts);
		session_perform(s, acts, n);
		return;
	}
	session_start_stage(s, id);
}

static void
session_record_attempt(session *s, machine_stage_id id, const stage_outcome *o, const char *outcome)
{
	store_stage *st = &s->st[id];
	store_attempt a = {
		.stage = id,
		.n = s->m.st[id].attempts,
		.started = st->started,
		.ended = st->ended,
		.exit_code = st->exit_code,
		.wall_s = st->wall_s,
		.cpu_s = st->cpu_s,
		.maxrss_kb = st->maxrss_kb,
		.outcome = (char *)outcome,
		.message = (char *)o->message,
	};
	ak_err e;

	if (store_attempt_add(s->db, s->run_id, &a, &e) < 0 &&
	    (!session_free_reserve(s, &e) || store_attempt_add(s->db, s->run_id, &a, &e) < 0))
		session_log_line(s, machine_stage_name(id), "error", e.msg);
}

static void
session_note_done(session *s, machine_stage_id id, const stage_outcome *o)
{
	char *msg;

	if (o->message[0])
		msg = xasprintf("done in %.1fs (%s)", s->st[id].wall_s, o->message);
	else
		msg = xasprintf("done in %.1fs", s->st[id].wall_s);
	session_event(s, machine_stage_name(id), "done", msg);
	free(msg);
}

void
session_stage_end(session *s, const stage_outcome *o)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	machine_stage_id id = s->running;
	store_stage *st = &s->st[id];
	const char *name = machine_stage_name(id);
	size_t n;

	s->running = -1;
	s->child = NULL;
	st->proc_sid = 0;
	st->proc_start = 0;
	st->proc_boot[0] = '\0';
	/* A supervisor that is its children's subreaper inherits what a stage
	 * detached from its session: none of it outlives the stage. */
	if (s->reap_strays)
		proctree_kill_descendants(getpid(), SIGKILL);
	st->ended = timefmt_wall_now();
	st->wall_s = loop_now() - s->running_started;
	st->cpu_s = o->cpu_s;
	st->maxrss_kb = o->maxrss_kb;
	st->exit_code = o->exit_code;
	snprintf(st->message, sizeof(st->message), "%s", o->message);
	if (o->ok) {
		if (o->refingerprint) {
			session_fingerprint(s, id, s->running_fp);
			session_step(s, EV_INPUTS, id, s->running_fp, 0, acts);
		}
		n = session_step(s, EV_DONE, id, s->running_fp, 0, acts);
		session_record_attempt(s, id, o, "done");
		session_note_done(s, id, o);
	} else if (o->cancelled) {
		n = session_step(s, EV_CANCELLED, id, NULL, 0, acts);
		session_record_attempt(s, id, o, "cancelled");
		session_event(s, name, "cancelled", o->message[0] ? o->message : "cancelled");
	} else {
		char *log = rundir_log(s->dir, name);
		char *msg = fs_exists(log) ? xasprintf("failed: %s (see %s)", o->message, log)
					   : xasprintf("failed: %s", o->message);
		n = session_step(s, EV_FAILED, id, NULL, o->repairable, acts);
		session_record_attempt(s, id, o, "failed");
		session_event(s, name, "failed", msg);
		free(msg);
		free(log);
	}
	if (o->ok)
		session_refresh_inputs(s);
	session_perform(s, acts, n);
}

/* Stops the running stage: its child, or its LLM call (which then ends
 * here, as no callback follows a cancelled stream). */
static void
session_kill(session *s)
{
	if (s->child) {
		exec_cancel(s->child);
	} else if (s->llm.stream || s->llm.chat) {
		stage_outcome o = { .cancelled = 1 };
		session_llm_cancel(s);
		snprintf(o.message, sizeof(o.message), "cancelled while the LLM was replying");
		session_stage_end(s, &o);
	} else if (s->llm.check) {
		exec_cancel(s->llm.check);
	}
}

void
session_repair_end(session *s, machine_stage_id stage, int repaired, const char *msg)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	stage_outcome o = { .ok = repaired };
	size_t n;

	snprintf(o.message, sizeof(o.message), "%s", msg);
	session_record_attempt(s, stage, &o, repaired ? "repaired" : "repair failed");
	session_event(s, machine_stage_name(stage), repaired ? "info" : "warning", msg);
	/* The new code is the stage's input now: observed before it runs,
	 * or its success would not count as fresh. */
	if (repaired)
		session_refresh_inputs(s);
	n = session_step(s, repaired ? EV_REPAIRED : EV_REPAIR_FAILED, stage, NULL, 0, acts);
	session_perform(s, acts, n);
}

static void
session_perform(session *s, const machine_action *acts, size_t n)
{
	size_t i;

	session_persist(s);
	for (i = 0; i < n; i++) {
		const machine_action *a = &acts[i];
		switch (a->kind) {
		case ACT_RUN:
			/* Started from the loop, so that a chain of quick stages
			 * does not recurse and a cancel can slip in between. */
			if (!s->start_timer)
				s->start_timer = loop_timer_add(s->l, 0, 0, session_start_timer, s);
			break;
		case ACT_KILL:
			session_kill(s);
			break;
		case ACT_REPAIR:
			stage_repair_start(s, a->stage);
			break;
		case ACT_PAUSE:
			session_event(s, machine_stage_name(a->stage), "warning", s->pause_reason);
			session_finish(s, "paused", SESSION_EXIT_PAUSED);
			break;
		case ACT_WAIT_USER:
			session_finish(s, s->m.st[a->stage].status == STATUS_CANCELLED ? "cancelled" : "failed",
				s->m.st[a->stage].status == STATUS_CANCELLED ? 130 : 1);
			break;
		case ACT_FINISHED:
			session_finish(s, "done", 0);
			break;
		case ACT_INVALIDATE:
			session_log_line(s, machine_stage_name(a->stage), "stale",
				"inputs changed since its last success");
			break;
		}
	}
}

/* Ends what a stage started, as far as it is still there after the
 * process that watched it died; returns how many processes it stopped. */
static int
session_end_leftovers(session *s, machine_stage_id id)
{
	store_stage *st = &s->st[id];
	proctree_stamp stamp = { .pid = st->proc_sid, .start = st->proc_start };
	int n = 0;

	snprintf(stamp.boot, sizeof(stamp.boot), "%s", st->proc_boot);
	if (stamp.pid > 0)
		n = proctree_kill_recorded_session(&stamp, SIGKILL);
	st->proc_sid = 0;
	st->proc_start = 0;
	st->proc_boot[0] = '\0';
	return n;
}

/* Stages left RUNNING by a supervisor that died cannot be trusted: what
 * they left running is ended, and they count as cancelled. Returns how
 * many stages it found so. */
static int
session_recover_interrupted(session *s)
{
	int i, found = 0;

	for (i = 0; i < STAGE_COUNT; i++) {
		machine_stage *m = &s->m.st[i];
		int killed = session_end_leftovers(s, i);

		if (m->status != STATUS_RUNNING && m->status != STATUS_REPAIRING)
			continue;
		found++;
		m->status = STATUS_CANCELLED;
		snprintf(s->st[i].message, sizeof(s->st[i].message),
			"interrupted: the process driving the run stopped%s",
			killed ? "; ended what it left running" : "");
		session_log_line(s, machine_stage_name(i), "warning", s->st[i].message);
	}
	return found;
}

int
session_settle(session *s)
{
	int found = session_recover_interrupted(s);

	if (found) {
		snprintf(s->status, sizeof(s->status), "cancelled");
		s->finished = 1;
		session_persist(s);
		session_event(s, "", "finished", "cancelled");
	}
	return found;
}

void
session_record_child(session *s)
{
	store_stage *st = &s->st[s->running];
	proctree_stamp stamp;
	ak_err e;

	if (!s->child || proctree_stamp_of(exec_pid(s->child), &stamp) < 0)
		return;
	st->proc_sid = stamp.pid;
	st->proc_start = stamp.start;
	snprintf(st->proc_boot, sizeof(st->proc_boot), "%s", stamp.boot);
	st->m = s->m.st[s->running];
	if (store_stage_set(s->db, s->run_id, s->running, st, &e) < 0)
		session_log_line(s, machine_stage_name(s->running), "error", e.msg);
}

/* --overview FILE becomes input/overview.md, an input of CODE. */
static void
session_copy_overview(session *s)
{
	char *dst;
	ak_err e;

	if (!s->opts.overview)
		return;
	dst = session_path(s, RUNDIR_OVERVIEW);
	if (fs_copy_file(s->opts.overview, dst, 0600, &e) < 0)
		session_event(s, "", "warning", e.msg);
	free(dst);
}

static void
session_plan(session *s)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	int rerun_stage = s->start_stage, plan;
	size_t n;

	/* Facts are missing before PROFILE has run; the stages that need
	 * them load them again and fail with the reason. */
	session_facts_load(s, NULL);
	session_copy_overview(s);
	session_refresh_inputs(s);
	plan = machine_plan(&s->m);
	if (rerun_stage < 0 && s->start_retry && plan >= 0 &&
	    (s->m.st[plan].status == STATUS_FAILED || s->m.st[plan].status == STATUS_CANCELLED))
		rerun_stage = plan;
	if (rerun_stage >= 0)
		n = session_step(s, EV_RERUN, rerun_stage, NULL, 0, acts);
	else
		n = session_step(s, EV_CONTINUE, 0, NULL, 0, acts);
	session_perform(s, acts, n);
}

void
session_start(session *s, int rerun_stage, int retry_failed)
{
	ak_err e;

	snprintf(s->status, sizeof(s->status), "running");
	s->start_stage = rerun_stage;
	s->start_retry = retry_failed;
	session_recover_interrupted(s);
	if (stage_data_verify(s, session_plan, &e) == 0)
		session_plan(s);
}

void
session_reap_strays(session *s)
{
	s->reap_strays = 1;
}

void
session_keep_reserve(session *s)
{
	char *p = session_path(s, ".reserve");
	ak_err e;

	if (fs_reserve(p, SESSION_RESERVE_BYTES, &e) < 0) {
		session_log_line(s, "", "warning", e.msg);
		free(p);
		return;
	}
	free(s->reserve);
	s->reserve = p;
}

int
session_disk_full(session *s, const char *evidence, char *msg, size_t n)
{
	static const char *const signs[] = {
		"No space left on device", "[Errno 28]", "ENOSPC", "Disk quota exceeded", "[Errno 122]",
	};
	const char *ws = store_workspace(s->db);
	long long free_b = fs_free_bytes(s->dir);
	size_t i;

	for (i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (evidence && strstr(evidence, signs[i]))
			break;
	if (i == sizeof(signs) / sizeof(signs[0]))
		return 0;
	/* What comes next (the outcome, the logs) needs the room now. */
	session_release_reserve(s);
	if (free_b >= 0 && free_b < SESSION_RESERVE_BYTES * 4)
		snprintf(msg, n, "the disk holding the workspace %s is full (%.1f MB free): free some space, "
			"then autokaggle rerun %s", ws, (double)free_b / 1e6, s->run_id);
	else
		snprintf(msg, n, "a disk is full (no space left on device); the workspace's has %.1f MB free, so check "
			"TMPDIR and the data's disk, then autokaggle rerun %s", (double)free_b / 1e6, s->run_id);
	return 1;
}

void
session_release_reserve(session *s)
{
	if (s->reserve)
		unlink(s->reserve);
	free(s->reserve);
	s->reserve = NULL;
}

void
session_cancel(session *s)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	int id = machine_running(&s->m);
	size_t n;

	if (s->finished)
		return;
	s->cancel_requested = 1;
	if (id >= 0 && s->m.st[id].status == STATUS_REPAIRING)
		session_llm_cancel(s);
	if (id < 0) {
		/* Checking the data before the plan: stop that. */
		if (s->child)
			exec_cancel(s->child);
		return;
	}
	session_event(s, machine_stage_name(id), "info", "cancel requested");
	n = session_step(s, EV_CANCEL, id, NULL, 0, acts);
	session_perform(s, acts, n);
}

session *
session_open(store *db, const char *run_id, loop *l, ak_err *e)
{
	session *s = xcalloc(1, sizeof(*s));
	store_run r;
	char *path;
	const cJSON *opts;
	int i, found;

	s->db = db;
	s->l = l;
	s->running = -1;
	runopts_init(&s->opts);
	found = store_run_get(db, run_id, &r, e);
	if (found <= 0) {
		if (found == 0)
			err_set(e, "no run %s in this workspace", run_id);
		free(s);
		return NULL;
	}
	s->run_id = xstrdup(r.id);
	s->dir = xstrdup(r.dir);
	store_run_free(&r);
	path = session_path(s, "run.json");
	s->run = jsonfile_load(path, e);
	free(path);
	if (!s->run || store_stage_get_all(db, s->run_id, s->st, e) < 0) {
		session_close(s);
		return NULL;
	}
	opts = cJSON_GetObjectItemCaseSensitive(s->run, "options");
	if (opts)
		runopts_from_json(&s->opts, opts);
	machine_init(&s->m, s->opts.repair);
	for (i = 0; i < STAGE_COUNT; i++)
		s->m.st[i] = s->st[i].m;
	return s;
}

void
session_close(session *s)
{
	if (!s)
		return;
	if (s->start_timer)
		loop_timer_cancel(s->l, s->start_timer);
	session_llm_free(s);
	session_facts_free(&s->facts);
	session_release_reserve(s);
	runopts_free(&s->opts);
	cJSON_Delete(s->run);
	free(s->run_id);
	free(s->dir);
	free(s->self_exe);
	free(s);
}

#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *
session_path(const session *s, const char *rel)
{
	return fs_join(s->dir, rel);
}

static void
session_log_line(session *s, const char *stage, const char *kind, const char *msg)
{
	char *path = session_path(s, "logs/run.log"), *clean = redact_string(msg);
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = fopen(path, "a");

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (f) {
		fprintf(f, "%s [%s] %s: %s\n", stamp, stage && *stage ? stage : "run", kind, clean);
		fclose(f);
	}
	free(clean);
	free(path);
}

static void
session_event(session *s, const char *stage, const char *kind, const char *msg)
{
	ak_err e;

	session_log_line(s, stage, kind, msg);
	if (store_event_add(s->db, s->run_id, stage ? stage : "", kind, msg, &e) < 0)
		session_log_line(s, stage, "error", e.msg);
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
		if (st->message[0])
			cJSON_AddStringToObject(o, "message", st->message);
	}
	json_set(s->run, "stages", stages);
	json_set(s->run, "options", runopts_to_json(&s->opts));
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
	set_field(&r.title, f->title);
	if (f->task != TASK_UNKNOWN)
		set_field(&r.task, task_name(f->task));
	set_field(&r.target, f->target);
	set_field(&r.id_column, f->id_col);
	if (f->metric)
		set_field(&r.metric, f->metric->name);
	r.cv_score = json_num(cv, "cv_mean", NAN);
	if (store_run_update(s->db, &r, &e) < 0)
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
	if (store_stage_set_all(s->db, s->run_id, s->st, &e) < 0)
		session_log_line(s, "", "error", e.msg);
	if (session_save_runjson(s, &e) < 0)
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
	ak_err e;

	if (s->finished)
		return;
	s->finished = 1;
	session_persist(s);
	if (store_run_set_status(s->db, s->run_id, status, &e) < 0)
		session_log_line(s, "", "error", e.msg);
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
	st->started = wall_now();
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
	if (id >= 0 && s->running < 0)
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

	if (store_attempt_add(s->db, s->run_id, &a, &e) < 0)
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
	st->ended = wall_now();
	st->wall_s = loop_now() - s->running_started;
	st->cpu_s = o->cpu_s;
	st->maxrss_kb = o->maxrss_kb;
	st->exit_code = o->exit_code;
	snprintf(st->message, sizeof(st->message), "%s", o->message);
	if (o->ok) {
		n = session_step(s, EV_DONE, id, s->running_fp, 0, acts);
		session_record_attempt(s, id, o, "done");
		session_note_done(s, id, o);
	} else if (o->cancelled) {
		n = session_step(s, EV_CANCELLED, id, NULL, 0, acts);
		session_record_attempt(s, id, o, "cancelled");
		session_event(s, name, "cancelled", o->message[0] ? o->message : "cancelled");
	} else {
		char *log = xasprintf("%s/logs/%s.log", s->dir, name);
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

static void
session_perform(session *s, const machine_action *acts, size_t n)
{
	machine_action more[MACHINE_MAX_ACTIONS];
	size_t i, m;

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
			if (s->child)
				exec_cancel(s->child);
			break;
		case ACT_REPAIR:
			session_event(s, machine_stage_name(a->stage), "warning",
				"no LLM is configured to repair the code: fix it by hand, then rerun");
			m = session_step(s, EV_REPAIR_FAILED, a->stage, NULL, 0, more);
			session_perform(s, more, m);
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

/* Stages left RUNNING by a supervisor that died cannot be trusted. */
static void
session_recover_interrupted(session *s)
{
	int i;

	for (i = 0; i < STAGE_COUNT; i++) {
		machine_stage *m = &s->m.st[i];
		if (m->status != STATUS_RUNNING && m->status != STATUS_REPAIRING)
			continue;
		m->status = STATUS_CANCELLED;
		snprintf(s->st[i].message, sizeof(s->st[i].message),
			"interrupted: the process driving the run stopped");
		session_log_line(s, machine_stage_name(i), "warning", s->st[i].message);
	}
}

void
session_start(session *s, int rerun_stage, int retry_failed)
{
	machine_action acts[MACHINE_MAX_ACTIONS];
	size_t n;
	int plan;
	session_recover_interrupted(s);
	/* Facts are missing before PROFILE has run; the stages that need
	 * them load them again and fail with the reason. */
	session_facts_load(s, NULL);
	session_refresh_inputs(s);
	plan = machine_plan(&s->m);
	if (rerun_stage < 0 && retry_failed && plan >= 0 &&
	    (s->m.st[plan].status == STATUS_FAILED || s->m.st[plan].status == STATUS_CANCELLED))
		rerun_stage = plan;
	if (rerun_stage >= 0)
		n = session_step(s, EV_RERUN, rerun_stage, NULL, 0, acts);
	else
		n = session_step(s, EV_CONTINUE, 0, NULL, 0, acts);
	session_perform(s, acts, n);
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
	if (id < 0)
		return;
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
	machine_init(&s->m, 0);
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
	session_facts_free(&s->facts);
	for (size_t i = 0; i < s->nhashes; i++)
		free(s->hashes[i].path);
	free(s->hashes);
	runopts_free(&s->opts);
	cJSON_Delete(s->run);
	free(s->run_id);
	free(s->dir);
	free(s->self_exe);
	free(s);
}

#include "config.h"

#include "exec/executor.h"
#include "exec/venv.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/versions.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/strv.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ENV, TRAIN and PREDICT: children under the executor, and the glue that
 * turns a child's result into a stage outcome. */

typedef struct spawn_ctx {
	session *s;
	stage_after_fn after;
} spawn_ctx;

void
stage_log_last_line(const char *path, char *out, size_t n)
{
	size_t len;
	char *text = fs_read_file(path, &len, NULL), *end, *start, *clean;

	out[0] = '\0';
	if (!text)
		return;
	end = text + len;
	for (;;) {
		while (end > text && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
			end--;
		*end = '\0';
		start = end;
		while (start > text && start[-1] != '\n')
			start--;
		if (start == end || strncmp(start, "[autokaggle]", 12) != 0)
			break;
		end = start;
	}
	clean = redact_string(start);
	snprintf(out, n, "%s", clean);
	free(clean);
	free(text);
}

static void
spawn_done(const exec_result *r, void *arg)
{
	spawn_ctx *c = arg;
	session *s = c->s;
	stage_outcome o = { 0 };
	char last[300];

	o.exit_code = r->exit_code;
	o.cpu_s = r->cpu_s;
	o.maxrss_kb = r->maxrss_kb;
	o.cancelled = r->cancelled;
	o.ok = !r->cancelled && !r->timed_out && !r->oom && !r->spawn_failed && r->exit_code == 0;
	o.repairable = !o.ok && !r->cancelled && !r->timed_out && !r->oom && !r->spawn_failed && r->exit_code > 0;
	if (!o.ok) {
		char *log = rundir_log(s->dir, machine_stage_name(s->running));
		stage_log_last_line(log, last, sizeof(last));
		free(log);
		if (!r->cancelled && (session_disk_full(s, last, o.message, sizeof(o.message)) ||
				      session_disk_full(s, r->reason, o.message, sizeof(o.message))))
			o.repairable = 0;
		else if (o.repairable && last[0])
			snprintf(o.message, sizeof(o.message), "%.200s: %.300s", r->reason, last);
		else
			snprintf(o.message, sizeof(o.message), "%s", r->reason);
	}
	if (c->after)
		c->after(s, r, &o);
	free(c);
	if (!o.continued)
		session_stage_end(s, &o);
}

static void
spawn_log_header(session *s, const char *const *argv)
{
	char *path = rundir_log(s->dir, machine_stage_name(s->running));
	FILE *f = fopen(path, "a");
	char stamp[TIMEFMT_ISO_LEN];
	size_t i;

	free(path);
	if (!f)
		return;
	timefmt_iso_utc(time(NULL), stamp);
	fprintf(f, "==> %s started at %s\n$", machine_stage_name(s->running), stamp);
	for (i = 0; argv[i]; i++)
		fprintf(f, " %s", argv[i]);
	fputc('\n', f);
	fclose(f);
}

int
stage_spawn(session *s, const char *const *argv, const exec_limits *lim,
	const char *const *env_extra, stage_after_fn after, ak_err *e)
{
	return stage_spawn_in(s, s->dir, argv, lim, env_extra, after, e);
}

int
stage_spawn_in(session *s, const char *cwd, const char *const *argv, const exec_limits *lim,
	const char *const *env_extra, stage_after_fn after, ak_err *e)
{
	spawn_ctx *c = xcalloc(1, sizeof(*c));
	char *log = rundir_log(s->dir, machine_stage_name(s->running));
	exec_spec spec = {
		.argv = argv,
		.cwd = cwd,
		.log_path = log,
		.env_extra = env_extra,
		.limits = *lim,
		/* Training scripts draw progress bars for a terminal. */
		.pty = s->running == STAGE_TRAIN || s->running == STAGE_PREDICT,
	};

	if (spec.pty)
		stage_tty_spec(s, &spec);
	c->s = s;
	c->after = after;
	spawn_log_header(s, argv);
	/* Output goes to the stage log; front ends follow the log file. */
	s->child = exec_start(s->l, &spec, NULL, spawn_done, c, e);
	free(log);
	if (!s->child) {
		free(c);
		return -1;
	}
	session_record_child(s);
	return 0;
}

/* Limits every child of the run gets; TRAIN and PREDICT add the budget. */
exec_limits
stage_limits(const session *s)
{
	exec_limits lim = { 0 };

	lim.mem_bytes = runopts_memory_limit(&s->opts);
	lim.threads = runopts_threads(&s->opts);
	return lim;
}

/* The local venv serves the model scripts that run here: none under an
 * executor that runs them elsewhere, unless a sample run comes first. */
static int
env_needed(const session *s)
{
	const executor_ops *ops = executor_find(s->opts.executor, NULL);

	return !ops || ops->needs_local_env || s->opts.sample > 0;
}

/* ENV's inputs: the requirements and the interpreter itself, so that an
 * interpreter upgraded in place makes the run's venv stale. */
static void
env_fingerprint(session *s, hash_ctx *h)
{
	char *req = session_path(s, RUNDIR_REQUIREMENTS);

	hash_update_file(h, req);
	venv_hash_interpreter(h, s->opts.python);
	hash_update(h, &(int){ env_needed(s) }, sizeof(int));
	free(req);
}

static void
env_after(session *s, const exec_result *r, stage_outcome *o)
{
	size_t n = strlen(o->message);

	(void)s;
	if (r->spawn_failed)
		snprintf(o->message + n, sizeof(o->message) - n,
			": rerun with --python PATH to an interpreter with numpy, pandas and scikit-learn (or, for a run started without --python, set AUTOKAGGLE_PYTHON)");
}

/* ENV is the one stage that gets pip's settings and the proxies'
 * credentials: pip needs them, the model code does not. */
static int
env_start(session *s, ak_err *e)
{
	char **argv, **pip_env;
	exec_limits lim = stage_limits(s);
	int rc = -1;

	if (!env_needed(s)) {
		stage_outcome o = { .ok = 1 };
		snprintf(o.message, sizeof(o.message), "no venv needed: TRAIN and PREDICT run %s",
			executor_find(s->opts.executor, NULL)->where);
		session_stage_end(s, &o);
		return 0;
	}
	argv = venv_argv(s->opts.python, s->dir, e);
	pip_env = exec_env_for_pip();

	if (argv)
		rc = stage_spawn(s, (const char *const *)argv, &lim, (const char *const *)pip_env, env_after, e);
	strv_free(pip_env);
	strv_free(argv);
	return rc;
}

static void
code_files_fingerprint(session *s, hash_ctx *h, const char *const *files)
{
	size_t i;

	for (i = 0; files[i]; i++) {
		char *p = session_path(s, files[i]);
		hash_update_str(h, files[i]);
		hash_update_file(h, p);
		free(p);
	}
}

static void
train_fingerprint(session *s, hash_ctx *h)
{
	static const char *const files[] = {
		"code/features.py", "code/train.py", "code/config.yaml", "code/metric.py", NULL,
	};

	code_files_fingerprint(s, h, files);
	hash_update_str(h, s->m.st[STAGE_DATA].done_fp);
	hash_update_str(h, s->m.st[STAGE_CODE].done_fp);
	hash_update(h, &s->opts.memory_bytes, sizeof(s->opts.memory_bytes));
	hash_update(h, &s->opts.no_network, sizeof(s->opts.no_network));
	hash_update_str(h, s->opts.executor);
	if (strcmp(s->opts.executor, "local") != 0) {
		hash_update(h, &s->opts.gpu, sizeof(s->opts.gpu));
		hash_update(h, &s->opts.kernel_internet, sizeof(s->opts.kernel_internet));
	}
}

/* Environment of the model scripts; everything else is scrubbed.
 * libgomp spins up to 300k iterations at each barrier when it believes it
 * has the CPUs to itself; with two fits on two cores (two runs, or a run
 * beside anything busy) HistGradientBoosting went from 2 s to over 10 min.
 * A short spin keeps an idle fit as fast (2.6 s both ways on the demo) and
 * bounds the contended case (two demo fits at once: 17 s). */
char **
stage_model_env(const session *s)
{
	char **env = xcalloc(7, sizeof(*env));
	int gpu = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(s->run, "constraints"), "gpu_resolved"));
	size_t n = 0;

	env[n++] = xasprintf("PYTHONHASHSEED=%lu", s->opts.seed);
	env[n++] = xstrdup("MPLBACKEND=Agg");
	env[n++] = xstrdup("GOMP_SPINCOUNT=1000");
	if (!gpu)
		env[n++] = xstrdup("CUDA_VISIBLE_DEVICES=");
	return env;
}

/* The job of TRAIN or PREDICT for the run's executor; its strings are
 * the session's or freed with executor_job_clean. */
static const executor_ops *
exec_job(session *s, executor_step step, executor_job *j, char **env, ak_err *e)
{
	const executor_ops *ops = executor_find(s->opts.executor, e);
	char *venv = session_path(s, RUNDIR_VENV);

	memset(j, 0, sizeof(*j));
	j->run_dir = s->dir;
	j->run_id = s->run_id;
	j->step = step;
	j->venv_python = venv_python(venv);
	j->self_exe = fs_exe_path();
	j->limits = stage_limits(s);
	j->limits.no_network = s->opts.no_network;
	j->model_env = (const char *const *)env;
	free(venv);
	return ops;
}

static void
exec_job_clean(executor_job *j)
{
	free((char *)j->venv_python);
	free((char *)j->self_exe);
}

/* A step that runs elsewhere: its status, as the executor's poll sees
 * it, becomes an event each time it changes, so every front end shows
 * QUEUED, RUNNING... as they come. */
static void
exec_progress(loop *l, void *arg)
{
	session *s = arg;
	char **env = stage_model_env(s), line[300] = "", word[64];
	executor_job j;
	const executor_ops *ops = exec_job(s, s->running == STAGE_PREDICT ? EXECUTOR_PREDICT : EXECUTOR_TRAIN, &j,
		env, NULL);

	(void)l;
	if (ops && ops->poll(&j, line, sizeof(line))) {
		snprintf(word, sizeof(word), "%.*s", (int)strcspn(line, " "), line);
		if (strcmp(word, s->progress_last) != 0) {
			snprintf(s->progress_last, sizeof(s->progress_last), "%s", word);
			session_note(s, "info", "%s", line);
		}
	}
	exec_job_clean(&j);
	strv_free(env);
}

static void
exec_progress_stop(session *s)
{
	if (s->progress_timer)
		loop_timer_cancel(s->l, s->progress_timer);
	s->progress_timer = 0;
	s->progress_last[0] = '\0';
}

static void
exec_after(session *s, const exec_result *r, stage_outcome *o, executor_step step)
{
	char **env = stage_model_env(s);
	executor_job j;
	const executor_ops *ops = exec_job(s, step, &j, env, NULL);
	ak_err e = { 0 };
	char note[400];

	exec_progress_stop(s);
	if (ops && ops != &executor_local_ops && !o->ok && !o->cancelled && !r->spawn_failed) {
		/* The follower's last line says it all; only a kernel that
		 * failed (exit 1) is the code's fault, for the repair loop. */
		char *log = rundir_log(s->dir, machine_stage_name(s->running));
		stage_log_last_line(log, o->message, sizeof(o->message));
		free(log);
		o->repairable = r->exit_code == 1;
	}
	if (ops && o->cancelled && ops->cancelled(&j, note, sizeof(note)))
		snprintf(o->message, sizeof(o->message), "%s", note);
	else if (ops && o->ok && ops->collect(&j, &e) < 0) {
		/* A script that exits 0 without its output failed, and the
		 * model may see why. */
		o->ok = 0;
		o->repairable = 1;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
	}
	exec_job_clean(&j);
	strv_free(env);
}

/* PREDICT gets what TRAIN left of the budget, but never less than a tenth
 * of it, so a run that trained to the limit can still write its answer. */
static long
predict_wall_ms(const session *s)
{
	long wall;

	if (s->opts.budget_ms <= 0)
		return 0;
	wall = s->opts.budget_ms - (long)(s->st[STAGE_TRAIN].wall_s * 1000.0);
	return wall < s->opts.budget_ms / 10 ? s->opts.budget_ms / 10 : wall;
}

/* Prepares the step and starts its command; a step with nothing to run
 * here ends at once with what collect says. */
static int
exec_start_step(session *s, executor_step step, stage_after_fn after, ak_err *e)
{
	char **env = stage_model_env(s);
	executor_job j;
	executor_command cmd = { 0 };
	const executor_ops *ops = exec_job(s, step, &j, env, e);
	int rc = -1;

	if (!ops || ops->prepare(&j, e) < 0 || ops->start(&j, &cmd, e) < 0)
		goto out;
	if (cmd.argv && ops != &executor_local_ops) {
		session_note(s, "info", "runs %s; autokaggle logs %s %s follows it", ops->where, s->run_id,
			machine_stage_name(s->running));
		s->progress_timer = loop_timer_add(s->l, 1000, 1000, exec_progress, s);
	}
	if (cmd.argv) {
		if (step == EXECUTOR_TRAIN)
			cmd.limits.wall_ms = s->opts.budget_ms;
		else
			cmd.limits.wall_ms = predict_wall_ms(s);
		rc = stage_spawn(s, (const char *const *)cmd.argv, &cmd.limits, (const char *const *)cmd.env, after, e);
		if (rc < 0)
			exec_progress_stop(s);
	} else {
		stage_outcome o = { .ok = 1 };
		exec_result r = { 0 };

		after(s, &r, &o);
		session_stage_end(s, &o);
		rc = 0;
	}
out:
	executor_command_free(&cmd);
	exec_job_clean(&j);
	strv_free(env);
	return rc;
}

static void
train_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *path = session_path(s, RUNDIR_METRICS);
	cJSON *m;
	double mean, sd;
	ak_err e;

	exec_after(s, r, o, EXECUTOR_TRAIN);
	if (!o->ok) {
		free(path);
		return;
	}
	m = jsonfile_load(path, NULL);
	free(path);
	mean = json_num(m, "cv_mean", NAN);
	sd = json_num(m, "cv_std", 0);
	if (!m || isnan(mean)) {
		o->ok = 0;
		o->repairable = 1;
		snprintf(o->message, sizeof(o->message),
			"TRAIN ended without writing output/metrics.json with cv_mean");
	} else {
		snprintf(o->message, sizeof(o->message), "cv %s %.4f ± %.4f",
			json_str(m, "metric", "score"), mean, sd);
		json_set(s->run, "cv", cJSON_Duplicate(m, 1));
		if (versions_set_cv(s->db, s->run_id, s->dir, mean, &e) < 0)
			session_note(s, "warning", "the CV score is not kept with the code's version: %s", e.msg);
	}
	cJSON_Delete(m);
}

int
stage_train_full_start(session *s, ak_err *e)
{
	return exec_start_step(s, EXECUTOR_TRAIN, train_after, e);
}

/* Code that changed since its last version was edited by hand (or
 * restored): it becomes a version before it trains. */
static int
train_start(session *s, ak_err *e)
{
	ak_err ve;

	if (versions_record(s->db, s->run_id, s->dir, "hand edit", NULL, &ve) < 0)
		session_note(s, "warning", "the code is not kept as a version: %s", ve.msg);
	if (stage_sample_needed(s))
		return stage_sample_start(s, e);
	return stage_train_full_start(s, e);
}

static void
predict_fingerprint(session *s, hash_ctx *h)
{
	static const char *const files[] = {
		"code/features.py", "code/predict.py", "code/config.yaml", NULL,
	};

	code_files_fingerprint(s, h, files);
	hash_update_str(h, s->opts.executor);
}

static void
predict_after(session *s, const exec_result *r, stage_outcome *o)
{
	exec_after(s, r, o, EXECUTOR_PREDICT);
}

static int
predict_start(session *s, ak_err *e)
{
	ak_err ve;

	/* predict.py alone may have changed since TRAIN. */
	if (versions_record(s->db, s->run_id, s->dir, "hand edit", NULL, &ve) < 0)
		session_note(s, "warning", "the code is not kept as a version: %s", ve.msg);
	return exec_start_step(s, EXECUTOR_PREDICT, predict_after, e);
}

const stage_ops stage_env_ops = { env_fingerprint, env_start };
const stage_ops stage_train_ops = { train_fingerprint, train_start };
const stage_ops stage_predict_ops = { predict_fingerprint, predict_start };

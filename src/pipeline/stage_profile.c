#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PROFILE runs the profiler in a child (`autokaggle __profile`), so a
 * large file never stalls the loop, then resolves the task from its JSON.
 * Problems that would make training impossible or the submission invalid
 * (the profile's "errors") fail the stage here, rather than TRAIN or
 * VALIDATE minutes later; its "warnings" become run warnings. */

#define PROFILE_VERSION "profile-2"
/* More warnings than this are summed up in one line. */
#define PROFILE_MAX_WARNINGS 8

static void
profile_fingerprint(session *s, hash_ctx *h)
{
	hash_update_str(h, PROFILE_VERSION);
	hash_update_str(h, s->opts.target ? s->opts.target : "");
	hash_update_str(h, s->opts.id ? s->opts.id : "");
}

/* Says in the stage log, after the child's "exited with status 0", what
 * failed once the child was done. */
static void
profile_log_failure(session *s, const char *msg)
{
	char *path = rundir_log(s->dir, machine_stage_name(STAGE_PROFILE));
	FILE *f = fopen(path, "a");

	if (f) {
		fprintf(f, "[autokaggle] profile failed: %s\n", msg);
		fclose(f);
	}
	free(path);
}

static void
profile_note_warnings(session *s)
{
	char *path = session_path(s, RUNDIR_PROFILE);
	cJSON *prof = jsonfile_load(path, NULL);
	const cJSON *w;
	int n = 0;

	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(prof, "warnings"))
		if (cJSON_IsString(w) && n++ < PROFILE_MAX_WARNINGS)
			session_note(s, "warning", "%s", w->valuestring);
	if (n > PROFILE_MAX_WARNINGS)
		session_note(s, "warning", "%d more warnings in %s", n - PROFILE_MAX_WARNINGS, path);
	if (s->facts.metric_warning)
		session_note(s, "warning", "%s", s->facts.metric_warning);
	cJSON_Delete(prof);
	free(path);
}

/* The profiler's own message (a truncated .gz, an unreadable file),
 * without the executor's "exited with status 3: profile: " in front. */
static void
profile_failed(const exec_result *r, stage_outcome *o)
{
	size_t n = strlen(r->reason);
	const char *msg = o->message;

	if (o->cancelled || r->exit_code <= 0 || strncmp(msg, r->reason, n) != 0 || strncmp(msg + n, ": ", 2) != 0)
		return;
	msg += n + 2;
	if (strncmp(msg, "profile: ", 9) == 0)
		msg += 9;
	memmove(o->message, msg, strlen(msg) + 1);
}

/* Profiles are kept by the fingerprint of PROFILE's inputs (the data's
 * hashes, the profiler's version, the overrides), so that a run on data
 * profiled before does not read it again. */
static char *
profile_cache_path(session *s)
{
	char *rel = xasprintf("cache/profiles/%s.json", s->running_fp);
	char *p = fs_join(store_workspace(s->db), rel);

	free(rel);
	return p;
}

static void
profile_keep(session *s)
{
	char *out = session_path(s, RUNDIR_PROFILE);
	char *cached = profile_cache_path(s);
	char *dir = fs_join(store_workspace(s->db), "cache/profiles");
	ak_err e;

	if (fs_mkdir_p(dir, 0700, &e) < 0 || fs_copy_file(out, cached, 0600, &e) < 0)
		session_note(s, "warning", "the profile is not kept for later runs: %s", e.msg);
	free(dir);
	free(cached);
	free(out);
}

/* The task, target, id and metric from the profile: o->message gets them
 * after what it already says. 0, or -1 when the profile says training
 * cannot work (the reason in o->message and the stage log). */
static int
profile_finish(session *s, stage_outcome *o)
{
	ak_err e;
	session_facts *f = &s->facts;
	char facts[400];
	size_t n;

	if (session_facts_load(s, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		profile_log_failure(s, e.msg);
		return -1;
	}
	profile_note_warnings(s);
	snprintf(facts, sizeof(facts), "%s, target %.100s, id %.100s, metric %s", task_name(f->task), f->target,
		f->id_col, f->metric->name);
	n = strlen(o->message);
	snprintf(o->message + n, sizeof(o->message) - n, "%s", facts);
	session_note(s, "header", "%s: %s (%s)", s->run_id, f->title, facts);
	return 0;
}

static void
profile_after(session *s, const exec_result *r, stage_outcome *o)
{
	if (!o->ok) {
		profile_failed(r, o);
		return;
	}
	if (profile_finish(s, o) == 0)
		profile_keep(s);
}

/* A profile of the same data made for an earlier run: 1 when used. */
static int
profile_from_cache(session *s)
{
	char *cached = profile_cache_path(s), *out = session_path(s, RUNDIR_PROFILE);
	stage_outcome o = { .ok = 1 };
	int used = fs_exists(cached) && fs_copy_file(cached, out, 0644, NULL) == 0;

	free(cached);
	free(out);
	if (!used)
		return 0;
	snprintf(o.message, sizeof(o.message), "from the workspace's cache: ");
	profile_finish(s, &o);
	session_stage_end(s, &o);
	return 1;
}

static int
profile_start(session *s, ak_err *e)
{
	char *exe, *out;
	const char *argv[12];
	exec_limits lim = { .threads = 2 };
	size_t n = 0;
	int rc;

	session_facts_load(s, NULL);
	if (!s->facts.train || !s->facts.test || !s->facts.sample)
		return err_set(e, "the data files are not known yet: rerun the data stage");
	if (profile_from_cache(s))
		return 0;
	exe = fs_exe_path();
	out = session_path(s, RUNDIR_PROFILE);
	argv[n++] = exe ? exe : "autokaggle";
	argv[n++] = "__profile";
	argv[n++] = out;
	if (s->opts.target) {
		argv[n++] = "--target";
		argv[n++] = s->opts.target;
	}
	if (s->opts.id) {
		argv[n++] = "--id";
		argv[n++] = s->opts.id;
	}
	argv[n++] = s->facts.train;
	argv[n++] = s->facts.test;
	argv[n++] = s->facts.sample;
	argv[n] = NULL;
	rc = stage_spawn(s, argv, &lim, NULL, profile_after, e);
	free(exe);
	free(out);
	return rc;
}

const stage_ops stage_profile_ops = { profile_fingerprint, profile_start };

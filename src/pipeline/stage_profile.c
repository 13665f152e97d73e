#include "config.h"

#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PROFILE runs the profiler in a child (`autokaggle __profile`), so a
 * large file never stalls the loop, then resolves the task from its JSON. */

#define PROFILE_VERSION "profile-1"

static void
profile_fingerprint(session *s, hash_ctx *h)
{
	hash_update_str(h, PROFILE_VERSION);
	hash_update_str(h, s->opts.target ? s->opts.target : "");
	hash_update_str(h, s->opts.id ? s->opts.id : "");
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
profile_finish(session *s, stage_outcome *o)
{
	ak_err e;
	session_facts *f = &s->facts;
	char facts[400];
	size_t n;

	if (session_facts_load(s, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		return;
	}
	snprintf(facts, sizeof(facts), "%s, target %.100s, id %.100s, metric %s", task_name(f->task), f->target,
		f->id_col, f->metric->name);
	n = strlen(o->message);
	snprintf(o->message + n, sizeof(o->message) - n, "%s", facts);
	session_note(s, "header", "%s: %s (%s)", s->run_id, f->title, facts);
}

static void
profile_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *out, *cached, *dir;
	ak_err e;

	(void)r;
	if (!o->ok)
		return;
	out = session_path(s, "input/data_profile.json");
	cached = profile_cache_path(s);
	dir = fs_join(store_workspace(s->db), "cache/profiles");
	if (fs_mkdir_p(dir, 0700, &e) < 0 || fs_copy_file(out, cached, 0600, &e) < 0)
		session_note(s, "warning", "the profile is not kept for later runs: %s", e.msg);
	free(dir);
	free(cached);
	free(out);
	profile_finish(s, o);
}

/* A profile of the same data made for an earlier run: 1 when used. */
static int
profile_from_cache(session *s)
{
	char *cached = profile_cache_path(s), *out = session_path(s, "input/data_profile.json");
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
	out = session_path(s, "input/data_profile.json");
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

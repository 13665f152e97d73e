#include "config.h"

#include "pipeline/stage.h"
#include "util/xalloc.h"

#include <limits.h>
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

static void
profile_after(session *s, const exec_result *r, stage_outcome *o)
{
	ak_err e;
	session_facts *f = &s->facts;

	(void)r;
	if (!o->ok)
		return;
	if (session_facts_load(s, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		return;
	}
	snprintf(o->message, sizeof(o->message), "%s, target %s, id %s, metric %s",
		task_name(f->task), f->target, f->id_col, f->metric->name);
	session_note(s, "header", "%s: %s (%s)", s->run_id, f->title, o->message);
}

static char *
self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return xstrdup("autokaggle");
	buf[n] = '\0';
	return xstrdup(buf);
}

static int
profile_start(session *s, ak_err *e)
{
	char *exe = self_exe(), *out = session_path(s, "input/data_profile.json");
	const char *argv[12];
	exec_limits lim = { .threads = 2 };
	size_t n = 0;
	int rc;

	session_facts_load(s, NULL);
	if (!s->facts.train || !s->facts.test || !s->facts.sample) {
		free(exe);
		free(out);
		return err_set(e, "the data files are not known yet: rerun the data stage");
	}
	argv[n++] = exe;
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

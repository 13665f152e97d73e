#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/versions.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* New code from a model never lands half-written: every file is written
 * to .code-new/ beside code/, compiled there, and moved in only when all
 * of it compiles. */

static int
install_write(const char *tmp, const codegen_block *b, ak_err *e)
{
	char *p = fs_join(tmp, b->path), *slash = strrchr(p, '/');
	int rc;

	*slash = '\0';
	rc = fs_mkdir_p(p, 0755, e);
	*slash = '/';
	if (rc == 0)
		rc = fs_write_atomic(p, b->text, strlen(b->text), 0644, e);
	free(p);
	return rc;
}

/* The tree of new files: base's, each replaced by reply's when it has it. */
static int
install_tree(const char *tmp, const codegen_block *base, size_t nbase, const codegen_block *reply, size_t nreply,
	ak_err *e)
{
	size_t i;

	if (fs_remove_tree(tmp, e) < 0 || fs_mkdir_p(tmp, 0700, e) < 0)
		return -1;
	for (i = 0; i < nbase; i++)
		if (!codegen_block_find(reply, nreply, base[i].path) && install_write(tmp, &base[i], e) < 0)
			return -1;
	for (i = 0; i < nreply; i++)
		if (install_write(tmp, &reply[i], e) < 0)
			return -1;
	return 0;
}

/* python -m py_compile code/a.py code/b.py ..., run inside tmp. */
static char **
install_argv(const session *s, const char *tmp)
{
	char *code = fs_join(tmp, "code");
	char **names = fs_list_files(code), **argv;
	size_t i, n = 0;

	for (i = 0; names[i]; i++)
		;
	argv = xcalloc(i + 4, sizeof(*argv));
	argv[n++] = xstrdup(s->opts.python);
	argv[n++] = xstrdup("-m");
	argv[n++] = xstrdup("py_compile");
	for (i = 0; names[i]; i++) {
		size_t len = strlen(names[i]);
		if (len > 3 && strcmp(names[i] + len - 3, ".py") == 0)
			argv[n++] = xasprintf("code/%s", names[i]);
	}
	strv_free(names);
	free(code);
	return argv;
}

/* Moves one new file into place, the one it replaces into hist. */
static int
install_move(session *s, const char *rel, const char *hist, int *kept, ak_err *e)
{
	char *src = fs_join(s->llm.tmp, rel), *dst = fs_join(s->dir, rel);
	char *old = fs_join(hist, strrchr(rel, '/') + 1), *dir = xstrdup(dst);
	int rc = 0;

	*strrchr(dir, '/') = '\0';
	if (fs_exists(dst)) {
		if ((*kept)++ == 0)
			rc = fs_mkdir_p(hist, 0700, e);
		if (rc == 0 && rename(dst, old) < 0)
			rc = err_sys(e, "cannot keep %s in %s", dst, hist);
	}
	if (rc == 0)
		rc = fs_mkdir_p(dir, 0755, e);
	if (rc == 0 && rename(src, dst) < 0)
		rc = err_sys(e, "cannot move %s into place", rel);
	free(src);
	free(dst);
	free(old);
	free(dir);
	return rc;
}

static int
install_swap(session *s, ak_err *e)
{
	codegen_block *b;
	size_t n, i;
	char stamp[32], *hist;
	time_t now = time(NULL);
	struct tm tm;
	int kept = 0, rc = 0;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	hist = xasprintf("%s/code/history/%s", s->dir, stamp);
	if (versions_read(s->llm.tmp, &b, &n, e) < 0) {
		free(hist);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = install_move(s, b[i].path, hist, &kept, e);
	codegen_blocks_free(b, n);
	free(hist);
	return rc;
}

static void
install_end(session *s, int ok, const char *msg)
{
	stage_install_fn done = s->llm.installed;

	s->llm.check = NULL;
	s->llm.installed = NULL;
	if (s->llm.tmp)
		fs_remove_tree(s->llm.tmp, NULL);
	free(s->llm.tmp);
	s->llm.tmp = NULL;
	if (done)
		done(s, ok, msg);
}

static void
install_checked(const exec_result *r, void *arg)
{
	session *s = arg;
	char last[300], msg[600];
	ak_err e;
	int v;

	s->llm.check = NULL;
	if (r->cancelled) {
		install_end(s, 0, "cancelled");
		return;
	}
	if (r->exit_code != 0) {
		char *log = rundir_log(s->dir, s->llm.install_log);
		stage_log_last_line(log, last, sizeof(last));
		free(log);
		snprintf(msg, sizeof(msg), "the model's code does not compile (%.100s): %.300s; code/ is unchanged",
			r->spawn_failed ? r->reason : "python -m py_compile", last[0] ? last : r->reason);
		install_end(s, 0, msg);
		return;
	}
	if (install_swap(s, &e) < 0) {
		install_end(s, 0, e.msg);
		return;
	}
	v = versions_record(s->db, s->run_id, s->dir, s->llm.origin, NULL, &e);
	if (v < 0)
		session_note(s, "warning", "the new code is in place but not kept as a version: %s", e.msg);
	snprintf(msg, sizeof(msg), "version %d", v);
	install_end(s, 1, msg);
}

int
stage_install(session *s, const codegen_block *base, size_t nbase, const codegen_block *reply, size_t nreply,
	const char *origin, const char *log, stage_install_fn done, ak_err *e)
{
	exec_limits lim = { 0 };
	char *logpath, **argv;
	exec_spec spec = { 0 };

	free(s->llm.tmp);
	s->llm.tmp = fs_join(s->dir, ".code-new");
	if (install_tree(s->llm.tmp, base, nbase, reply, nreply, e) < 0) {
		fs_remove_tree(s->llm.tmp, NULL);
		return -1;
	}
	snprintf(s->llm.origin, sizeof(s->llm.origin), "%s", origin);
	snprintf(s->llm.install_log, sizeof(s->llm.install_log), "%s", log);
	s->llm.installed = done;
	argv = install_argv(s, s->llm.tmp);
	logpath = rundir_log(s->dir, log);
	lim.wall_ms = 60000;
	spec.argv = (const char *const *)argv;
	spec.cwd = s->llm.tmp;
	spec.log_path = logpath;
	spec.limits = lim;
	s->llm.check = exec_start(s->l, &spec, NULL, install_checked, s, e);
	free(logpath);
	strv_free(argv);
	if (!s->llm.check) {
		fs_remove_tree(s->llm.tmp, NULL);
		free(s->llm.tmp);
		s->llm.tmp = NULL;
		s->llm.installed = NULL;
		return -1;
	}
	return 0;
}

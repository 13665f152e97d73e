#include "config.h"

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "exec/exec.h"
#include "pipeline/rundir.h"
#include "pipeline/versions.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* versions, diff and restore: the versions of a run's code. */

/* The run named by arg, with its directory there; CMD_EXIT_OK or the
 * error printed. */
static int
versions_open(cmd_ctx *c, const char *arg, store_mode mode, store **db, store_run *r)
{
	int code;

	*db = cmd_open_store(c, mode);
	if (!*db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(*db, arg, r);
	if (code == CMD_EXIT_OK && (code = cmd_require_run_dir(r)) != CMD_EXIT_OK)
		store_run_free(r);
	if (code != CMD_EXIT_OK)
		store_close(*db);
	return code;
}

static int
versions_parse_n(const char *name, const char *arg, int *n)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > INT_MAX)
		return cmd_usage_error(name, "'%s' is not a version number (1, 2...: autokaggle versions RUN lists them)", arg);
	*n = (int)v;
	return CMD_EXIT_OK;
}

/* ---- versions ---- */

static void
versions_print(const store_run *r, const store_version *v, size_t n)
{
	static const char *const head[] = { "version", "origin", "time", "cv", "" };
	static const int right[] = { 1, 0, 0, 1, 0 };
	table *t = table_new(5, head, right, 4);
	codegen_block *b;
	size_t nb, i;
	char now[HASH_HEX_LEN + 1] = "";

	if (versions_read(r->dir, &b, &nb, NULL) == 0) {
		versions_fingerprint(b, nb, now);
		codegen_blocks_free(b, nb);
	}
	for (i = 0; i < n; i++) {
		char num[16], when[TIMEFMT_ISO_LEN], cv[32] = "-";
		const char *cells[5] = { num, v[i].origin, when, cv, strcmp(v[i].fp, now) == 0 ? "(the code now)" : "" };

		snprintf(num, sizeof(num), "%d", v[i].n);
		timefmt_iso_utc((time_t)v[i].time, when);
		if (!isnan(v[i].cv))
			snprintf(cv, sizeof(cv), "%.5f", v[i].cv);
		table_add(t, cells);
	}
	table_print(t, stdout, table_width(stdout));
	table_free(t);
}

static int
versions_main(cmd_ctx *c, int argc, char **argv)
{
	store_version *v;
	store_run r;
	store *db;
	ak_err e;
	size_t n;
	int code;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage_error("versions", "give the run: autokaggle versions RUN");
	code = versions_open(c, argv[1], STORE_READ, &db, &r);
	if (code != CMD_EXIT_OK)
		return code;
	if (store_version_list(db, r.id, &v, &n, &e) < 0) {
		code = cmd_fail(&e, CMD_EXIT_WORKSPACE);
	} else {
		if (n == 0)
			printf("run %s has no code versions yet (CODE has not run since versions were kept)\n", r.id);
		else
			versions_print(&r, v, n);
		store_version_list_free(v, n);
	}
	store_run_free(&r);
	store_close(db);
	return code;
}

/* ---- diff ---- */

/* The files of version n (0: the code now) as blocks named flat. */
static int
diff_side(const store_run *r, int n, codegen_block **b, size_t *nb, ak_err *e)
{
	char *dir;
	char **names;
	size_t i;

	if (n == 0) {
		if (versions_read(r->dir, b, nb, e) < 0)
			return -1;
		for (i = 0; i < *nb; i++) {
			char *flat = xstrdup(strrchr((*b)[i].path, '/') + 1);
			free((*b)[i].path);
			(*b)[i].path = flat;
		}
		return 0;
	}
	dir = versions_dir(r->dir, n);
	if (!fs_is_dir(dir)) {
		free(dir);
		return err_set(e, "run %s has no version %d (autokaggle versions %s lists them)", r->id, n, r->id);
	}
	names = fs_list_files(dir);
	*b = NULL;
	*nb = 0;
	for (i = 0; names[i]; i++) {
		char *p;
		if (strcmp(names[i], "version.json") == 0)
			continue;
		p = fs_join(dir, names[i]);
		*b = xrealloc(*b, (*nb + 1) * sizeof(**b));
		(*b)[*nb].path = xstrdup(names[i]);
		(*b)[*nb].text = fs_read_file(p, NULL, NULL);
		if (!(*b)[*nb].text)
			(*b)[*nb].text = xstrdup("");
		(*nb)++;
		free(p);
	}
	strv_free(names);
	free(dir);
	return 0;
}

/* diff -u of one file, a missing side as /dev/null. */
static void
diff_file(const char *tmp, const char *name, const codegen_block *a, const codegen_block *b, const char *la,
	const char *lb, strbuf *out)
{
	char *pa = xasprintf("%s/a", tmp), *pb = xasprintf("%s/b", tmp);
	char *ta = xasprintf("%s/%s", la, name), *tb = xasprintf("%s/%s", lb, name);
	const char *argv[] = { "diff", "-u", "--label", ta, "--label", tb, pa, pb, NULL };

	fs_write_atomic(pa, a ? a->text : "", a ? strlen(a->text) : 0, 0600, NULL);
	fs_write_atomic(pb, b ? b->text : "", b ? strlen(b->text) : 0, 0600, NULL);
	exec_capture(argv, 10, out);
	free(pa);
	free(pb);
	free(ta);
	free(tb);
}

static int
diff_print(const store_run *r, int va, int vb, ak_err *e)
{
	codegen_block *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i;
	const char *tmp = getenv("TMPDIR");
	char la[32], lb[32], *tmpl = xasprintf("%s/autokaggle-diff.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	strbuf out = { 0 };
	int rc = -1;

	snprintf(la, sizeof(la), "v%d", va);
	if (vb)
		snprintf(lb, sizeof(lb), "v%d", vb);
	else
		snprintf(lb, sizeof(lb), "now");
	if (diff_side(r, va, &a, &na, e) < 0 || diff_side(r, vb, &b, &nb, e) < 0)
		goto out;
	if (!mkdtemp(tmpl)) {
		err_sys(e, "cannot make a temporary directory for diff in %s (set TMPDIR to one you can write)",
			tmp && *tmp ? tmp : "/tmp");
		goto out;
	}
	for (i = 0; i < na; i++)
		diff_file(tmpl, a[i].path, &a[i], codegen_block_find(b, nb, a[i].path), la, lb, &out);
	for (i = 0; i < nb; i++)
		if (!codegen_block_find(a, na, b[i].path))
			diff_file(tmpl, b[i].path, NULL, &b[i], la, lb, &out);
	fs_remove_tree(tmpl, NULL);
	termsafe_fputs(strbuf_str(&out), TERMSAFE_TEXT, stdout);
	rc = 0;
out:
	codegen_blocks_free(a, na);
	codegen_blocks_free(b, nb);
	strbuf_free(&out);
	free(tmpl);
	return rc;
}

static int
diff_main(cmd_ctx *c, int argc, char **argv)
{
	store_version *v = NULL;
	store_run r;
	store *db;
	ak_err e;
	size_t n = 0;
	int va = 0, vb = 0, code;

	if (argc < 2 || argc > 4 || argv[1][0] == '-')
		return cmd_usage_error("diff", "give the run: autokaggle diff RUN [A] [B]");
	if ((argc > 2 && (code = versions_parse_n("diff", argv[2], &va)) != CMD_EXIT_OK) ||
	    (argc > 3 && (code = versions_parse_n("diff", argv[3], &vb)) != CMD_EXIT_OK))
		return code;
	code = versions_open(c, argv[1], STORE_READ, &db, &r);
	if (code != CMD_EXIT_OK)
		return code;
	if (argc == 2 && store_version_list(db, r.id, &v, &n, &e) == 0) {
		/* No version named: what the latest version changed. */
		if (n < 2) {
			termsafe_error("run %s has %zu code version%s: nothing to compare yet", r.id, n, n == 1 ? "" : "s");
			code = CMD_EXIT_INPUT;
		}
		va = n >= 2 ? v[n - 2].n : 0;
		vb = n >= 2 ? v[n - 1].n : 0;
		store_version_list_free(v, n);
	}
	if (code == CMD_EXIT_OK && diff_print(&r, va, vb, &e) < 0)
		code = cmd_fail(&e, CMD_EXIT_INPUT);
	store_run_free(&r);
	store_close(db);
	return code;
}

/* ---- restore ---- */

static int
restore_main(cmd_ctx *c, int argc, char **argv)
{
	store_run r;
	store *db;
	ak_err e;
	char note[64];
	int n, code, busy, lock, now;

	if (argc != 3 || argv[1][0] == '-')
		return cmd_usage_error("restore", "give the run and the version: autokaggle restore RUN N");
	if ((code = versions_parse_n("restore", argv[2], &n)) != CMD_EXIT_OK)
		return code;
	code = versions_open(c, argv[1], STORE_WRITE, &db, &r);
	if (code != CMD_EXIT_OK)
		return code;
	lock = rundir_lock(r.dir, &busy, &e);
	if (lock < 0) {
		termsafe_error("%s", busy ? "the run is busy: another autokaggle process drives it; wait for it or cancel it"
					  : e.msg);
		code = busy ? CMD_EXIT_BUSY : CMD_EXIT_WORKSPACE;
	} else {
		snprintf(note, sizeof(note), "version %d", n);
		if (versions_restore(r.dir, n, &e) < 0 || (now = versions_record(db, r.id, r.dir, "restore", note, &e)) < 0) {
			code = cmd_fail(&e, CMD_EXIT_INPUT);
		} else {
			printf("restored version %d of run %s as version %d; autokaggle rerun %s runs what it made stale\n", n,
				r.id, now, r.id);
		}
		close(lock);
	}
	store_run_free(&r);
	store_close(db);
	return code;
}

const cmd cmd_versions = {
	"versions", versions_main, CMD_WS_EXISTS, "versions RUN",
	"List the versions of a run's code with their origin and CV score.",
	"Every state of the code CODE, a repair, a restore or a hand edit produced is\n"
	"kept, in the workspace's database and as files in code/.versions/N/. Origins:\n"
	"template (the offline baseline), llm (written by the model), repair (fixed by\n"
	"the model after a failure), hand edit (changed by hand before TRAIN), restore.\n"
	"The CV score is the one TRAIN measured on that version.\n",
};

const cmd cmd_diff = {
	"diff", diff_main, CMD_WS_EXISTS, "diff RUN [A] [B]",
	"Show how two versions of a run's code differ (unified diff).",
	"Without A and B: what the latest version changed against the one before.\n"
	"With A: version A against the code as it is now. With A and B: A against B.\n",
};

const cmd cmd_restore = {
	"restore", restore_main, CMD_WS_EXISTS, "restore RUN N",
	"Bring version N of a run's code back (TRAIN becomes stale).",
	"Copies the files of code/.versions/N/ over the run's code and records them as\n"
	"a new version (origin restore). The next rerun trains it again.\n",
};

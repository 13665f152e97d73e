#include "config.h"

#include "cmd/cmd.h"
#include "kaggle/cache.h"
#include "kaggle/url.h"
#include "front/headless.h"
#include "pipeline/machine.h"
#include "pipeline/rundir.h"
#include "pipeline/runopts.h"
#include "pipeline/supervisor.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/paths.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* demo, run and rerun: set the run up, hand it to a detached supervisor,
 * then follow it (unless --detach). */

static long long
last_event_id(store *db, const char *run_id)
{
	store_event *ev = NULL;
	size_t n = 0;
	long long last = 0;

	if (store_events_since(db, run_id, 0, 0, &ev, &n, NULL) == 0 && n > 0)
		last = ev[n - 1].id;
	store_events_free(ev, n);
	return last;
}

/* A run writes as it goes (logs, models, the database): on a disk that
 * is already full it would fail at its first write with a worse message. */
#define RUN_MIN_FREE_BYTES (16LL << 20)

static int
check_room(const char *workspace)
{
	long long free_b = fs_free_bytes(workspace);

	if (free_b < 0 || free_b >= RUN_MIN_FREE_BYTES)
		return CMD_EXIT_OK;
	termsafe_error("the disk holding the workspace %s is full (%.1f MB free): "
		"free some space, or pass --workspace DIR on another disk, then retry", workspace, (double)free_b / 1e6);
	return CMD_EXIT_WORKSPACE;
}

/* Takes the run's lock for the supervisor about to start; -1 with the
 * exit code in *code when another process drives the run. */
static int
take_run_lock(const store_run *r, int *code)
{
	int busy, fd;
	ak_err e;

	fd = rundir_lock(r->dir, &busy, &e);
	if (fd >= 0)
		return fd;
	if (busy) {
		termsafe_error("run %s is busy: another autokaggle process (pid %d) drives it; "
			"wait for it, or stop it with: autokaggle cancel %s", r->id, r->supervisor_pid, r->id);
		*code = CMD_EXIT_BUSY;
	} else {
		termsafe_error("%s", e.msg);
		*code = CMD_EXIT_WORKSPACE;
	}
	return -1;
}

/* Hands the run, and its lock, to a detached supervisor, then follows
 * it (unless detach). */
static int
start_and_follow(cmd_ctx *c, store *db, const store_run *r, int lock, const char *rerun_stage, int retry,
	int detach)
{
	supervisor_request req = {
		.workspace = c->workspace, .run_id = r->id, .rerun_stage = rerun_stage,
		.retry_failed = retry, .notify_fd = -1, .lock_fd = lock,
	};
	long long after = last_event_id(db, r->id);
	int notify[2], code;
	pid_t pid;
	ak_err e;

	if (pipe(notify) < 0) {
		perror("autokaggle: pipe");
		close(lock);
		return CMD_EXIT_WORKSPACE;
	}
	fcntl(notify[0], F_SETFD, FD_CLOEXEC);
	req.notify_fd = notify[1];
	pid = supervisor_spawn(&req, &e);
	close(notify[1]);
	close(lock);
	if (pid < 0) {
		termsafe_error("%s", e.msg);
		close(notify[0]);
		return CMD_EXIT_WORKSPACE;
	}
	if (detach) {
		close(notify[0]);
		printf("follow it with: autokaggle status %s (or logs %s STAGE -f)\n", r->id, r->id);
		return CMD_EXIT_OK;
	}
	code = headless_follow(db, r->id, notify[0], pid, after);
	close(notify[0]);
	return code;
}

static const char *const run_roles[] = { "train", "test", "sample_submission" };

/* Refuses a directory that cannot be a competition before making a run. */
static int
check_competition_dir(const char *dir)
{
	static const char *const suffixes[] = { ".csv", ".csv.gz", ".csv.zip", ".zip" };
	size_t i, k;

	if (!fs_is_dir(dir)) {
		termsafe_error("%s is not a directory: give a directory holding train.csv, test.csv and sample_submission.csv", dir);
		return CMD_EXIT_INPUT;
	}
	for (i = 0; i < 3; i++) {
		int found = 0;
		for (k = 0; k < 4 && !found; k++) {
			char *name = xasprintf("%s%s", run_roles[i], suffixes[k]);
			char *p = fs_join(dir, name);
			found = access(p, R_OK) == 0;
			free(name);
			free(p);
		}
		if (!found) {
			termsafe_error("%s has no readable %s.csv: a competition directory needs train.csv, test.csv and sample_submission.csv",
				dir, run_roles[i]);
			return CMD_EXIT_INPUT;
		}
	}
	return CMD_EXIT_OK;
}

/* run.json as a run starts; slug is the Kaggle competition's (the data
 * then lives in the shared cache at dir), or NULL for a local directory. */
static cJSON *
initial_runjson(const char *id, const char *dir, const char *slug, const runopts *o)
{
	cJSON *j = cJSON_CreateObject(), *src;
	char stamp[TIMEFMT_ISO_LEN];

	timefmt_iso_utc(time(NULL), stamp);
	cJSON_AddStringToObject(j, "tool", PACKAGE_NAME);
	cJSON_AddStringToObject(j, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(j, "run_id", id);
	cJSON_AddStringToObject(j, "created", stamp);
	cJSON_AddStringToObject(j, "status", "created");
	src = cJSON_AddObjectToObject(j, "source");
	cJSON_AddStringToObject(src, "kind", slug ? "kaggle" : "local");
	if (slug) {
		char *url = kaggle_competition_url(slug);

		cJSON_AddStringToObject(src, "slug", slug);
		cJSON_AddStringToObject(src, "url", url);
		free(url);
	}
	cJSON_AddStringToObject(src, "path", dir);
	cJSON_AddStringToObject(j, "provider", "offline");
	if (o->model)
		cJSON_AddStringToObject(j, "model", o->model);
	else
		cJSON_AddNullToObject(j, "model");
	cJSON_AddNumberToObject(j, "seed", (double)o->seed);
	cJSON_AddItemToObject(j, "options", runopts_to_json(o));
	return j;
}

static int
create_run(store *db, const char *workspace, const char *srcdir, const char *slug, const char *name,
	const runopts *o, store_run *out)
{
	char *dir = NULL, *id, *path;
	cJSON *j;
	ak_err e;
	int rc;

	id = rundir_create(workspace, name, &dir, &e);
	if (!id) {
		termsafe_error("%s", e.msg);
		return CMD_EXIT_WORKSPACE;
	}
	j = initial_runjson(id, srcdir, slug, o);
	path = fs_join(dir, "run.json");
	rc = jsonfile_save(path, j, &e);
	cJSON_Delete(j);
	free(path);
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->dir = dir;
	out->source = slug ? kaggle_competition_url(slug) : xstrdup(srcdir);
	out->title = xstrdup(name);
	out->status = xstrdup("created");
	out->created = out->updated = (double)time(NULL);
	out->cv_score = NAN;
	if (rc == 0)
		rc = store_run_create(db, out, &e);
	if (rc < 0) {
		termsafe_error("%s", e.msg);
		return CMD_EXIT_WORKSPACE;
	}
	return CMD_EXIT_OK;
}

/* Parses run options; `positional` receives the non-option arguments. */
static int
parse_run_args(const char *cmdname, int argc, char **argv, runopts *o, char **positional, int maxpos, int *npos)
{
	ak_err e;
	int i, rc;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		rc = runopts_parse_one(o, argc, argv, &i, &e);
		if (rc < 0)
			return cmd_usage_error(cmdname, "%s", e.msg);
		if (rc > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage_error(cmdname, "unknown option '%s'", argv[i]);
		if (*npos >= maxpos)
			return cmd_usage_error(cmdname, "unexpected argument '%s'", argv[i]);
		positional[(*npos)++] = argv[i];
	}
	return CMD_EXIT_OK;
}

/* Creates the run and drives it: srcdir is the local directory, or for a
 * Kaggle competition (slug set) where the cache will hold its data. */
static int
run_start(cmd_ctx *c, const char *srcdir, const char *slug, const char *name, runopts *o)
{
	store *db;
	store_run r;
	int code, lock = -1;

	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = check_room(c->workspace);
	if (code != CMD_EXIT_OK) {
		store_close(db);
		return code;
	}
	code = create_run(db, c->workspace, srcdir, slug, name, o, &r);
	if (code == CMD_EXIT_OK)
		lock = take_run_lock(&r, &code);
	if (lock >= 0) {
		printf("run %s started in ", r.id);
		termsafe_fputs(r.dir, TERMSAFE_LINE, stdout);
		putchar('\n');
		fflush(stdout);
		code = start_and_follow(c, db, &r, lock, NULL, 0, o->detach);
	}
	store_run_free(&r);
	store_close(db);
	return code;
}

/* The kaggle executor pushes the code as a kernel whose data Kaggle
 * mounts: it needs a competition there, not a folder here. */
static int
check_executor_source(const char *cmdname, const runopts *o, int kaggle_source)
{
	if (kaggle_source || strcmp(o->executor, "kaggle") != 0)
		return CMD_EXIT_OK;
	return cmd_usage_error(cmdname, "--executor kaggle runs the code as a kernel on a Kaggle competition's "
		"data: give the competition's URL or slug, not a folder (or use --executor local)");
}

static int
run_local(cmd_ctx *c, const char *dir, const char *name, runopts *o)
{
	char *abs;
	int code = check_executor_source(strcmp(name, "demo") == 0 ? "demo" : "run", o, 0);

	if (code == CMD_EXIT_OK)
		code = check_competition_dir(dir);
	if (code != CMD_EXIT_OK)
		return code;
	abs = fs_realpath(dir, NULL);
	code = run_start(c, abs ? abs : dir, NULL, name, o);
	free(abs);
	return code;
}

static int
run_kaggle(cmd_ctx *c, const char *slug, runopts *o)
{
	ak_err e = { 0 };
	char *data = kaggle_cache_data_dir(slug, &e);
	int code;

	if (!data)
		return cmd_fail(&e, CMD_EXIT_INPUT);
	code = run_start(c, data, slug, slug, o);
	free(data);
	return code;
}

/* SRC: a local directory when one exists by that name, else a Kaggle
 * competition's URL or slug. */
static int
run_source(cmd_ctx *c, const char *src, runopts *o)
{
	char slug[KAGGLE_SLUG_MAX + 1], *trimmed;
	const char *base;
	ak_err e = { 0 };
	size_t len;
	int kind, code;

	if (!fs_exists(src)) {
		kind = kaggle_slug_parse(src, slug, sizeof(slug), &e);
		if (kind < 0)
			return cmd_fail(&e, CMD_EXIT_INPUT);
		if (kind > 0)
			return run_kaggle(c, slug, o);
		termsafe_error("%s: no such directory, nor a Kaggle competition's URL or slug: give a folder with train.csv, test.csv and sample_submission.csv, or say https://www.kaggle.com/competitions/SLUG",
			src);
		return CMD_EXIT_INPUT;
	}
	trimmed = xstrdup(src);
	len = strlen(trimmed);
	while (len > 1 && trimmed[len - 1] == '/')
		trimmed[--len] = '\0';
	base = strrchr(trimmed, '/');
	code = run_local(c, src, base ? base + 1 : trimmed, o);
	free(trimmed);
	return code;
}

static int
demo_main(cmd_ctx *c, int argc, char **argv)
{
	char *pos[1], *dir;
	runopts o;
	int n, code;

	runopts_init(&o);
	code = parse_run_args("demo", argc, argv, &o, pos, 0, &n);
	if (code == CMD_EXIT_OK) {
		dir = paths_data_file("demo");
		if (!dir) {
			termsafe_error("the demo competition is not installed (looked in %s/demo): reinstall autokaggle, or run make in the build tree",
				PKGDATADIR);
			code = CMD_EXIT_INPUT;
		} else {
			code = run_local(c, dir, "demo", &o);
			free(dir);
		}
	}
	runopts_free(&o);
	return code;
}

static int
run_main(cmd_ctx *c, int argc, char **argv)
{
	char *pos[1];
	runopts o;
	int n, code;

	runopts_init(&o);
	code = parse_run_args("run", argc, argv, &o, pos, 1, &n);
	if (code == CMD_EXIT_OK && n != 1)
		code = cmd_usage_error("run", "give the competition: autokaggle run URL|SLUG|DIR");
	if (code == CMD_EXIT_OK)
		code = run_source(c, pos[0], &o);
	runopts_free(&o);
	return code;
}

static int
rerun_prepare(store_run *r, int argc, char **argv, runopts *o, char **pos, int *npos)
{
	char *path = fs_join(r->dir, "run.json");
	cJSON *j = jsonfile_load(path, NULL);
	ak_err e;
	int code;

	if (j)
		runopts_from_json(o, cJSON_GetObjectItemCaseSensitive(j, "options"));
	code = parse_run_args("rerun", argc, argv, o, pos, 2, npos);
	if (code == CMD_EXIT_OK && j)
		code = check_executor_source("rerun", o, strcmp(json_str(cJSON_GetObjectItemCaseSensitive(j, "source"),
			"kind", ""), "kaggle") == 0);
	if (code == CMD_EXIT_OK && j) {
		json_set(j, "options", runopts_to_json(o));
		if (jsonfile_save(path, j, &e) < 0) {
			termsafe_error("%s", e.msg);
			code = CMD_EXIT_WORKSPACE;
		}
	}
	cJSON_Delete(j);
	free(path);
	return code;
}

static int
rerun_main(cmd_ctx *c, int argc, char **argv)
{
	char *pos[2];
	const char *stage = NULL;
	store *db;
	store_run r = { 0 };
	runopts o;
	int n = 0, code, lock = -1;

	/* A first pass finds RUN and STAGE; the options are parsed again over
	 * the run's stored ones, so only what is named here changes. */
	runopts_init(&o);
	code = parse_run_args("rerun", argc, argv, &o, pos, 2, &n);
	runopts_free(&o);
	if (code != CMD_EXIT_OK)
		return code;
	if (n < 1)
		return cmd_usage_error("rerun", "give the run: autokaggle rerun RUN [STAGE]");
	if (n == 2) {
		stage = pos[1];
		if (machine_stage_from_name(stage) < 0 || machine_stage_from_name(stage) == STAGE_SUBMIT) {
			termsafe_error("unknown stage '%s': one of meta data profile code env train predict validate", stage);
			return CMD_EXIT_INPUT;
		}
	}
	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	runopts_init(&o);
	code = cmd_find_run(db, pos[0], &r);
	if (code == CMD_EXIT_OK)
		code = cmd_require_run_dir(&r);
	if (code == CMD_EXIT_OK)
		code = check_room(c->workspace);
	/* The lock comes first: the options in run.json are the winner's. */
	if (code == CMD_EXIT_OK)
		lock = take_run_lock(&r, &code);
	if (lock >= 0)
		code = rerun_prepare(&r, argc, argv, &o, pos, &n);
	if (lock >= 0 && code != CMD_EXIT_OK)
		close(lock);
	else if (lock >= 0)
		code = start_and_follow(c, db, &r, lock, stage, stage == NULL, o.detach);
	runopts_free(&o);
	store_run_free(&r);
	store_close(db);
	return code;
}

const cmd cmd_demo = {
	"demo", demo_main, CMD_WS_CREATE, "demo [RUN OPTIONS]",
	"Run the bundled offline demo competition through every stage.",
	"The demo (customer churn, binary, AUC) ships with autokaggle and needs no\n"
	"network. It prints each stage as it starts and ends, then the run id, the\n"
	"local CV score and the path of the validated submission.\n\n",
};

const cmd cmd_run = {
	"run", run_main, CMD_WS_CREATE, "run URL|SLUG|DIR [RUN OPTIONS]",
	"Run the pipeline on a Kaggle competition or a local directory.",
	"URL is a competition's page as pasted from the browser (any of its tabs:\n"
	"https://www.kaggle.com/competitions/SLUG/data, /c/SLUG...), SLUG its short\n"
	"name. META then fetches its metadata and DATA its files into the cache shared\n"
	"by every run ($XDG_CACHE_HOME/autokaggle/competitions/SLUG), downloading\n"
	"nothing when it holds what Kaggle lists. A local DIR wins when it exists.\n"
	"DIR holds train.csv, test.csv and sample_submission.csv (also .csv.gz or a\n"
	".zip with one CSV), and optionally competition.json with Kaggle's fields\n"
	"(title, evaluationMetric...). The target is the sample submission's non-id\n"
	"column and the id its first column unless --target/--id say otherwise.\n\n",
};

const cmd cmd_rerun = {
	"rerun", rerun_main, CMD_WS_EXISTS, "rerun RUN [STAGE] [RUN OPTIONS]",
	"Re-run STAGE and whatever is stale below it.",
	"Without STAGE the run continues from the first stage that is not done and\n"
	"fresh, re-trying a failed one: fix code/train.py by hand, then rerun.\n"
	"Options given here replace the run's (a new --budget makes the code stale).\n"
	"RUN is a run id, a unique prefix of one, or 'last'. STAGE is one of\n"
	"meta data profile code env train predict validate.\n\n",
};

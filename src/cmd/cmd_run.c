#include "config.h"

#include "cmd/cmd.h"
#include "front/headless.h"
#include "pipeline/machine.h"
#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "pipeline/runopts.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/paths.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* demo, run and rerun: set the run up, hand it to a detached supervisor,
 * then follow it (unless --detach). */

/* Takes the run's lock for the supervisor about to start; -1 with the
 * exit code in *code when another process drives the run. */
static int
take_run_lock(const store_run *r, int *code)
{
	ak_err e = { 0 };
	int fd = run_take_lock(r, &e);

	if (fd < 0) {
		termsafe_error("%s", e.msg);
		*code = err_kind_of(&e) == ERR_BUSY ? CMD_EXIT_BUSY : CMD_EXIT_WORKSPACE;
	}
	return fd;
}

static int
check_room(const char *workspace)
{
	ak_err e;

	if (run_check_room(workspace, &e) == 0)
		return CMD_EXIT_OK;
	termsafe_error("%s", e.msg);
	return CMD_EXIT_WORKSPACE;
}

/* Hands the run, and its lock, to a detached supervisor, then follows
 * it (unless detach): in the workbench when there is one, else with
 * stage lines. */
static int
start_and_follow(cmd_ctx *c, store *db, const store_run *r, int lock, const char *rerun_stage, int retry,
	int detach)
{
	long long after = run_last_event_id(db, r->id);
	int notify = -1, code;
	pid_t pid;
	ak_err e;

	pid = run_start(c->workspace, r, lock, rerun_stage, retry, &notify, &e);
	if (pid < 0) {
		termsafe_error("%s", e.msg);
		return CMD_EXIT_WORKSPACE;
	}
	if (detach) {
		close(notify);
		printf("follow it with: autokaggle status %s (or logs %s STAGE -f)\n", r->id, r->id);
		return CMD_EXIT_OK;
	}
	if (!c->headless && c->workbench) {
		close(notify);
		return c->workbench(c, db, r->id);
	}
	code = headless_follow(db, r->id, r->dir, notify, pid, after);
	close(notify);
	return code;
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

/* Creates the run and drives it. */
static int
run_begin(cmd_ctx *c, const run_source *src, runopts *o)
{
	store *db;
	store_run r;
	ak_err e;
	int code, lock = -1;

	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = check_room(c->workspace);
	if (code != CMD_EXIT_OK) {
		store_close(db);
		return code;
	}
	if (run_create(db, c->workspace, src, o, &r, &e) < 0) {
		termsafe_error("%s", e.msg);
		code = CMD_EXIT_WORKSPACE;
	}
	if (code == CMD_EXIT_OK)
		lock = take_run_lock(&r, &code);
	if (lock >= 0) {
		if (c->headless || !c->workbench || o->detach) {
			printf("run %s started in ", r.id);
			termsafe_fputs(r.dir, TERMSAFE_LINE, stdout);
			putchar('\n');
			fflush(stdout);
		}
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

/* SRC: a local directory when one exists by that name, else a Kaggle
 * competition's URL or slug; name: the demo's. */
static int
run_from(cmd_ctx *c, const char *cmdname, const char *srcarg, const char *name, runopts *o)
{
	run_source src;
	ak_err e = { 0 };
	int code, rc;

	/* A local folder is refused for the kaggle executor before it is looked at. */
	if (name || fs_exists(srcarg)) {
		code = check_executor_source(cmdname, o, 0);
		if (code != CMD_EXIT_OK)
			return code;
	}
	rc = name ? run_source_local(srcarg, name, &src, &e) : run_source_resolve(srcarg, &src, &e);
	if (rc < 0)
		return cmd_fail(&e, CMD_EXIT_INPUT);
	code = run_begin(c, &src, o);
	run_source_free(&src);
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
			code = run_from(c, "demo", dir, "demo", &o);
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
		code = run_from(c, "run", pos[0], NULL, &o);
	runopts_free(&o);
	return code;
}

static int
rerun_prepare(store_run *r, int argc, char **argv, runopts *o, char **pos, int *npos)
{
	cJSON *j = run_options_load(r, o);
	ak_err e;
	int code;

	code = parse_run_args("rerun", argc, argv, o, pos, 2, npos);
	if (code == CMD_EXIT_OK && j)
		code = check_executor_source("rerun", o, strcmp(json_str(cJSON_GetObjectItemCaseSensitive(j, "source"),
			"kind", ""), "kaggle") == 0);
	if (code == CMD_EXIT_OK && j && run_options_save(r, j, o, &e) < 0) {
		termsafe_error("%s", e.msg);
		code = CMD_EXIT_WORKSPACE;
	}
	cJSON_Delete(j);
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

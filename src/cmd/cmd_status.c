#include "config.h"

#include "cmd/cmd.h"
#include "exec/executor.h"
#include "llm/price.h"
#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* status and list: read-only views of the store, safe while a run goes on. */

static void
json_add_num_or_null(cJSON *o, const char *key, double v)
{
	if (isnan(v))
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, v);
}

/* A step running elsewhere (a Kaggle kernel) has no message until it
 * ends: its executor says where it stands. */
static void
status_remote_note(const store_run *r, store_stage *st)
{
	char *path = rundir_path(r->dir, RUNDIR_RUN_JSON);
	cJSON *run = jsonfile_load(path, NULL);
	const executor_ops *ops = executor_find(json_str(cJSON_GetObjectItemCaseSensitive(run, "options"),
		"executor", "local"), NULL);
	int i;

	for (i = STAGE_TRAIN; ops && ops != &executor_local_ops && i <= STAGE_PREDICT; i++) {
		executor_job j = { .run_dir = r->dir, .run_id = r->id,
			.step = i == STAGE_TRAIN ? EXECUTOR_TRAIN : EXECUTOR_PREDICT };

		if (st[i].m.status == STATUS_RUNNING && strcmp(r->status, "running") == 0)
			ops->poll(&j, st[i].message, sizeof(st[i].message));
	}
	cJSON_Delete(run);
	free(path);
}

typedef struct status_subs {
	store_submission *v;
	size_t n;
} status_subs;

static cJSON *
status_subs_json(const status_subs *subs)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < subs->n; i++) {
		const store_submission *x = &subs->v[i];
		cJSON *o = cJSON_CreateObject();
		char when[TIMEFMT_ISO_LEN];

		timefmt_iso_utc((time_t)x->time, when);
		cJSON_AddNumberToObject(o, "ref", (double)x->ref);
		cJSON_AddStringToObject(o, "time", when);
		cJSON_AddStringToObject(o, "message", x->message);
		cJSON_AddStringToObject(o, "file_sha256", x->file_sha256);
		cJSON_AddStringToObject(o, "code_fingerprint", x->code_fp);
		json_add_num_or_null(o, "cv", x->cv);
		json_add_num_or_null(o, "public_score", x->public_score);
		cJSON_AddStringToObject(o, "status", x->status);
		if (*x->error)
			cJSON_AddStringToObject(o, "error", x->error);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void
status_subs_text(const status_subs *subs)
{
	size_t i;

	if (!subs->n)
		return;
	printf("\n%-20s %-9s %10s %10s  %s\n", "submitted", "status", "cv", "public", "message");
	for (i = 0; i < subs->n; i++) {
		const store_submission *x = &subs->v[i];
		char when[TIMEFMT_ISO_LEN], cv[32] = "-", pub[32] = "-", *msg = termsafe(*x->error ? x->error : x->message, TERMSAFE_LINE);

		timefmt_iso_utc((time_t)x->time, when);
		if (!isnan(x->cv))
			snprintf(cv, sizeof(cv), "%.5f", x->cv);
		if (!isnan(x->public_score))
			snprintf(pub, sizeof(pub), "%.5f", x->public_score);
		printf("%-20s %-9s %10s %10s  %s\n", when, x->status, cv, pub, msg);
		free(msg);
	}
}

/* The run's LLM use: its calls summed, against its --llm-budget. */
typedef struct status_llm {
	store_llm_totals t;
	long budget;
} status_llm;

static void
status_llm_load(store *db, const store_run *r, status_llm *out)
{
	char *path = xasprintf("%s/run.json", r->dir);
	cJSON *j = jsonfile_load(path, NULL);

	store_llm_totals_get(db, r->id, &out->t, NULL);
	out->budget = (long)json_num(cJSON_GetObjectItemCaseSensitive(j, "options"), "llm_budget", 0);
	cJSON_Delete(j);
	free(path);
}

static cJSON *
status_llm_json(const status_llm *l)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "calls", (double)l->t.calls);
	cJSON_AddNumberToObject(o, "input_tokens", (double)l->t.input_tokens);
	cJSON_AddNumberToObject(o, "output_tokens", (double)l->t.output_tokens);
	cJSON_AddNumberToObject(o, "seconds", l->t.seconds);
	cJSON_AddNumberToObject(o, "cost_usd", l->t.cost);
	cJSON_AddNumberToObject(o, "unpriced_calls", (double)l->t.unpriced);
	if (l->budget > 0)
		cJSON_AddNumberToObject(o, "budget_tokens", (double)l->budget);
	else
		cJSON_AddNullToObject(o, "budget_tokens");
	return o;
}

/* ", $0.0123", with what it leaves out when some models have no price. */
static void
status_llm_cost(const store_llm_totals *t)
{
	if (t->unpriced == t->calls)
		printf(", cost unknown (set llm.price.MODEL)");
	else if (t->unpriced > 0)
		printf(", %s for the priced calls (%ld unpriced: set llm.price.MODEL)", llm_price_format(t->cost),
			t->unpriced);
	else
		printf(", %s", llm_price_format(t->cost));
}

static void
status_llm_text(const status_llm *l)
{
	if (l->t.calls == 0 && l->budget <= 0)
		return;
	printf("llm      %ld call%s, %ld tokens in, %ld out, %.1f s", l->t.calls, l->t.calls == 1 ? "" : "s",
		l->t.input_tokens, l->t.output_tokens, l->t.seconds);
	if (l->t.calls > 0)
		status_llm_cost(&l->t);
	if (l->budget > 0)
		printf("; %ld of the budget of %ld tokens used", l->t.input_tokens + l->t.output_tokens, l->budget);
	putchar('\n');
}

static void
status_json(const store_run *r, const store_stage *st, const int *attempts, const status_subs *subs,
	const status_llm *llm)
{
	cJSON *j = cJSON_CreateObject(), *run = cJSON_AddObjectToObject(j, "run");
	cJSON *stages = cJSON_AddArrayToObject(j, "stages");
	char *sub = run_submission_path(r, st), *text;
	int i;

	cJSON_AddStringToObject(run, "id", r->id);
	cJSON_AddStringToObject(run, "dir", r->dir);
	cJSON_AddStringToObject(run, "source", r->source);
	cJSON_AddStringToObject(run, "title", r->title);
	cJSON_AddStringToObject(run, "task", r->task);
	cJSON_AddStringToObject(run, "target", r->target);
	cJSON_AddStringToObject(run, "id_column", r->id_column);
	cJSON_AddStringToObject(run, "metric", r->metric);
	cJSON_AddStringToObject(run, "status", run_status_shown(r));
	cJSON_AddNumberToObject(run, "created", r->created);
	cJSON_AddNumberToObject(run, "updated", r->updated);
	json_add_num_or_null(run, "cv_score", r->cv_score);
	for (i = 0; i < STAGE_SUBMIT; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", machine_stage_name(i));
		cJSON_AddStringToObject(o, "status", run_stage_status_shown(run_status_shown(r), &st[i]));
		cJSON_AddNumberToObject(o, "attempts", attempts[i]);
		cJSON_AddNumberToObject(o, "wall_s", st[i].wall_s);
		cJSON_AddNumberToObject(o, "cpu_s", st[i].cpu_s);
		cJSON_AddNumberToObject(o, "maxrss_kb", (double)st[i].maxrss_kb);
		cJSON_AddNumberToObject(o, "exit_code", st[i].exit_code);
		cJSON_AddStringToObject(o, "message", st[i].message);
		cJSON_AddItemToArray(stages, o);
	}
	if (sub)
		cJSON_AddStringToObject(j, "submission", sub);
	else
		cJSON_AddNullToObject(j, "submission");
	cJSON_AddItemToObject(j, "submissions", status_subs_json(subs));
	cJSON_AddItemToObject(j, "llm", status_llm_json(llm));
	text = cJSON_Print(j);
	puts(text);
	free(text);
	free(sub);
	cJSON_Delete(j);
}

/* What status and list print comes from outside (titles, paths, column
 * names, child output in messages): made safe for the terminal first. */
static void
status_make_safe(store_run *r)
{
	/* The shown status reads the run directory: taken before its path
	 * is touched. */
	char *shown = xstrdup(run_status_shown(r));
	char **fields[] = { &r->id, &r->dir, &r->source, &r->title, &r->task, &r->target, &r->id_column,
		&r->metric, &r->status };
	size_t i;

	free(r->status);
	r->status = shown;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		termsafe_replace(fields[i], TERMSAFE_LINE);
}

static void
status_text(store_run *r, store_stage *st, const int *attempts, const status_subs *subs, const status_llm *llm)
{
	char *sub = run_submission_path(r, st);
	int i;

	status_make_safe(r);
	for (i = 0; i < STAGE_COUNT; i++)
		termsafe_buffer(st[i].message, sizeof(st[i].message), TERMSAFE_LINE);
	if (sub)
		termsafe_replace(&sub, TERMSAFE_LINE);

	printf("run      %s (%s)\n", r->id, r->status);
	printf("title    %s\n", r->title);
	printf("source   %s\n", r->source);
	if (r->task[0])
		printf("task     %s, target %s, id %s, metric %s\n", r->task, r->target, r->id_column, r->metric);
	if (!isnan(r->cv_score))
		printf("cv       %.4f (%s)\n", r->cv_score, r->metric);
	status_llm_text(llm);
	printf("dir      %s\n\n", r->dir);
	printf("%-9s %-11s %4s %8s %8s %9s  %s\n", "stage", "status", "runs", "time", "cpu", "peak rss", "note");
	for (i = 0; i < STAGE_SUBMIT; i++) {
		char rss[32] = "";
		if (st[i].maxrss_kb > 0)
			snprintf(rss, sizeof(rss), "%.0f MB", (double)st[i].maxrss_kb / 1024.0);
		printf("%-9s %-11s %4d %7.1fs %7.1fs %9s  %s\n", machine_stage_name(i),
			run_stage_status_shown(r->status, &st[i]), attempts[i], st[i].wall_s, st[i].cpu_s, rss, st[i].message);
	}
	if (sub)
		printf("\nsubmission %s\n", sub);
	status_subs_text(subs);
	free(sub);
}

static int
status_main(cmd_ctx *c, int argc, char **argv)
{
	const char *which = "last";
	store_stage st[STAGE_COUNT];
	int attempts[STAGE_COUNT];
	store_run r;
	store *db;
	ak_err e;
	int json = 0, i, code;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] == '-')
			return cmd_usage_error("status", "unknown option '%s'", argv[i]);
		else if (strcmp(which, "last") != 0)
			return cmd_usage_error("status", "unexpected argument '%s'", argv[i]);
		else
			which = argv[i];
	}
	db = cmd_open_store(c, STORE_READ);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, which, &r);
	if (code == CMD_EXIT_OK) {
		if (store_stage_get_all(db, r.id, st, &e) < 0) {
			termsafe_error("%s", e.msg);
			code = CMD_EXIT_WORKSPACE;
		} else {
			status_subs subs = { NULL, 0 };
			status_llm llm;

			store_attempt_counts(db, r.id, attempts, NULL);
			status_llm_load(db, &r, &llm);
			store_submission_list(db, NULL, r.id, &subs.v, &subs.n, NULL);
			status_remote_note(&r, st);
			if (json)
				status_json(&r, st, attempts, &subs, &llm);
			else
				status_text(&r, st, attempts, &subs, &llm);
			store_submission_list_free(subs.v, subs.n);
			code = cmd_require_run_dir(&r);
		}
		store_run_free(&r);
	}
	store_close(db);
	return code;
}

static void
list_print(store_run *runs, size_t n, int json)
{
	cJSON *arr = cJSON_CreateArray();
	char *text;
	size_t i;

	if (!json && n > 0)
		printf("%-32s %-11s %-10s %-8s %8s  %s\n", "run", "status", "task", "metric", "cv", "title");
	for (i = 0; i < n; i++) {
		store_run *r = &runs[i];
		if (json) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", r->id);
			cJSON_AddStringToObject(o, "status", run_status_shown(r));
			cJSON_AddStringToObject(o, "title", r->title);
			cJSON_AddStringToObject(o, "task", r->task);
			cJSON_AddStringToObject(o, "metric", r->metric);
			json_add_num_or_null(o, "cv_score", r->cv_score);
			cJSON_AddNumberToObject(o, "created", r->created);
			cJSON_AddItemToArray(arr, o);
			continue;
		}
		status_make_safe(r);
		if (isnan(r->cv_score))
			printf("%-32s %-11s %-10s %-8s %8s  %s\n", r->id, r->status, r->task, r->metric, "-", r->title);
		else
			printf("%-32s %-11s %-10s %-8s %8.4f  %s\n", r->id, r->status, r->task, r->metric, r->cv_score, r->title);
	}
	if (json) {
		text = cJSON_Print(arr);
		puts(text);
		free(text);
	}
	cJSON_Delete(arr);
}

static int
list_main(cmd_ctx *c, int argc, char **argv)
{
	store_run *runs = NULL;
	size_t n = 0;
	store *db;
	ak_err e;
	int json = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return cmd_usage_error("list", "unexpected argument '%s'", argv[i]);
	}
	db = cmd_open_store(c, STORE_READ);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	if (store_run_list(db, &runs, &n, &e) < 0) {
		termsafe_error("%s", e.msg);
		store_close(db);
		return CMD_EXIT_WORKSPACE;
	}
	if (n == 0 && !json)
		printf("no runs in %s yet: start one with autokaggle demo or autokaggle run DIR\n", c->workspace);
	else
		list_print(runs, n, json);
	store_run_list_free(runs, n);
	store_close(db);
	return CMD_EXIT_OK;
}

const cmd cmd_status = {
	"status", status_main, CMD_WS_EXISTS, "status [RUN] [--json]",
	"Show the stages of a run (default: the newest).",
	"Each stage's status, wall time, CPU time, peak memory and last message.\n"
	"A run whose driving process died shows as interrupted: continue it with\n"
	"autokaggle rerun RUN. --json prints the same as one JSON object.\n\n",
};

const cmd cmd_list = {
	"list", list_main, CMD_WS_EXISTS, "list [--json]",
	"List the runs in the workspace, newest first.",
	"",
};

#include "config.h"

#include "pipeline/submit_gate.h"
#include "kaggle/api.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The code a submission came from: every file of code/ (not history/ nor
 * caches) by name and content. */
static void
gate_code_fp(const char *dir, char out[HASH_HEX_LEN + 1])
{
	char *code = fs_join(dir, "code");
	hash_ctx h;

	hash_init(&h);
	hash_update_dir(&h, code);
	hash_final_hex(&h, out);
	free(code);
}

/* The kernel version the run's output came from, when it ran on Kaggle. */
static void
gate_kernel_load(submit_gate *g)
{
	char *path = fs_join(g->dir, "kernel/push.json");
	cJSON *p = fs_exists(path) ? jsonfile_load(path, NULL) : NULL;
	const char *id = json_str(p, "id", ""), *slash = strchr(id, '/');
	const cJSON *opts = cJSON_GetObjectItemCaseSensitive(g->runjson, "options");

	if (p && slash && strcmp(json_str(p, "state", ""), "collected") == 0 &&
	    strcmp(json_str(opts, "executor", "local"), "kaggle") == 0) {
		g->kernel_owner = xstrndup(id, (size_t)(slash - id));
		g->kernel_slug = xstrdup(slash + 1);
		g->kernel_version = json_int(p, "version", 1, 1LL << 40, 0);
	}
	cJSON_Delete(p);
	free(path);
}

int
submit_gate_load(submit_gate *g, const store_run *r, ak_err *e)
{
	char *vpath = rundir_path(r->dir, RUNDIR_VALIDATION), *rpath = rundir_path(r->dir, RUNDIR_RUN_JSON);
	const cJSON *src, *task;
	cJSON *v = NULL;
	int rc = -1;

	memset(g, 0, sizeof(*g));
	g->dir = xstrdup(r->dir);
	g->path = rundir_path(r->dir, RUNDIR_SUBMISSION);
	g->cv = r->cv_score;
	g->runjson = jsonfile_load(rpath, e);
	if (!g->runjson)
		goto out;
	src = cJSON_GetObjectItemCaseSensitive(g->runjson, "source");
	task = cJSON_GetObjectItemCaseSensitive(g->runjson, "task");
	g->higher_is_better = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(task, "higher_is_better"));
	if (strcmp(json_str(src, "kind", ""), "kaggle") != 0) {
		err_kind_set(e, ERR_INPUT, "run %s is of the local directory %s: submit needs a run of a Kaggle competition (autokaggle run URL)",
			r->id, json_str(src, "path", "?"));
		goto out;
	}
	g->slug = xstrdup(json_str(src, "slug", ""));
	if (hash_file_hex(g->path, g->file_sha256, NULL) < 0) {
		err_kind_set(e, ERR_INPUT, "run %s has no output/submission.csv: finish it first (autokaggle rerun %s)",
			r->id, r->id);
		goto out;
	}
	v = fs_exists(vpath) ? jsonfile_load(vpath, NULL) : NULL;
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")) ||
	    strcmp(json_str(v, "sha256", ""), g->file_sha256) != 0) {
		err_kind_set(e, ERR_INPUT, "VALIDATE has not passed for run %s's submission.csv as it is now: run autokaggle rerun %s validate",
			r->id, r->id);
		goto out;
	}
	gate_code_fp(r->dir, g->code_fp);
	gate_kernel_load(g);
	rc = 0;
out:
	cJSON_Delete(v);
	free(vpath);
	free(rpath);
	return rc;
}

void
submit_gate_clean(submit_gate *g)
{
	free(g->dir);
	free(g->slug);
	free(g->path);
	free(g->kernel_owner);
	free(g->kernel_slug);
	cJSON_Delete(g->runjson);
	memset(g, 0, sizeof(*g));
}

/* Kaggle's submissions of today (UTC, when the daily count starts over). */
static int
gate_count_today(kaggle_client *c, const char *slug, int *count, ak_err *e)
{
	time_t now = time(NULL), midnight = now - now % 86400;
	char *token = NULL;
	int pages = 0, older = 0;

	*count = 0;
	do {
		char *body = kaggle_api_list_submissions_body(slug, 100, token), *reply;
		kaggle_submission_page p;
		size_t len = 0, i;

		reply = kaggle_client_call(c, "ListSubmissions", body, slug, &len, e);
		free(body);
		free(token);
		token = NULL;
		if (!reply || kaggle_api_parse_submission_page(reply, len, &p, e) < 0) {
			free(reply);
			return -1;
		}
		free(reply);
		for (i = 0; i < p.count; i++) {
			if (p.items[i].date >= midnight)
				++*count;
			else
				older = 1;
		}
		if (*p.next_page_token && !older && ++pages < 50)
			token = xstrdup(p.next_page_token);
		kaggle_api_submission_page_free(&p);
	} while (token);
	return 0;
}

static void
gate_score(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "no public score");
	else
		snprintf(buf, n, "public score %.6g", v);
}

typedef struct gate_state {
	FILE *out;
	char first[512];       /* the first failed check, for the refusal */
} gate_state;

static void
gate_line(gate_state *st, int pass, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
gate_line(gate_state *st, int pass, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(st->out, "  %s %s\n", pass ? "ok  " : "FAIL", line);
	if (!pass && !st->first[0])
		snprintf(st->first, sizeof(st->first), "%s", line);
}

/* The same file, the same code, and the best CV among what this workspace
 * submitted to the competition. */
static int
gate_history(submit_gate *g, store *db, gate_state *st, ak_err *e)
{
	store_submission *v;
	size_t n, i;
	const store_submission *same_file = NULL, *same_code = NULL, *best = NULL;
	char when[TIMEFMT_ISO_LEN], score[64];

	if (store_submission_list(db, g->slug, NULL, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].file_sha256, g->file_sha256) == 0)
			same_file = &v[i];
		if (strcmp(v[i].code_fp, g->code_fp) == 0)
			same_code = &v[i];
		if (!isnan(v[i].cv) && (!best || (g->higher_is_better ? v[i].cv > best->cv : v[i].cv < best->cv)))
			best = &v[i];
	}
	if (same_file) {
		timefmt_iso_utc((time_t)same_file->time, when);
		gate_score(same_file->public_score, score, sizeof(score));
		gate_line(st, 0, "this very file was submitted at %s (run %s, %s)", when, same_file->run_id, score);
	} else {
		gate_line(st, 1, "this file was not submitted before");
	}
	if (same_code && same_code != same_file) {
		timefmt_iso_utc((time_t)same_code->time, when);
		gate_score(same_code->public_score, score, sizeof(score));
		gate_line(st, 0, "the same code was submitted at %s (run %s, %s)", when, same_code->run_id, score);
	} else if (!same_code) {
		gate_line(st, 1, "this code was not submitted before");
	}
	if (!best || isnan(g->cv))
		gate_line(st, 1, "no CV to compare with%s", isnan(g->cv) ? " (this run has none)" : "");
	else if (g->higher_is_better ? g->cv >= best->cv : g->cv <= best->cv)
		gate_line(st, 1, "CV %.6g is at least the best submitted (%.6g)", g->cv, best->cv);
	else
		gate_line(st, 0, "CV %.6g is worse than the best submitted, %.6g (run %s)", g->cv, best->cv, best->run_id);
	store_submission_list_free(v, n);
	return 0;
}

int
submit_gate_check(submit_gate *g, kaggle_client *c, store *db, int force, FILE *out, ak_err *e)
{
	gate_state st = { .out = out };
	kaggle_competition k = { 0 };
	char *body = kaggle_api_get_competition_body(g->slug), *reply;
	size_t len = 0;
	int today;

	reply = kaggle_client_call(c, "GetCompetition", body, g->slug, &len, e);
	free(body);
	if (!reply || kaggle_api_parse_competition(reply, len, &k, e) < 0) {
		free(reply);
		return -1;
	}
	free(reply);
	if (k.submissions_disabled) {
		err_kind_set(e, ERR_INPUT, "%s takes no submissions now", g->slug);
		kaggle_api_competition_free(&k);
		return -1;
	}
	g->kernels_only = k.is_kernels_submissions_only;
	if (g->kernels_only && g->kernel_version <= 0) {
		err_kind_set(e, ERR_INPUT, "%s takes submissions from notebooks only, and this run's submission.csv "
			"was made here: run it as a kernel (autokaggle rerun RUN train --executor kaggle), then submit",
			g->slug);
		kaggle_api_competition_free(&k);
		return -1;
	}
	fprintf(out, "pre-flight checks for %s:\n", g->slug);
	if (g->kernels_only)
		gate_line(&st, 1, "notebooks only: the output of kernel %s/%s version %lld is submitted", g->kernel_owner,
			g->kernel_slug, g->kernel_version);
	gate_line(&st, 1, "VALIDATE passed for this file (sha256 %.12s)", g->file_sha256);
	if (gate_count_today(c, g->slug, &today, e) < 0) {
		kaggle_api_competition_free(&k);
		return -1;
	}
	if (k.max_daily_submissions > 0 && today >= k.max_daily_submissions)
		gate_line(&st, 0, "%d of %d submissions used today: the limit is reached (it resets at 00:00 UTC)", today,
			k.max_daily_submissions);
	else if (k.max_daily_submissions > 0)
		gate_line(&st, 1, "%d of %d submissions used today, %d left", today, k.max_daily_submissions,
			k.max_daily_submissions - today);
	else
		gate_line(&st, 1, "%d submissions today", today);
	kaggle_api_competition_free(&k);
	if (gate_history(g, db, &st, e) < 0)
		return -1;
	if (!st.first[0])
		return 0;
	if (force) {
		fprintf(out, "--force: submitting anyway\n");
		return 0;
	}
	return err_set(e, "not submitted: %s (--force submits anyway)", st.first);
}

int
submit_gate_record(submit_gate *g, const store_submission *sub, ak_err *e)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(g->runjson, "submissions"), *o = NULL, *x;
	char when[TIMEFMT_ISO_LEN], *path = rundir_path(g->dir, RUNDIR_RUN_JSON), *msg;
	int rc;

	if (!cJSON_IsArray(arr)) {
		arr = cJSON_CreateArray();
		json_set(g->runjson, "submissions", arr);
	}
	cJSON_ArrayForEach(x, arr)
		if (json_int(x, "ref", 0, LLONG_MAX, -1) == sub->ref)
			o = x;
	if (!o) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(arr, o);
	}
	timefmt_iso_utc((time_t)sub->time, when);
	json_set(o, "ref", cJSON_CreateNumber((double)sub->ref));
	json_set(o, "time", cJSON_CreateString(when));
	msg = redact_string(sub->message);
	json_set(o, "message", cJSON_CreateString(msg));
	free(msg);
	json_set(o, "file_sha256", cJSON_CreateString(sub->file_sha256));
	json_set(o, "code_fingerprint", cJSON_CreateString(sub->code_fp));
	json_set(o, "cv", isnan(sub->cv) ? cJSON_CreateNull() : cJSON_CreateNumber(sub->cv));
	json_set(o, "public_score", isnan(sub->public_score) ? cJSON_CreateNull() : cJSON_CreateNumber(sub->public_score));
	json_set(o, "status", cJSON_CreateString(sub->status));
	if (sub->error && *sub->error)
		json_set(o, "error", cJSON_CreateString(sub->error));
	rc = jsonfile_save(path, g->runjson, e);
	free(path);
	return rc;
}

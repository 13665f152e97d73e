#include "config.h"

#include "codegen/codegen.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CODE writes the pipeline's code: for now the offline baseline
 * templates (the LLM writes it in a later issue). Code the user edited is
 * never overwritten: the previous files move to code/history/STAMP/. */

static const char *const code_outputs[] = {
	"code/features.py", "code/train.py", "code/predict.py", "code/config.yaml",
	"code/metric.py", "env/requirements.txt",
};

static int
code_gpu_resolved(const session *s)
{
	if (s->opts.gpu != RUNOPTS_GPU_AUTO)
		return s->opts.gpu == RUNOPTS_GPU_YES;
	return exec_gpu_detect();
}

static void
code_record_constraints(session *s, int gpu)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddNumberToObject(c, "budget_seconds", (double)s->opts.budget_ms / 1000.0);
	cJSON_AddNumberToObject(c, "memory_bytes", (double)runopts_memory_limit(&s->opts));
	cJSON_AddNumberToObject(c, "threads", runopts_threads(&s->opts));
	cJSON_AddStringToObject(c, "gpu", runopts_gpu_name(s->opts.gpu));
	cJSON_AddBoolToObject(c, "gpu_resolved", gpu);
	cJSON_AddStringToObject(c, "family", s->opts.family);
	cJSON_AddNumberToObject(c, "folds", s->opts.folds);
	cJSON_AddBoolToObject(c, "no_network", s->opts.no_network);
	json_set(s->run, "constraints", c);
	cJSON_DeleteItemFromObjectCaseSensitive(s->run, "seed");
	cJSON_AddNumberToObject(s->run, "seed", (double)s->opts.seed);
}

static void
code_hash_templates(hash_ctx *h)
{
	char *dir = paths_data_file("templates/baseline");

	if (!dir) {
		hash_update_str(h, "<no templates>");
		return;
	}
	hash_update_dir(h, dir);
	free(dir);
}

static void
code_fingerprint(session *s, hash_ctx *h)
{
	static const char *const inputs[] = {
		"input/competition.json", "input/data_profile.json", "input/decisions.json",
	};
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *p = session_path(s, inputs[i]);
		hash_update_file(h, p);
		free(p);
	}
	hash_update_str(h, s->m.st[STAGE_META].done_fp);
	hash_update_str(h, s->opts.family);
	hash_update_str(h, runopts_gpu_name(s->opts.gpu));
	hash_update_str(h, s->opts.metric ? s->opts.metric : "");
	hash_update_str(h, s->opts.model ? s->opts.model : "offline");
	hash_update(h, &s->opts.budget_ms, sizeof(s->opts.budget_ms));
	hash_update(h, &s->opts.seed, sizeof(s->opts.seed));
	hash_update(h, &s->opts.folds, sizeof(s->opts.folds));
	hash_update(h, &s->opts.threads, sizeof(s->opts.threads));
	if (s->opts.metric_file)
		hash_update_file(h, s->opts.metric_file);
	code_hash_templates(h);
}

/* Moves the current code aside; returns how many files moved. */
static int
code_keep_history(session *s, ak_err *e)
{
	char stamp[32], *hist;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int moved = 0;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	hist = xasprintf("%s/code/history/%s", s->dir, stamp);
	for (i = 0; i < sizeof(code_outputs) / sizeof(code_outputs[0]); i++) {
		char *src = session_path(s, code_outputs[i]);
		char *base = strrchr(code_outputs[i], '/') + 1;
		char *dst = fs_join(hist, base);
		if (fs_exists(src)) {
			int rc = moved == 0 ? fs_mkdir_p(hist, 0700, e) : 0;
			if (rc == 0 && rename(src, dst) < 0)
				rc = err_sys(e, "cannot keep %s in %s", src, hist);
			if (rc < 0) {
				free(src);
				free(dst);
				free(hist);
				return -1;
			}
			moved++;
		}
		free(src);
		free(dst);
	}
	free(hist);
	return moved;
}

static int
code_start(session *s, ak_err *e)
{
	session_facts *f = &s->facts;
	stage_outcome o = { .ok = 1 };
	codegen_spec spec;
	int gpu, kept;

	if (session_facts_load(s, e) < 0)
		return -1;
	gpu = code_gpu_resolved(s);
	code_record_constraints(s, gpu);
	memset(&spec, 0, sizeof(spec));
	spec.task = f->task;
	spec.target = f->target;
	spec.id = f->id_col;
	spec.metric = f->metric;
	spec.metric_file = s->opts.metric_file;
	spec.custom_higher_is_better = f->higher_is_better;
	spec.custom_needs_proba = f->needs_proba;
	spec.proba_columns = f->proba_columns;
	spec.classes = (const char *const *)f->classes;
	spec.nclasses = f->nclasses;
	spec.train = f->train;
	spec.test = f->test;
	spec.sample_submission = f->sample;
	spec.seed = s->opts.seed;
	spec.folds = s->opts.folds;
	spec.family = s->opts.family;
	spec.gpu = gpu;
	spec.budget_seconds = s->opts.budget_ms / 1000;
	spec.threads = runopts_threads(&s->opts);
	kept = code_keep_history(s, e);
	if (kept < 0)
		return -1;
	if (codegen_write_baseline(&spec, s->dir, e) < 0)
		return -1;
	snprintf(o.message, sizeof(o.message), "offline baseline, family %s%s", s->opts.family,
		kept > 0 ? "; previous code kept in code/history/" : "");
	session_stage_end(s, &o);
	return 0;
}

const stage_ops stage_code_ops = { code_fingerprint, code_start };

#include "config.h"

#include "codegen/codegen.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
session_facts_free(session_facts *f)
{
	size_t i;

	free(f->title);
	free(f->train);
	free(f->test);
	free(f->sample);
	free(f->target);
	free(f->id_col);
	free(f->metric_warning);
	for (i = 0; i < f->nclasses; i++)
		free(f->classes[i]);
	free(f->classes);
	memset(f, 0, sizeof(*f));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
facts_load_data(session *s, session_facts *f)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(s->run, "data");

	f->train = dup_or_null(json_str(cJSON_GetObjectItemCaseSensitive(data, "train"), "path", NULL));
	f->test = dup_or_null(json_str(cJSON_GetObjectItemCaseSensitive(data, "test"), "path", NULL));
	f->sample = dup_or_null(json_str(cJSON_GetObjectItemCaseSensitive(data, "sample_submission"), "path", NULL));
}

static void
facts_load_classes(session_facts *f, const cJSON *profile)
{
	const cJSON *classes = cJSON_GetObjectItemCaseSensitive(profile, "classes"), *c;

	cJSON_ArrayForEach(c, classes) {
		const char *v = json_str(c, "value", NULL);
		if (!v)
			continue;
		f->classes = xrealloc(f->classes, (f->nclasses + 1) * sizeof(*f->classes));
		f->classes[f->nclasses++] = xstrdup(v);
	}
}

/* The metric, from the first that says: --metric-file, --metric,
 * competition.json's evaluationMetric, the task's default. A metric
 * named by competition.json that autokaggle does not know falls back to
 * the default, with a warning. */
static int
facts_resolve_metric(session *s, session_facts *f, const char *kaggle_metric, ak_err *e)
{
	const metric_info *m = NULL;

	if (s->opts.metric_file) {
		if (codegen_read_metric_file(s->opts.metric_file, &f->higher_is_better, &f->needs_proba, e) < 0)
			return -1;
		f->metric = metric_get(METRIC_CUSTOM);
		f->metric_source = "metric_file";
		return 0;
	}
	if (s->opts.metric) {
		m = metric_lookup(s->opts.metric);
		if (!m)
			return err_set(e, "unknown metric '%s': use auc, logloss, accuracy, f1, rmse, rmsle, mae, mape or qwk, or --metric-file FILE",
				s->opts.metric);
		f->metric_source = "option";
	} else if (kaggle_metric && *kaggle_metric) {
		m = metric_lookup(kaggle_metric);
		f->metric_source = "competition";
	}
	if (!m) {
		m = metric_default(f->task, f->proba_columns);
		if (kaggle_metric && *kaggle_metric)
			f->metric_warning = xasprintf("competition.json's evaluationMetric \"%.100s\" is not a metric autokaggle knows: "
				"scoring with %s, the default for a %s task; pass --metric NAME or --metric-file FILE to choose",
				kaggle_metric, m->name, task_name(f->task));
		f->metric_source = "default";
	}
	if (!(m->tasks & (1u << f->task)))
		return err_set(e, "metric %s does not fit a %s task: pass --metric with one that does",
			m->name, task_name(f->task));
	f->metric = m;
	f->higher_is_better = m->higher_is_better;
	f->needs_proba = m->needs_proba;
	return 0;
}

/* Rows of the profiled file with the given role, or -1 when absent. */
static double
profile_rows(const cJSON *prof, const char *role)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(prof, "files"))
		if (strcmp(json_str(f, "role", ""), role) == 0)
			return json_num(f, "rows", -1);
	return -1;
}

/* The profile's first error (the others are in the stage log), then
 * what the options add: cross-validation needs a row per fold. */
static int
facts_check_profile(const session *s, const cJSON *prof, const char *train, ak_err *e)
{
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(prof, "errors");
	const cJSON *first = cJSON_GetArrayItem(errors, 0);
	int nerr = cJSON_GetArraySize(errors);
	double rows = profile_rows(prof, "train");

	if (nerr == 1)
		return err_set(e, "%s", cJSON_IsString(first) ? first->valuestring : "the profile found a problem");
	if (nerr > 1)
		return err_set(e, "%s (and %d more problems, listed in logs/profile.log)",
			cJSON_IsString(first) ? first->valuestring : "the profile found a problem", nerr - 1);
	if (rows == 1)
		return err_set(e, "%s has a single data row: there is nothing to learn from", train ? train : "train.csv");
	if (rows >= 0 && rows < s->opts.folds)
		return err_set(e, "%s has %.0f data rows, fewer than the %d cross-validation folds: pass --folds %.0f or fewer, or use more data",
			train ? train : "train.csv", rows, s->opts.folds, rows);
	return 0;
}

int
session_facts_load(session *s, ak_err *e)
{
	session_facts f = { 0 };
	char *comp_path = session_path(s, RUNDIR_COMPETITION);
	char *prof_path = session_path(s, RUNDIR_PROFILE);
	cJSON *comp = jsonfile_load(comp_path, NULL);
	cJSON *prof = NULL;
	const cJSON *sub;
	int rc = -1;

	session_facts_free(&s->facts);
	f.title = xstrdup(json_str(comp, "title", s->run_id));
	facts_load_data(s, &f);
	prof = jsonfile_load(prof_path, e);
	if (!prof)
		goto out;
	f.target = dup_or_null(s->opts.target ? s->opts.target : json_str(prof, "target", NULL));
	f.id_col = dup_or_null(s->opts.id ? s->opts.id : json_str(prof, "id", NULL));
	f.task = task_from_name(json_str(prof, "task", ""));
	sub = cJSON_GetObjectItemCaseSensitive(prof, "submission");
	f.proba_columns = strcmp(json_str(sub, "format", "label"), "proba_columns") == 0;
	facts_load_classes(&f, prof);
	if (facts_check_profile(s, prof, f.train, e) < 0)
		goto out;
	if (!f.target) {
		err_set(e, "cannot tell the target column: pass --target COL");
		goto out;
	}
	if (!f.id_col) {
		err_set(e, "cannot tell the id column: pass --id COL");
		goto out;
	}
	if (f.task == TASK_UNKNOWN) {
		err_set(e, "cannot tell the task type from target column '%s': check it, or pass --target", f.target);
		goto out;
	}
	rc = facts_resolve_metric(s, &f, json_str(comp, "evaluationMetric", NULL), e);
out:
	cJSON_Delete(comp);
	cJSON_Delete(prof);
	free(comp_path);
	free(prof_path);
	s->facts = f;
	return rc;
}

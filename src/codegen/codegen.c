#include "config.h"

#include "codegen/codegen.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const codegen_families[] = {
	"auto", "lightgbm", "xgboost", "hgb", "linear",
};
#define CODEGEN_NFAMILIES (sizeof codegen_families / sizeof *codegen_families)

int
codegen_family_check(const char *family, ak_err *e)
{
	size_t i;

	for (i = 0; family && i < CODEGEN_NFAMILIES; i++)
		if (strcmp(family, codegen_families[i]) == 0)
			return 0;
	return err_set(e, "unknown model family '%s': choose auto, lightgbm, xgboost, hgb or linear",
		       family ? family : "");
}

static const char *
codegen_family(const codegen_spec *s)
{
	return s->family ? s->family : "auto";
}

static const metric_info *
codegen_metric(const codegen_spec *s)
{
	if (s->metric_file)
		return metric_get(METRIC_CUSTOM);
	return s->metric ? s->metric : metric_default(s->task, s->proba_columns);
}

static const char *
codegen_task_template(task_kind t)
{
	switch (t) {
	case TASK_BINARY:
		return "baseline/task_binary.py";
	case TASK_MULTICLASS:
		return "baseline/task_multiclass.py";
	case TASK_REGRESSION:
		return "baseline/task_regression.py";
	case TASK_UNKNOWN:
		break;
	}
	return NULL;
}

size_t
codegen_baseline_files(const codegen_spec *s, codegen_file *out, size_t max)
{
	codegen_file f[CODEGEN_MAX_FILES];
	size_t n = 0, i;

	if (!codegen_task_template(s->task))
		return 0;
	f[n++] = (codegen_file){ "baseline/features.py", "code/features.py" };
	f[n++] = (codegen_file){ "baseline/metrics.py", "code/metrics.py" };
	f[n++] = (codegen_file){ "baseline/models.py", "code/models.py" };
	if (s->task != TASK_REGRESSION)
		f[n++] = (codegen_file){ "baseline/classify.py", "code/classify.py" };
	f[n++] = (codegen_file){ codegen_task_template(s->task), "code/task.py" };
	f[n++] = (codegen_file){ "baseline/train.py", "code/train.py" };
	f[n++] = (codegen_file){ "baseline/predict.py", "code/predict.py" };
	if (strcmp(codegen_family(s), "xgboost") == 0)
		f[n++] = (codegen_file){ "baseline/requirements-xgboost.txt", "env/requirements.txt" };
	else
		f[n++] = (codegen_file){ "baseline/requirements.txt", "env/requirements.txt" };
	if (s->metric_file)
		f[n++] = (codegen_file){ s->metric_file, "code/metric.py" };
	for (i = 0; i < n && i < max; i++)
		out[i] = f[i];
	return n;
}

/* A YAML double-quoted scalar: backslash, quote and control characters
 * escaped, other bytes (UTF-8 included) as they are. */
static void
yaml_quote(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

static void
yaml_key_str(strbuf *sb, const char *key, const char *value)
{
	strbuf_addf(sb, "%s: ", key);
	if (value)
		yaml_quote(sb, value);
	else
		strbuf_addstr(sb, "null");
	strbuf_addch(sb, '\n');
}

static const char *
yaml_bool(int b)
{
	return b ? "true" : "false";
}

static int
codegen_check_path(const char *key, const char *path, ak_err *e)
{
	if (!path || !*path)
		return err_set(e, "codegen: no %s file given", key);
	if (path[0] != '/')
		return err_set(e, "codegen: the %s path '%s' must be absolute", key, path);
	return 0;
}

static int
codegen_check_spec(const codegen_spec *s, ak_err *e)
{
	const metric_info *m = codegen_metric(s);

	if (s->task == TASK_UNKNOWN || !codegen_task_template(s->task))
		return err_set(e, "codegen: the task is unknown; choose binary, multiclass or regression");
	if (!s->target || !*s->target)
		return err_set(e, "codegen: no target column given");
	if (codegen_family_check(codegen_family(s), e) < 0)
		return -1;
	if (s->metric && s->metric->id == METRIC_CUSTOM && !s->metric_file)
		return err_set(e, "codegen: the metric is custom but no metric file was given");
	if (!metric_fits_task(m, s->task))
		return err_set(e, "codegen: the metric %s does not fit a %s task", m->name,
			       task_name(s->task));
	if (s->folds != 0 && (s->folds < 2 || s->folds > 100))
		return err_set(e, "codegen: folds must be between 2 and 100, not %d", s->folds);
	if (s->budget_seconds < 0 || s->threads < 0)
		return err_set(e, "codegen: the time budget and the thread count cannot be negative");
	if (s->task == TASK_BINARY && s->nclasses != 0 && s->nclasses != 2)
		return err_set(e, "codegen: a binary task has 2 classes, not %zu", s->nclasses);
	if (s->task == TASK_MULTICLASS && s->nclasses == 1)
		return err_set(e, "codegen: a multiclass task needs at least 2 classes");
	if (codegen_check_path("train", s->train, e) < 0 ||
	    codegen_check_path("test", s->test, e) < 0 ||
	    codegen_check_path("sample submission", s->sample_submission, e) < 0)
		return -1;
	return 0;
}

static void
codegen_config_classes(strbuf *sb, const codegen_spec *s)
{
	size_t i;

	strbuf_addstr(sb, "# Class labels, as strings; binary: [negative, positive]. Empty: the\n"
			  "# labels of the training data, sorted.\n"
			  "classes: [");
	for (i = 0; s->task != TASK_REGRESSION && i < s->nclasses; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		yaml_quote(sb, s->classes[i]);
	}
	strbuf_addstr(sb, "]\n");
}

char *
codegen_config_text(const codegen_spec *s, ak_err *e)
{
	const metric_info *m;
	strbuf sb = { 0 };

	if (codegen_check_spec(s, e) < 0)
		return NULL;
	m = codegen_metric(s);
	strbuf_addstr(&sb, "# autokaggle offline baseline. Flat \"key: value\" lines; edit and\n"
			   "# re-run TRAIN. Paths relative to the run directory are allowed.\n");
	yaml_key_str(&sb, "task", task_name(s->task));
	yaml_key_str(&sb, "target", s->target);
	yaml_key_str(&sb, "id", s->id && *s->id ? s->id : NULL);
	yaml_key_str(&sb, "metric", m->name);
	yaml_key_str(&sb, "metric_file", s->metric_file ? "code/metric.py" : NULL);
	strbuf_addf(&sb, "higher_is_better: %s\n",
		    yaml_bool(s->metric_file ? s->custom_higher_is_better : m->higher_is_better));
	strbuf_addf(&sb, "needs_proba: %s\n",
		    yaml_bool(s->metric_file ? s->custom_needs_proba : m->needs_proba));
	yaml_key_str(&sb, "submission_format", s->proba_columns ? "proba_columns" : "label");
	codegen_config_classes(&sb, s);
	yaml_key_str(&sb, "train", s->train);
	yaml_key_str(&sb, "test", s->test);
	yaml_key_str(&sb, "sample_submission", s->sample_submission);
	strbuf_addf(&sb, "seed: %lu\n", s->seed);
	strbuf_addf(&sb, "folds: %d\n", s->folds ? s->folds : CODEGEN_DEFAULT_FOLDS);
	strbuf_addstr(&sb, "# auto: LightGBM when importable, else HistGradientBoosting\n");
	yaml_key_str(&sb, "family", codegen_family(s));
	strbuf_addf(&sb, "gpu: %s\n", yaml_bool(s->gpu));
	strbuf_addf(&sb, "budget_seconds: %ld\n", s->budget_seconds);
	strbuf_addf(&sb, "threads: %d\n", s->threads);
	strbuf_addstr(&sb, "learning_rate: 0.1\n"
			   "# boosting rounds: at most half the training rows (at least 100)\n"
			   "max_rounds: 2000\n"
			   "# stop when the validation loss has not improved for that many rounds by\n"
			   "# more than the tolerance times the loss of a constant prediction\n"
			   "early_stopping_rounds: 20\n"
			   "early_stopping_tolerance: 0.001\n"
			   "# string columns with more levels get their level's frequency and\n"
			   "# mean target (learnt per fold) instead of a category code\n"
			   "max_category_levels: 50\n");
	return strbuf_detach(&sb);
}

/* Points at the value of a module-level assignment "name = value" (an
 * annotation "name: bool = value" allowed) on line, or NULL. */
static const char *
metric_assignment(const char *line, const char *name)
{
	size_t n = strlen(name);
	const char *p = line + n;

	if (strncmp(line, name, n) != 0 || isalnum((unsigned char)*p) || *p == '_')
		return NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == ':') {
		p = strchr(p, '=');
		if (!p)
			return NULL;
	}
	if (*p != '=' || p[1] == '=')
		return NULL;
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	return p;
}

/* Parses "True"/"False" (then only blanks or a comment); -1 otherwise. */
static int
metric_bool(const char *v)
{
	int b;
	size_t n;

	if (strncmp(v, "True", 4) == 0) {
		b = 1;
		n = 4;
	} else if (strncmp(v, "False", 5) == 0) {
		b = 0;
		n = 5;
	} else {
		return -1;
	}
	for (v += n; *v == ' ' || *v == '\t' || *v == '\r'; v++)
		;
	return *v == '\0' || *v == '#' ? b : -1;
}

static int
metric_is_score_def(const char *line)
{
	const char *p;

	if (strncmp(line, "def", 3) != 0 || (line[3] != ' ' && line[3] != '\t'))
		return 0;
	for (p = line + 3; *p == ' ' || *p == '\t'; p++)
		;
	if (strncmp(p, "score", 5) != 0)
		return 0;
	for (p += 5; *p == ' ' || *p == '\t'; p++)
		;
	return *p == '(';
}

int
codegen_read_metric_file(const char *path, int *higher_is_better, int *needs_proba, ak_err *e)
{
	char *text, *line, *next;
	const char *bad = NULL, *v;
	int has_score = 0, hib = -1, proba = 0, lineno = 0;

	text = fs_read_file(path, NULL, e);
	if (!text)
		return err_prefix(e, "metric file: ");
	for (line = text; line && !bad; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (metric_is_score_def(line))
			has_score = 1;
		else if ((v = metric_assignment(line, "higher_is_better")) &&
			 (hib = metric_bool(v)) < 0)
			bad = "higher_is_better";
		else if ((v = metric_assignment(line, "needs_proba")) &&
			 (proba = metric_bool(v)) < 0)
			bad = "needs_proba";
	}
	free(text);
	if (bad)
		return err_set(e, "metric file %s, line %d: %s must be set to True or False",
			       path, lineno, bad);
	if (!has_score)
		return err_set(e, "metric file %s does not define score(y_true, y_pred) at module "
			       "level; add `def score(y_true, y_pred):` returning a float", path);
	if (hib < 0)
		return err_set(e, "metric file %s does not say which way is better; add "
			       "`higher_is_better = True` (or False) at module level", path);
	if (higher_is_better)
		*higher_is_better = hib;
	if (needs_proba)
		*needs_proba = proba;
	return 0;
}

typedef struct codegen_out {
	char *path;       /* final destination */
	char *staged;     /* written, waiting to be renamed; NULL when not */
	char *data;
	size_t len;
} codegen_out;

static void
codegen_outs_free(codegen_out *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (o[i].staged) {
			unlink(o[i].staged);
			free(o[i].staged);
		}
		free(o[i].path);
		free(o[i].data);
	}
}

/* Reads the content of every file (templates, metric file, config) so no
 * file is written before all sources are known to be there. */
static int
codegen_collect(const codegen_spec *s, const char *run_dir, codegen_out *o, size_t *n,
		ak_err *e)
{
	codegen_file f[CODEGEN_MAX_FILES];
	size_t i, nf = codegen_baseline_files(s, f, CODEGEN_MAX_FILES);

	for (i = 0; i < nf; i++) {
		char *src;

		if (s->metric_file && f[i].src == s->metric_file) {
			src = xstrdup(s->metric_file);
		} else {
			char *rel = xasprintf("templates/%s", f[i].src);

			src = paths_data_file(rel);
			if (!src) {
				err_set(e, "the template %s is missing: reinstall autokaggle, or set "
					"AUTOKAGGLE_DATADIR to the directory that holds templates/", rel);
				free(rel);
				return -1;
			}
			free(rel);
		}
		o[*n].path = fs_join(run_dir, f[i].dst);
		o[*n].data = fs_read_file(src, &o[*n].len, e);
		free(src);
		if (!o[(*n)++].data)
			return -1;
	}
	o[*n].path = fs_join(run_dir, "code/config.yaml");
	o[*n].data = codegen_config_text(s, e);
	if (!o[(*n)++].data)
		return -1;
	o[*n - 1].len = strlen(o[*n - 1].data);
	return 0;
}

static int
codegen_install(codegen_out *o, size_t n, ak_err *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *staged = xasprintf("%s.ak-new", o[i].path);

		if (fs_write_atomic(staged, o[i].data, o[i].len, 0644, e) < 0) {
			free(staged);
			return -1;
		}
		o[i].staged = staged;
	}
	for (i = 0; i < n; i++) {
		if (rename(o[i].staged, o[i].path) < 0)
			return err_sys(e, "cannot replace %s", o[i].path);
		free(o[i].staged);
		o[i].staged = NULL;
	}
	return 0;
}

int
codegen_write_baseline(const codegen_spec *s, const char *run_dir, ak_err *e)
{
	codegen_out o[CODEGEN_MAX_FILES + 1];
	size_t n = 0;
	char *code, *env;
	int rc = -1;

	if (codegen_check_spec(s, e) < 0)
		return -1;
	if (s->metric_file && codegen_read_metric_file(s->metric_file, NULL, NULL, e) < 0)
		return -1;
	memset(o, 0, sizeof o);
	code = fs_join(run_dir, "code");
	env = fs_join(run_dir, "env");
	if (codegen_collect(s, run_dir, o, &n, e) == 0 &&
	    fs_mkdir_p(code, 0755, e) == 0 && fs_mkdir_p(env, 0755, e) == 0 &&
	    codegen_install(o, n, e) == 0)
		rc = 0;
	codegen_outs_free(o, n);
	free(code);
	free(env);
	return rc;
}

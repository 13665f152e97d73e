#ifndef AK_CODEGEN_H
#define AK_CODEGEN_H

#include <stddef.h>

#include "codegen/metric.h"
#include "util/err.h"

/* What the offline baseline is generated for. */
typedef struct codegen_spec {
	task_kind task;
	const char *target, *id;      /* id may be NULL: the sample's first column */
	const metric_info *metric;    /* NULL: metric_default(task, proba_columns) */
	/* The user's metric.py, copied to code/metric.py, or NULL. When set the
	 * metric is METRIC_CUSTOM and its direction and prediction kind are the
	 * two fields below (see codegen_read_metric_file). */
	const char *metric_file;
	int custom_higher_is_better, custom_needs_proba;
	int proba_columns;            /* sample submission has one column per class */
	/* Classification labels as strings; binary: { negative, positive }.
	 * May be empty: train.py then takes the labels of the training data. */
	const char *const *classes;
	size_t nclasses;
	const char *train, *test, *sample_submission;   /* absolute paths */
	unsigned long seed;
	int folds;                    /* 0: 5 */
	const char *family;           /* "auto", "lightgbm", "xgboost", "hgb", "linear"; NULL: auto */
	int gpu;                      /* resolved: 1 use the GPU, 0 not */
	long budget_seconds;          /* 0 = none */
	int threads;                  /* 0: as many as the machine has */
} codegen_spec;

#define CODEGEN_DEFAULT_FOLDS 5
/* The most files codegen_baseline_files returns. */
#define CODEGEN_MAX_FILES 9

/* One file of the baseline: src is a template name relative to the data
 * directory's templates/ ("baseline/train.py"), or, for the user's metric
 * file, its own path (absolute when the spec gave one); dst is relative to
 * the run directory ("code/train.py"). */
typedef struct codegen_file {
	const char *src;
	const char *dst;
} codegen_file;

/* The files of the baseline for spec s. Every task gets features.py,
 * metrics.py, models.py, train.py, predict.py and env/requirements.txt
 * (with xgboost only for that family); code/task.py comes from
 * task_<task>.py, classification adds classify.py, and a metric file adds
 * code/metric.py. Fills at most max entries and returns the total count (0
 * for TASK_UNKNOWN). The strings are static or point into s. */
size_t codegen_baseline_files(const codegen_spec *s, codegen_file *out, size_t max);

/* The text of code/config.yaml for s, flat "key: value" lines (YAML, read
 * with PyYAML by the templates); NULL with e set when s is not
 * valid (unknown task, metric that does not fit the task, bad family,
 * relative data paths...). Caller frees. */
char *codegen_config_text(const codegen_spec *s, ak_err *e);

/* Writes the baseline's modules and code/config.yaml, env/requirements.txt
 * (and code/metric.py) into run_dir, creating code/ and env/. Every file is
 * first written beside its destination and renamed into place only when
 * all were written, so on error nothing half-written remains and the
 * previous files are untouched. */
int codegen_write_baseline(const codegen_spec *s, const char *run_dir, ak_err *e);

/* Validates a user metric file: it must define `def score(` and assign
 * `higher_is_better = True|False` at module level; `needs_proba = True|False`
 * is optional (False). Sets *higher_is_better and *needs_proba (either may
 * be NULL). Returns 0, or -1 with a message saying what to add. */
int codegen_read_metric_file(const char *path, int *higher_is_better, int *needs_proba,
			     ak_err *e);

/* Checks a model family name; returns 0, or -1 with a message naming the
 * choices. */
int codegen_family_check(const char *family, ak_err *e);

#endif

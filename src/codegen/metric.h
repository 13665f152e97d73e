#ifndef AK_METRIC_H
#define AK_METRIC_H

/* The kind of prediction task a competition poses. */
typedef enum {
	TASK_UNKNOWN,
	TASK_BINARY,
	TASK_MULTICLASS,
	TASK_REGRESSION
} task_kind;

#define TASK_BIT(t) (1u << (t))
#define TASKS_CLASSIFICATION (TASK_BIT(TASK_BINARY) | TASK_BIT(TASK_MULTICLASS))
#define TASKS_ALL (TASKS_CLASSIFICATION | TASK_BIT(TASK_REGRESSION))

/* The metric table, the single source of every metric's name, title,
 * direction, prediction kind, fitting tasks and the names it is known by
 * (Kaggle's evaluationMetric texts and common short names). Aliases are
 * matched ignoring case and every character that is not a letter or a
 * digit, so "Log Loss", "log_loss" and "LogLoss" are one alias.
 *   X(ID, name, title, higher_is_better, needs_proba, tasks, aliases...) */
#define METRIC_TABLE(X) \
	X(AUC, "auc", "Area under the ROC curve", 1, 1, TASKS_CLASSIFICATION, \
	  "Area Under Receiver Operating Characteristic Curve", "AUC", "ROC AUC", \
	  "roc_auc", "roc_auc_score", "AUROC", "Area Under ROC Curve", \
	  "AreaUnderROCCurve") \
	X(LOGLOSS, "logloss", "Log loss (cross-entropy)", 0, 1, TASKS_CLASSIFICATION, \
	  "Log Loss", "LogLoss", "Multiclass Loss", "Multiclass Log Loss", \
	  "mlogloss", "Binary Crossentropy", "Cross Entropy", "Cross-Entropy Loss", \
	  "neg_log_loss") \
	X(ACCURACY, "accuracy", "Classification accuracy", 1, 0, TASKS_CLASSIFICATION, \
	  "Categorization Accuracy", "Classification Accuracy", "Accuracy Score", \
	  "acc") \
	X(F1, "f1", "F1 score (binary: positive class; multiclass: macro)", 1, 0, \
	  TASKS_CLASSIFICATION, \
	  "MeanFScore", "Mean F Score", "F1 Score", "F-Score", "FScore", "F1 Macro", \
	  "Macro F1", "Macro F1 Score", "f1_score") \
	X(RMSE, "rmse", "Root mean squared error", 0, 0, TASK_BIT(TASK_REGRESSION), \
	  "Root Mean Squared Error", "Root Mean Square Error", "RootMeanSquaredError") \
	X(RMSLE, "rmsle", "Root mean squared logarithmic error", 0, 0, \
	  TASK_BIT(TASK_REGRESSION), \
	  "Root Mean Squared Logarithmic Error", "Root Mean Squared Log Error", \
	  "Root Mean Square Logarithmic Error", "RootMeanSquaredLogarithmicError") \
	X(MAE, "mae", "Mean absolute error", 0, 0, TASK_BIT(TASK_REGRESSION), \
	  "Mean Absolute Error", "MeanAbsoluteError") \
	X(MAPE, "mape", "Mean absolute percentage error", 0, 0, TASK_BIT(TASK_REGRESSION), \
	  "Mean Absolute Percentage Error", "MeanAbsolutePercentageError") \
	X(QWK, "qwk", "Quadratic weighted kappa", 1, 0, \
	  TASK_BIT(TASK_MULTICLASS) | TASK_BIT(TASK_REGRESSION), \
	  "Quadratic Weighted Kappa", "QuadraticWeightedKappa", \
	  "Quadratic Weighted Cohen Kappa") \
	X(CUSTOM, "custom", "User-defined metric (code/metric.py)", 1, 0, TASKS_ALL, \
	  "Custom Metric", "User-defined")

#define METRIC_ENUM_(id, ...) METRIC_##id,
typedef enum {
	METRIC_TABLE(METRIC_ENUM_)
	METRIC_COUNT
} metric_id;
#undef METRIC_ENUM_

typedef struct metric_info {
	metric_id id;
	const char *name;        /* short name, as written to config.yaml */
	const char *title;       /* for people */
	int higher_is_better;
	int needs_proba;         /* the submission holds probabilities */
	unsigned tasks;          /* TASK_BIT()s of the tasks it fits */
} metric_info;

/* "binary", "multiclass", "regression"; "unknown" for TASK_UNKNOWN. */
const char *task_name(task_kind t);
/* The task named s (case-insensitive); TASK_UNKNOWN if s names none. */
task_kind task_from_name(const char *s);

/* The table entry of id; NULL when id is out of range. */
const metric_info *metric_get(metric_id id);
/* Maps a Kaggle evaluationMetric text or a short name or alias (any case,
 * punctuation and spacing ignored) to its metric; NULL when unknown. */
const metric_info *metric_lookup(const char *text);
/* The default metric of a task: binary -> auc, multiclass -> accuracy (or
 * logloss when the submission has one probability column per class),
 * regression -> rmse; NULL for TASK_UNKNOWN. */
const metric_info *metric_default(task_kind t, int proba_columns);
/* Whether metric m can score task t. */
int metric_fits_task(const metric_info *m, task_kind t);

#endif

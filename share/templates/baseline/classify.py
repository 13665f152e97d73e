"""Classification pieces shared by the binary and multiclass task modules
(only written into code/ for classification tasks)."""

import numpy as np
from sklearn.model_selection import StratifiedKFold

import features


class Classification:
    """Common behaviour of task.Task for binary and multiclass targets.

    Predictions are an (n, K) probability matrix over the classes in
    ClassTarget order; subclasses define how they are scored and written.
    """

    loss = None

    def __init__(self, cfg, metric):
        self.target = cfg["target"]
        self.configured = cfg["classes"]
        self.proba_format = cfg["submission_format"] == "proba_columns"
        self.metric = metric.name
        self.needs_proba = metric.needs_proba
        self.classes = None
        self.n_classes = None

    def fit_target(self, y_text):
        """Learns the classes from the training labels; returns class indices."""
        self.classes = features.ClassTarget(self.configured, y_text)
        self.n_classes = len(self.classes)
        self.check_classes()
        return self.classes.encode(y_text)

    def check_classes(self):
        if self.n_classes < 2:
            raise ValueError("the target %r has a single value (%s); nothing to learn"
                             % (self.target, self.classes.labels[0]))

    def splits(self, y, folds, seed):
        """Stratified folds, so each holds every class in its proportion."""
        return list(StratifiedKFold(n_splits=folds, shuffle=True,
                                    random_state=seed).split(np.zeros(len(y)), y))

    def proba(self, pred):
        return pred

    def score(self, metric, truth_text, pred):
        """The metric of one fold. Label metrics score the most probable
        class (for binary: positive when P(positive) >= 0.5); qwk and custom
        metrics get the labels as written in the data."""
        idx = self.classes.encode(truth_text)
        y_pred = pred if metric.needs_proba else self.labels(pred)
        if metric.natural:
            if not metric.needs_proba:
                y_pred = self.classes.natural_labels(y_pred)
            return metric(self.classes.natural_labels(idx), y_pred)
        return metric(idx, y_pred, self.n_classes)

    def submission(self, columns, pred):
        """Columns of the submission: one probability column per class when
        the sample has them, else the single target column."""
        if self.proba_format or self.classes.is_proba_layout(columns, self.target):
            P = self.proba(pred)
            return {c: P[:, self.classes.column_class(c, self.target)] for c in columns}
        if len(columns) != 1:
            raise ValueError("the sample submission has %d prediction columns (%s) that are not "
                             "one per class; fix 'classes:' or 'submission_format:' in "
                             "code/config.yaml" % (len(columns), ", ".join(columns[:10])))
        return {columns[0]: self.single_column(pred)}

"""Regression: the task module autokaggle writes as code/task.py for
task: regression."""

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold

import features


class Task:
    kind = "regression"
    n_classes = None

    def __init__(self, cfg, metric):
        self.target = cfg["target"]
        self.metric = metric.name
        self.needs_proba = metric.needs_proba
        # Models fit the loss closest to the metric: absolute error for
        # MAE, squared error on log1p(target) for RMSLE.
        self.loss = "l1" if metric.name == "mae" else "l2"
        self.log_target = metric.name == "rmsle"
        self.label_values = None

    def _values(self, y_text):
        values = pd.to_numeric(y_text, errors="coerce")
        bad = y_text[values.isna() & y_text.notna()]
        if len(bad):
            raise ValueError("task is regression but the target %r has non-numeric values "
                             "such as %r; set 'task: binary' or 'task: multiclass' in "
                             "code/config.yaml" % (self.target, bad.iloc[0]))
        return values.to_numpy(dtype=float)

    def fit_target(self, y_text):
        y = self._values(y_text)
        self.label_values = np.unique(y)
        if len(self.label_values) < 2:
            raise ValueError("the target %r has a single value; nothing to learn" % self.target)
        if self.log_target:
            if (y < 0).any():
                raise ValueError("rmsle needs a non-negative target, but %r has negative "
                                 "values; choose another metric" % self.target)
            return np.log1p(y)
        return y

    def splits(self, y, folds, seed):
        return list(KFold(n_splits=folds, shuffle=True, random_state=seed).split(y))

    def prediction(self, raw):
        return np.clip(np.expm1(raw), 0, None) if self.log_target else raw

    def rounded(self, pred):
        """Quadratic weighted kappa scores labels, so each prediction becomes
        the nearest training label value; values outside the training range
        are thereby clipped to it."""
        values = self.label_values
        mids = (values[1:] + values[:-1]) / 2
        return values[np.searchsorted(mids, pred)]

    def score(self, metric, truth_text, pred):
        y = self._values(truth_text)
        if metric.name == "qwk":
            return metric(y, self.rounded(pred))
        if metric.custom:
            return metric(features.natural(truth_text), pred)
        return metric(y, pred)

    def oof_columns(self, pred):
        return {"pred": pred}

    def submission(self, columns, pred):
        if len(columns) != 1:
            raise ValueError("the sample submission has %d prediction columns (%s); a "
                             "regression baseline writes one" % (len(columns), ", ".join(columns)))
        if self.metric != "qwk":
            return {columns[0]: pred}
        labels = self.rounded(pred)
        if np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        return {columns[0]: labels}

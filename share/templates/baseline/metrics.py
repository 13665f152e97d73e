"""The competition metric for the autokaggle baseline.

Built-in metrics receive class indices (0..K-1) for classification and
numbers for regression; probabilities are P(positive) for binary tasks and an
(n, K) matrix for multiclass tasks. Quadratic weighted kappa and a custom
metric receive the labels as written in the data (numbers when they are
numbers), see the task module.

A custom metric lives in the file named by 'metric_file:' and defines
    def score(y_true, y_pred): ...      returns a float
    higher_is_better = True | False
    needs_proba = True | False          optional, False when absent
"""

import importlib.util
import os

import numpy as np
from sklearn import metrics as skm

from features import RUN_DIR


def _labels(n_classes):
    return list(range(n_classes)) if n_classes else None


def auc(y, p, n_classes=None):
    p = np.asarray(p, dtype=float)
    if p.ndim == 2:
        return skm.roc_auc_score(y, p, multi_class="ovr", labels=_labels(n_classes))
    return skm.roc_auc_score(y, p)


def logloss(y, p, n_classes=None):
    p = np.clip(np.asarray(p, dtype=float), 1e-15, 1 - 1e-15)
    if p.ndim == 1:
        p = np.column_stack([1 - p, p])
        n_classes = 2
    p = p / p.sum(axis=1, keepdims=True)
    return skm.log_loss(y, p, labels=_labels(n_classes))


def accuracy(y, yhat, n_classes=None):
    return skm.accuracy_score(y, yhat)


def f1(y, yhat, n_classes=None):
    """Binary: F1 of the positive class (index 1). Multiclass: macro F1 over
    the classes present in y or yhat."""
    if n_classes == 2:
        return skm.f1_score(y, yhat, pos_label=1, average="binary", zero_division=0)
    return skm.f1_score(y, yhat, average="macro", zero_division=0)


def rmse(y, pred, n_classes=None):
    return float(np.sqrt(skm.mean_squared_error(y, pred)))


def rmsle(y, pred, n_classes=None):
    y = np.asarray(y, dtype=float)
    if (y < 0).any():
        raise ValueError("rmsle needs a non-negative target, but the target has negative values; "
                         "choose another metric")
    pred = np.clip(np.asarray(pred, dtype=float), 0, None)
    return float(np.sqrt(np.mean((np.log1p(pred) - np.log1p(y)) ** 2)))


def mae(y, pred, n_classes=None):
    return skm.mean_absolute_error(y, pred)


def mape(y, pred, n_classes=None):
    return skm.mean_absolute_percentage_error(y, pred)


def qwk(y, yhat, n_classes=None):
    return skm.cohen_kappa_score(y, yhat, weights="quadratic")


# name: (function, higher_is_better, needs_proba)
BUILTIN = {
    "auc": (auc, True, True),
    "logloss": (logloss, False, True),
    "accuracy": (accuracy, True, False),
    "f1": (f1, True, False),
    "rmse": (rmse, False, False),
    "rmsle": (rmsle, False, False),
    "mae": (mae, False, False),
    "mape": (mape, False, False),
    "qwk": (qwk, True, False),
}


def _load_module(path):
    if not os.path.isfile(path):
        raise FileNotFoundError("the metric file %s does not exist (see 'metric_file:' in "
                                "code/config.yaml)" % path)
    spec = importlib.util.spec_from_file_location("user_metric", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "score", None)):
        raise ValueError("%s must define score(y_true, y_pred)" % path)
    if not isinstance(getattr(module, "higher_is_better", None), bool):
        raise ValueError("%s must set higher_is_better = True or False" % path)
    return module


class Metric:
    """The configured metric: name, direction, whether it scores
    probabilities, and whether it wants labels as written in the data."""

    def __init__(self, cfg):
        self.name = cfg["metric"]
        if self.name == "custom" or cfg.get("metric_file"):
            if not cfg.get("metric_file"):
                raise ValueError("metric is 'custom' but 'metric_file:' is not set in "
                                 "code/config.yaml")
            path = cfg["metric_file"]
            module = _load_module(path if os.path.isabs(path) else os.path.join(RUN_DIR, path))
            self.name = "custom"
            self.function = module.score
            self.higher_is_better = module.higher_is_better
            self.needs_proba = bool(getattr(module, "needs_proba", False))
            self.custom = True
        elif self.name in BUILTIN:
            self.function, self.higher_is_better, self.needs_proba = BUILTIN[self.name]
            self.custom = False
        else:
            raise ValueError("unknown metric %r in code/config.yaml; choose one of %s, or "
                             "'custom' with a metric_file" % (self.name, ", ".join(BUILTIN)))
        self.natural = self.custom or self.name == "qwk"

    def __call__(self, y_true, y_pred, n_classes=None):
        if self.custom:
            value = self.function(y_true, y_pred)
        else:
            value = self.function(y_true, y_pred, n_classes)
        value = float(value)
        if not np.isfinite(value):
            raise ValueError("the metric %s returned %r" % (self.name, value))
        return value

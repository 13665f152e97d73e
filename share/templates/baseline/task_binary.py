"""Binary classification: the task module autokaggle writes as code/task.py
for task: binary. Predictions are P(positive), the positive class being the
second entry of 'classes:' in code/config.yaml."""

import numpy as np

from classify import Classification


class Task(Classification):
    kind = "binary"

    def check_classes(self):
        if self.n_classes != 2:
            raise ValueError("task is binary but the target %r has %d distinct values (%s); "
                             "set 'task: multiclass' or 'task: regression' in code/config.yaml"
                             % (self.target, self.n_classes,
                                ", ".join(self.classes.labels[:10])))

    def prediction(self, raw):
        """P(positive) from a model's (n, 2) probabilities."""
        return raw[:, 1]

    def proba(self, pred):
        return np.column_stack([1 - pred, pred])

    def labels(self, pred):
        return (pred >= 0.5).astype(np.int64)

    def oof_columns(self, pred):
        return {"pred": pred}

    def single_column(self, pred):
        """P(positive) for probability metrics, else the label as in train."""
        if self.needs_proba:
            return pred
        return self.classes.text_labels(self.labels(pred))

"""Multiclass classification: the task module autokaggle writes as
code/task.py for task: multiclass. Predictions are an (n, K) probability
matrix in the order of 'classes:' in code/config.yaml."""

import numpy as np

from classify import Classification


class Task(Classification):
    kind = "multiclass"

    def prediction(self, raw):
        return raw

    def labels(self, pred):
        return np.argmax(pred, axis=1)

    def oof_columns(self, pred):
        return {"pred_%s" % name: pred[:, k] for k, name in enumerate(self.classes.names)}

    def single_column(self, pred):
        """The most probable class, as written in train. A probability metric
        with a single target column cannot take K probabilities, so it gets
        labels too."""
        if self.needs_proba:
            print("note: the metric scores probabilities but the sample submission has a "
                  "single target column; writing the most probable class")
        return self.classes.text_labels(self.labels(pred))

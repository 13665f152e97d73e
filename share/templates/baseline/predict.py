"""Writes output/submission.csv with the models that train.py saved.

The submission has the sample submission's header and, when its ids are the
test ids, its row order. Classification probabilities are averaged over the
fold models; labels are written as they appear in the training data.
"""

import os
import pickle

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

import features
import models


def main():
    cfg = features.load_config()
    path = features.run_path("output", "model.pkl")
    if not os.path.isfile(path):
        raise FileNotFoundError("%s does not exist: run code/train.py first" % path)
    with open(path, "rb") as f:
        state = pickle.load(f)
    preprocess, tk = state["preprocess"], state["task"]
    sample = features.read_sample(cfg["sample_submission"])
    id_columns = [c for c in (cfg.get("id"), sample.columns[0]) if c]
    test = features.read_table(cfg["test"], "test",
                               features.text_columns(state["kinds"]) + id_columns)
    if test.empty:
        raise ValueError("the test data %s has no rows" % cfg["test"])
    X = preprocess.transform(test)
    # Each tree predicts in a parallel region of its own: on small data,
    # waking the threads for every tree costs more than the predictions.
    threadpool_limits(models.threads_for(cfg, *X.shape))
    pred = np.mean([tk.prediction(model.predict(encoder.transform(X)))
                    for encoder, model in state["models"]], axis=0)

    id_column, columns, ids, order = features.sample_layout(cfg, sample, test)
    values = tk.submission(columns, pred)
    out = pd.DataFrame({c: ids if c == id_column else np.asarray(values[c])[order]
                        for c in sample.columns})
    features.write_atomic(features.run_path("output", "submission.csv"),
                          lambda p: out.to_csv(p, index=False))
    print("wrote output/submission.csv: %d rows, columns %s" % (len(out), ", ".join(out.columns)))


if __name__ == "__main__":
    main()

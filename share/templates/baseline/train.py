"""Trains the autokaggle baseline with K-fold cross-validation.

Reads code/config.yaml and the training data; writes output/oof.csv
(out-of-fold predictions), output/metrics.json (the metric per fold, mean and
standard deviation) and output/model.pkl (the fitted feature transformer and
class mapping, and each fold's model with its target encoder: predict.py
averages the fold models).

With budget_seconds set, each fold gets an equal share of the time left:
boosting stops at the fold's deadline, and no further fold starts when it
would not end in time ("folds_completed" in metrics.json says how many ran).
Given the seed, two runs write the same metrics (timings aside).
"""

import time

# The time budget covers the whole process, imports included.
START = time.time()

import json
import pickle

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

import features
import metrics
import models
import task


def budget_end(cfg):
    """When training must be done: the budget less a margin for saving."""
    budget = float(cfg["budget_seconds"] or 0)
    if budget <= 0:
        return None
    return START + budget * 0.9 - 1.0


def cross_validate(cfg, *, family, tk, metric, X, y, y_text, categorical, codes):
    """Fits one model per fold; codes are the columns of high-cardinality
    level codes, which each fold's TargetMeanEncoder learns to encode."""
    folds = cfg["folds"]
    end = budget_end(cfg)
    oof = None
    fold_of = np.full(len(y), -1)
    scores, rounds, fold_models = [], [], []
    for k, (tr, va) in enumerate(tk.splits(y, folds, cfg["seed"])):
        began = time.time()
        deadline = None if end is None else began + max(end - began, 0) / (folds - k)
        encoder = features.TargetMeanEncoder(columns=codes, n_classes=tk.n_classes,
                                             seed=cfg["seed"])
        X_train = encoder.fit_transform(X[tr], y[tr])
        X_valid = encoder.transform(X[va])
        fm = models.fit(family, cfg, X_train, y[tr], eval_set=(X_valid, y[va]),
                        n_classes=tk.n_classes, loss=tk.loss, categorical=categorical,
                        deadline=deadline)
        pred = tk.prediction(fm.predict(X_valid))
        score = tk.score(metric, y_text.iloc[va], pred)
        if oof is None:
            oof = np.zeros((len(y),) + pred.shape[1:])
        oof[va] = pred
        fold_of[va] = k
        scores.append(score)
        rounds.append(fm.rounds)
        fold_models.append((encoder, fm))
        took = time.time() - began
        print("fold %d/%d: %s = %.6f  (%d rounds, %.1f s)"
              % (k + 1, folds, metric.name, score, fm.rounds, took), flush=True)
        if end is not None and k + 1 < folds and time.time() + took > end:
            print("budget: stopping after %d of %d folds" % (k + 1, folds), flush=True)
            break
    return scores, rounds, fold_models, oof, fold_of


def write_oof(cfg, train, tk, oof, fold_of):
    rows = np.flatnonzero(fold_of >= 0)
    pred = oof[rows]
    frame = {}
    if cfg.get("id") and cfg["id"] in train.columns:
        frame[cfg["id"]] = train[cfg["id"]].to_numpy()[rows]
    frame["fold"] = fold_of[rows]
    frame[cfg["target"]] = train[cfg["target"]].to_numpy()[rows]
    frame.update(tk.oof_columns(pred))
    features.write_atomic(features.run_path("output", "oof.csv"),
                          lambda p: pd.DataFrame(frame).to_csv(p, index=False))


def write_pickle(path, obj):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)


def write_json(path, obj):
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")
    features.write_atomic(path, write)


def main():
    cfg = features.load_config()
    np.random.seed(cfg["seed"] % 2 ** 32)
    metric = metrics.Metric(cfg)
    tk = task.Task(cfg, metric)
    family = models.resolve_family(cfg["family"])
    train = features.read_train(cfg)
    test_columns = features.read_header(cfg["test"], "test")
    if len(train) < cfg["folds"]:
        raise ValueError("the training data has %d rows with a target, fewer than folds (%d)"
                         % (len(train), cfg["folds"]))
    kinds = features.column_kinds(train, exclude={cfg["target"], cfg.get("id")},
                                  test_columns=test_columns,
                                  max_levels=int(cfg["max_category_levels"]))
    onehot = family == "linear"
    preprocess = features.make_features(kinds, onehot=onehot)
    X = preprocess.fit_transform(train)
    categorical = [] if onehot else features.output_columns(preprocess, "category")
    codes = features.output_columns(preprocess, "level")
    y_text = train[cfg["target"]]
    y = tk.fit_target(y_text)
    cfg = models.sized(cfg, len(X), X.shape[1])
    threadpool_limits(cfg["threads"])
    print("%s: %d rows, %d features, %s model, %s metric, %d folds, up to %d rounds, %d thread(s)"
          % (tk.kind, len(X), X.shape[1], models.MODEL_NAMES[family], metric.name, cfg["folds"],
             cfg["max_rounds"], cfg["threads"]), flush=True)

    scores, rounds, fold_models, oof, fold_of = cross_validate(
        cfg, family=family, tk=tk, metric=metric, X=X, y=y, y_text=y_text,
        categorical=categorical, codes=codes)

    write_oof(cfg, train, tk, oof, fold_of)
    state = {"family": family, "kinds": kinds, "preprocess": preprocess, "task": tk,
             "models": fold_models}
    features.write_atomic(features.run_path("output", "model.pkl"),
                          lambda p: write_pickle(p, state))
    result = {
        "metric": metric.name,
        "higher_is_better": bool(metric.higher_is_better),
        "cv_mean": float(np.mean(scores)),
        "cv_std": float(np.std(scores)),
        "folds": [float(s) for s in scores],
        "folds_completed": len(scores),
        "folds_planned": cfg["folds"],
        "model": models.MODEL_NAMES[family],
        "task": tk.kind,
        "rounds": rounds,
        "max_rounds": cfg["max_rounds"],
        "n_train": int(len(X)),
        "n_features": int(X.shape[1]),
        "seed": cfg["seed"],
        "seconds": round(time.time() - START, 3),
    }
    write_json(features.run_path("output", "metrics.json"), result)
    print("cv %s = %.6f +/- %.6f over %d folds (%.1f s)"
          % (metric.name, result["cv_mean"], result["cv_std"], len(scores), result["seconds"]))


if __name__ == "__main__":
    main()

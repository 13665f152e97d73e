"""Model families of the autokaggle baseline.

auto      LightGBM when importable, else scikit-learn HistGradientBoosting
lightgbm  LightGBM (falls back to HistGradientBoosting when not installed)
xgboost   XGBoost
hgb       scikit-learn HistGradientBoosting
linear    LogisticRegression / Ridge on imputed, scaled (and one-hot) features

Boosting stops early, on the validation fold (LightGBM, XGBoost) or on an
inner 10 % split (HistGradientBoosting), once the validation loss has not
improved for early_stopping_rounds rounds by more than
early_stopping_tolerance times the loss of a constant prediction: without
that tolerance the log loss of well-separated classes keeps shrinking by
crumbs for thousands of rounds. The round limit follows the row count (half
a round per row, at least 100, at most max_rounds), and a wall-clock
deadline stops boosting so that training fits the run's time budget.
"""

import time

import numpy as np

FAMILIES = ("auto", "lightgbm", "xgboost", "hgb", "linear")
MODEL_NAMES = {
    "lightgbm": "lightgbm",
    "xgboost": "xgboost",
    "hgb": "hist_gradient_boosting",
    "linear": "linear",
}


def _lightgbm():
    try:
        import lightgbm
    except (ImportError, OSError):
        return None
    return lightgbm


def resolve_family(requested):
    if requested not in FAMILIES:
        raise ValueError("unknown family %r in code/config.yaml; choose one of %s"
                         % (requested, ", ".join(FAMILIES)))
    if requested in ("auto", "lightgbm"):
        if _lightgbm() is not None:
            return "lightgbm"
        if requested == "lightgbm":
            print("warning: family lightgbm was asked for but LightGBM is not importable "
                  "(pip install lightgbm); using scikit-learn HistGradientBoosting")
        return "hgb"
    return requested


# Below this many cells (rows x features) a boosting round is too little
# work to share: threads spend longer waking each other than computing.
ONE_THREAD_CELLS = 1_000_000


def threads_for(cfg, n_rows, n_columns):
    """The configured thread count, or 1 for a small matrix."""
    return 1 if n_rows * n_columns < ONE_THREAD_CELLS else int(cfg["threads"])


def sized(cfg, n_rows, n_columns):
    """The config with the round limit and thread count that the training
    data's size calls for."""
    rounds = min(int(cfg["max_rounds"]), max(100, n_rows // 2))
    return dict(cfg, max_rounds=rounds, threads=threads_for(cfg, n_rows, n_columns))


def _constant_loss(measure, y):
    """The loss of the best constant prediction, in the measure a booster
    watches on its validation data."""
    if measure == "logloss":
        p = np.bincount(y) / len(y)
        p = p[p > 0]
        return float(-np.sum(p * np.log(p)))
    if measure == "l1":
        return float(np.mean(np.abs(y - np.median(y))))
    variance = float(np.var(y))
    return {"l2": variance, "half_l2": variance / 2, "rmse": np.sqrt(variance)}[measure]


def _min_delta(cfg, measure, y):
    """The least gain in validation loss that counts as progress."""
    return float(cfg["early_stopping_tolerance"]) * _constant_loss(measure, y)


class FoldModel:
    """One fitted estimator. For classification it predicts an (n, K) matrix
    over all K classes even when its training fold lacked some of them."""

    def __init__(self, estimator, n_classes, present, rounds):
        self.estimator = estimator
        self.n_classes = n_classes
        self.present = present
        self.rounds = rounds

    def predict(self, X):
        if not self.n_classes:
            return np.asarray(self.estimator.predict(X), dtype=float)
        p = np.asarray(self.estimator.predict_proba(X), dtype=float)
        full = np.zeros((len(X), self.n_classes))
        full[:, self.present] = p
        return full


class _LightgbmDeadline:
    """Stops LightGBM boosting once the fold's deadline has passed."""
    order = 40
    before_iteration = False

    def __init__(self, deadline):
        self.deadline = deadline

    def __call__(self, env):
        if self.deadline is not None and time.time() > self.deadline:
            raise _lightgbm().callback.EarlyStopException(env.iteration,
                                                          env.evaluation_result_list)


def _fit_lightgbm(cfg, X, y, *, eval_set, n_classes, loss, categorical, deadline):
    lgb = _lightgbm()
    params = dict(n_estimators=int(cfg["max_rounds"]), learning_rate=float(cfg["learning_rate"]),
                  num_leaves=31, min_child_samples=20, subsample=0.8, subsample_freq=1,
                  colsample_bytree=0.8, reg_lambda=1.0, random_state=cfg["seed"],
                  n_jobs=cfg["threads"], deterministic=True, force_row_wise=True, verbose=-1)
    if cfg["gpu"]:
        params["device_type"] = "gpu"
    if n_classes:
        est = lgb.LGBMClassifier(**params)
        measure = "logloss"
    else:
        est = lgb.LGBMRegressor(objective="l1" if loss == "l1" else "regression", **params)
        measure = loss
    rounds = int(cfg["early_stopping_rounds"])
    try:
        stop = lgb.early_stopping(rounds, verbose=False, min_delta=_min_delta(cfg, measure, y))
    except TypeError:  # LightGBM before 4.0 has no min_delta
        stop = lgb.early_stopping(rounds, verbose=False)
    est.fit(X, y, eval_set=[eval_set], categorical_feature=categorical or "auto",
            callbacks=[stop, _LightgbmDeadline(deadline)])
    return est, int(est.best_iteration_ or est.n_estimators)


def _fit_xgboost(cfg, X, y, *, eval_set, n_classes, loss, categorical, deadline):
    import xgboost as xgb

    class Deadline(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            return deadline is not None and time.time() > deadline

    measure = "logloss" if n_classes else "l1" if loss == "l1" else "rmse"
    stop = xgb.callback.EarlyStopping(rounds=int(cfg["early_stopping_rounds"]),
                                      min_delta=_min_delta(cfg, measure, y))
    params = dict(n_estimators=int(cfg["max_rounds"]), learning_rate=float(cfg["learning_rate"]),
                  max_depth=6, min_child_weight=1.0, subsample=0.8, colsample_bytree=0.8,
                  reg_lambda=1.0, tree_method="hist", random_state=cfg["seed"],
                  n_jobs=cfg["threads"], callbacks=[stop, Deadline()])
    if cfg["gpu"]:
        if int(xgb.__version__.split(".")[0]) >= 2:
            params["device"] = "cuda"
        else:
            params["tree_method"] = "gpu_hist"
    if n_classes:
        est = xgb.XGBClassifier(**params)
    elif loss == "l1" and int(xgb.__version__.split(".")[0]) < 2:
        # XGBoost 1.x sets reg:absoluteerror's leaves to the residuals'
        # median without the learning rate: it overfits in a few rounds.
        # The pseudo-Huber loss, about as wide as the target's spread and
        # started from its median, is its robust stand-in; mae is watched.
        est = xgb.XGBRegressor(objective="reg:pseudohubererror", eval_metric="mae",
                               huber_slope=max(_constant_loss("l1", y), 1e-6),
                               base_score=float(np.median(y)), **params)
    else:
        objective = "reg:absoluteerror" if loss == "l1" else "reg:squarederror"
        est = xgb.XGBRegressor(objective=objective, **params)
    est.fit(X, y, eval_set=[eval_set], verbose=False)
    # The callbacks hold a local class: drop them so the model pickles.
    est.set_params(callbacks=None)
    return est, int(getattr(est, "best_iteration", est.n_estimators - 1)) + 1


def _fit_hgb(cfg, X, y, *, eval_set, n_classes, loss, categorical, deadline):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    mask = np.zeros(X.shape[1], dtype=bool)
    mask[categorical] = True
    measure = "logloss" if n_classes else "l1" if loss == "l1" else "half_l2"
    params = dict(learning_rate=float(cfg["learning_rate"]), max_leaf_nodes=31,
                  min_samples_leaf=20, l2_regularization=1.0, early_stopping=True,
                  validation_fraction=0.1, n_iter_no_change=int(cfg["early_stopping_rounds"]),
                  tol=_min_delta(cfg, measure, y), random_state=cfg["seed"],
                  categorical_features=mask if mask.any() else None, warm_start=True)
    if n_classes:
        est = HistGradientBoostingClassifier(**params)
    else:
        est = HistGradientBoostingRegressor(
            loss="absolute_error" if loss == "l1" else "squared_error", **params)
    # With a deadline, grow in chunks and check it between them.
    limit, rounds = int(cfg["max_rounds"]), 0
    step = limit if deadline is None else 100
    while rounds < limit:
        rounds = min(rounds + step, limit)
        est.set_params(max_iter=rounds)
        est.fit(X, y)
        if est.n_iter_ < rounds or (deadline is not None and time.time() > deadline):
            break
    return est, int(est.n_iter_)


def _fit_linear(cfg, X, y, *, eval_set, n_classes, loss, categorical, deadline):
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = LogisticRegression(C=1.0, max_iter=2000) if n_classes else Ridge(alpha=1.0)
    est = make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                        StandardScaler(), model)
    est.fit(X, y)
    return est, 1


_FITTERS = {"lightgbm": _fit_lightgbm, "xgboost": _fit_xgboost, "hgb": _fit_hgb,
            "linear": _fit_linear}


def fit(family, cfg, X, y, *, eval_set, n_classes, loss, categorical=None, deadline=None):
    """Fits one fold on X, y. eval_set is the fold's validation rows (Xv,
    yv), on which LightGBM and XGBoost stop early. n_classes is None for
    regression; loss is "l2" or "l1"; categorical lists the columns of
    category codes; deadline is a time.time() value after which boosting
    stops, or None."""
    Xv, yv = eval_set
    present = None
    if n_classes:
        present = np.unique(y)
        if len(present) < 2:
            raise ValueError("a training fold holds a single class; the target needs at "
                             "least two classes with several rows each")
        if len(present) < n_classes:
            # Estimators need labels 0..m-1: renumber the classes this fold has.
            remap = np.full(n_classes, -1)
            remap[present] = np.arange(len(present))
            keep = remap[yv] >= 0
            y, Xv, yv = remap[y], Xv[keep], remap[yv[keep]]
    est, rounds = _FITTERS[family](cfg, X, y, eval_set=(Xv, yv), n_classes=n_classes, loss=loss,
                                   categorical=list(categorical or []), deadline=deadline)
    return FoldModel(est, n_classes, present, rounds)

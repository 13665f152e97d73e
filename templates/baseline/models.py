"""Model families of the autokaggle baseline.

auto      LightGBM when importable, else scikit-learn HistGradientBoosting
lightgbm  LightGBM (falls back to HistGradientBoosting when not installed)
xgboost   XGBoost
hgb       scikit-learn HistGradientBoosting
linear    LogisticRegression / Ridge on imputed, scaled (and one-hot) features

Boosting stops early on the validation fold (LightGBM, XGBoost) or on an
inner 10 % split (HistGradientBoosting), and also at a wall-clock deadline
so that training fits the run's time budget.
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


def _fit_lightgbm(cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline):
    lgb = _lightgbm()
    params = dict(n_estimators=int(cfg["max_rounds"]), learning_rate=float(cfg["learning_rate"]),
                  num_leaves=31, min_child_samples=20, subsample=0.8, subsample_freq=1,
                  colsample_bytree=0.8, reg_lambda=1.0, random_state=cfg["seed"],
                  n_jobs=cfg["threads"], deterministic=True, force_row_wise=True, verbose=-1)
    if cfg["gpu"]:
        params["device_type"] = "gpu"
    if n_classes:
        est = lgb.LGBMClassifier(**params)
    else:
        est = lgb.LGBMRegressor(objective="l1" if loss == "l1" else "regression", **params)
    est.fit(X, y, eval_set=[(Xv, yv)], categorical_feature=categorical or "auto",
            callbacks=[lgb.early_stopping(int(cfg["early_stopping_rounds"]), verbose=False),
                       _LightgbmDeadline(deadline)])
    return est, int(est.best_iteration_ or est.n_estimators)


def _fit_xgboost(cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline):
    import xgboost as xgb

    class Deadline(xgb.callback.TrainingCallback):
        def after_iteration(self, model, epoch, evals_log):
            return deadline is not None and time.time() > deadline

    params = dict(n_estimators=int(cfg["max_rounds"]), learning_rate=float(cfg["learning_rate"]),
                  max_depth=6, min_child_weight=1.0, subsample=0.8, colsample_bytree=0.8,
                  reg_lambda=1.0, tree_method="hist", random_state=cfg["seed"],
                  n_jobs=cfg["threads"], early_stopping_rounds=int(cfg["early_stopping_rounds"]),
                  callbacks=[Deadline()])
    if cfg["gpu"]:
        if int(xgb.__version__.split(".")[0]) >= 2:
            params["device"] = "cuda"
        else:
            params["tree_method"] = "gpu_hist"
    if n_classes:
        est = xgb.XGBClassifier(**params)
    else:
        objective = "reg:absoluteerror" if loss == "l1" else "reg:squarederror"
        est = xgb.XGBRegressor(objective=objective, **params)
    est.fit(X, y, eval_set=[(Xv, yv)], verbose=False)
    # The callback is a local class: drop it so the model pickles.
    est.set_params(callbacks=None)
    return est, int(getattr(est, "best_iteration", est.n_estimators - 1)) + 1


def _fit_hgb(cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    mask = np.zeros(X.shape[1], dtype=bool)
    mask[categorical] = True
    params = dict(learning_rate=float(cfg["learning_rate"]), max_leaf_nodes=31,
                  min_samples_leaf=20, l2_regularization=1.0, early_stopping=True,
                  validation_fraction=0.1,
                  n_iter_no_change=max(10, int(cfg["early_stopping_rounds"]) // 2),
                  random_state=cfg["seed"], categorical_features=mask if mask.any() else None,
                  warm_start=True)
    if n_classes:
        est = HistGradientBoostingClassifier(**params)
    else:
        est = HistGradientBoostingRegressor(
            loss="absolute_error" if loss == "l1" else "squared_error", **params)
    # Grow in chunks so the deadline is checked between them.
    limit, step, rounds = int(cfg["max_rounds"]), 100, 0
    while rounds < limit:
        rounds = min(rounds + step, limit)
        est.set_params(max_iter=rounds)
        est.fit(X, y)
        if est.n_iter_ < rounds or (deadline is not None and time.time() > deadline):
            break
    return est, int(est.n_iter_)


def _fit_linear(cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline):
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


def fit(family, cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline):
    """Fits one fold. n_classes is None for regression; loss is "l2" or "l1".
    deadline is a time.time() value after which boosting stops, or None."""
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
    est, rounds = _FITTERS[family](cfg, n_classes, loss, X, y, Xv, yv, categorical, deadline)
    return FoldModel(est, n_classes, present, rounds)

"""Configuration, data loading and feature preparation for the autokaggle
baseline, shared by train.py and predict.py.

train.py fits make_features() (a scikit-learn Pipeline ending in a
ColumnTransformer) on the training data and pickles it next to the models,
so predict.py transforms the test data exactly as the training data was
transformed (same columns, same category codes, same date origin). Each fold
also fits a TargetMeanEncoder on its training rows, pickled with the fold's
model.
"""

import os

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder

try:
    import yaml
except ImportError:
    raise ImportError("reading code/config.yaml needs PyYAML: pip install pyyaml "
                      "(Debian: apt install python3-yaml)") from None

CODE_DIR = os.path.dirname(os.path.abspath(__file__))
RUN_DIR = os.path.dirname(CODE_DIR)

TASKS = ("binary", "multiclass", "regression")
KINDS = ("numeric", "bool", "date", "category", "highcard")
DEFAULTS = {
    "id": None,
    "metric_file": None,
    "higher_is_better": None,
    "needs_proba": None,
    "submission_format": "label",
    "classes": [],
    "seed": 42,
    "folds": 5,
    "family": "auto",
    "gpu": False,
    "budget_seconds": 0,
    "threads": 0,
    "learning_rate": 0.1,
    "max_rounds": 2000,
    "early_stopping_rounds": 20,
    "early_stopping_tolerance": 0.001,
    "max_category_levels": 50,
}
REQUIRED = ("task", "target", "metric", "train", "test", "sample_submission")


def run_path(*parts):
    """A path inside the run directory; an absolute path stays as it is."""
    return os.path.join(RUN_DIR, *parts)


def write_atomic(path, write):
    """Calls write(tmp_path), then renames, so no reader sees half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ---------------------------------------------------------------- config

def load_config(path=None):
    """Reads code/config.yaml and fills defaults."""
    path = path or os.path.join(CODE_DIR, "config.yaml")
    with open(path, encoding="utf-8") as f:
        cfg = yaml.safe_load(f) or {}
    if not isinstance(cfg, dict):
        raise ValueError("%s: expected 'key: value' lines" % path)
    for key in REQUIRED:
        if cfg.get(key) in (None, ""):
            raise ValueError("%s: the key '%s' is missing or empty" % (path, key))
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in cfg.items() if v is not None or k not in DEFAULTS})
    if merged["task"] not in TASKS:
        raise ValueError("%s: task must be one of %s, not %r"
                         % (path, ", ".join(TASKS), merged["task"]))
    merged["folds"] = int(merged["folds"])
    if merged["folds"] < 2:
        raise ValueError("%s: folds must be at least 2, not %d" % (path, merged["folds"]))
    merged["seed"] = int(merged["seed"])
    merged["threads"] = int(merged["threads"]) or (os.cpu_count() or 1)
    merged["classes"] = [str(c) for c in (merged["classes"] or [])]
    if not merged["id"]:
        # Kaggle sample submissions start with the id column.
        merged["id"] = read_header(merged["sample_submission"], "sample_submission")[0]
    return merged


# ---------------------------------------------------------------- reading

def read_header(path, what):
    if not os.path.isfile(path):
        raise FileNotFoundError("the %s file %s does not exist (see '%s:' in code/config.yaml)"
                                % (what, path, what))
    try:
        return list(pd.read_csv(path, nrows=0).columns)
    except pd.errors.EmptyDataError:
        raise ValueError("the %s file %s is empty" % (what, path)) from None


def _leading_zero_columns(path):
    """Columns whose values look like codes with leading zeros ("00417"):
    read as text so the zeros and the code's identity survive."""
    head = pd.read_csv(path, dtype=str, nrows=5000)
    found = []
    for col in head.columns:
        vals = head[col].dropna()
        if len(vals) and vals.str.fullmatch(r"[+-]?0[0-9]+").any():
            found.append(col)
    return found


def read_table(path, what, text_columns=()):
    """Reads a CSV file, with the given columns kept as text."""
    header = read_header(path, what)
    dtype = {c: str for c in text_columns if c in header}
    return pd.read_csv(path, dtype=dtype, low_memory=False)


def read_train(cfg):
    """The training table, checked, without rows that lack a target."""
    path, target = cfg["train"], cfg["target"]
    header = read_header(path, "train")
    if target not in header:
        raise ValueError("the target column %r is not in %s (its columns: %s); "
                         "set 'target:' in code/config.yaml"
                         % (target, path, ", ".join(header[:30])))
    text = set(_leading_zero_columns(path)) | {target}
    if cfg.get("id"):
        text.add(cfg["id"])
    df = read_table(path, "train", sorted(text))
    if df.empty:
        raise ValueError("the training data %s has no rows" % path)
    missing = df[target].isna()
    if missing.all():
        raise ValueError("the target column %r of %s is empty in every row" % (target, path))
    if missing.any():
        print("note: dropping %d training rows without a target" % int(missing.sum()))
        df = df.loc[~missing].reset_index(drop=True)
    return df


def read_sample(path):
    """The sample submission, every cell as the exact text of the file."""
    read_header(path, "sample_submission")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def as_text(series):
    """The values as strings, missing values kept missing."""
    out = series.astype(str).astype(object)
    out[series.isna().to_numpy()] = np.nan
    return out


def natural(texts):
    """Label texts as the values a person means: bools, ints, floats or strings."""
    s = pd.Series(list(texts), dtype=object).astype(str)
    low = s.str.lower()
    if len(s) and low.isin(["true", "false"]).all():
        return (low == "true").to_numpy()
    num = pd.to_numeric(s, errors="coerce")
    if num.notna().all() and not s.str.fullmatch(r"[+-]?0[0-9]+").any():
        values = num.to_numpy(dtype=float)
        if np.all(values == np.round(values)):
            return values.astype(np.int64)
        return values
    return s.to_numpy(dtype=object)


def natural_order(texts):
    """Sorts distinct label texts numerically when they are numbers, else as text."""
    texts = sorted(set(texts))
    values = natural(texts)
    order = np.argsort(values, kind="stable") if values.dtype != object else range(len(texts))
    return [texts[i] for i in order]


# ---------------------------------------------------------------- features

_DATE_RE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"


def _to_datetime(values):
    """Parses ISO dates to naive UTC timestamps; unparseable values become NaT."""
    if int(pd.__version__.split(".")[0]) >= 2:
        parsed = pd.to_datetime(values, errors="coerce", utc=True, format="ISO8601")
    else:
        parsed = pd.to_datetime(values, errors="coerce", utc=True)
    return parsed.dt.tz_convert(None)


def _column_kind(s, max_levels):
    if s.nunique(dropna=False) <= 1:
        return None
    if s.dtype == bool:
        return "bool"
    if pd.api.types.is_numeric_dtype(s):
        return "numeric"
    vals = as_text(s).dropna()
    if vals.str.lower().isin(["true", "false"]).all():
        return "bool"
    if vals.head(2000).str.fullmatch(_DATE_RE).all() and _to_datetime(vals).notna().mean() > 0.99:
        return "date"
    return "category" if vals.nunique() <= max_levels else "highcard"


def column_kinds(train, exclude, test_columns, max_levels):
    """The training columns worth learning from, by kind: a dict from each
    of KINDS to its columns, in the data's order. Constant and empty columns
    are left out, and so are columns that the test data lacks."""
    # HistGradientBoosting takes categorical codes below 255 only.
    max_levels = min(max_levels, 250)
    kinds = {kind: [] for kind in KINDS}
    for col in train.columns:
        if col in exclude:
            continue
        if col not in test_columns:
            print("note: column %r is not in the test data; it is not used" % col)
            continue
        kind = _column_kind(train[col], max_levels)
        if kind is not None:
            kinds[kind].append(col)
    if not any(kinds.values()):
        raise ValueError("no usable feature columns: every column besides the target "
                         "and the id is missing from the test data, empty or constant")
    return kinds


def text_columns(kinds):
    """The columns to read as text, so that codes such as "00417" survive."""
    return [col for kind, cols in kinds.items() if kind != "numeric" for col in cols]


def _typed(df, kinds):
    """The feature columns of df, numeric ones as floats and the others as
    text (missing values stay missing)."""
    missing = [col for cols in kinds.values() for col in cols if col not in df.columns]
    if missing:
        raise ValueError("the data lacks the column(s) %s that the model was trained on"
                         % ", ".join(repr(c) for c in missing))
    return pd.DataFrame({col: pd.to_numeric(df[col], errors="coerce") if kind == "numeric"
                         else as_text(df[col])
                         for kind, cols in kinds.items() for col in cols})


def _typed_names(typed, input_features):
    return np.asarray([col for cols in typed.kw_args["kinds"].values() for col in cols],
                      dtype=object)


def _bool_values(X):
    return X.apply(lambda s: s.str.lower().map({"true": 1.0, "false": 0.0})).to_numpy(dtype=float)


class DateParts(TransformerMixin, BaseEstimator):
    """Year, month, day, day of week and days since the earliest training
    date of each date column, and the hour when the column has times."""

    def fit(self, X, y=None):
        self.columns_ = list(X.columns)
        self.origin_, self.has_time_ = {}, {}
        for col in self.columns_:
            stamps = _to_datetime(X[col]).dropna()
            self.origin_[col] = stamps.min()
            self.has_time_[col] = bool((stamps != stamps.dt.normalize()).any())
        return self

    def transform(self, X):
        parts = []
        for col in self.columns_:
            d = _to_datetime(X[col])
            parts += [d.dt.year, d.dt.month, d.dt.day, d.dt.dayofweek,
                      (d - self.origin_[col]) / pd.Timedelta(days=1)]
            if self.has_time_[col]:
                parts.append(d.dt.hour)
        return np.column_stack([p.to_numpy(dtype=float) for p in parts])

    def get_feature_names_out(self, input_features=None):
        names = []
        for col in self.columns_:
            parts = ["year", "month", "day", "dayofweek", "elapsed_days"]
            names += ["%s__%s" % (col, p) for p in parts + ["hour"] * self.has_time_[col]]
        return np.asarray(names, dtype=object)


class FrequencyEncoder(TransformerMixin, BaseEstimator):
    """Each level's share of the training rows; a level unseen in training
    gets 0, a missing value stays missing."""

    def fit(self, X, y=None):
        self.columns_ = list(X.columns)
        self.shares_ = {col: X[col].value_counts() / float(len(X)) for col in self.columns_}
        return self

    def transform(self, X):
        shares = np.column_stack([X[col].map(self.shares_[col]).to_numpy(dtype=float)
                                  for col in self.columns_])
        shares[np.isnan(shares) & X[self.columns_].notna().to_numpy()] = 0.0
        return shares

    def get_feature_names_out(self, input_features=None):
        return np.asarray(["%s__freq" % col for col in self.columns_], dtype=object)


def make_features(kinds, onehot=False):
    """The transformer from the raw table to the float matrix that every
    fold learns from. What each kind of column becomes:

    numeric   the value (NaN stays NaN: the boosting models handle it)
    bool      1/0
    date      year, month, day, day of week, days since the earliest
              training date (and hour when times are present)
    category  (<= max_category_levels levels) a code, used as a native
              categorical by LightGBM and HistGradientBoosting; with
              onehot (the linear model) one 0/1 column per level, missing
              values being a level of their own
    highcard  the level's frequency in train, and a code of the level
              (unseen: NaN) that each fold's TargetMeanEncoder turns into
              the level's mean target; these codes are the last columns
    """
    if onehot:
        category = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    else:
        category = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan)
    columns = ColumnTransformer(
        transformers=[
            ("numeric", "passthrough", kinds["numeric"]),
            ("bool", FunctionTransformer(_bool_values, feature_names_out="one-to-one"),
             kinds["bool"]),
            ("date", DateParts(), kinds["date"]),
            ("category", category, kinds["category"]),
            ("frequency", FrequencyEncoder(), kinds["highcard"]),
            ("level", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan),
             kinds["highcard"]),
        ],
        verbose_feature_names_out=False)
    return Pipeline(steps=[
        ("typed", FunctionTransformer(_typed, kw_args={"kinds": kinds},
                                      feature_names_out=_typed_names)),
        ("columns", columns),
    ])


def output_columns(features, name):
    """The positions in the feature matrix of one of make_features' parts
    ("category", "level", ...), once fitted."""
    where = features.named_steps["columns"].output_indices_[name]
    return list(range(where.start, where.stop))


class TargetMeanEncoder(TransformerMixin, BaseEstimator):
    """Replaces the given columns of level codes by the mean target of
    their level, smoothed toward the overall mean as if each level had
    `smoothing` more rows at it: the mean for regression, the positive rate
    for binary tasks, one rate per class for multiclass tasks. Unseen and
    missing levels get the overall mean. The encoded columns end the matrix.

    Each fold fits one on its training rows, and fit_transform encodes those
    rows out of fold (by the other inner_folds - 1 parts): a row whose own
    target went into its level's mean would teach the model to trust rare
    levels. (scikit-learn 1.3 and later have such an encoder,
    sklearn.preprocessing.TargetEncoder; Debian 12's 1.2 has not.)
    """

    def __init__(self, columns=(), n_classes=None, smoothing=20, inner_folds=5, seed=0):
        self.columns = columns
        self.n_classes = n_classes
        self.smoothing = smoothing
        self.inner_folds = inner_folds
        self.seed = seed

    def _targets(self, y):
        if not self.n_classes:
            return np.asarray(y, dtype=float)[:, None]
        if self.n_classes == 2:
            return (y == 1).astype(float)[:, None]
        return np.eye(self.n_classes)[y]

    def _fit_tables(self, codes, Y):
        """The overall mean and, per code column, a table: level -> mean."""
        prior = Y.mean(axis=0)
        tables = []
        for c in codes.T:
            seen = ~np.isnan(c)
            levels = c[seen].astype(np.int64)
            count = np.bincount(levels)
            sums = np.column_stack([np.bincount(levels, Y[seen, k], len(count))
                                    for k in range(Y.shape[1])])
            tables.append((sums + self.smoothing * prior) / (count[:, None] + self.smoothing))
        return prior, tables

    @staticmethod
    def _encode(codes, prior, tables):
        width = len(prior)
        out = np.empty((len(codes), len(tables) * width))
        for j, (c, table) in enumerate(zip(codes.T, tables)):
            block = out[:, j * width:(j + 1) * width]
            block[:] = prior
            known = ~np.isnan(c)
            known[known] = c[known] < len(table)
            block[known] = table[c[known].astype(np.int64)]
        return out

    def _split(self, X):
        rest = np.setdiff1d(np.arange(X.shape[1]), self.columns)
        return X[:, rest], X[:, list(self.columns)]

    def fit(self, X, y):
        _, codes = self._split(X)
        self.prior_, self.tables_ = self._fit_tables(codes, self._targets(y))
        return self

    def fit_transform(self, X, y):
        """Fits on the training rows X, y; returns X encoded out of fold."""
        rest, codes = self._split(X)
        Y = self._targets(y)
        self.prior_, self.tables_ = self._fit_tables(codes, Y)
        inner = np.random.default_rng(self.seed).permutation(len(X)) % self.inner_folds
        encoded = np.empty((len(X), codes.shape[1] * Y.shape[1]))
        for k in range(self.inner_folds):
            rows = inner == k
            prior, tables = self._fit_tables(codes[~rows], Y[~rows])
            encoded[rows] = self._encode(codes[rows], prior, tables)
        return np.column_stack([rest, encoded])

    def transform(self, X):
        rest, codes = self._split(X)
        return np.column_stack([rest, self._encode(codes, self.prior_, self.tables_)])


# ---------------------------------------------------------------- classes

class ClassTarget:
    """Maps target label texts to class indices 0..K-1 and back.

    The order is the configured 'classes' list when it covers every training
    label (for binary: [negative, positive]), else the labels sorted
    numerically or alphabetically. labels[k] is class k as written in the
    training file, so predicted labels keep its type (0/1, True/False, text).
    names[k] is class k as configured (used to match sample columns).
    """

    def __init__(self, configured, y_text):
        seen = natural_order(y_text.unique())
        labels = [self._find(c, seen) for c in configured]
        if configured and None not in labels and set(labels) == set(seen) \
                and len(set(labels)) == len(labels):
            self.labels, self.names = labels, list(configured)
        else:
            if configured:
                print("warning: the configured classes %s do not match the training labels %s; "
                      "using the training labels" % (configured, seen[:20]))
            self.labels, self.names = seen, list(seen)
        self.index = {v: i for i, v in enumerate(self.labels)}

    @staticmethod
    def _find(name, seen):
        for v in seen:
            if v == name:
                return v
        for v in seen:
            try:
                if float(v) == float(name):
                    return v
            except ValueError:
                pass
            if v.lower() == name.lower():
                return v
        return None

    def __len__(self):
        return len(self.labels)

    def encode(self, y_text):
        return y_text.map(self.index).to_numpy(dtype=np.int64)

    def natural_labels(self, idx):
        return natural(self.labels)[np.asarray(idx, dtype=np.int64)]

    def text_labels(self, idx):
        return np.asarray(self.labels, dtype=object)[np.asarray(idx, dtype=np.int64)]

    def column_class(self, column, target):
        """The class a sample submission column stands for ("Class_1",
        "<target>_<class>", or a name ending in "_<class>")."""
        col = column.lower()
        for k in range(len(self.labels)):
            for form in (self.names[k], self.labels[k], "%s_%s" % (target, self.names[k])):
                if col == form.lower():
                    return k
        ends = [k for k in range(len(self.labels))
                if col.endswith("_" + self.names[k].lower())]
        if len(ends) == 1:
            return ends[0]
        raise ValueError("the sample submission column %r matches none of the classes %s; "
                         "fix 'classes:' in code/config.yaml" % (column, self.names))

    def is_proba_layout(self, columns, target):
        """Whether the prediction columns are one probability column per class."""
        if len(columns) < 2:
            return False
        try:
            return sorted(self.column_class(c, target) for c in columns) == list(range(len(self)))
        except ValueError:
            return False


# ---------------------------------------------------------------- submission

def sample_layout(cfg, sample, test):
    """How to write the submission: (id column, prediction columns, ids in
    output order, positions of those rows in the test data). Rows follow the
    sample submission when its ids are exactly the test ids, else the test."""
    sid = cfg["id"] if cfg.get("id") in sample.columns else sample.columns[0]
    tid = cfg["id"] if cfg.get("id") in test.columns else sid
    if tid not in test.columns:
        raise ValueError("the id column %r is not in the test data; set 'id:' in code/config.yaml"
                         % tid)
    columns = [c for c in sample.columns if c != sid]
    if not columns:
        raise ValueError("the sample submission has no prediction column besides %r" % sid)
    test_ids = as_text(test[tid]).fillna("").to_numpy(dtype=object)
    sample_ids = sample[sid].to_numpy(dtype=object)
    index = pd.Index(test_ids)
    if len(sample_ids) == len(test_ids) and index.is_unique and \
            set(sample_ids) == set(test_ids):
        return sid, columns, sample_ids, index.get_indexer(sample_ids)
    print("warning: the sample submission's ids differ from the test ids; "
          "writing the rows in test order")
    return sid, columns, test_ids, np.arange(len(test_ids))

"""Configuration, data loading and feature preparation for the autokaggle
baseline, shared by train.py and predict.py.

train.py fits a FeatureBuilder on the training data and pickles it next to the
models, so predict.py transforms the test data exactly as the training data
was transformed (same columns, same category codes, same date origin). Each
fold also fits a TargetEncoder on its training rows, pickled with the fold's
model.
"""

import os

import numpy as np
import pandas as pd

try:
    import yaml
except ImportError:
    raise ImportError("reading code/config.yaml needs PyYAML: pip install pyyaml "
                      "(Debian: apt install python3-yaml)") from None

CODE_DIR = os.path.dirname(os.path.abspath(__file__))
RUN_DIR = os.path.dirname(CODE_DIR)

TASKS = ("binary", "multiclass", "regression")
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


def _levels(vals):
    """Distinct values, most frequent first (ties by value, for determinism)."""
    counts = vals.value_counts()
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


class FeatureBuilder:
    """Turns raw columns into a float matrix.

    numeric   the value (NaN stays NaN: the boosting models handle it)
    bool      1/0
    date      year, month, day, day of week, days since the earliest
              training date (and hour when times are present)
    category  (<= max_category_levels levels) a code by frequency rank, used
              as a native categorical by LightGBM and HistGradientBoosting;
              one 0/1 column per level for the linear model
    highcard  frequency in train (unseen: 0), and a code of the level
              (unseen: NaN) that each fold's TargetEncoder turns into the
              level's mean target; these codes are the last columns
    Constant and empty columns are dropped.
    """

    def __init__(self, max_levels=50, onehot=False):
        # HistGradientBoosting takes categorical codes below 255 only.
        self.max_levels = min(max_levels, 250)
        self.onehot = onehot
        self.columns = []
        self.names = []
        self.categorical = []

    @property
    def text_columns(self):
        return [c for c, kind, _ in self.columns if kind != "numeric"]

    @property
    def n_codes(self):
        """How many high-cardinality codes end the matrix."""
        return sum(kind == "highcard" for _, kind, _ in self.columns)

    def fit(self, df, exclude, test_columns):
        for col in df.columns:
            if col in exclude:
                continue
            if col not in test_columns:
                print("note: column %r is not in the test data; it is not used" % col)
                continue
            kind = _column_kind(df[col], self.max_levels)
            if kind is not None:
                self.columns.append((col, kind, self._fit_state(df[col], kind)))
        if not self.columns:
            raise ValueError("no usable feature columns: every column besides the target "
                             "and the id is missing from the test data, empty or constant")
        for col, kind, state in self.columns:
            start = len(self.names)
            self.names.extend(self._names(col, kind, state))
            if kind == "category" and not self.onehot:
                self.categorical.append(start)
        self.names.extend("%s__level" % col for col, kind, _ in self.columns if kind == "highcard")
        return self

    def _fit_state(self, s, kind):
        if kind == "date":
            stamps = _to_datetime(as_text(s))
            has_time = bool((stamps.dropna() != stamps.dropna().dt.normalize()).any())
            return {"origin": stamps.min(), "has_time": has_time}
        if kind in ("category", "highcard"):
            vals = as_text(s).dropna()
            levels = _levels(vals)
            return {"code": {v: float(i) for i, (v, _) in enumerate(levels)},
                    "freq": {v: n / float(len(s)) for v, n in levels}}
        return None

    def _names(self, col, kind, state):
        if kind == "date":
            parts = ["year", "month", "day", "dayofweek", "elapsed_days"]
            return ["%s__%s" % (col, p) for p in parts + (["hour"] if state["has_time"] else [])]
        if kind == "category" and self.onehot:
            return ["%s=%s" % (col, v) for v in state["code"]]
        if kind == "highcard":
            return ["%s__freq" % col]
        return [col]

    def _encode(self, s, kind, state):
        if kind == "numeric":
            return [pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)]
        text = as_text(s)
        if kind == "bool":
            return [text.str.lower().map({"true": 1.0, "false": 0.0}).to_numpy(dtype=float)]
        if kind == "date":
            d = _to_datetime(text)
            cols = [d.dt.year, d.dt.month, d.dt.day, d.dt.dayofweek,
                    (d - state["origin"]) / pd.Timedelta(days=1)]
            if state["has_time"]:
                cols.append(d.dt.hour)
            return [c.to_numpy(dtype=float) for c in cols]
        code = text.map(state["code"]).to_numpy(dtype=float)
        if kind == "category":
            if self.onehot:
                return [(text == v).to_numpy(dtype=float) for v in state["code"]]
            return [code]
        freq = text.map(state["freq"]).to_numpy(dtype=float)
        freq[np.isnan(freq) & text.notna().to_numpy()] = 0.0
        return [freq]

    def transform(self, df, what):
        missing = [c for c, _, _ in self.columns if c not in df.columns]
        if missing:
            raise ValueError("the %s data lacks the column(s) %s that the model was trained on"
                             % (what, ", ".join(repr(c) for c in missing)))
        blocks = []
        for col, kind, state in self.columns:
            blocks.extend(self._encode(df[col], kind, state))
        blocks.extend(as_text(df[col]).map(state["code"]).to_numpy(dtype=float)
                      for col, kind, state in self.columns if kind == "highcard")
        return np.column_stack(blocks)


class TargetEncoder:
    """Replaces the high-cardinality codes that end a FeatureBuilder matrix
    by the mean target of their level, smoothed toward the overall mean as
    if each level had SMOOTHING more rows at it: the mean for regression,
    the positive rate for binary tasks, one rate per class for multiclass
    tasks. Unseen and missing levels get the overall mean.

    Each fold fits one on its training rows, and those rows are encoded out
    of fold (by the other INNER_FOLDS - 1 parts): a row whose own target
    went into its level's mean would teach the model to trust rare levels.
    """

    SMOOTHING = 20
    INNER_FOLDS = 5

    def __init__(self, n_codes, n_classes, seed):
        self.n_codes = n_codes
        self.n_classes = n_classes
        self.seed = seed
        self.prior = None
        self.tables = []

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
            tables.append((sums + self.SMOOTHING * prior) / (count[:, None] + self.SMOOTHING))
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

    def fit_transform(self, X, y):
        """Fits on the training rows X, y; returns X encoded out of fold."""
        split = X.shape[1] - self.n_codes
        codes, Y = X[:, split:], self._targets(y)
        self.prior, self.tables = self._fit_tables(codes, Y)
        inner = np.random.default_rng(self.seed).permutation(len(X)) % self.INNER_FOLDS
        encoded = np.empty((len(X), self.n_codes * Y.shape[1]))
        for k in range(self.INNER_FOLDS):
            rows = inner == k
            prior, tables = self._fit_tables(codes[~rows], Y[~rows])
            encoded[rows] = self._encode(codes[rows], prior, tables)
        return np.column_stack([X[:, :split], encoded])

    def transform(self, X):
        split = X.shape[1] - self.n_codes
        return np.column_stack([X[:, :split], self._encode(X[:, split:], self.prior, self.tables)])


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

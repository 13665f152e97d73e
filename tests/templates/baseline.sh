#!/bin/sh
# The offline baseline templates, run for real with the system Python on
# small generated competitions: every task type, label types kept, the
# probability-column layout, a custom metric, the families, determinism,
# the config read with PyYAML, the time budget, test data unlike train and
# a clear error. Each run is held to the file contract: metrics.json,
# oof.csv (whose predictions give the fold scores) and submission.csv.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

PY=$AUTOKAGGLE_PYTHON
"$PY" -c 'import numpy, pandas, sklearn' 2>/dev/null ||
	skip_all "$PY lacks numpy, pandas or scikit-learn"
WB=$top_builddir/tests/templates/write_baseline
AUTOKAGGLE_DATADIR=$top_srcdir/share
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
export AUTOKAGGLE_DATADIR OMP_NUM_THREADS OPENBLAS_NUM_THREADS MKL_NUM_THREADS PYTHONHASHSEED

plan 63
D=$T/data
mkdir -p "$D"

"$PY" - "$D" <<'EOF' || bail_out "cannot generate the test data"
import os, sys
import numpy as np, pandas as pd

out = sys.argv[1]
rng = np.random.default_rng(7)

def frame(n):
    df = pd.DataFrame({
        "row_id": rng.permutation(n) * 3 + 11,
        "x1": rng.normal(size=n).round(4),
        "x2": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n).round(4)),
        "color": rng.choice(["red", "green", "blue"], n),
        "code": ["%05d" % v for v in rng.integers(0, 400, n)],
        "flag": rng.choice(["True", "False"], n),
        "day": (pd.Timestamp("2021-01-01")
                + pd.to_timedelta(rng.integers(0, 700, n), unit="D")).strftime("%Y-%m-%d"),
    })
    s = df.x1 + 0.5 * df.x2.fillna(0) + 0.8 * (df.color == "red") + 0.4 * (df.flag == "True")
    return df, s + rng.normal(scale=0.5, size=n)

def save(name, train, test, sample):
    os.makedirs(os.path.join(out, name), exist_ok=True)
    train.to_csv(os.path.join(out, name, "train.csv"), index=False)
    test.to_csv(os.path.join(out, name, "test.csv"), index=False)
    for suffix, df in sample.items():
        df.to_csv(os.path.join(out, name, "sample%s.csv" % suffix), index=False)

train, s = frame(600)
test, s_test = frame(250)
# Sample rows in another order than test rows: the output must follow the sample.
ids = test.row_id.sample(frac=1, random_state=1).to_numpy()
def targets(s):
    return {"binary": np.where(s > 0.6, 1, 0),
            "bool": np.where(s > 0.6, "True", "False"),
            "multi": np.select([s < -0.3, s < 0.9], ["low", "mid"], "high"),
            "reg": np.round(np.exp(s / 2) * 10, 3),
            "ordinal": np.clip(np.round(s + 2), 0, 5).astype(int)}

y_test = targets(s_test)
for name, y in targets(s).items():
    sample = {"": pd.DataFrame({"row_id": ids, "target": 0.5 if name == "binary" else y[:250]})}
    if name == "multi":
        sample["_proba"] = pd.DataFrame({"row_id": ids, "target_high": 1 / 3,
                                         "target_low": 1 / 3, "target_mid": 1 / 3})
    save(name, train.assign(target=y), test, sample)
    truth = pd.DataFrame({"row_id": test.row_id, "target": y_test[name]})
    truth.to_csv(os.path.join(out, name, "truth.csv"), index=False)

def small(name, n, x, y):
    """A competition of n training rows and the rest as test rows."""
    df = pd.DataFrame(x).assign(row_id=np.arange(len(y)) + 1, target=y)
    sample = pd.DataFrame({"row_id": df.row_id[n:], "target": y[n:]})
    save(name, df[:n], df[n:].drop(columns="target"), {"": sample})
    df[n:][["row_id", "target"]].to_csv(os.path.join(out, name, "truth.csv"), index=False)

# Tiny: three well-separated classes, and a target that is a coin flip.
k = rng.integers(0, 3, 220)
small("tiny", 120, {"a": rng.normal(size=220) + 4 * k, "b": rng.normal(size=220) - 3 * k},
      np.array(["a", "b", "c"])[k])
small("coin", 150, {"a": rng.normal(size=250), "b": rng.normal(size=250)},
      rng.integers(0, 2, 250))
# A shop code with 150 levels, each with its own effect.
shop = rng.integers(0, 150, 2100)
small("shops", 2000, {"shop": ["S%04d" % v for v in shop], "x": rng.normal(size=2100)},
      np.round(rng.normal(size=150)[shop] * 10 + rng.normal(size=2100), 3))

# Test data unlike train: a colour and shops that training never saw,
# missing dates and flags, and a grade whose test values all look like
# numbers (in train one is "x", so it is a category).
n, m = 400, 150
x = rng.normal(size=n + m)
color = rng.choice(["red", "green", "blue"], n + m)
color[n:][rng.random(m) < 0.2] = "purple"
when = (pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 900, n + m), unit="D")
        ).strftime("%Y-%m-%d").to_numpy(dtype=object)
when[rng.random(n + m) < 0.1] = None
flag = rng.choice(["True", "False"], n + m).astype(object)
flag[n:][rng.random(m) < 0.2] = None
grade = rng.choice(["1", "2", "3"], n + m)
grade[:n][rng.random(n) < 0.1] = "x"
small("unseen", n, {"x": x, "color": color, "grade": grade, "when": when, "flag": flag,
                    "shop": ["S%03d" % v for v in rng.integers(0, 300, n + m)]},
      (x + 0.8 * (color == "red") + rng.normal(scale=0.5, size=n + m) > 0.3).astype(int))
EOF

cat >"$T/brier.py" <<'EOF'
import numpy as np

higher_is_better = False
needs_proba = True


def score(y_true, y_pred):
    # The labels arrive as written in train (0/1 ints), P(positive) as floats.
    assert y_true.dtype.kind == "i", y_true.dtype
    return float(np.mean((np.asarray(y_pred) - y_true) ** 2))
EOF

# check.py RUN SAMPLE KIND: the run's outputs are complete, the submission
# matches the sample's header, ids and order, and it predicts the test rows'
# true targets. KIND: proba, proba-any (probabilities of a coin flip: no
# quality check), labels=a|b|..., probacols, float.
cat >"$T/check.py" <<'EOF'
import json, math, os, sys
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

run, sample_path, kind = sys.argv[1:4]
problems = []
m = json.load(open(os.path.join(run, "output/metrics.json")))
for key in ("metric", "higher_is_better", "cv_mean", "cv_std", "folds", "folds_completed",
            "model", "n_train", "n_features", "seconds"):
    if key not in m:
        problems.append("metrics.json lacks " + key)
if m["folds_completed"] != len(m["folds"]) or not m["folds"]:
    problems.append("folds_completed %s but %d folds" % (m["folds_completed"], len(m["folds"])))
elif abs(m["cv_mean"] - sum(m["folds"]) / len(m["folds"])) > 1e-9:
    problems.append("cv_mean is not the mean of the folds")
oof = pd.read_csv(os.path.join(run, "output/oof.csv"))
if m["folds_completed"] == 5 and len(oof) != m["n_train"]:
    problems.append("oof.csv has %d rows, not %d" % (len(oof), m["n_train"]))
if not os.path.getsize(os.path.join(run, "output/model.pkl")):
    problems.append("model.pkl is empty")
sample = pd.read_csv(sample_path, dtype=str, keep_default_na=False)
sub = pd.read_csv(os.path.join(run, "output/submission.csv"), dtype=str, keep_default_na=False)
if list(sub.columns) != list(sample.columns):
    problems.append("header %s, sample has %s" % (list(sub.columns), list(sample.columns)))
elif list(sub.iloc[:, 0]) != list(sample.iloc[:, 0]):
    problems.append("ids differ from the sample's, or their order does")
values = sub.iloc[:, 1:]
# The test rows' true targets, in submission order: predictions must fit
# them, which also proves each value sits on its own id's row.
truth = pd.read_csv(os.path.join(os.path.dirname(sample_path), "truth.csv"), dtype=str)
truth = truth.set_index("row_id").loc[sub.iloc[:, 0], "target"].to_numpy()
if (values == "").any().any():
    problems.append("empty cells")
elif kind == "proba":
    v = values.iloc[:, 0].astype(float)
    if not v.between(0, 1).all() or v.nunique() < 10:
        problems.append("not probabilities: %s" % list(v[:5]))
    elif roc_auc_score(truth.astype(int), v) < 0.75:
        problems.append("test AUC %.3f" % roc_auc_score(truth.astype(int), v))
elif kind.startswith("labels="):
    bad = set(values.iloc[:, 0]) - set(kind[7:].split("|"))
    if bad:
        problems.append("unexpected labels %s" % sorted(bad)[:5])
    elif (values.iloc[:, 0].to_numpy() == truth).mean() < 0.5:
        problems.append("test accuracy %.3f" % (values.iloc[:, 0].to_numpy() == truth).mean())
elif kind == "probacols":
    P = values.astype(float)
    if not all(math.isclose(r, 1, abs_tol=1e-6) for r in P.sum(axis=1)):
        problems.append("class probabilities do not sum to 1")
    elif (P.idxmax(axis=1).str.replace("target_", "").to_numpy() == truth).mean() < 0.6:
        problems.append("the most probable class is mostly wrong")
elif kind == "proba-any":
    if not values.iloc[:, 0].astype(float).between(0, 1).all():
        problems.append("not probabilities")
elif kind == "float":
    r = np.corrcoef(values.iloc[:, 0].astype(float), truth.astype(float))[0, 1]
    if r < 0.7:
        problems.append("test correlation %.3f" % r)

# oof.csv: the id, the fold and the target of each training row, then the
# predictions, from which each fold's score in metrics.json follows.
train = pd.read_csv(os.path.join(os.path.dirname(sample_path), "train.csv"), dtype=str)
head = list(oof.columns[:3])
if head != ["row_id", "fold", "target"] or not all(c.startswith("pred") for c in oof.columns[3:]):
    problems.append("oof.csv columns %s" % list(oof.columns))
elif not set(oof.row_id.astype(str)) <= set(train.row_id) or not oof.row_id.is_unique:
    problems.append("oof.csv ids are not training ids")
elif sorted(oof.fold.unique()) != list(range(m["folds_completed"])):
    problems.append("oof.csv folds %s" % sorted(oof.fold.unique()))
elif m["metric"] in ("auc", "rmse", "mae") and "pred" in oof.columns:
    from sklearn import metrics as skm
    score = {"auc": skm.roc_auc_score, "mae": skm.mean_absolute_error,
             "rmse": lambda y, p: math.sqrt(skm.mean_squared_error(y, p))}[m["metric"]]
    again = [score(f.target.astype(float), f.pred) for _, f in oof.groupby("fold")]
    if not np.allclose(again, m["folds"], rtol=1e-9):
        problems.append("fold scores from oof.csv %s, metrics.json has %s" % (again, m["folds"]))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF

# case NAME DATA KIND [write_baseline options]: writes the baseline into
# $T/NAME, trains, predicts and checks; three points.
case_run() {
	name=$1 data=$2 kind=$3 sample=$D/$2/sample.csv
	shift 3
	case " $* " in *" --proba-columns "*) sample=$D/$data/sample_proba.csv ;; esac
	R=$T/$name
	if ! "$WB" --id row_id --threads 1 "$@" "$D/$data/train.csv" "$D/$data/test.csv" \
		"$sample" "$R" 2>"$T/wb.err"; then
		fail "$name: write the baseline"
		diag_file "$T/wb.err"
		skip 2 "no baseline"
		return
	fi
	pass "$name: write the baseline"
	(cd "$R" && "$PY" code/train.py >"$T/$name.train" 2>&1 &&
		"$PY" code/predict.py >"$T/$name.predict" 2>&1)
	ok "$name: train.py and predict.py succeed" test $? -eq 0 || {
		diag_file "$T/$name.train" 30
		diag_file "$T/$name.predict" 30
	}
	"$PY" "$T/check.py" "$R" "$sample" "$kind" >"$T/$name.check" 2>&1
	ok "$name: outputs and submission as the sample" test $? -eq 0 || diag_file "$T/$name.check"
}

mjson() {
	json_get "$T/$1/output/metrics.json" "$2"
}

case_run bin-auc binary proba --classes 0,1
ok "bin-auc: metric, direction, model, five folds" \
	test "$(mjson bin-auc '"%s %s %s %d" % (j["metric"], j["higher_is_better"], j["model"], j["folds_completed"])')" = "auc True hist_gradient_boosting 5"
ok "bin-auc: the CV AUC shows the signal" test "$(mjson bin-auc 'int(0.75 < j["cv_mean"] < 1)')" = 1 ||
	diag "cv_mean $(mjson bin-auc 'j["cv_mean"]')"

case_run bin-bool bool "labels=True|False" --metric accuracy
case_run bin-f1-linear binary "labels=0|1" --metric f1 --family linear --classes 0,1
ok "bin-f1-linear: the linear model" test "$(mjson bin-f1-linear 'j["model"]')" = linear
case_run multi-acc multi "labels=low|mid|high" --task multiclass --metric accuracy
case_run multi-logloss multi probacols --task multiclass --proba-columns --classes high,low,mid
ok "multi-logloss: log loss, lower is better" \
	test "$(mjson multi-logloss '"%s %s" % (j["metric"], j["higher_is_better"])')" = "logloss False"
case_run reg-rmse reg float --task regression
case_run reg-mae-xgb reg float --task regression --metric mae --family xgboost
ok "reg-mae-xgb: the xgboost model" test "$(mjson reg-mae-xgb 'j["model"]')" = xgboost
ok "reg-mae-xgb: every fold trains past its first rounds (XGBoost 1.x's absolute error stopped at 2-4)" \
	test "$(mjson reg-mae-xgb 'int(min(j["rounds"]) > 10)')" = 1 || diag "rounds: $(mjson reg-mae-xgb 'j["rounds"]')"
case_run reg-qwk ordinal "labels=0|1|2|3|4|5" --task regression --metric qwk
case_run custom binary proba --metric-file "$T/brier.py" --classes 0,1
ok "custom: the metric file's name and direction" \
	test "$(mjson custom '"%s %s" % (j["metric"], j["higher_is_better"])')" = "custom False"

# Same seed, same metrics (the timing aside) and the same submission; the
# data have a high-cardinality code, so the target encoding is covered.
cp "$T/bin-auc/output/metrics.json" "$T/first.json"
cp "$T/bin-auc/output/submission.csv" "$T/first.csv"
(cd "$T/bin-auc" && "$PY" code/train.py >/dev/null 2>&1 && "$PY" code/predict.py >/dev/null 2>&1)
ok "a second training run gives the same metrics" \
	test "$(json_get "$T/first.json" 'sorted((k, v) for k, v in j.items() if k != "seconds")')" = \
	"$(mjson bin-auc 'sorted((k, v) for k, v in j.items() if k != "seconds")')"
ok "... and the same submission" cmp -s "$T/first.csv" "$T/bin-auc/output/submission.csv"

# Without PyYAML the config cannot be read: a message says what to install.
(cd "$T/multi-logloss" && "$PY" -c 'import runpy, sys
sys.modules["yaml"] = None
sys.path.insert(0, "code")
runpy.run_path("code/train.py", run_name="__main__")' >"$T/noyaml.out" 2>&1)
ok "training without PyYAML fails" test $? -ne 0
expect_grep "needs PyYAML: pip install pyyaml" "$T/noyaml.out" "... with a message saying what to install"

# Small data stop early: the round limit follows the rows, and early
# stopping ends a fold once the validation loss stops improving.
case_run tiny tiny "labels=a|b|c" --task multiclass --metric accuracy
ok "tiny: max_rounds 2000, but 100 rounds or fewer in each of the 5 folds" \
	test "$(mjson tiny 'int(len(j["rounds"]) == 5 and max(j["rounds"]) <= 100)')" = 1 -a \
	"$(sed -n 's/^max_rounds: //p' "$T/tiny/code/config.yaml")" = 2000 ||
	diag "rounds $(mjson tiny 'j["rounds"]')"
case_run coin coin proba-any --classes 0,1
ok "coin: early stopping ends each fold before half the round limit" \
	test "$(mjson coin 'int(len(j["rounds"]) == 5 and max(j["rounds"]) < j["max_rounds"] / 2)')" = 1 ||
	diag "rounds $(mjson coin 'j["rounds"]'), limit $(mjson coin 'j.get("max_rounds")')"

# A high-cardinality code whose levels carry the target: each fold's target
# encoding learns them from its own training rows.
case_run shops shops float --task regression
ok "shops: the CV RMSE is far below the spread of the level effects (10)" \
	test "$(mjson shops 'int(j["cv_mean"] < 3)')" = 1 || diag "cv_mean $(mjson shops 'j["cv_mean"]')"

# Test data with levels that training never saw, missing dates and flags,
# and category values that look like numbers: every test row gets a
# prediction, with the boosting model and with the linear one.
case_run unseen unseen proba --classes 0,1
case_run unseen-linear unseen proba --classes 0,1 --family linear
ok "unseen: each column is used as its kind" "$PY" -c '
import pickle, sys
sys.path.insert(0, sys.argv[1] + "/code")
kinds = pickle.load(open(sys.argv[1] + "/output/model.pkl", "rb"))["kinds"]
want = {"numeric": ["x"], "bool": ["flag"], "date": ["when"], "category": ["color", "grade"],
        "highcard": ["shop"]}
sys.exit(kinds != want and "kinds %s" % kinds)' "$T/unseen"

# A budget already spent by the imports: one fold, one chunk of rounds.
case_run budget binary proba --budget 1 --classes 0,1
ok "budget: training stops after the first fold" \
	test "$(mjson budget '"%d %d" % (j["folds_completed"], j["folds_planned"])')" = "1 5"

# A wrong target column: a clear message in the traceback.
"$WB" --id row_id --target no_such_column "$D/binary/train.csv" "$D/binary/test.csv" \
	"$D/binary/sample.csv" "$T/bad" 2>/dev/null
(cd "$T/bad" && "$PY" code/train.py >"$T/bad.out" 2>&1)
ok "a missing target column fails training" test $? -ne 0
expect_grep "the target column 'no_such_column' is not in .*train.csv" "$T/bad.out" \
	"... with a message naming the column"

#!/bin/sh
# The demo competition: generated the same way every time, shaped as
# promised, and learnable by the offline baseline (CV AUC 0.75..0.90).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

PY=$AUTOKAGGLE_PYTHON
DEMO=$top_builddir/demo
AUTOKAGGLE_DATADIR=$top_srcdir/share
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
export AUTOKAGGLE_DATADIR OMP_NUM_THREADS OPENBLAS_NUM_THREADS MKL_NUM_THREADS PYTHONHASHSEED

plan 9

mkdir -p "$T/again"
"$top_builddir/tools/gen_demo" "$T/again"
same=0
for f in train.csv test.csv sample_submission.csv competition.json; do
	cmp -s "$DEMO/$f" "$T/again/$f" || { same=1; diag "$f differs"; }
done
ok "gen_demo writes the same four files on every run" test $same -eq 0

ok "competition.json has the Kaggle keys" \
	test "$(json_get "$DEMO/competition.json" '" ".join(k for k in ("ref", "title", "evaluationMetric", "deadline", "reward", "category", "description", "maxDailySubmissions") if k not in j) or j["evaluationMetric"]')" = \
	"Area Under Receiver Operating Characteristic Curve"

"$PY" -c 'import numpy, pandas, sklearn' 2>/dev/null || {
	skip 7 "$PY lacks numpy, pandas or scikit-learn"
	exit 0
}

"$PY" - "$DEMO" >"$T/shape.out" 2>&1 <<'EOF'
import sys
import pandas as pd

d = sys.argv[1]
tr = pd.read_csv(d + "/train.csv", dtype={"referral_code": str})
te = pd.read_csv(d + "/test.csv", dtype={"referral_code": str})
ss = pd.read_csv(d + "/sample_submission.csv")
problems = []
if len(tr) != 5000 or len(te) != 2000:
    problems.append("rows %d/%d" % (len(tr), len(te)))
ids = pd.concat([tr.customer_id, te.customer_id])
if not ids.is_unique or tr.customer_id.is_monotonic_increasing:
    problems.append("ids not unique or in order")
if not 0.25 <= tr.churned.mean() <= 0.35:
    problems.append("positive rate %.3f" % tr.churned.mean())
for col in ("monthly_charges", "total_charges", "data_usage_gb"):
    if not 0.04 <= tr[col].isna().mean() <= 0.10:
        problems.append("%s missing %.3f" % (col, tr[col].isna().mean()))
if tr.city.nunique() != 12 or tr.plan.nunique() != 3:
    problems.append("city/plan levels")
if tr.referral_code.nunique() < 500 or not tr.referral_code.str.match("0[0-9]{4}$").any():
    problems.append("referral_code is not a high-cardinality code with leading zeros")
if set(tr.autopay) != {True, False}:
    problems.append("autopay is not True/False")
if not tr.signup_date.str.fullmatch("20[12][0-9]-[01][0-9]-[0-3][0-9]").all():
    problems.append("signup_date is not YYYY-MM-DD")
if list(ss.columns) != ["customer_id", "churned"] or list(ss.customer_id) != list(te.customer_id) \
        or set(ss.churned) != {0.5}:
    problems.append("sample submission")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
ok "the demo data have the promised shape" test $? -eq 0 || diag_file "$T/shape.out"

R=$T/run
"$top_builddir/tests/templates/write_baseline" --target churned --id customer_id --classes 0,1 \
	--threads 1 "$DEMO/train.csv" "$DEMO/test.csv" "$DEMO/sample_submission.csv" "$R" \
	2>"$T/wb.err"
ok "the baseline is written for the demo" test $? -eq 0 || diag_file "$T/wb.err"
(cd "$R" && "$PY" code/train.py >"$T/train.out" 2>&1)
ok "train.py succeeds" test $? -eq 0 || diag_file "$T/train.out" 40
(cd "$R" && "$PY" code/predict.py >"$T/predict.out" 2>&1)
ok "predict.py succeeds" test $? -eq 0 || diag_file "$T/predict.out" 40
auc=$(json_get "$R/output/metrics.json" 'j["cv_mean"]')
diag "cv auc $auc"
ok "the CV AUC is between 0.75 and 0.90" \
	test "$(json_get "$R/output/metrics.json" 'int(j["metric"] == "auc" and 0.75 <= j["cv_mean"] <= 0.90)')" = 1
ok "the submission has the sample's header and ids in its order" "$PY" -c '
import sys, pandas as pd
s = pd.read_csv(sys.argv[1], dtype=str)
o = pd.read_csv(sys.argv[2], dtype=str)
sys.exit(list(s.columns) != list(o.columns) or list(s.customer_id) != list(o.customer_id))' \
	"$DEMO/sample_submission.csv" "$R/output/submission.csv"
ok "the submission holds churn probabilities" "$PY" -c '
import sys, pandas as pd
p = pd.read_csv(sys.argv[1]).churned
sys.exit(not (p.between(0, 1).all() and p.nunique() > 100))' "$R/output/submission.csv"

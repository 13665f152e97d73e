#!/bin/sh
# --sample N: before the full run, TRAIN runs the pipeline here on N rows of
# test and a stratified sample of train with two folds; a pipeline that
# breaks (a crash, an invalid submission) fails there, before the full run;
# the sample is an attempt of its own, and a rerun of the same code does not
# sample again.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 29

comp=$T/plants
sh "$top_srcdir/tests/fixtures/gen-competition.sh" multiclass "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp" --folds 2 --sample 30
id=$(field run "$T/stdout")
dir=$WS/$id
expect_grep '^\[train\] +sample run first: 30 rows of test, two folds, here' "$T/stdout" "TRAIN starts with the sample run"
expect_grep '^\[train\] +sample run: valid submission for 30 test rows .*; the full run starts' "$T/stdout" \
	"the sample's valid submission lets the full run start"
expect_grep '^\[train\] +done .*cv accuracy' "$T/stdout" "the full run trains"
expect_valid_submission "$dir"
ok "the sample's test has 30 rows" test "$(csv_rows "$dir/sample/data/test.csv")" = 30
ok "its submission has 30 rows" test "$(csv_rows "$dir/sample/output/submission.csv")" = 30
ok "its train keeps every class of the full train" test \
	"$(tail -n +2 "$dir/sample/data/train.csv" | awk -F, '{print $NF}' | sort -u | wc -l)" = \
	"$(tail -n +2 "$comp/train.csv" | awk -F, '{print $NF}' | sort -u | wc -l)"
ok "its config has two folds and reads its own data" \
	sh -c "grep -q '^folds: 2\$' '$dir/sample/code/config.yaml' && grep -q '^test: \".*/sample/data/test.csv\"' '$dir/sample/code/config.yaml'"
ok "the full run's config is untouched" grep -q '^folds: 2$' "$dir/code/config.yaml"
ok "the full submission has every test row" test "$(csv_rows "$dir/output/submission.csv")" = "$(csv_rows "$comp/test.csv")"
ak status "$id" --json >"$T/st.json"
ok "the sample is an attempt of TRAIN of its own" json_is "$T/st.json" \
	'[s["attempts"] for s in j["stages"] if s["name"] == "train"][0]' 2

# --- the same code again: no second sample ---
expect_exit 0 ak rerun "$id" train
expect_no_grep 'sample run first' "$T/stdout" "a rerun of the same code does not sample again"

# --- a crash in predict.py fails in the sample, before the full run ---
cp "$dir/code/predict.py" "$T/predict.py"
printf '\nraise RuntimeError("broken predict")\n' >>"$dir/code/predict.py"
rm -f "$dir/output/metrics.json"
expect_exit 1 ak rerun "$id" train
expect_grep 'train failed: the sample run failed \(code/predict.py\).*broken predict' "$T/stderr" \
	"the sample's crash is TRAIN's failure, with its exception"
ok "the full run never trained" test ! -e "$dir/output/metrics.json"

# --- a submission that misses rows fails in the sample ---
cp "$T/predict.py" "$dir/code/predict.py"
cat >>"$dir/code/predict.py" <<'EOF'

with open("output/submission.csv") as f:
    rows = f.readlines()
with open("output/submission.csv", "w") as f:
    f.writelines(rows[:-3])
EOF
expect_exit 1 ak rerun "$id" train
expect_grep 'the sample run failed \(its submission is not valid\)' "$T/stderr" "an invalid sample submission stops the run"
ok "the full run did not start" test ! -e "$dir/output/metrics.json"

# --- fixed: the sample passes again, then the full run ---
cp "$T/predict.py" "$dir/code/predict.py"
expect_exit 0 ak rerun "$id" train
expect_grep 'sample run: valid submission' "$T/stdout" "after the fix the sample passes"

# --- the option's range ---
expect_exit 2 ak rerun "$id" --sample 5
expect_grep 'sample.* 10 ' "$T/stderr" "a sample under 10 rows is refused, naming the option"
expect_exit 0 ak rerun "$id" train --sample none
expect_no_grep 'sample run first' "$T/stdout" "--sample none drops it"
done_testing

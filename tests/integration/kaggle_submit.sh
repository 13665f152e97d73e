#!/bin/sh
# submit against the fake Kaggle server: the pre-flight gate (validation of
# this very file, the daily limit, the same file or code again, notebooks
# only), the three-step upload without credentials on storage, --wait for
# the public score beside the CV, the record in the workspace and run.json,
# then submissions and leaderboard.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"

plan 31

# What Kaggle would say of it: its metric, and two submissions a day.
fake_kaggle_houses 2
fake_kaggle_start --data "$data"
fake_kaggle_use

expect_exit 0 ak run houses-fake --folds 2
id=$(field run "$T/stdout")
dir=$(run_dir "$id")
[ -n "$dir" ] && [ -s "$dir/output/submission.csv" ] || bail_out "the run made no submission"

# --- the first submission, waited for
expect_exit 0 ak submit "$id" -m "first try" --wait
cat "$T/stdout" "$T/stderr" >"$T/submit1.out"
expect_grep 'ok +VALIDATE passed for this file' "$T/submit1.out" "the gate shows the validation"
expect_grep 'ok +0 of 2 submissions used today' "$T/submit1.out" "and today's count against the limit"
expect_grep 'Successfully submitted to Houses Fake' "$T/submit1.out" "Kaggle's message is shown"
expect_grep '^public score: [0-9.]+ +local CV: [0-9.]+' "$T/submit1.out" "--wait prints the public score beside the CV"
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status lists the submission as scored" json_is "$T/status.json" \
	'[j["submissions"][0]["status"], j["submissions"][0]["public_score"] is not None]' '["complete", true]'
ok "with its message and the run's CV" json_is "$T/status.json" \
	'[j["submissions"][0]["message"], j["submissions"][0]["cv"] == j["run"]["cv_score"]]' '["first try", true]'
ok "run.json records it with its ref and hashes" json_is "$dir/run.json" \
	'[len(j["submissions"]), j["submissions"][0]["ref"] > 0, len(j["submissions"][0]["file_sha256"]), j["submissions"][0]["status"]]' \
	'[1, true, 64, "complete"]'
expect_exit 0 ak status "$id"
expect_grep '^[0-9T:Z-]+ +complete +[0-9.]+ +[0-9.]+ +first try' "$T/stdout" "status shows it as a line"
curl -s "$FAKE_URL/_fake/requests" >"$T/requests.json"
ok "the upload to storage carried no Kaggle credentials" \
	json_is "$T/requests.json" '[r["authorization"] for r in j if r["path"].startswith("/upload/")]' '[false]'

# --- the same file again is refused, and --force overrides it
expect_exit 1 ak submit "$id"
expect_grep 'FAIL +this very file was submitted at .* public score' "$T/stdout" "the same file is caught, with its score"
expect_grep 'not submitted: this very file' "$T/stderr" "and the refusal says why"
expect_exit 0 ak submit "$id" --force -m "again"
expect_grep '^--force: submitting anyway' "$T/stdout" "--force goes past the gate"
expect_grep 'not scored yet' "$T/stdout" "without --wait the score is left for later"

# --- Kaggle's list of them
run ak submissions houses-fake --json
ok "submissions lists what was sent, newest first" json_is "$T/stdout" '[s["description"] for s in j][:2]' \
	'["again", "first try"]'

# --- a changed file is refused even with --force
printf '999999,1\n' >>"$dir/output/submission.csv"
expect_exit 3 ak submit "$id" --force
expect_grep 'VALIDATE has not passed' "$T/stderr" "a file changed since VALIDATE is refused"
# --- the daily limit (2 here) is reached
expect_exit 0 ak rerun "$id" predict
expect_exit 1 ak submit "$id"
expect_grep 'FAIL +2 of 2 submissions used today: the limit is reached' "$T/stdout" "the daily limit refuses"

# --- a run of a local directory has nothing to submit to
expect_exit 0 ak run "$data/houses-fake" --folds 2
expect_exit 3 ak submit last
expect_grep 'local directory' "$T/stderr" "a local run is refused with the reason"

# --- notebooks-only competitions refuse a CSV early
"$AUTOKAGGLE_PYTHON" - "$dir/run.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
j["source"]["slug"] = "kernels-fake"
json.dump(j, open(sys.argv[1], "w"))
EOF
expect_exit 3 ak submit "$id" --force
expect_grep 'notebooks only' "$T/stderr" "a kernels-only competition is refused"

# --- leaderboard
expect_exit 0 ak leaderboard houses-fake --top 3
expect_grep '^ +1 ' "$T/stdout" "the leaderboard starts at rank 1"
done_testing

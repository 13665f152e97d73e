#!/bin/sh
# Bad input of several kinds: each ends in a clear message and the right
# exit code, and nothing already on disk is lost or changed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 14

comp=$T/comp
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
( cd "$comp" && cksum train.csv test.csv sample_submission.csv ) >"$T/before"

# competition.json that is not JSON: META fails and says where.
printf '{"title": "broken",\n' >"$comp/competition.json"
expect_exit 1 ak run "$comp"
cat "$T/stdout" "$T/stderr" >"$T/out"
expect_grep '^\[meta\] +failed: .*competition\.json is not valid JSON' "$T/out" "META names the broken competition.json"
expect_no_grep 'see .*/logs/meta\.log' "$T/out" "no pointer to a log that does not exist"
id=$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/out")
run ak status "$id" --json
ok "status --json: meta failed, nothing after it ran" \
	json_is "$T/stdout" '" ".join(s["status"] for s in j["stages"])' "failed idle idle idle idle idle idle idle" ||
	diag_file "$T/stdout" 40

# Fixed by hand: rerun without a stage takes the run on from META.
printf '{"title": "mended", "evaluationMetric": "Mean Absolute Error"}\n' >"$comp/competition.json"
expect_exit 0 ak rerun "$id"
expect_grep '\(regression, target price, id id, metric mae\)' "$T/stdout" "the mended competition.json is read (metric mae)"

# Supervisor diagnostics (sanitizer reports, crashes) would land here.
dir=$(run_dir "$id")
ok "the supervisor wrote no diagnostics" test ! -s "$dir/logs/supervisor.log" ||
	diag_file "$dir/logs/supervisor.log" 20

# A directory without a sample submission: refused before a run is made.
mkdir "$T/nosample"
cp "$comp/train.csv" "$comp/test.csv" "$T/nosample/"
expect_exit 3 ak run "$T/nosample"
expect_grep 'has no readable sample_submission\.csv' "$T/stderr" "the missing sample submission is named"

# A metric that does not fit the task.
expect_exit 1 ak run "$comp" --metric auc
cat "$T/stdout" "$T/stderr" >"$T/out"
expect_grep 'metric auc does not fit a regression task' "$T/out" "a metric that does not fit the task is refused with the reason"

# A header-only train.csv: the run fails with a message, nothing crashes.
mkdir "$T/empty"
head -n 1 "$comp/train.csv" >"$T/empty/train.csv"
cp "$comp/test.csv" "$comp/sample_submission.csv" "$T/empty/"
run ak run "$T/empty"
ok "a train.csv without rows fails the run (exit 1)" test "$rc" -eq 1 || diag_file "$T/stderr" 20
cat "$T/stdout" "$T/stderr" >"$T/out"
expect_grep '\[profile\] +failed: .*train\.csv has a header but no data rows' "$T/out" "the failing stage says why"

( cd "$comp" && cksum train.csv test.csv sample_submission.csv ) >"$T/after"
ok "the competition's data files are untouched" cmp -s "$T/before" "$T/after"

done_testing

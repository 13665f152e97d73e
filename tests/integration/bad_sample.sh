#!/bin/sh
# A sample submission whose ids are not the test ids: VALIDATE fails,
# and the message names the ids on both sides.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 9

comp=$T/bad
sh "$top_srcdir/tests/fixtures/gen-competition.sh" bad-sample "$comp" || bail_out "fixture generator failed"

expect_exit 1 ak run "$comp"
cat "$T/stdout" "$T/stderr" >"$T/run.out"
expect_grep '^\[validate\] +failed' "$T/run.out" "[validate] failed is printed"
expect_grep 'sample_submission\.csv ids differ from test\.csv' "$T/run.out" "the failure says the sample's ids differ from test's"
expect_grep '12 ids of the sample are not in test \(first: 5001\)' "$T/run.out" "it names the sample ids missing from test"
expect_grep '12 ids of test are not in the sample \(first: 1289\)' "$T/run.out" "it names the test ids missing from the sample"
id=$(sed -n 's/^run \([^ :]*\): .*/\1/p' "$T/run.out" | head -n 1)
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status --json: validate failed, the run failed" \
	json_is "$T/status.json" '"%s %s" % ([s["status"] for s in j["stages"] if s["name"] == "validate"][0], j["run"]["status"])' "failed failed" || diag_file "$T/status.json" 80
ok "status --json: validate's message names the ids" \
	json_is "$T/status.json" '"5001" in [s["message"] for s in j["stages"] if s["name"] == "validate"][0]' true
dir=$(run_dir "$id")
ok "validation.json says not ok, sample_vs_test_ids failed" \
	json_is "$dir/output/validation.json" '"%s %s" % (j["ok"], [c["ok"] for c in j["checks"] if c["name"] == "sample_vs_test_ids"])' "False [False]" || diag_file "$dir/output/validation.json" 40
run ak status "$id"
cat "$T/stdout" "$T/stderr" >"$T/status.out"
expect_grep 'validate.*failed|failed.*validate' "$T/status.out" "status shows validate failed"

done_testing

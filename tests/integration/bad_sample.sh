#!/bin/sh
# A sample submission whose ids are not the test ids: no submission can
# match it, so PROFILE fails before ENV and TRAIN spend minutes, and the
# message names the ids on both sides, with their lines.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 8

comp=$T/bad
sh "$top_srcdir/tests/fixtures/gen-competition.sh" bad-sample "$comp" || bail_out "fixture generator failed"

expect_exit 1 ak run "$comp"
cat "$T/stdout" "$T/stderr" >"$T/run.out"
expect_grep '^\[profile\] +failed' "$T/run.out" "[profile] failed is printed"
expect_grep 'sample_submission\.csv ids differ from test\.csv' "$T/run.out" "the failure says the sample's ids differ from test's"
expect_grep '12 ids of the sample are not in test \(first: 5001, line 290 of sample_submission\.csv\)' "$T/run.out" \
	"it names the first sample id missing from test and its line"
expect_grep '12 ids of test are not in the sample \(first: 1289, line 290 of test\.csv\)' "$T/run.out" \
	"it names the first test id missing from the sample and its line"
id=$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/run.out")
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status --json: profile failed, nothing after it ran" \
	json_is "$T/status.json" '" ".join(s["status"] for s in j["stages"])' "done done failed idle idle idle idle idle" ||
	diag_file "$T/status.json" 80
ok "status --json: profile's message names the ids" \
	json_is "$T/status.json" '"5001" in [s["message"] for s in j["stages"] if s["name"] == "profile"][0]' true
run ak status "$id"
cat "$T/stdout" "$T/stderr" >"$T/status.out"
expect_grep 'profile.*failed|failed.*profile' "$T/status.out" "status shows profile failed"

done_testing

#!/bin/sh
# Run options override what autokaggle infers: --target, --id and
# --metric show in the header line, the cv score and status.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 7

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp" --target price --id id --metric mae --folds 2
cp "$T/stdout" "$T/run.out"
expect_grep '^run [^ ]+: .+ \(regression, target price, id id, metric mae\)$' "$T/run.out" \
	"the header line shows --target, --id and --metric"
expect_grep '^cv score: +[0-9.]+ \(mae, lower is better\)$' "$T/run.out" "the cv score is the overriding metric's"
id=$(field run "$T/run.out")
run ak status "$id" --json
ok "status --json: metric mae" json_is "$T/stdout" 'j["run"]["metric"]' mae
dir=$(run_dir "$id")
ok "run.json records the options" \
	json_is "$dir/run.json" '"%s %s" % (j["options"]["metric"], j["options"]["folds"])' "mae 2" ||
	diag_file "$dir/run.json" 60

# A metric it cannot compute fails, naming the metric.
run ak run "$comp" --metric no-such-metric --folds 2
ok "an unknown --metric fails" test "$rc" -ne 0 || diag "exited with $rc"
cat "$T/stdout" "$T/stderr" >"$T/bad-metric.out"
expect_grep 'no-such-metric' "$T/bad-metric.out" "the failure names the unknown metric"

done_testing

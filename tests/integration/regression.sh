#!/bin/sh
# A regression competition with RMSE in competition.json.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 12

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp"
cp "$T/stdout" "$T/run.out"
expect_grep '^run [^ ]+: .+ \(regression, target price, id id, metric rmse\)$' "$T/run.out" \
	"the header line: regression, target price, id id, metric rmse"
expect_grep '^\[train\] +done in [0-9.]+s \(cv rmse [0-9.]+' "$T/run.out" "train's done line shows the cv rmse"
expect_grep '^cv score: +[0-9.]+ \(rmse, lower is better\)$' "$T/run.out" "the cv score line"
# Prices spread about 80 around their mean; a fitted model does far better.
cv=$(field 'cv score' "$T/run.out" | cut -d' ' -f1)
ok "the cv rmse is that of a model that learned (< 40)" awk -v v="$cv" 'BEGIN { exit !(v > 0 && v < 40) }' ||
	diag "cv score: '$cv'"

id=$(field run "$T/run.out")
dir=$(run_dir "$id")
sub=$dir/output/submission.csv
expect_valid_submission "$dir"
ok "every prediction is a number" \
	awk -F, 'NR > 1 && $2 !~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?\r?$/ { bad++ } END { exit bad > 0 || NR < 2 }' "$sub" ||
	diag_file "$sub" 5
ok "the predictions vary" test "$(cut -d, -f2 "$sub" | sed 1d | sort -u | wc -l)" -gt 10
run ak status "$id" --json
ok "status --json: regression, metric rmse, done, with a cv score" \
	json_is "$T/stdout" '"%s %s %s %s" % (j["run"]["task"], j["run"]["metric"], j["run"]["status"], type(j["run"]["cv_score"]) in (int, float))' "regression rmse done True" || diag_file "$T/stdout" 20

done_testing

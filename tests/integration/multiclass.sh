#!/bin/sh
# A multiclass competition whose target is text (plant species): the
# submission must hold the class names as written in train.csv.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 13

comp=$T/plants
sh "$top_srcdir/tests/fixtures/gen-competition.sh" multiclass "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp"
cp "$T/stdout" "$T/run.out"
expect_grep '^run [^ ]+: .+ \(multiclass, target species, id plant_id, metric accuracy\)$' "$T/run.out" \
	"the header line: multiclass, target species, id plant_id, metric accuracy"
expect_grep '^cv score: +[0-9.]+ \(accuracy, higher is better\)$' "$T/run.out" "the cv score line"
cv=$(field 'cv score' "$T/run.out" | cut -d' ' -f1)
ok "the cv accuracy is that of a model that learned (> 0.7)" awk -v v="$cv" 'BEGIN { exit !(v > 0.7 && v <= 1) }' ||
	diag "cv score: '$cv'"

id=$(field run "$T/run.out")
dir=$(run_dir "$id")
sub=$dir/output/submission.csv
expect_valid_submission "$dir"
ok "every prediction is a species name" \
	awk -F, 'NR > 1 && $2 !~ /^(setosa|versicolor|virginica)$/ { bad++ } END { exit bad > 0 || NR < 2 }' "$sub" ||
	diag_file "$sub" 5
ok "the ids are the test ids, in order" \
	test "$(cut -d, -f1 "$sub" | sed 1d | tr -d '\r')" = "$(cut -d, -f1 "$comp/test.csv" | sed 1d)"
ok "more than one class is predicted" test "$(cut -d, -f2 "$sub" | sed 1d | sort -u | wc -l)" -gt 1
ok "validation.json checked the labels" \
	json_is "$dir/output/validation.json" '[c["ok"] for c in j["checks"] if c["name"] == "labels"]' '[true]' ||
	diag_file "$dir/output/validation.json" 80
run ak status "$id" --json
ok "status --json: multiclass, target species, done" \
	json_is "$T/stdout" 'j["run"]["task"] + " " + j["run"]["target"] + " " + j["run"]["status"]' "multiclass species done" || diag_file "$T/stdout" 20

done_testing

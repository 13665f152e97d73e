#!/bin/sh
# An evaluationMetric autokaggle does not know falls back to the task's
# default metric, visibly: a warning naming both, recorded in run.json's
# task with where the metric came from. The runs stop at ENV (the
# interpreter is /bin/false): only PROFILE's outcome matters here.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 9

comp=$T/churn
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
# A binary target, so the fallback is auc.
awk -F, 'BEGIN { OFS = "," } NR > 1 { $NF = ($NF > 150) } { print }' "$comp/train.csv" >"$T/train.csv"
mv "$T/train.csv" "$comp/train.csv"
printf '{"title": "Weird", "evaluationMetric": "Some Weird Metric Nobody Knows"}\n' >"$comp/competition.json"

# task_of ARGS...: runs to ENV, leaves the output in $T/out and run.json's path in $runjson.
task_of() {
	run ak run "$comp" --python /bin/false "$@"
	cat "$T/stdout" "$T/stderr" >"$T/out"
	runjson=$(run_dir "$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/out")")/run.json
}

task_of
expect_grep '^\[profile\] +warning: competition\.json.s evaluationMetric "Some Weird Metric Nobody Knows" is not a metric autokaggle knows: scoring with auc, the default for a binary task' \
	"$T/out" "the unknown metric and the fallback are named in a warning"
expect_grep '^\[profile\] +done .*metric auc\)' "$T/out" "PROFILE goes on with auc"
ok "run.json: the metric is the default" json_is "$runjson" '"%s %s" % (j["task"]["metric"], j["task"]["metric_source"])' "auc default" ||
	diag_file "$runjson" 60
ok "run.json: the warning names the unknown metric" \
	json_is "$runjson" '"Some Weird Metric Nobody Knows" in j["task"]["metric_warning"]' true

# A metric it knows: no warning, the source is the competition.
printf '{"title": "Known", "evaluationMetric": "Log Loss"}\n' >"$comp/competition.json"
task_of
expect_no_grep 'warning: competition' "$T/out" "a known metric gives no warning"
ok "run.json: logloss from the competition" \
	json_is "$runjson" '"%s %s %s" % (j["task"]["metric"], j["task"]["metric_source"], "metric_warning" in j["task"])' \
	"logloss competition False"

# --metric wins over competition.json.
task_of --metric accuracy
ok "run.json: accuracy from the option" \
	json_is "$runjson" '"%s %s" % (j["task"]["metric"], j["task"]["metric_source"])' "accuracy option"

# No evaluationMetric at all: the default, silently.
printf '{"title": "Plain"}\n' >"$comp/competition.json"
task_of
expect_no_grep 'warning: competition' "$T/out" "no metric named: no warning"
ok "run.json: the default metric" json_is "$runjson" '"%s %s" % (j["task"]["metric"], j["task"]["metric_source"])' "auc default"

done_testing

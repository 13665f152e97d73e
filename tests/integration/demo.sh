#!/bin/sh
# The bundled demo through every stage, then what a finished run offers:
# the headless summary, the submission, run.json, status, list and logs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

stages="meta data profile code env train predict validate"
plan 35

expect_exit 0 ak demo
cp "$T/stdout" "$T/demo.out"
cp "$T/stderr" "$T/demo.err"
missing=
for s in $stages; do
	grep -Eq "^\[$s\] +started" "$T/demo.out" || missing="$missing $s:started"
	grep -Eq "^\[$s\] +done in [0-9.]+s" "$T/demo.out" || missing="$missing $s:done"
done
ok "every stage prints 'started' and 'done in Ns'" test -z "$missing" || {
	diag "missing:$missing"
	diag_file "$T/demo.out" 40
}
expect_grep '^run [0-9]{8}-[0-9]{6}-[a-z0-9-]+: .+ \(binary, target [^ ,]+, id [^ ,]+, metric auc\)$' "$T/demo.out" \
	"the header line names the run, task, target, id and metric"
expect_grep '^\[train\] +done in [0-9.]+s \(cv auc [0-9.]+' "$T/demo.out" "train's done line shows the cv auc"
expect_grep '^cv score: +[0-9.]+ \(auc, higher is better\)$' "$T/demo.out" "the cv score line"

id=$(field run "$T/demo.out")
sub=$(field submission "$T/demo.out")
ok "the run: line holds the run id" like "$id" '^[0-9]{8}-[0-9]{6}-[a-z0-9-]+$' || diag "run: '$id'"
ok "the header line and the run: line agree" grep -q "^run $id: " "$T/demo.out"
ok "the submission: line is the run's absolute output/submission.csv" \
	like "$sub" "^/.*/$id/output/submission\.csv$" || diag "submission: '$sub'"
dir=$(run_dir "$id")
ok "status --json gives the run directory" test -d "$dir" || diag "dir: '$dir'"
ok "the printed submission is in the run directory" test "$sub" -ef "$dir/output/submission.csv"
expect_valid_submission "$dir"

# run.json: tool version, provider, model, seed, constraints, data hashes, stage timings.
ok "run.json has version, provider, model, seed, constraints, data, stages, task" \
	json_is "$dir/run.json" '" ".join(k for k in ("version", "provider", "model", "seed", "constraints", "data", "stages", "task") if k not in j)' ""
ok "run.json's task: binary, target churned, id customer_id, metric auc" \
	json_is "$dir/run.json" '"%s %s %s %s" % (j["task"]["type"], j["task"]["target"], j["task"]["id"], j["task"]["metric"])' "binary churned customer_id auc"
ok "run.json has each data file's sha256" \
	json_is "$dir/run.json" 'sum(len(f.get("sha256", "")) == 64 for f in j["data"].values())' 3
ok "run.json has each stage's timing" \
	json_is "$dir/run.json" '"".join(sorted(set(str("wall_s" in s) for s in (j["stages"].values() if isinstance(j["stages"], dict) else j["stages"]))))' True

expect_exit 0 ak status --json
cp "$T/stdout" "$T/status.json"
ok "status --json: the newest run is this one" json_is "$T/status.json" 'j["run"]["id"]' "$id"
ok "status --json: the run is done" json_is "$T/status.json" 'j["run"]["status"]' done
ok "status --json: every stage is done" \
	json_is "$T/status.json" '" ".join(s["name"] + ":" + s["status"] for s in j["stages"] if s["name"] != "submit" and s["status"] != "done")' "" ||
	diag_file "$T/status.json" 80
ok "status --json: the submission path" test "$(json_get "$T/status.json" 'j["submission"]')" -ef "$sub"
ok "status --json: the documented run keys" \
	json_is "$T/status.json" '" ".join(k for k in ("id", "dir", "source", "title", "task", "target", "id_column", "metric", "status", "created", "updated", "cv_score") if k not in j["run"])' ""
expect_exit 0 ak status "$id"
ok "status RUN says the run is done" test -n "$id" -a -n "$(grep -E "$id.*done" "$T/stdout")" || diag_file "$T/stdout"
run ak status last --json
ok "status last is the run" json_is "$T/stdout" 'j["run"]["id"]' "$id"
run ak status "$(echo "$id" | cut -c1-11)" --json
ok "status takes a unique prefix of a run id" json_is "$T/stdout" 'j["run"]["id"]' "$id"

expect_exit 0 ak list
expect_grep "$id" "$T/stdout" "list shows the run"
run ak list --json
ok "list --json: the run, done" json_is "$T/stdout" '[r["status"] for r in j if r["id"] == "'"$id"'"]' '["done"]' ||
	diag_file "$T/stdout"

expect_exit 0 ak logs "$id" train
ok "logs RUN train prints logs/train.log" cmp -s "$T/stdout" "$dir/logs/train.log" || {
	diag_file "$T/stdout" 10
	diag_file "$dir/logs/train.log" 10
}
expect_exit 0 ak logs "$id"
expect_exit 3 ak logs "$id" nosuchstage

done_testing

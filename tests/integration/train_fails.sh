#!/bin/sh
# A training script that raises: rerun of TRAIN exits 1, its log keeps the
# traceback, status says failed; once the script is fixed, rerun finishes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 14

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
dir=$(run_dir "$id")
train=$dir/code/train.py
ok "the finished run has code/train.py" test -s "$train" || bail_out "no $train"

# The raise goes first, or after the last __future__ import (which must
# stay at the top of the file).
cp "$train" "$T/train.py.orig"
after=$(grep -n '^from __future__ import' "$T/train.py.orig" | tail -n 1 | cut -d: -f1)
awk -v after="${after:-0}" '
	NR == 1 && after == 0 { print "raise RuntimeError(\"boom\")" }
	{ print }
	NR == after { print "raise RuntimeError(\"boom\")" }
' "$T/train.py.orig" >"$train"
ok "code/train.py now raises" grep -q 'RuntimeError("boom")' "$train"

expect_exit 1 ak rerun "$id" train
cat "$T/stdout" "$T/stderr" >"$T/rerun.out"
expect_grep '^\[train\] +failed: .*logs/train\.log' "$T/rerun.out" "the failure line names logs/train.log"
expect_grep 'boom' "$T/stderr" "the last lines of the log go to stderr"
expect_grep '^Traceback' "$dir/logs/train.log" "logs/train.log holds the traceback"
expect_grep 'RuntimeError: boom' "$dir/logs/train.log" "logs/train.log holds the exception"
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status --json: train failed, the run failed" \
	json_is "$T/status.json" '"%s %s" % ([s["status"] for s in j["stages"] if s["name"] == "train"][0], j["run"]["status"])' "failed failed" || diag_file "$T/status.json" 80
run ak status "$id"
expect_grep 'train.*failed' "$T/stdout" "status shows train failed"
run ak logs "$id" train
expect_grep 'RuntimeError: boom' "$T/stdout" "logs RUN train shows the exception"

cp "$T/train.py.orig" "$train"
expect_exit 0 ak rerun "$id"
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "after the fix: the run is done" json_is "$T/status.json" 'j["run"]["status"]' done
ok "after the fix: every stage is done" \
	json_is "$T/status.json" '" ".join(s["name"] + ":" + s["status"] for s in j["stages"] if s["name"] != "submit" and s["status"] != "done")' "" ||
	diag_file "$T/status.json" 80

done_testing

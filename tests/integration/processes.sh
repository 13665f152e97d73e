#!/bin/sh
# Every process a stage starts ends with the stage: on cancel from another
# shell, and after a supervisor killed with SIGKILL, by the next cancel or
# rerun. A train.py starts `sleep` children, one of them in a session of
# its own (setsid -f), then sleeps.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 22

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
dir=$WS/$id
train=$dir/code/train.py
cp "$train" "$T/train.py.orig"
tag=$$
after=$(grep -n '^from __future__ import' "$T/train.py.orig" | tail -n 1 | cut -d: -f1)
awk -v after="${after:-0}" -v tag="$tag" '
	function hang() {
		print "import subprocess, time"
		print "subprocess.Popen([\"sleep\", \"333" tag "\"])"
		print "subprocess.Popen([\"setsid\", \"-f\", \"sleep\", \"334" tag "\"])"
		print "print(\"children started\", flush=True)"
		print "time.sleep(600)"
	}
	NR == 1 && after == 0 { hang() }
	{ print }
	NR == after { hang() }
' "$T/train.py.orig" >"$train"

alive() { pgrep -f "^sleep $1$tag\$" >/dev/null; }
supervisor() { pgrep -f "__supervise .* $id( |\$)"; }
children_started() { grep -q 'children started' "$dir/logs/train.log" && alive 333 && alive 334; }
stage_is() {
	ak status "$id" --json >"$T/poll.json" 2>/dev/null &&
		json_is "$T/poll.json" '[s["status"] for s in j["stages"] if s["name"] == "'"$1"'"][0]' "$2"
}
run_is() {
	ak status "$id" --json >"$T/poll.json" 2>/dev/null && json_is "$T/poll.json" 'j["run"]["status"]' "$1"
}
gone() { ! alive 333 && ! alive 334; }

# --- cancel from another shell while the supervisor drives the run ---
expect_exit 0 ak rerun "$id" train --detach
ok "train started its children" wait_until 120 children_started || diag_file "$dir/logs/train.log"
expect_exit 0 ak cancel "$id"
expect_grep "run $id cancelled" "$T/stdout" "cancel reports the run cancelled"
ok "every process of the stage is gone, the one in its own session too" wait_until 10 gone
ok "train is cancelled" stage_is train cancelled || diag_file "$T/poll.json" 40
ok "the run is cancelled" run_is cancelled

# --- the supervisor killed with SIGKILL, then cancel ---
expect_exit 0 ak rerun "$id" train --detach
ok "train started its children again" wait_until 120 children_started
sup=$(supervisor)
ok "the supervisor is found" test -n "$sup"
kill -9 $sup
ok "the supervisor is gone" wait_until 10 sh -c "! kill -0 $sup 2>/dev/null"
ok "a child of the stage outlived it, as far as it goes" alive 333
expect_exit 0 ak cancel "$id"
expect_grep "nobody was driving it" "$T/stdout" "cancel says nobody drove the run"
ok "cancel ended what the dead supervisor left" wait_until 10 sh -c "! pgrep -f '^sleep 333$tag\$' >/dev/null"
ok "train is cancelled after the cleanup" stage_is train cancelled || diag_file "$T/poll.json" 40
pkill -f "^sleep 334$tag\$"

# --- the supervisor killed with SIGKILL, then rerun ---
cp "$T/train.py.orig" "$train.fixed"
expect_exit 0 ak rerun "$id" train --detach
ok "train started its children a third time" wait_until 120 children_started
kill -9 "$(supervisor)"
pkill -f "^sleep 334$tag\$"
mv "$train.fixed" "$train"
expect_exit 0 ak rerun "$id"
ok "rerun first ended what the dead supervisor left" sh -c "! pgrep -f '^sleep 333$tag\$' >/dev/null"
ok "and then finished the run" run_is done || diag_file "$T/poll.json" 40

done_testing

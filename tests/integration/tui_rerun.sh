#!/bin/sh
# The workbench's keys on a run: e edits code/train.py in $EDITOR (a
# script here), which makes TRAIN stale; r re-runs it (failing, then
# fixed); R picks a stage to re-run from; g writes the code again. Each
# step waits for the status line's "run ID failed|done", said when the
# run's supervisor stops.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"

plan 13

demo_run


steps <<EOF2
:wait 1 competition
4
[
:wait train.py
e
:wait code/train.py edited
r
:wait run $id failed
:dump $T/failed.txt
e
:wait code/train.py edited
r
:wait run $id done
:dump $T/fixed.txt
R
:wait re-run from
<Down> <Down>
:dump $T/pick.txt
<Enter>
:wait re-running validate
:wait run $id done
:dump $T/validated.txt
g
:wait re-running code
:wait run $id done
:dump $T/regenerated.txt
EOF2
EDITOR="$top_srcdir/tests/fixtures/raise-editor.sh" tui tui "$id"
ok "the TUI ran the script and exited 0" test "$rc" -eq 0
expect_grep '!train' "$T/failed.txt" "the edit that raises makes r re-run TRAIN, which fails (marked !)"
expect_grep 'RuntimeError|exited with status 1|failed' "$T/failed.txt" "the status line says why"
expect_grep '\+train [0-9]+s \+predict .*\+validate .*\| done' "$T/fixed.txt" "the edit that fixes it, then r: the run is done again"
expect_grep '│ > validate +done' "$T/pick.txt" "R lists the stages to re-run from; Down moves the choice"
expect_grep '\| done' "$T/validated.txt" "the picked stage re-ran and the run is done"
ok "train ran at least three times (demo, failing (and any repair), fixed)" json_is_now "$id" \
	'[s["attempts"] for s in j["stages"] if s["name"] == "train"][0] >= 3' true
ok "validate ran four times (demo, after train, picked, after g)" json_is_now "$id" \
	'[s["attempts"] for s in j["stages"] if s["name"] == "validate"][0]' 4
ok "the run is done" json_is_now "$id" 'j["run"]["status"]' done
expect_no_grep 'edited by the test' "$dir/code/train.py" "the second edit took the raise out"
expect_grep '\+code .*\| done' "$T/regenerated.txt" "g wrote the code again and the run is done"
ok "code ran twice (demo, g)" json_is_now "$id" '[s["attempts"] for s in j["stages"] if s["name"] == "code"][0]' 2

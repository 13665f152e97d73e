#!/bin/sh
# s in the workbench against the fake Kaggle server: the pre-flight checks
# (today's count and what is left) in a popup with the file and the CV,
# n keeps the submission, y sends it without blocking the screen, and the
# status line ends with the public score; the competition pane counts it;
# q while it submits asks first, and the submission goes on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"
unset TMUX STY DISPLAY WAYLAND_DISPLAY

plan 13

fake_kaggle_houses 3
fake_kaggle_start --data "$data"
fake_kaggle_use

expect_exit 0 ak run houses-fake --folds 2
id=$(field run "$T/stdout")

steps <<EOF2
:wait 1 competition
s
:wait Submit it? (y/n)
:dump $T/ask.txt
n
:wait not submitted
s
:wait Submit it? (y/n)
y
:wait submitting
:dump $T/sending.txt
:wait submitted: public score
:dump $T/scored.txt
:wait 1 of 3 today
:dump $T/counted.txt
EOF2
tui tui "$id"
ok "the TUI submitted and exited 0" test "$rc" -eq 0
expect_grep 'file +output/submission\.csv \(run [0-9]+-[0-9]+-houses-fake\)' "$T/ask.txt" "the popup shows the file"
expect_grep 'CV +[0-9.]+' "$T/ask.txt" "... the CV"
expect_grep 'ok +0 of 3 submissions used today, 3 left' "$T/ask.txt" "... and Kaggle's count for today, with what is left"
expect_grep '^(submitting|Successfully|waiting)' "$T/sending.txt" "y closes the popup and the screen goes on while it submits"
expect_grep '^submitted: public score: [0-9.]+ +local CV: [0-9.]+' "$T/scored.txt" "the status line ends with the public score"
expect_grep '^ submissions +1 of 3 today, 2 left' "$T/counted.txt" "the competition pane counts it"
run ak status "$id" --json
ok "one submission is recorded (n sent nothing), scored" json_is "$T/stdout" \
	'[len(j["submissions"]), j["submissions"][0]["status"]]' '[1, "complete"]'

# The gate refuses the same file again: the popup says why.
steps <<EOF2
:wait 1 competition
s
:wait not submitted (Esc closes
:dump $T/refused.txt
<Esc>
EOF2
tui tui "$id"
expect_grep 'FAIL +this very file was submitted' "$T/refused.txt" "the same file again is refused in the popup, with the reason"

# q while a (slow) submission is under way: asked first, told it goes on;
# it does, and status shows its score. A workspace of its own: the gate
# would refuse a CV worse than the one submitted above.
WS=$T/ws-slow
expect_exit 0 ak run houses-fake --folds 3
id2=$(field run "$T/stdout")
curl -s -o /dev/null -H 'Content-Type: application/json' \
	--data-binary '[{"method":"CreateSubmission","delay_ms":3000,"times":1}]' "$FAKE_URL/_fake/faults"
steps <<EOF2
:wait 1 competition
s
:wait Submit it? (y/n)
y
:wait submitting
q
:wait submission is under way
:dump $T/quit-sending.txt
y
EOF2
tui tui "$id2"
expect_grep 'A submission is under way\. It goes on after you quit' "$T/quit-sending.txt" \
	"q while submitting asks first, saying the submission goes on"
submitted() { ak status "$id2" >"$T/st2.txt" 2>&1 && grep -Eq '^[0-9].* complete +[0-9.]+ +[0-9.]+' "$T/st2.txt"; }
ok "... it does: status shows it scored" wait_until 60 submitted || diag_file "$T/st2.txt"

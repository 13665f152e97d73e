#!/bin/sh
# The output pane over a TRAIN (stderr on a pty) that draws a progress bar with
# carriage returns: it follows the bar as one line, pauses when scrolled up and
# follows again on F, searches with /; x cancels the stage; q during TRAIN
# asks, says the stage keeps running, and a TUI opened again follows it to
# the end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"

plan 19

demo_run

# TRAIN draws a bar for a few seconds, then trains as before.
mv "$dir/code/train.py" "$dir/code/train_real.py"
cat >"$dir/code/train.py" <<'EOF2'
import runpy, sys, time
print("stdout is a terminal: %s, stderr is a terminal: %s" % (sys.stdout.isatty(), sys.stderr.isatty()))
for i in range(1, 41):
    sys.stdout.write("\rprogress %2d/40 [%-40s]" % (i, "#" * i))
    sys.stdout.flush()
    time.sleep(0.15)
print("\nbar done")
runpy.run_path("code/train_real.py", run_name="__main__")
EOF2

steps <<EOF2
:wait 1 competition
R
<Enter>
5
:wait progress
:dump $T/bar.txt
<Up> <Up>
:wait paused
:dump $T/paused.txt
F
:wait following
/
:type ==> train
<Enter>
:wait /==> train
:dump $T/search.txt
F
x
:wait run $id cancelled
:dump $T/cancelled.txt
EOF2
tui tui "$id"
ok "the TUI ran the script and exited 0" test "$rc" -eq 0
expect_grep '^train \(running\) +following' "$T/bar.txt" "the output pane follows the running TRAIN"
ok "the carriage-return bar is one line on the screen" test "$(grep -c 'progress' "$T/bar.txt")" -eq 1 || diag_file "$T/bar.txt" 30
expect_grep '^progress +[0-9]+/40 \[#+ *\]' "$T/bar.txt" "... drawn as the terminal would"
expect_grep '^stdout is a terminal: False, stderr is a terminal: True' "$T/bar.txt" "TRAIN's stderr is a pty, its stdout a pipe"
expect_grep 'paused, [0-9]+ new lines?: F or End follows' "$T/paused.txt" "scrolling up pauses following"
expect_grep '/==> train' "$T/search.txt" "/ searches the output"
expect_grep '^==> train started at' "$T/search.txt" "... and shows the match"
expect_grep '[-]train' "$T/cancelled.txt" "x cancels TRAIN (marked -)"
ok "status: train cancelled" json_is_now "$id" '[s["status"] for s in j["stages"] if s["name"] == "train"][0]' cancelled

# Quit while TRAIN runs: asked, told it keeps running; it does.
steps <<EOF2
:wait 1 competition
R
<Enter>
:wait *train
5
:wait progress
q
:wait keeps running
:dump $T/quit.txt
y
EOF2
tui tui "$id"
ok "q then y quits the TUI" test "$rc" -eq 0
expect_grep 'A stage is running\. It keeps running after you quit' "$T/quit.txt" "q asks first, saying the stage keeps running"
ok "TRAIN still runs after the TUI quit" json_is_now "$id" '[s["status"] for s in j["stages"] if s["name"] == "train"][0]' running

# Opened again, the TUI shows the output so far and follows it to the end.
steps <<EOF2
5
:wait *train
:wait progress
:dump $T/reattach.txt
:wait run $id done
:dump $T/done.txt
EOF2
tui tui "$id"
ok "the re-opened TUI exited 0" test "$rc" -eq 0
expect_grep '^train \(running\) +following' "$T/reattach.txt" "re-opened during TRAIN, the output pane follows it"
expect_grep '^progress' "$T/reattach.txt" "... with the output so far"
expect_grep "^run $id done" "$T/done.txt" "... until the run is done"
ok "status: the run is done" json_is_now "$id" 'j["run"]["status"]' done

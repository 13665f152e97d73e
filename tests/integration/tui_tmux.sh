#!/bin/sh
# The real binary on a real terminal, inside tmux (its own server): the
# workbench reads keys from the terminal, draws, follows a resize, quits
# and leaves the terminal as it was; `demo` on a terminal opens it and the
# run goes to the end.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
plan 34

. "$top_srcdir/tests/lib/tmux.sh"

# Everything the pane runs gets the test's environment.
cat >"$T/ak.sh" <<EOF2
#!/bin/sh
export HOME='$HOME' LC_ALL=C.UTF-8 TZ=UTC AUTOKAGGLE_PYTHON='$AUTOKAGGLE_PYTHON' TERM=tmux-256color
cd '$T'
"\$@"
echo "exit status \$?"
sleep 600
EOF2
chmod +x "$T/ak.sh"

tm -f /dev/null new-session -d -s ak -x 80 -y 24 "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" demo --folds 2
trap 'tm kill-server 2>/dev/null; tap_cleanup' EXIT
wait_screen '^ 1 competition +2 profile' "demo on a terminal opens the workbench"
wait_screen '\+validate .*\| done' "the run goes to the end in it"
flag() { [ "$(tm display-message -p -t ak "#{$1}")" = "$2" ]; }
ok "it turns SGR mouse reports on" flag mouse_sgr_flag 1
tm send-keys -t ak 2
wait_screen '^ column +type +missing' "keys typed on the terminal reach it (2: profile)"
tm resize-window -t ak -x 100 -y 30 2>/dev/null || tm resize-pane -t ak -x 100 -y 30
row30() { screen && sed -n 30p "$T/screen.txt" | grep -Eq '^(\? help|run )'; }
ok "after a resize it draws again, the status line on the new last row" wait_until 30 row30 || diag_file "$T/screen.txt" 30
tm send-keys -t ak 4 y
wait_screen "copied [0-9]+ lines to tmux's buffer" "y in tmux copies through tmux's buffer"
first=$(ls "$WS"/*/code/classify.py | head -n 1)
tm show-buffer >"$T/buffer.txt" 2>/dev/null
ok "... which holds the file" cmp -s "$T/buffer.txt" "$first"
tm send-keys -t ak '?'
wait_screen 'keys \(Esc closes\)' "? opens the help"
tm send-keys -t ak Escape
ok "Escape closes it" wait_until 10 sh -c "! { tmux -S '$sock' capture-pane -p -t ak | grep -q 'keys (Esc closes)'; }"
tm send-keys -t ak q
wait_screen '^exit status 0' "q quits; the run was done: exit status 0"
expect_no_grep '^ 1 competition' "$T/screen.txt" "the terminal is back as it was (alternate screen left)"
ok "... and mouse reports off" flag mouse_sgr_flag 0

# The start screen, from `autokaggle` alone on a terminal.
tm respawn-pane -k -t ak "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" --no-mouse
wait_screen 'autokaggle: runs in' "autokaggle alone opens the run list"
ok "--no-mouse leaves the mouse to the terminal" flag mouse_sgr_flag 0
# From the keyboard alone: n, the folder, Enter; the run goes to the end.
tm send-keys -t ak n
wait_screen 'new run' "n asks for a URL, slug or folder"
tm send-keys -t ak -l "$(dirname "$AUTOKAGGLE_BIN")/demo"
tm send-keys -t ak Enter
wait_screen '^ 1 competition +2 profile' "Enter starts the run and opens it"
ok "... which goes to the end" wait_until 120 shows '^run [0-9]{8}-[0-9]{6}-demo done'
kb_id=$(sed -n 's/^run \([0-9]\{8\}-[0-9]\{6\}-demo\) done.*/\1/p' "$T/screen.txt" | head -n 1)
expect_valid_submission "$(run_dir "${kb_id:-none}")"
tm send-keys -t ak q
wait_screen '^exit status 0' "q quits it"

# On the terminal: e edits code/train.py in $EDITOR (a script that adds a
# raise), which makes TRAIN stale; keys still work once it is back (a key
# read with e was once replayed into a freed buffer); r re-runs TRAIN and
# it fails; the edit undone, r again and the run is done.
id=$(basename "$(dirname "$(dirname "$first")")")
dir=$WS/$id
editor=$top_srcdir/tests/fixtures/raise-editor.sh
tm respawn-pane -k -t ak env VISUAL="$editor" EDITOR="$editor" "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" tui "$id"
wait_screen '^ 1 competition' "the TUI opens the demo run"
tm send-keys -t ak 4 [
wait_screen '^ +1  """Trains' "4 opens the code pane, [ its train.py"
tm send-keys -t ak e
wait_screen 'code/train\.py edited' "e edits it in \$EDITOR and comes back"
tm send-keys -t ak 2
wait_screen '^ column +type +missing' "keys work after the editor (2: profile)"
tm send-keys -t ak r
wait_screen "run $id failed" "r re-runs the stale TRAIN, which fails"
tm send-keys -t ak 4 e
wait_screen 'code/train\.py edited' "e again takes the raise out"
tm send-keys -t ak r
wait_screen "run $id done" "r again: the run is done"
tm send-keys -t ak q
wait_screen '^exit status 0' "q quits"

# Closing the terminal (the SSH connection lost) during TRAIN: the TUI ends
# at once, the run goes on to the end.
mv "$dir/code/train.py" "$dir/code/train_real.py"
printf '%s\n' 'import runpy, sys, time' 'for i in range(30):' \
	'    sys.stdout.write("\rprogress %d/30" % i); sys.stdout.flush(); time.sleep(0.2)' \
	'print()' 'runpy.run_path("code/train_real.py", run_name="__main__")' >"$dir/code/train.py"
expect_exit 0 ak rerun "$id" train --detach
tm respawn-pane -k -t ak "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" tui "$id"
wait_screen '^progress [0-9]+/30' "the TUI opened during TRAIN follows its output"
tui_pid=$(pgrep -f "autokaggle --workspace $WS tui $id" | head -n 1)
tm kill-server
ok "the terminal gone, the TUI ends at once" wait_until 5 sh -c "! kill -0 ${tui_pid:-0} 2>/dev/null"
run_done() { ak status "$id" --json >"$T/st.json" 2>/dev/null && json_is "$T/st.json" 'j["run"]["status"]' done; }
ok "the run goes on to the end" wait_until 120 run_done

#!/bin/sh
# The workbench's ":" command line and its keys, driven by key scripts on
# one demo run: Tab completion, :theme, :budget (a bad value, then a good
# one, in run.json as rerun's flag would put it), :repair, :overview, the
# history (kept in the workspace); s on a run of a local folder; a keys
# file that remaps actions, and one with a bad line; the ui.mouse setting.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"
unset TMUX STY DISPLAY WAYLAND_DISPLAY

plan 32

demo_run
printf '# Overview\nPredict churn.\n' >"$HOME/overview.md"

steps <<EOF2
:wait 1 competition
:
:type th
<Tab>
:type m
<Tab>
:dump $T/tab.txt
<Enter>
:wait theme mono
:dump $T/theme.txt
:
:type budget 1s
<Enter>
:wait shorter than Python
:dump $T/badbudget.txt
:
:type budget 30m
<Enter>
:wait saved in run.json
:dump $T/budget.txt
:
:type repair 5
<Enter>
:wait --repair 5
:
:type overview ~/ov
<Tab>
:dump $T/file.txt
<Enter>
:wait --overview
:dump $T/overview.txt
:
:type provider o
<Tab>
:dump $T/providers.txt
<Esc>
:
<Up>
:dump $T/history.txt
<Esc>
:
:type frob
<Enter>
:wait no command
:dump $T/nocommand.txt
s
:wait local directory
:dump $T/submit.txt
EOF2
tui tui "$id"
ok "the TUI ran the commands and exited 0" test "$rc" -eq 0
expect_grep '^:theme mono$' "$T/tab.txt" "Tab completes the command's name, then its argument (a theme)"
expect_grep '^theme mono$' "$T/theme.txt" ":theme mono applies at once and says so"
expect_grep '^--budget 1s is shorter than Python takes to start' "$T/badbudget.txt" \
	"a bad :budget shows the flag's own error on the status line"
expect_grep '^--budget 30m: saved in run.json; r re-runs what it makes stale' "$T/budget.txt" \
	"a good one says where it went and what r does"
ok "run.json holds the budget and the repairs, as rerun's flags would" \
	json_is "$dir/run.json" '[j["options"]["budget_seconds"], j["options"]["repair"]]' '[1800, 5]'
expect_grep '^:overview ~/overview\.md$' "$T/file.txt" "Tab completes a file under ~/"
ok ":overview copies the file to input/overview.md" cmp -s "$HOME/overview.md" "$dir/input/overview.md"
ok "... and records it as --overview does" json_is "$dir/run.json" 'j["options"]["overview"]' "$HOME/overview.md"
expect_grep '^ollama  openai$' "$T/providers.txt" "an ambiguous Tab lists the candidates above the line"
expect_grep '^:overview ~/overview\.md$' "$T/history.txt" "Up walks back through the history"
expect_grep '^no command :frob' "$T/nocommand.txt" "an unknown command is said"
expect_grep '^run [0-9]+-[0-9]+-demo is of the local directory' "$T/submit.txt" \
	"s on a run of a local folder says why it cannot be submitted"

# A bad value changes nothing, even alone.
printf ':wait 1 competition\n:\n:type budget soon\n<Enter>\n:wait --budget\n:dump %s\n' "$T/bad2.txt" >"$T/steps"
tui tui "$id"
expect_grep '^--budget' "$T/bad2.txt" "a budget that is no duration is refused"
ok "... and run.json keeps the budget it had" json_is "$dir/run.json" 'j["options"]["budget_seconds"]' 1800

# The : line's history outlives the session (WORKSPACE/cmdline_history, the
# newest last): Up in the next one brings the last command back.
steps <<EOF2
:wait 1 competition
:
:type theme mono
<Enter>
:wait theme mono
EOF2
tui tui "$id"
ok "the : history is in the workspace, the newest command last" sh -c "tail -n 1 '$WS/cmdline_history' | grep -qx 'theme mono'"
printf ':wait 1 competition\n:\n<Up>\n:dump %s\n<Esc>\n' "$T/kept.txt" >"$T/steps"
tui tui "$id"
expect_grep '^:theme mono$' "$T/kept.txt" "Up in the next session brings it back"
# A file that is no history is ignored, said on the status line; the
# workbench runs on.
printf 'theme mono\n\033[31mbudget 1h\n' >"$WS/cmdline_history"
printf ':wait 1 competition\n:dump %s\n:\n<Up>\n:dump %s\n<Esc>\n' "$T/badhist.txt" "$T/nohist.txt" >"$T/steps"
AUTOKAGGLE_TUI_SIZE=160x24 tui tui "$id" # the status line whole
expect_grep '^the : history was ignored \(line 2 holds a control character\): .*/cmdline_history' "$T/badhist.txt" \
	"a bad history file is ignored, and said"
expect_grep '^:$' "$T/nohist.txt" "... the history then starts empty"
ok "... and the workbench ran" test "$rc" -eq 0

# A keys file remaps actions; ? lists the keys as bound.
mkdir -p "$HOME/.config/autokaggle"
printf '# mine\nbind K help\nunbind ?\nbind <C-r> rerun\nunbind r\n' >"$HOME/.config/autokaggle/keys"
steps <<EOF2
:wait 1 competition
?
:dump $T/unbound.txt
K
:wait keys (Esc closes)
:dump $T/remapped.txt
<Esc>
EOF2
tui tui "$id"
expect_no_grep 'keys \(Esc closes\)' "$T/unbound.txt" "an unbound key does nothing"
expect_grep '│ F1 K +this help' "$T/remapped.txt" "the key bound to help opens it, and it lists its keys"
expect_grep '│ C-r +re-run the failed' "$T/remapped.txt" "... and the remapped ones"

# A bad line: named with file and line; the defaults stay.
printf 'bind K help\nbind <C-r> frobnicate\n' >"$HOME/.config/autokaggle/keys"
printf ':wait runs in\n:dump %s\n?\n:wait keys (Esc closes)\n' "$T/badkeys.txt" >"$T/steps"
tui
expect_grep '^~/\.config/autokaggle/keys:2: unknown action .frobnicate.' "$T/badkeys.txt" \
	"a bad line in the keys file is named by file and line"
ok "... and ? (a default key) still opens the help" test "$rc" -eq 0
printf ':wait 1 competition\n:dump %s\n' "$T/badkeys-run.txt" >"$T/steps"
tui tui "$id"
expect_grep '^~/\.config/autokaggle/keys:2: unknown action .frobnicate.' "$T/badkeys-run.txt" \
	"... also when the workbench opens on a run"
rm "$HOME/.config/autokaggle/keys"

# ui.mouse = off starts without the mouse; a bad value is said.
printf 'ui.mouse = off\n' >"$HOME/.config/autokaggle/config"
printf ':wait runs in\nm\n:wait mouse\n:dump %s\n' "$T/mouse.txt" >"$T/steps"
tui
expect_grep '^mouse on: the wheel scrolls' "$T/mouse.txt" "ui.mouse = off starts with the mouse off (m turns it on)"

# ui.ascii = on (or --ascii): frames and histograms without box-drawing or
# block characters, in a UTF-8 locale too.
printf ':wait 1 competition\n2\n:wait column\n:dump %s\n?\n:wait keys (Esc closes)\n:dump %s\n' \
	"$T/bars.txt" "$T/frame.txt" >"$T/steps"
LC_ALL=C.UTF-8 tui tui "$id"
ok "by default the profile's histograms are block characters" grep -q "$(printf '\342\226\210')" "$T/bars.txt"
printf 'ui.ascii = on\n' >"$HOME/.config/autokaggle/config"
LC_ALL=C.UTF-8 tui tui "$id"
ok "ui.ascii = on: no box-drawing or block character is drawn" sh -c "! grep -q '$(printf '\342\224')\\|$(printf '\342\226')' '$T/bars.txt' '$T/frame.txt'"
ok "... the help's frame is ASCII" grep -q '^ *+--' "$T/frame.txt"
rm "$HOME/.config/autokaggle/config"
LC_ALL=C.UTF-8 AUTOKAGGLE_TUI_SCRIPT=$T/steps "$AUTOKAGGLE_BIN" --workspace "$WS" --ascii tui "$id" >/dev/null 2>&1 </dev/null
ok "--ascii does the same" sh -c "! grep -q '$(printf '\342\224')\\|$(printf '\342\226')' '$T/bars.txt' '$T/frame.txt'"

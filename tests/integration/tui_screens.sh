#!/bin/sh
# The workbench driven by key scripts: the start screen, opening a run,
# moving between panes, help, the minimum size and an unknown TERM.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"
unset TMUX STY DISPLAY WAYLAND_DISPLAY

plan 32

demo_run

steps <<EOF2
:wait runs in
:dump $T/start.txt
<Enter>
:wait 1 competition
:dump $T/comp.txt
2
:dump $T/profile.txt
4
:dump $T/code.txt
5
:dump $T/output.txt
<Tab>
:dump $T/tab.txt
<S-Tab> <S-Tab>
:dump $T/stab.txt
?
:wait keys (Esc closes)
:dump $T/help.txt
<Esc>
:wait-gone keys (Esc closes)
:dump $T/nohelp.txt
:mouse 0 20 1
:wait distinct distribution
:dump $T/click.txt
5
:mouse 64 40 10
:wait paused
:dump $T/wheel.txt
m
:wait mouse off
4
y
:wait copied
:dump $T/copy.txt
EOF2
tui
ok "the TUI ran the script and exited 0" test "$rc" -eq 0

expect_screen "$T/start.txt" "the start screen lists the run: competition, status, local cv and public side by side" <<'EOF2'
autokaggle: runs in T/ws

 run                      competition            status      local cv   public
 RUN     autokaggle demo: custo done          0.NNNN        -



















? help  Enter open  n new run  : command  q quit
EOF2
expect_grep '^\+meta \+data \+profile \+code \+env.* \+train.* \+predict.* \+validate .*\| done' "$T/comp.txt" \
	"Enter opens the run: the stage bar shows every stage done"
expect_grep '^ 1 competition  2 profile  3 chat  4 code  5 output  [0-9]{8}-' "$T/comp.txt" "the tabs name the panes and the run"
expect_grep '^ title +autokaggle demo: customer churn' "$T/comp.txt" "the competition pane shows the title"
expect_grep '^ metric +Area Under Receiver Operating' "$T/comp.txt" "... the metric"
expect_grep '^ deadline +2030-12-31T23:59 UTC \([0-9]+ days left\)' "$T/comp.txt" "... the deadline and the time left"
expect_grep '^ submissions +0 of 5 today, 5 left' "$T/comp.txt" "... the submissions left today"
expect_grep '^ age +integer +3\.[0-9]% +[0-9]+ .*[▁▂▃▄▅▆▇█]' "$T/profile.txt" "2: profile rows with type, missing %, distinct and a histogram"
expect_grep '^ target churned \(binary\)' "$T/profile.txt" "... and the target's distribution"
expect_grep '^ +1 +"""' "$T/code.txt" "4: the code pane shows a file with line numbers"
expect_grep 'classify\.py +config\.yaml +features\.py' "$T/code.txt" "... with a tab per file"
expect_grep '^predict +following' "$T/output.txt" "5: the output pane follows the last stage's output"
expect_grep 'wrote output/submission\.csv' "$T/output.txt" "... which it shows"
expect_grep '^ title ' "$T/tab.txt" "Tab from the last pane goes round to the first"
expect_grep '^ +1 +"""' "$T/stab.txt" "S-Tab twice goes back round to the code pane"
expect_grep 'Left Right +previous / next file' "$T/help.txt" "? shows the focused pane's keys"
expect_grep 'e +edit the code pane.s file in \$EDITOR' "$T/help.txt" "... and the global ones"
expect_no_grep 'keys \(Esc closes\)' "$T/nohelp.txt" "Esc closes the help"
expect_grep '^ column +type +missing' "$T/click.txt" "a click on the profile tab focuses it"
expect_grep '^predict +paused' "$T/wheel.txt" "the wheel scrolls the output pane up (and pauses it)"
expect_grep "^copied [0-9]+ lines to .*/$id/clipboard\.txt" "$T/copy.txt" "y copies the code; with no clipboard, tmux or terminal: to a file"
ok "... which holds the file shown" cmp -s "$(run_dir "$id")/clipboard.txt" "$(run_dir "$id")/code/classify.py"

# Below the minimum size it says so instead of drawing.
printf ':wait too small\n:dump %s\n' "$T/small.txt" >"$T/steps"
AUTOKAGGLE_TUI_SIZE=40x10 tui tui "$id"
expect_grep 'terminal too small \(40x10\)' "$T/small.txt" "a terminal below 60x12 says so instead of drawing"

# An unknown TERM falls back to a basic one instead of aborting.
printf ':wait runs in\n' >"$T/steps"
TERM=no-such-terminal tui tui
ok "an unknown TERM falls back and the TUI runs" test "$rc" -eq 0

# Themes: a user's theme with a bad line is named with its file and line on
# the status line, and the workbench runs on; the shipped ones load.
mkdir -p "$HOME/.config/autokaggle/themes"
printf 'title = red default bold\nheader = purple default\n' >"$HOME/.config/autokaggle/themes/broken.theme"
printf ':wait runs in\n:dump %s\n' "$T/theme.txt" >"$T/steps"
tui --theme broken tui
expect_grep 'broken\.theme:2: .header. needs two colours' "$T/theme.txt" "a bad theme line is named by file and line"
for theme in light high-contrast mono; do
	printf ':wait runs in\n:dump %s\n' "$T/theme-$theme.txt" >"$T/steps"
	tui --theme "$theme" --colors 8 tui
	ok "--theme $theme --colors 8 loads without a message" sh -c "[ $rc -eq 0 ] && ! grep -q 'theme' '$T/theme-$theme.txt'"
done
printf ':wait runs in\n' >"$T/steps"
NO_COLOR=1 tui --colors mono tui
ok "NO_COLOR and --colors mono run" test "$rc" -eq 0
expect_exit 2 ak --colors 17 list

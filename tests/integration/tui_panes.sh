#!/bin/sh
# The output and code panes on a TRAIN that prints a long line, holds
# memory, then fails with a traceback, with a fake nvidia-smi on PATH:
# the output pane's header shows CPU, RSS and GPU figures while TRAIN runs
# and its peaks after; w cuts long lines, Left/Right scroll sideways, and
# the offset survives wrapping and unwrapping again; Enter on a frame of
# the traceback opens that line in the code pane; d there shows the diff
# against the previous version; status lists the attempt's peaks; v
# selects lines in both panes for y to copy.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"
unset TMUX STY DISPLAY WAYLAND_DISPLAY

plan 24

demo_run

mkdir "$T/bin"
cat >"$T/bin/nvidia-smi" <<'EOF2'
#!/bin/sh
# A GPU busy at 37% with 2 GiB of 16 GiB used; -L lists none, so the
# run's code is written as for a machine without one.
case "$*" in
*--query-gpu=*) echo "37, 2048, 16384" ;;
*) exit 9 ;;
esac
EOF2
chmod +x "$T/bin/nvidia-smi"

# A hand edit of train.py (a new version of the code): ten lines on top
# that fail at line 9 called from line 10, and a blank line of the
# template's docstring taken out.
sed '2{/^$/d}' "$dir/code/train.py" >"$T/train_rest.py"
cat - "$T/train_rest.py" >"$dir/code/train.py" <<'EOF2'
import time
print("wide " + "=" * 190 + " END")
blob = b"\1" * (200 << 20)
time.sleep(4)
print("held %d MiB" % (len(blob) >> 20))


def boom():
    raise ValueError("planned failure")
boom()
EOF2

steps <<EOF2
:wait 1 competition
R
<Enter>
5
:wait gpu 37% 2.0G/16.0G
:dump $T/running.txt
:wait run $id failed
:dump $T/failed.txt
w
:wait cut, from col 1
:dump $T/cut.txt
l l l l l l l l l l l l l l l l l
:wait cut, from col 137
:dump $T/right.txt
w
w
:wait cut, from col 137
:dump $T/again.txt
F
<Enter>
:wait train.py, line 9
:dump $T/frame.txt
5
/
:type in <module>
<Enter>
<Enter>
:wait train.py, line 10
:dump $T/module.txt
d
:wait against version
:dump $T/diff.txt
EOF2
PATH=$T/bin:$PATH tui tui "$id"
ok "the TUI ran the script and exited 0" test "$rc" -eq 0
expect_grep '^train \(running\) +following +cpu [0-9]+% +rss [0-9.]+[MG] +gpu 37% 2\.0G/16\.0G' "$T/running.txt" \
	"while TRAIN runs, the output header shows its CPU, RSS and the GPU (nvidia-smi)"
expect_grep '^train +following +peak cpu [0-9]+% +rss (2[0-9][0-9]M|[0-9.]+G) +gpu 37%' "$T/failed.txt" \
	"after it, the attempt's peaks: the 200 MiB it held"
expect_grep '^=+ END$' "$T/failed.txt" "long lines wrap by default"
expect_grep '^wide =+$' "$T/cut.txt" "w cuts them at the pane's edge"
expect_no_grep 'END' "$T/cut.txt" "... the end of the long line is out of sight"
expect_grep '^=+ END' "$T/right.txt" "Right (l) scrolls sideways to it"
expect_grep '^=+ END' "$T/again.txt" "wrapped and cut again, the horizontal offset is kept"
expect_grep '^ +9> +raise ValueError' "$T/frame.txt" "Enter opens the newest frame of the run's code, its line marked"
expect_grep 'train\.py, line 9$' "$T/frame.txt" "... and the status line names the file and line"
expect_grep '^ +10> boom\(\)' "$T/module.txt" "Enter on another frame (found with /) opens its line"
expect_grep '^ +8 \+def boom' "$T/diff.txt" "d shows the hand edit's added lines against the previous version"
expect_grep '^     -' "$T/diff.txt" "... and the line it took out"
expect_grep 'against version 1: \+10 -1 ' "$T/diff.txt" "... counted on the status line"

ak status "$id" >"$T/status.txt"
expect_grep '^train +#2 +peak +cpu [0-9]+% +rss (2[0-9][0-9]M|[0-9.]+G) +gpu 37% 2\.0G/16\.0G' "$T/status.txt" \
	"status lists the peaks of TRAIN's attempt"
ok "status --json has them too" json_is_now "$id" \
	'[a["peak"].get("gpu_pct") for a in j["usage"]["attempts"] if a["stage"] == "train"][-1]' 37

# v selects lines from the cursor's: in the output pane (following pauses
# at the last line), and in the code pane; y copies exactly those lines
# (to the file here: no clipboard, tmux or terminal) and ends the
# selection; Esc drops one.
steps <<EOF2
:wait 1 competition
5
:wait following
v
:wait selecting
<Up> <Up>
:dump $T/selecting.txt
y
:wait copied
:dump $T/out-copied.txt
v
<Esc>
:wait selection dropped
:dump $T/dropped.txt
EOF2
tui tui "$id"
expect_grep '^train +selecting: y copies, Esc drops' "$T/selecting.txt" "v in the output pane pauses following and selects"
ok "y copies the selected lines of the output, whole" sh -c "tail -n 3 '$dir/logs/train.log' | cmp -s - '$dir/clipboard.txt'"
expect_grep '^copied 3 lines to ' "$T/out-copied.txt" "... says how many"
expect_grep '^train +paused' "$T/out-copied.txt" "... and ends the selection (still paused)"
expect_grep '^train +paused' "$T/dropped.txt" "Esc drops a selection"
steps <<EOF2
:wait 1 competition
4
:wait classify.py
<Down> <Down>
v
<Down> <Down>
y
:wait copied
:dump $T/code-copied.txt
EOF2
AUTOKAGGLE_TUI_SIZE=160x24 tui tui "$id" # the status line whole
ok "in the code pane, y copies the lines selected from the cursor's" sh -c \
	"sed -n 3,5p '$dir/code/classify.py' | cmp -s - '$dir/clipboard.txt'"
expect_grep '^copied 3 lines to .*/clipboard\.txt \(the selection, classify\.py lines 3-5\)$' "$T/code-copied.txt" \
	"... and the status line says which"

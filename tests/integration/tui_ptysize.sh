#!/bin/sh
# The terminal TRAIN and PREDICT run on follows the workbench's output
# pane. A run no front end has shown runs at 80x24 (headless). A TUI tells
# the run the text area of its output pane when it opens it: a TRAIN it
# starts begins at that size, a TRAIN already running gets the new size
# and a SIGWINCH; on a real terminal a resize does the same. A bad size
# file changes nothing: the child keeps the last good size, and PREDICT
# starts at it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tui.sh"

plan 21

demo_run

# TRAIN prints its terminal's size at start and after each SIGWINCH (with
# a bar as wide as the terminal, redrawn with a carriage return), until
# ptysize.stop appears (5 min at most); then it trains as before. PREDICT
# prints its size at start.
mv "$dir/code/train.py" "$dir/code/train_real.py"
cat >"$dir/code/train.py" <<'EOF2'
import os, runpy, signal, sys, time


def size():
    s = os.get_terminal_size(sys.stderr.fileno())
    return s.columns, s.lines


winched = []
signal.signal(signal.SIGWINCH, lambda signo, frame: winched.append(signo))
print("size %dx%d at start" % size())
deadline = time.time() + 300
while not os.path.exists("ptysize.stop") and time.time() < deadline:
    if winched:
        del winched[:]
        cols, rows = size()
        print("size %dx%d after SIGWINCH" % (cols, rows))
        sys.stdout.write("\r" + "-" * cols + "\r" + "#" * cols + "\n")
    time.sleep(0.05)
runpy.run_path("code/train_real.py", run_name="__main__")
EOF2
mv "$dir/code/predict.py" "$dir/code/predict_real.py"
cat >"$dir/code/predict.py" <<'EOF2'
import os, runpy, sys

s = os.get_terminal_size(sys.stderr.fileno())
print("predict size %dx%d at start" % (s.columns, s.lines))
runpy.run_path("code/predict_real.py", run_name="__main__")
EOF2

# The sizes the newest TRAIN printed, one a line.
train_sizes() {
	awk '/^==> train started/ { out = "" } /^size [0-9]+x[0-9]+ / { out = out $0 "\n" } END { printf "%s", out }' \
		"$dir/logs/train.log"
}
train_saw() { train_sizes | grep -qx "$1"; }
# What the newest TRAIN should have printed so far.
want="size 100x26 at start"
expect() { want="$want
$1"; }
# is_supervisor PID RUN: PID's command line is RUN's supervisor's
# (`autokaggle __supervise WS RUN`).
is_supervisor() {
	tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qx __supervise &&
		tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF "$2"
}
# supervisor_of RUN: its pid. A child the supervisor has just forked has
# the same command line until it execs (and, pids wrapping, may come
# first in /proc): the one whose parent is not a supervisor too.
supervisor_of() {
	for p in /proc/[0-9]*; do
		is_supervisor "${p#/proc/}" "$1" || continue
		ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "$p/status" 2>/dev/null)
		is_supervisor "${ppid:-0}" "$1" && continue
		echo "${p#/proc/}"
		return 0
	done
	return 1
}

# Headless, never shown in a TUI: 80x24, and no size file.
touch "$dir/ptysize.stop"
expect_exit 0 ak rerun "$id" train
expect_grep '^size 80x24 at start$' "$dir/logs/train.log" "headless, TRAIN runs on an 80x24 terminal"
expect_grep '^predict size 80x24 at start$' "$dir/logs/predict.log" "... and PREDICT too"
ok "nothing wrote a size file" test ! -e "$dir/tty.size"
rm "$dir/ptysize.stop"

# tui_shows SIZE TEXT DUMP [STEP...]: a TUI at SIZE opens the run, takes
# the steps, waits for TEXT and dumps its screen to DUMP, then quits with
# TRAIN running on. One point: it exited 0.
tui_shows() {
	size=$1 text=$2 dump=$3
	shift 3
	{
		printf '%s\n' "$@"
		printf ':wait %s\n:dump %s\nq\n:wait keeps running\ny\n' "$text" "$dump"
	} | steps
	AUTOKAGGLE_TUI_SIZE=$size tui tui "$id"
	ok "the TUI at $size ran the script and exited 0" test "$rc" -eq 0
}

# A TUI at 100x30 starts TRAIN: its output pane's text area is 100x26.
tui_shows 100x30 "size 100x26 at start" "$T/start.txt" ":wait 1 competition" R "<Enter>" 5
expect_grep '^size 100x26 at start$' "$T/start.txt" "TRAIN started from it begins at the output pane's text area"
ok "the run directory holds that size" test "$(cat "$dir/tty.size")" = 100x26

# Another TUI, at 120x40, opens the run during TRAIN.
tui_shows 120x40 "size 120x36 after SIGWINCH" "$T/reopen.txt"
expect_grep '^size 120x36 after SIGWINCH$' "$T/reopen.txt" "a TUI opening the run during TRAIN: SIGWINCH and its pane's size"
expect_grep '^#{120}$' "$T/reopen.txt" "a bar as wide as the child's terminal is one row of the pane"
expect_no_grep '^-{10,}|^#{1,119}$' "$T/reopen.txt" "... redrawn in place, not wrapped"
expect "size 120x36 after SIGWINCH"

# A bad size file: the supervisor says so and the child hears nothing;
# a good one after it reaches the child.
# winch_until CHECK...: SIGWINCH to the supervisor, found again each time
# round, until CHECK holds (a pid read from /proc may be gone by the time
# the signal is sent).
winch_until() {
	sup=$(supervisor_of "$id") && kill -WINCH "$sup" 2>/dev/null
	"$@"
}
ok "the run's supervisor is found" test -n "$(supervisor_of "$id")"
printf 'garbage\n' >"$dir/tty.size"
ok "a garbage size file is reported in the run's log" \
	wait_until 30 winch_until grep -q 'warning: tty.size in the run directory is not COLSxROWS: the terminal of TRAIN and PREDICT stays 120x36' "$dir/logs/run.log"
printf '90x20\n' >"$dir/tty.size"
ok "a good one after it reaches the child" wait_until 30 winch_until train_saw 'size 90x20 after SIGWINCH'
expect "size 90x20 after SIGWINCH"
last=90x20

# On a real terminal (tmux): opening the run tells it 100x26, a resize
# of the window tells it the new size.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	cat >"$T/ak.sh" <<EOF2
#!/bin/sh
export HOME='$HOME' LC_ALL=C.UTF-8 TZ=UTC AUTOKAGGLE_PYTHON='$AUTOKAGGLE_PYTHON' TERM=tmux-256color
cd '$T'
exec "\$@"
EOF2
	chmod +x "$T/ak.sh"
	tm -f /dev/null new-session -d -s ak -x 100 -y 30 "$T/ak.sh" "$AUTOKAGGLE_BIN" --workspace "$WS" tui "$id"
	trap 'tm kill-server 2>/dev/null; tap_cleanup' EXIT
	ok "on a terminal at 100x30, opening the run tells TRAIN 100x26" wait_until 30 train_saw 'size 100x26 after SIGWINCH'
	expect "size 100x26 after SIGWINCH"
	tm resize-window -t ak -x 110 -y 32 2>/dev/null || tm resize-pane -t ak -x 110 -y 32
	ok "resized to 110x32, TRAIN gets SIGWINCH and 110x28" wait_until 30 train_saw 'size 110x28 after SIGWINCH'
	wait_screen '^size 110x28 after SIGWINCH' "... which the output pane shows"
	expect "size 110x28 after SIGWINCH"
	last=110x28
else
	skip 3 "tmux is not installed"
fi
train_sizes >"$T/sizes.txt"
ok "TRAIN saw each size told, in order, and nothing of the garbage" test "$(cat "$T/sizes.txt")" = "$want" ||
	diag_file "$T/sizes.txt"

# A garbage file when PREDICT starts: it starts at the last good size.
printf '0x\n' >"$dir/tty.size"
touch "$dir/ptysize.stop"
run_done() { ak status "$id" --json >"$T/st.json" 2>/dev/null && json_is "$T/st.json" 'j["run"]["status"]' done; }
ok "the run goes on to the end" wait_until 300 run_done
expect_grep "^predict size $last at start\$" "$dir/logs/predict.log" "PREDICT starts at the last good size ($last) despite a bad file"

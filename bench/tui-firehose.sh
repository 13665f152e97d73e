#!/bin/sh
# The workbench under a firehose: a TRAIN whose code/train.py first prints
# LINES lines of 88 bytes (timed inside with time.perf_counter) runs with
# the TUI following it in an 80x24 tmux pane; the same loop runs to
# /dev/null, and straight into an 80x24 tmux pane. Also: the bytes the TUI
# writes to its terminal per second during the firehose and while idle
# (tmux pipe-pane), and how long after `?` the help is on the screen
# (tmux capture-pane, polled every 10 ms). Prints each figure and the
# ratios to /dev/null (the issue's target: TUI <= 3x /dev/null). Not run
# by CI.
#
#   bench/tui-firehose.sh [LINES] [STREAM]   (defaults 1000000 stdout)
#
# STREAM stdout prints the lines (print()); stderr writes them to
# sys.stderr a line a write, as logging's StreamHandler does. TRAIN's
# stdout is a pipe and its stderr a pty (src/exec/exec.c says why), so the
# two cost the child differently.
#
# Everything stays under bench/out/tui/ (git-ignored): a build of the tree
# with the default CFLAGS, the competition, the workspace, tmux's socket.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out/tui
build=$out/build
lines=${1:-1000000}
stream=${2:-stdout}
case $stream in
stdout) emit='print(LINE)' ;;
stderr) emit='sys.stderr.write(LINE + "\n")' ;;
*) echo "usage: $0 [LINES] [stdout|stderr]" >&2; exit 2 ;;
esac
: "${AUTOKAGGLE_PYTHON:=/usr/bin/python3}"
export AUTOKAGGLE_PYTHON
. "$here/lib.sh"
mkdir -p "$out"
bench_build "$build" autokaggle
ak="$build/autokaggle"
sock=$out/tmux.sock
tm() { tmux -S "$sock" "$@"; }
tm kill-server 2>/dev/null || true

cat >"$out/firehose_loop.py" <<LOOP
import os, sys, time
LINE = "[fold 1/5] iter 000042  train rmse 10.711700  valid rmse 10.792200  lr 0.0500  best 000"
N = $lines
t0 = time.perf_counter()
for _ in range(N):
    $emit
report = "firehose: %d lines in %.3f s\n" % (N, time.perf_counter() - t0)
if os.environ.get("FIREHOSE_REPORT"):
    with open(os.environ["FIREHOSE_REPORT"], "a") as f:
        f.write(report)
else:
    sys.stderr.write("\n" + report)
LOOP

bench_loop_run
secs() { sed -n 's/^firehose: [0-9]* lines in \([0-9.]*\) s$/\1/p' "$1" 2>/dev/null | tail -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
now_ms() { date +%s%3N; }

say "/dev/null"
rm -f "$out/devnull.err"
(cd "$dir" && FIREHOSE_REPORT=$out/devnull.err PYTHONUNBUFFERED=1 "$py" code/firehose_loop.py >/dev/null 2>&1)
devnull=$(secs "$out/devnull.err")

say "a plain 80x24 tmux pane"
rm -f "$out/tmux.err"
tm -f /dev/null new-session -d -s raw -x 80 -y 24 \
	"cd '$dir' && FIREHOSE_REPORT='$out/tmux.err' PYTHONUNBUFFERED=1 '$py' code/firehose_loop.py; sleep 600"
# The server outlives its last session: the next one must not race its exit.
tm set -g exit-empty off
while [ -z "$(secs "$out/tmux.err")" ]; do sleep 0.2; done
intmux=$(secs "$out/tmux.err")
tm kill-session -t raw

say "TRAIN with the TUI following it in an 80x24 tmux pane"
tm new-session -d -s ak -x 80 -y 24 "'$ak' --workspace '$ws' tui '$id'; sleep 600"
sleep 1
tm pipe-pane -t ak -o "cat >'$out/tty.bytes'"
sleep 2
idle=$(wc -c <"$out/tty.bytes")
before=$(grep -c '^firehose:' "$dir/logs/train.log" || true)
tm send-keys -t ak R Enter 5
start=$(now_ms)
help_ms=
while [ "$(grep -c '^firehose:' "$dir/logs/train.log" || true)" -le "$before" ]; do
	# `?` in the middle of it: how long until the help is drawn
	if [ -z "$help_ms" ] && [ $(($(now_ms) - start)) -gt 500 ]; then
		t0=$(now_ms)
		tm send-keys -t ak '?'
		until tm capture-pane -p -t ak | grep -q 'keys (Esc closes)'; do sleep 0.01; done
		help_ms=$(($(now_ms) - t0))
		tm send-keys -t ak Escape
	fi
	sleep 0.05
done
fire_ms=$(($(now_ms) - start))
fire_bytes=$(($(wc -c <"$out/tty.bytes") - idle))
tui=$(secs "$dir/logs/train.log")
sleep 5
b0=$(wc -c <"$out/tty.bytes")
sleep 5
idle_rate=$((($(wc -c <"$out/tty.bytes") - b0) / 5))
tm kill-server

echo "cpu:              $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "loop:             $lines lines of 88 bytes to $stream"
echo "/dev/null:        ${devnull} s"
echo "tmux pane 80x24:  ${intmux} s ($(ratio "$intmux" "$devnull")x)"
echo "TRAIN + TUI:      ${tui} s ($(ratio "$tui" "$devnull")x)"
echo "? drawn after:    ${help_ms:-?} ms (during the firehose)"
echo "terminal bytes:   $((fire_bytes * 1000 / (fire_ms > 0 ? fire_ms : 1))) B/s during the firehose (${fire_ms} ms), ${idle_rate} B/s idle after it"

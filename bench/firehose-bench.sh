#!/bin/sh
# Benchmarks a child's output on its way to the stage log (the firehose).
# A TRAIN script whose code/train.py first prints LINES lines of 88 bytes
# (PYTHONUNBUFFERED=1, as every child gets: one write per print) times that
# loop with time.perf_counter, under the supervisor (`autokaggle rerun RUN
# train`), and again as a plain python process with the same environment
# writing to /dev/null. The exec layer alone (bench/exec_firehose.c, a
# loop running the same script through exec_start into a log) is timed
# too. Runs are interleaved, REPEAT of each; prints every run, the
# medians, the ratios and the CPU model. Last, the latency from a child's
# write to the log, through the same driver: a marker line every 1000
# lines of the firehose, then markers 50 ms apart with nothing between. The loop's CPU time
# (time.process_time) is reported beside its wall time: on a busy machine
# the wall time measures the neighbours, its CPU time still what each
# write costs. Not run by CI.
#
#   bench/firehose-bench.sh [LINES] [REPEAT]      (default 1000000 3)
#
# Everything stays under bench/out/firehose/ (git-ignored): a build of the
# tree with the default CFLAGS (-g -O2), the competition, the workspace.
# AUTOKAGGLE_PYTHON (default /usr/bin/python3) needs numpy, pandas and
# scikit-learn for the baseline model around the loop.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out/firehose
build=$out/build
lines=${1:-1000000}
repeat=${2:-3}
: "${AUTOKAGGLE_PYTHON:=/usr/bin/python3}"
export AUTOKAGGLE_PYTHON

. "$here/lib.sh"
mkdir -p "$out"

# ---- the tree, and the exec-layer driver linked against it ----
bench_build "$build" autokaggle libautokaggle.a
ak="$build/autokaggle"
cc -O2 -I"$build" -I"$top/src" -o "$out/exec_firehose" "$here/exec_firehose.c" "$build/libautokaggle.a" -lm

# ---- the loop: a fixed 87-character training-log line and its newline ----
cat >"$out/firehose_loop.py" <<EOF
import sys
import time

LINE = "[fold 1/5] iter 000042  train rmse 10.711700  valid rmse 10.792200  lr 0.0500  best 000"
assert len(LINE) == 87
N = $lines
t0, c0 = time.perf_counter(), time.process_time()
for _ in range(N):
    print(LINE)
t1, c1 = time.perf_counter(), time.process_time()
sys.stderr.write("firehose: %d lines in %.3f s (cpu %.3f s)\n" % (N, t1 - t0, c1 - c0))
EOF

# ---- timestamped markers among the lines, then alone (exec_firehose --latency) ----
cat >"$out/latency.py" <<'EOF'
import sys
import time

LINE = "[fold 1/5] iter 000042  train rmse 10.711700  valid rmse 10.792200  lr 0.0500  best 000"
if sys.argv[1] == "firehose":
    for i in range(300000):
        if i % 1000 == 0:
            print("@t=%.6f" % time.monotonic())
        print(LINE)
else:
    for _ in range(40):
        print("@t=%.6f" % time.monotonic())
        time.sleep(0.05)
EOF

# ---- a run whose train.py starts with the loop ----
bench_loop_run

# seconds_of FILE: "wall cpu" of the loop, from the last "firehose:" line of FILE
seconds_of() { sed -n 's/^firehose: [0-9]* lines in \([0-9.]*\) s (cpu \([0-9.]*\) s)$/\1 \2/p' "$1" | tail -n 1; }
# median COLUMN FILE
median() { cut -d' ' -f"$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

: >"$out/devnull.txt"
: >"$out/supervised.txt"
: >"$out/exec.txt"
i=1
while [ "$i" -le "$repeat" ]; do
	(cd "$dir" && env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 PYTHONUNBUFFERED=1 \
		"$py" code/firehose_loop.py >/dev/null 2>"$out/devnull.err")
	seconds_of "$out/devnull.err" >>"$out/devnull.txt"

	"$ak" --workspace "$ws" rerun "$id" train --headless >"$out/rerun.out" 2>&1 ||
		{ cat "$out/rerun.out" >&2; exit 1; }
	seconds_of "$dir/logs/train.log" >>"$out/supervised.txt"

	rm -f "$out/exec.log"
	(cd "$dir" && "$out/exec_firehose" "$out/exec.log" "$py" code/firehose_loop.py >"$out/exec.out")
	seconds_of "$out/exec.log" >>"$out/exec.txt"

	say "run $i (wall cpu): /dev/null $(tail -n 1 "$out/devnull.txt"), supervised $(tail -n 1 "$out/supervised.txt")," \
		"exec layer $(tail -n 1 "$out/exec.txt") ($(cat "$out/exec.out"))"
	i=$((i + 1))
done

echo "cpu:         $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) ($(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "loop:        $lines lines of 88 bytes, median of $repeat"
# row LABEL FILE: the medians of FILE and their ratios to /dev/null's
row() {
	w=$(median 1 "$2")
	c=$(median 2 "$2")
	printf '%-12s %s s (cpu %s s)' "$1" "$w" "$c"
	[ "$2" = "$out/devnull.txt" ] ||
		printf '  ratio %s (cpu %s)' "$(ratio "$w" "$(median 1 "$out/devnull.txt")")" \
			"$(ratio "$c" "$(median 2 "$out/devnull.txt")")"
	echo
}
row "/dev/null:" "$out/devnull.txt"
row "supervised:" "$out/supervised.txt"
row "exec layer:" "$out/exec.txt"
for mode in firehose trickle; do
	rm -f "$out/latency.log"
	printf 'latency:     %s: %s\n' "$mode" \
		"$("$out/exec_firehose" --latency "$out/latency.log" "$py" "$out/latency.py" "$mode" | sed 's/.*; latency of //')"
done

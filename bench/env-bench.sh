#!/bin/sh
# ENV's wall and CPU time (user+sys of the helper and its children), cold
# (no venv for the run's interpreter and requirements anywhere in the
# workspace) and warm (one there), as run.json records them. CPU time moves
# less than wall time on a busy machine. Not run by CI.
#
#   bench/env-bench.sh [AUTOKAGGLE_BIN] [N]   (defaults: ./autokaggle, 3)
#
# One run of a generated regression competition in a fresh workspace under
# bench/out/env/, then N rounds of: remove the workspace's venvs (and the
# run's env/venv), `rerun RUN env` (cold), `rerun RUN env` again (warm).
# Prints each round and the medians. The interpreter is $AUTOKAGGLE_PYTHON
# (default /usr/bin/python3, which has numpy, pandas and scikit-learn).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=$(cd "$(dirname "${1:-./autokaggle}")" && pwd)/$(basename "${1:-./autokaggle}")
rounds=${2:-3}
out=$here/out/env
AUTOKAGGLE_PYTHON=${AUTOKAGGLE_PYTHON:-/usr/bin/python3}
export AUTOKAGGLE_PYTHON

rm -rf "$out"
mkdir -p "$out"
sh "$top/tests/fixtures/gen-competition.sh" regression "$out/comp"
ak() { "$bin" --workspace "$out/ws" "$@"; }

ak run "$out/comp" --folds 2 >"$out/run.out" 2>&1 || { cat "$out/run.out" >&2; exit 1; }
id=$(sed -n 's/^run: *//p' "$out/run.out" | tail -n 1)
dir=$out/ws/$id

# "WALL CPU" of the last ENV.
env_times() {
	"$AUTOKAGGLE_PYTHON" -c 'import json, sys
e = json.load(open(sys.argv[1]))["stages"]["env"]
print("%.3f %.3f" % (e["wall_s"], e["cpu_s"]))' "$dir/run.json"
}

# median FILE COLUMN
median() {
	cut -d' ' -f"$2" "$1" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

: >"$out/cold"
: >"$out/warm"
i=1
while [ "$i" -le "$rounds" ]; do
	rm -rf "$out/ws/cache/venvs" "$dir/env/venv"
	ak rerun "$id" env >/dev/null 2>&1
	env_times >>"$out/cold"
	ak rerun "$id" env >/dev/null 2>&1
	env_times >>"$out/warm"
	echo "round $i (wall cpu): cold $(tail -n 1 "$out/cold") s, warm $(tail -n 1 "$out/warm") s"
	i=$((i + 1))
done
echo "ENV median of $rounds: cold wall $(median "$out/cold" 1) s (cpu $(median "$out/cold" 2) s)," \
	"warm wall $(median "$out/warm" 1) s (cpu $(median "$out/warm" 2) s)"
echo "($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"

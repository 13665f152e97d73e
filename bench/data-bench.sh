#!/bin/sh
# DATA on a large train.csv: the first time in a workspace (the file hashed
# by a child, with libcrypto's SHA-256) against `openssl dgst -sha256`,
# `sha256sum` and `wc -l` on the same file; and in a later run of the same
# workspace (the file known by its path, size, times and inode: not read).
# DATA's wall time is the stage's own (status --json); median of 3 runs.
# Not run by CI.
#
#   bench/data-bench.sh [MIB]      (default 1024: a ~1 GiB file)
#
# Uses the tree's build (AK=path/to/autokaggle to pick another binary);
# everything it makes stays under bench/out/ (git-ignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out
size=${1:-1024}
ak=${AK:-$top/build/autokaggle}
mkdir -p "$out"
[ -x "$ak" ] || { echo "no binary at $ak: build the tree first (./quickstart demo)" >&2; exit 2; }

cc -O2 -o "$out/gen_kaggle" "$here/gen_kaggle.c"
big=$out/kaggle_${size}m.csv
[ -s "$big" ] || "$out/gen_kaggle" "$size" >"$big"
comp=$out/data-comp
rm -rf "$comp"
mkdir -p "$comp"
ln -s "$big" "$comp/train.csv"
printf 'id,f\n1,0\n' >"$comp/test.csv"
printf 'id,target\n1,0\n' >"$comp/sample_submission.csv"

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'; }
seconds() { /usr/bin/time -f %e -o "$out/time.txt" "$@" >/dev/null 2>&1; cat "$out/time.txt"; }

# data_wall WS: starts a run, waits for DATA to end, prints its wall time
# and cancels the rest.
data_wall() {
	"$ak" --workspace "$1" run "$comp" --detach >/dev/null
	while :; do
		"$ak" --workspace "$1" status --json >"$out/status.json" 2>/dev/null || true
		st=$(python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
d = [s for s in j["stages"] if s["name"] == "data"][0]
print(d["status"], d["wall_s"])' "$out/status.json" 2>/dev/null || echo "none 0")
		case "$st" in
		done* | failed*) break ;;
		esac
		sleep 0.05
	done
	"$ak" --workspace "$1" cancel last >/dev/null 2>&1 || true
	echo "${st#* }"
}

cat "$big" >/dev/null	# every reader gets the file from the page cache
: >"$out/data-first.txt"
: >"$out/data-again.txt"
: >"$out/openssl.txt"
: >"$out/sha256sum.txt"
: >"$out/wc.txt"
for i in 1 2 3; do
	ws=$out/data-ws-$i
	rm -rf "$ws"
	data_wall "$ws" >>"$out/data-first.txt"
	data_wall "$ws" >>"$out/data-again.txt"
	seconds openssl dgst -sha256 "$big" >>"$out/openssl.txt"
	seconds sha256sum "$big" >>"$out/sha256sum.txt"
	seconds wc -l "$big" >>"$out/wc.txt"
	rm -rf "$ws"
done

printf 'file: %s (%s bytes); CPU: %s; %s CPUs; median of 3\n' "$big" "$(wc -c <"$big")" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)"
printf '%-40s %8s\n' "what" "seconds"
printf '%-40s %8s\n' "DATA, first run of a workspace" "$(median <"$out/data-first.txt")"
printf '%-40s %8s\n' "DATA, next run (file unchanged)" "$(median <"$out/data-again.txt")"
printf '%-40s %8s\n' "openssl dgst -sha256" "$(median <"$out/openssl.txt")"
printf '%-40s %8s\n' "sha256sum" "$(median <"$out/sha256sum.txt")"
printf '%-40s %8s\n' "wc -l" "$(median <"$out/wc.txt")"

#!/bin/sh
# Benchmarks kaggle_unzip (src/kaggle/unzip.c, through bench/unzip_bench.c)
# against `unzip -q` on a generated Kaggle-like data zip: train.csv of about
# MIB MiB from bench/gen_kaggle.c and a small test.csv, deflated by Python's
# zipfile. Runs are interleaved, RUNS of each (default 3), each into an
# empty directory after the zip is in the page cache; the report gives the
# CPU model, the load, every run, the medians of wall and CPU time (user +
# system: what a busy machine disturbs least), their ratios and both peak
# RSS (/usr/bin/time). The issue's target: within 1.5x of unzip, peak RSS
# well under 32 MiB. Not run by CI.
#
#   bench/unzip-bench.sh [MIB]      (default 500)
#
# Everything stays under bench/out/unzip/ (git-ignored), including a build
# of the tree with the default CFLAGS (-g -O2). unzip is installed with
# apt-get when missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out/unzip
build=$out/build
size=${1:-500}
runs=${RUNS:-3}
py=/usr/bin/python3

. "$here/lib.sh"
mkdir -p "$out"

command -v unzip >/dev/null || { say "installing unzip"; apt-get install -y unzip >/dev/null; }

# ---- the tree, and the driver linked against it ----
bench_build "$build" libautokaggle.a
cc -O2 -I"$build" -I"$top/src" -o "$out/unzip_bench" "$here/unzip_bench.c" \
	"$build/libautokaggle.a" $(pkg-config --libs libzip)

# ---- the archive ----
zip=$out/kaggle_${size}m.zip
if [ ! -s "$zip" ]; then
	cc -O2 -o "$out/gen_kaggle" "$here/gen_kaggle.c"
	say "generating $zip"
	"$out/gen_kaggle" "$size" >"$out/train.csv"
	"$out/gen_kaggle" --short 5 >"$out/test.csv"
	"$py" - "$zip.tmp" "$out/train.csv" "$out/test.csv" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sys.argv[2:]:
        z.write(f, os.path.basename(f))
PY
	mv "$zip.tmp" "$zip"
	rm -f "$out/train.csv" "$out/test.csv"
fi

# ---- runs ----
results=$out/results.txt
: >"$results"

# measure LABEL CMD...: extracts into a fresh directory, appends
# "label seconds rss_kb cpu_seconds"
measure() {
	label=$1
	shift
	rm -rf "$out/dest"
	mkdir "$out/dest"
	if ! /usr/bin/time -f '%e %M %U %S' -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt"; then
		say "$label failed:"
		tail -n 5 "$out/stderr.txt" >&2
		echo "$label - - -" >>"$results"
		return 0
	fi
	read -r secs rss usr sys <"$out/time.txt"
	cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	echo "$label $secs $rss $cpu" >>"$results"
	say "$label: $secs s, cpu $cpu s, $rss KB"
}

cat "$zip" >/dev/null	# the page cache holds the archive for both tools
load=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$runs" ]; do
	measure unzip unzip -q "$zip" -d "$out/dest"
	measure kaggle_unzip "$out/unzip_bench" "$zip" "$out/dest"
	i=$((i + 1))
done
[ -s "$out/dest/train.csv" ] || { say "kaggle_unzip extracted nothing"; exit 1; }
rm -rf "$out/dest"

# ---- report ----
col() { awk -v l="$1" -v c="$2" '$1 == l && $c != "-" { print $c }' "$results"; }
un_s=$(col unzip 2 | median)
ak_s=$(col kaggle_unzip 2 | median)
ratio() { awk -v a="$1" -v u="$2" 'BEGIN { if (u > 0) printf "%.2f", a / u; else print "-" }'; }
echo
printf 'CPU: %s, %s cores; load before the runs %s; %s runs each, interleaved\n' \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)" "$load" "$runs"
printf 'archive: %s, %s MiB, %s MiB uncompressed\n' "$(basename "$zip")" \
	"$(($(wc -c <"$zip") / 1048576))" \
	"$(unzip -l "$zip" | tail -n 1 | awk '{ printf "%d", $1 / 1048576 }')"
printf '%-14s %-22s %9s %-22s %9s %12s\n' tool "wall runs (s)" "median" "cpu runs (s)" "median" \
	"peak RSS"
for l in unzip kaggle_unzip; do
	printf '%-14s %-22s %9s %-22s %9s %9.1f MB\n' "$l" "$(col "$l" 2 | tr '\n' ' ')" \
		"$(col "$l" 2 | median)" "$(col "$l" 4 | tr '\n' ' ')" "$(col "$l" 4 | median)" \
		"$(col "$l" 3 | sort -n | tail -n 1 | awk '{ print $1 / 1024 }')"
done
printf 'ratio kaggle_unzip / unzip -q: wall %s, cpu %s (target <= 1.5)\n' "$(ratio "$ak_s" "$un_s")" \
	"$(ratio "$(col kaggle_unzip 4 | median)" "$(col unzip 4 | median)")"

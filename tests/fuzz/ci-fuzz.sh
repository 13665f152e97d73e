#!/bin/sh
# Builds the profiler's libFuzzer targets (clang, ASan + UBSan) and runs
# them; installs clang with apt-get when it is missing.
#
#   ci-fuzz.sh [SECONDS]            CI: SECONDS in all (default 60), shared
#                                   by the targets; one line per target
#   ci-fuzz.sh --campaign [MINUTES [TARGET...]]
#                                   each target (or those named) MINUTES
#                                   (default 5) on the corpora kept in
#                                   tests/fuzz/out/corpus/
#
# Targets, fastest first: csv (the CSV reader against a reference parser),
# infer (value inference, the same answer whatever the hint), colstat (a
# column's statistics, batches against one value at a time) and scan (the
# whole threaded profile: scanner and reader agree on the records, the
# JSON written a column at a time is the tree's). Exits non-zero on a
# crash or a failed build; the crashing input is kept under
# tests/fuzz/out/ (git-ignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
campaign=0
targets="csv infer colstat scan"
if [ "${1:-}" = "--campaign" ]; then
	campaign=1
	minutes=${2:-5}
	[ $# -le 2 ] || { shift 2; targets=$*; }
else
	total=${1:-60}
fi

if ! command -v clang >/dev/null 2>&1; then
	(apt-get install -y clang >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y clang >/dev/null 2>&1; }) ||
		{ echo "fuzz: cannot install clang (apt-get install -y clang)"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/out"
# the sources only need the GNU extensions from config.h
printf '#define _GNU_SOURCE 1\n' >"$work/config.h"

d=$top/src/data
u=$top/src/util
csv_srcs="$d/csv.c $d/csvsrc.c $u/err.c $u/xalloc.c"
infer_srcs="$d/infer.c $u/xalloc.c"
colstat_srcs="$d/colstat.c $d/freq.c $d/hll.c $d/infer.c $d/kll.c $u/xalloc.c"
scan_srcs="$d/csv.c $d/csvsrc.c $d/colstat.c $d/freq.c $d/hll.c $d/infer.c $d/kll.c $d/profile.c
$d/profile_cli.c $d/scan.c $d/xfile.c $u/err.c $u/strbuf.c $u/xalloc.c"

# build TARGET SOURCES...: with the reader's buffers and the scanner's
# chunks shrunk, so that inputs of a few KiB cross their boundaries
build() {
	t=$1
	shift
	# shellcheck disable=SC2046,SC2068
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-DCSV_BUF=512 -DCSV_SNIFF=128 -DSCAN_CHUNK=256 \
		-I"$work" -I"$top/src" -I"$here" $(pkg-config --cflags libcjson libzip zlib) \
		"$here/fuzz_$t.c" $@ $(pkg-config --libs libcjson libzip zlib) -lm -lpthread \
		-o "$work/fuzz_$t" 2>"$work/build_$t.log"; then
		cat "$work/build_$t.log" >&2
		echo "fuzz: building the $t target failed"
		exit 1
	fi
}

# seeds DIR: the start of the fixture and a few hand-made awkward files
seeds() {
	mkdir -p "$1"
	head -c 4096 "$top/tests/fixtures/profile/stats.csv" >"$1/stats"
	printf 'a,b\n1,"x,y"\n"q""q",2\r\n\n3\n' >"$1/quotes"
	printf '\357\273\277id;v\r1;2020-01-01\r2;1e5\r' >"$1/bom_cr"
	printf 'x\ty\n"open\t1\n' >"$1/tab_open"
	printf 'n\n007\n-0\nNaN\n2020-01-01 10:00:00+02:00\ninf\n-1e30\n12.50\n2021-03-04T05:06:07\n' >"$1/values"
	printf 'a@b.co,+1 (555) 010-9999,4111 1111 1111 1111,"x\n\ny"\n' >"$1/pii"
	printf 'id,t\n1,a\n2,b\n' | gzip -c >"$1/small.gz"
}

# run TARGET SECONDS CORPUS: appends "target runs seconds status" to the
# results. Inputs stay small: a value is short, and the shrunk buffers make
# a few KiB enough for a file.
run() {
	t=$1 secs=$2 corpus=$3
	case $t in
	infer) max=1024 ;; *) max=4096 ;;
	esac
	set +e
	ASAN_OPTIONS=detect_leaks=1 "$work/fuzz_$t" -max_total_time="$secs" -max_len="$max" -timeout=20 \
		-rss_limit_mb=2048 -artifact_prefix="$here/out/$t-" "$corpus" >"$work/run_$t.log" 2>&1
	rc=$?
	set -e
	runs=$(sed -n 's/^Done \([0-9]*\) runs in.*/\1/p' "$work/run_$t.log" | tail -n 1)
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$work/run_$t.log" >&2
		echo "$t ${runs:-?} $secs crash" >>"$work/results"
	else
		echo "$t ${runs:-?} $secs ok" >>"$work/results"
	fi
}

build csv "$csv_srcs"
build infer "$infer_srcs"
build colstat "$colstat_srcs"
build scan "$scan_srcs"
: >"$work/results"
for t in $targets; do
	if [ "$campaign" = 1 ]; then
		corpus=$here/out/corpus/$t
		[ -d "$corpus" ] || seeds "$corpus"
		run "$t" $((minutes * 60)) "$corpus"
	else
		corpus=$work/corpus_$t
		seeds "$corpus"
		# shares of the time: the slow whole-profile target gets the most
		case $t in
		csv) share=25 ;; infer) share=20 ;; colstat) share=15 ;; scan) share=40 ;;
		esac
		secs=$((total * share / 100))
		run "$t" $((secs > 0 ? secs : 1)) "$corpus"
	fi
done
awk '{ printf "fuzz: %-8s %10s runs in %5s s (%s/s): %s\n", $1, $2, $3,
	($2 ~ /^[0-9]+$/ && $3 > 0) ? int($2 / $3) : "?", $4 == "ok" ? "no crash" : "CRASH, input saved under tests/fuzz/out/" }' \
	"$work/results"
if grep -q ' crash$' "$work/results"; then
	echo "fuzz: a target crashed or a sanitizer reported an error"
	exit 1
fi
echo "fuzz: csv reader, inference, column statistics and scanner: no crash"

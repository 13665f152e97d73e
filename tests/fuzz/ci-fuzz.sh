#!/bin/sh
# Builds the fuzz target for the CSV reader, the profiler's scanner and
# value inference with clang's libFuzzer (ASan + UBSan) and runs it for
# SECONDS (default 60). Installs clang with apt-get when it is missing.
# Prints one summary line; exits non-zero on a crash or a failed build.
# A crashing input is kept under tests/fuzz/out/ (git-ignored).
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

if ! command -v clang >/dev/null 2>&1; then
	(apt-get install -y clang >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y clang >/dev/null 2>&1; }) ||
		{ echo "fuzz: cannot install clang (apt-get install -y clang)"; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$here/out"
# the sources only need the GNU extensions from config.h
printf '#define _GNU_SOURCE 1\n' >"$work/config.h"

srcs="$top/src/data/csv.c $top/src/data/csvsrc.c $top/src/data/colstat.c $top/src/data/freq.c
$top/src/data/hll.c $top/src/data/infer.c $top/src/data/kll.c $top/src/data/profile.c
$top/src/data/profile_cli.c $top/src/data/scan.c $top/src/data/xfile.c
$top/src/util/err.c $top/src/util/strbuf.c $top/src/util/xalloc.c"
# shellcheck disable=SC2086
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$work" -I"$top/src" $(pkg-config --cflags libcjson libzip zlib) \
	"$here/fuzz_csv.c" $srcs $(pkg-config --libs libcjson libzip zlib) -lm -lpthread \
	-o "$work/fuzz_csv" 2>"$work/build.log"; then
	cat "$work/build.log" >&2
	echo "fuzz: build failed"
	exit 1
fi

# seeds: the fixtures and a few hand-made awkward files
cp "$top"/tests/fixtures/profile/*.csv "$work/corpus/" 2>/dev/null || true
printf 'a,b\n1,"x,y"\n"q""q",2\r\n\n3\n' >"$work/corpus/quotes"
printf '\357\273\277id;v\r1;2020-01-01\r2;1e5\r' >"$work/corpus/bom_cr"
printf 'x\ty\n"open\t1\n' >"$work/corpus/tab_open"
printf 'n\n007\n-0\nNaN\n2020-01-01 10:00:00+02:00\ninf\n' >"$work/corpus/values"

cd "$work"
set +e
ASAN_OPTIONS=detect_leaks=1 ./fuzz_csv -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
	-artifact_prefix="$here/out/" corpus >"$work/run.log" 2>&1
rc=$?
set -e
runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$work/run.log" | tail -n 1)
if [ "$rc" -ne 0 ]; then
	tail -n 40 "$work/run.log" >&2
	echo "fuzz: crash or sanitizer error (exit $rc), input saved under tests/fuzz/out/"
	exit 1
fi
echo "fuzz: csv reader, profiler scanner and inference: ${runs:-no stats}, no crash"

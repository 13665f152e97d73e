#!/bin/sh
# Benchmarks `autokaggle profile --json` against `wc -l` on generated
# Kaggle-like files, so that figures from different machines compare:
#
#   kaggle_MIBm.csv        rows of ~170 bytes with long quoted text
#   kaggle_short_MIBm.csv  rows of ~114 bytes, 15 short columns: the
#                          harder case, many more values per byte
#   wide_40m.csv           3,000 columns, for the peak RSS
#
# Each file is profiled RUNS times (default 3), each run right after a
# `wc -l` of the same file; the report gives the CPU model, the median
# seconds of both, their ratio and the profiler's peak RSS.
#
#   bench/profile-bench.sh [--compare] [MIB]      (default 1024: ~1 GiB)
#
# --compare also runs DuckDB's SUMMARIZE, nodejs-polars and pandas on the
# first file (npm installs @duckdb/node-api and nodejs-polars into
# bench/node_modules; pandas is Debian's /usr/bin/python3) and checks the
# profiler's distinct counts against pandas' exact nunique.
#
# It runs the tree's build (./quickstart demo makes it; AK=path/to/autokaggle
# picks another binary). What it makes stays under bench/out/ and
# bench/node_modules/ (both git-ignored). Not run by CI.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out
compare=0
if [ "${1:-}" = "--compare" ]; then
	compare=1
	shift
fi
size=${1:-1024}
runs=${RUNS:-3}
mkdir -p "$out"

. "$here/lib.sh"

# ---- inputs ----
cc -O2 -o "$out/gen_kaggle" "$here/gen_kaggle.c"
long=$out/kaggle_${size}m.csv
short=$out/kaggle_short_${size}m.csv
wide=$out/wide_40m.csv
[ -s "$long" ] || { say "generating $long"; "$out/gen_kaggle" "$size" >"$long"; }
[ -s "$short" ] || { say "generating $short"; "$out/gen_kaggle" --short "$size" >"$short"; }
[ -s "$wide" ] || { say "generating $wide"; "$out/gen_kaggle" --wide 40 >"$wide"; }

# ---- the profiler: the tree's build, as users run it ----
ak=${AK:-$top/build/autokaggle}
[ -x "$ak" ] || { say "no binary at $ak: build the tree first (./quickstart demo)"; exit 2; }

# ---- runs ----
results=$out/results.txt
: >"$results"

# measure LABEL FILE OUTFILE CMD...: appends "label file seconds rss_kb" to the results
measure() {
	label=$1 file=$2 dest=$3
	shift 3
	if ! /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >"$dest" 2>"$out/stderr.txt"; then
		say "$label failed:"
		tail -n 5 "$out/stderr.txt" >&2
		echo "$label $file - -" >>"$results"
		return 0
	fi
	read -r secs rss <"$out/time.txt"
	echo "$label $file $secs $rss" >>"$results"
}

for f in "$long" "$short" "$wide"; do
	say "profiling $(basename "$f") $runs times"
	cat "$f" >/dev/null	# the page cache holds the file for both tools
	i=0
	while [ "$i" -lt "$runs" ]; do
		measure wc "$f" /dev/null wc -l "$f"
		measure autokaggle "$f" "$out/$(basename "$f" .csv).json" "$ak" profile --json "$f"
		i=$((i + 1))
	done
done

# ---- report ----
echo
printf 'CPU: %s, %s cores; %s runs each, medians\n' \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)" "$runs"
printf '%-24s %10s %8s %9s %9s %9s %10s\n' file size rows "wc -l s" "ours s" "x wc -l" "peak RSS"
for f in "$long" "$short" "$wide"; do
	wc_s=$(awk -v f="$f" '$1 == "wc" && $2 == f && $3 != "-" { print $3 }' "$results" | median)
	ak_s=$(awk -v f="$f" '$1 == "autokaggle" && $2 == f && $3 != "-" { print $3 }' "$results" | median)
	rss=$(awk -v f="$f" '$1 == "autokaggle" && $2 == f && $4 != "-" { print $4 }' "$results" | sort -n | tail -n 1)
	printf '%-24s %9.0fM %8s %9s %9s %9s %7.1f MiB\n' "$(basename "$f")" "$(($(wc -c <"$f") / 1048576))" \
		"$(($(wc -l <"$f") - 1))" "$wc_s" "$ak_s" \
		"$(awk -v a="$ak_s" -v w="$wc_s" 'BEGIN { if (w > 0) printf "%.1f", a / w; else print "-" }')" \
		"$(awk -v r="${rss:-0}" 'BEGIN { printf "%.1f", r / 1024 }')"
done

[ "$compare" = 1 ] || exit 0

# ---- the others, on the first file, in this folder ----
if [ ! -d "$here/node_modules/@duckdb/node-api" ] || [ ! -d "$here/node_modules/nodejs-polars" ]; then
	say "installing @duckdb/node-api and nodejs-polars with npm"
	(cd "$here" && npm install --no-save --no-package-lock --no-audit --no-fund \
		@duckdb/node-api nodejs-polars nodejs-polars-linux-x64-gnu >/dev/null)
fi
: >"$out/others.txt"
results=$out/others.txt
measure duckdb_SUMMARIZE "$long" "$out/duckdb.json" node "$here/duckdb-summarize.js" "$long"
measure nodejs-polars "$long" "$out/polars.json" node "$here/polars-describe.js" "$long"
measure pandas "$long" "$out/pandas.json" /usr/bin/python3 "$here/pandas-describe.py" "$long"
ak_s=$(awk -v f="$long" '$1 == "autokaggle" && $2 == f && $3 != "-" { print $3 }' "$out/results.txt" | median)
echo
printf '%s, against the other tools:\n' "$(basename "$long")"
printf '%-24s %9s %10s %9s\n' tool seconds "peak RSS" "x ours"
awk -v ak="$ak_s" '{
	label = $1; gsub("_", " ", label)
	if ($3 == "-") { printf "%-24s %9s\n", label, "failed"; next }
	printf "%-24s %9.2f %7.1f MB %9.2f\n", label, $3, $4 / 1024, $3 / (ak > 0 ? ak : 0.01)
}' "$results"

echo
echo "distinct values per column (pandas nunique is exact; ~ marks an estimate):"
node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch (e) { return null; } };
const ak = read(process.argv[1]), duck = read(process.argv[2]) || {}, pd = read(process.argv[3]) || {};
if (!ak) { console.log("  (no profile)"); process.exit(0); }
const pct = (a, b) => b ? (100 * (a - b) / b).toFixed(2) + " %" : "";
console.log("  " + "column".padEnd(12) + "exact".padStart(10) + "autokaggle".padStart(13) + "error".padStart(9) +
	"duckdb".padStart(10) + "error".padStart(10));
for (const c of ak.files[0].columns) {
	const ex = pd[c.name];
	const mine = (c.distinct_exact ? "" : "~") + c.distinct;
	console.log("  " + c.name.padEnd(12) + String(ex ?? "?").padStart(10) + mine.padStart(13) +
		pct(c.distinct, ex).padStart(9) + String(duck[c.name] ?? "?").padStart(10) +
		pct(duck[c.name], ex).padStart(10));
}' "$out/$(basename "$long" .csv).json" "$out/duckdb.json" "$out/pandas.json"

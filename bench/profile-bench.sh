#!/bin/sh
# Benchmarks `autokaggle profile` against wc -l, DuckDB's SUMMARIZE over
# read_csv_auto, nodejs-polars (describe + null_count + n_unique) and
# pandas (read_csv + describe + isna + nunique) on a generated Kaggle-like
# CSV, and checks the profiler's distinct counts against pandas' exact
# nunique. Not run by CI.
#
#   bench/profile-bench.sh [MIB]      (default 1024: a ~1 GiB file)
#
# Everything it makes stays under bench/out/ and bench/node_modules/
# (both git-ignored): the generated files, a -O2 build of the profiler
# and the npm packages (@duckdb/node-api, nodejs-polars with their
# prebuilt binaries). pandas is Debian's (/usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out
size=${1:-1024}
mkdir -p "$out"

say() { printf '%s\n' "$*" >&2; }

# ---- inputs ----
cc -O2 -o "$out/gen_kaggle" "$here/gen_kaggle.c"
big=$out/kaggle_${size}m.csv
small=$out/kaggle_100m.csv
[ -s "$big" ] || { say "generating $big"; "$out/gen_kaggle" "$size" >"$big"; }
[ -s "$small" ] || { say "generating $small"; "$out/gen_kaggle" 100 >"$small"; }

# ---- the profiler: its own sources at -O2, whatever the rest of the tree is doing ----
printf '#define _GNU_SOURCE 1\n' >"$out/config.h"
srcs=""
for f in csv csvsrc colstat freq hll infer kll profile profile_cli scan xfile; do
	srcs="$srcs $top/src/data/$f.c"
done
# shellcheck disable=SC2046,SC2086
cc -O2 -I"$out" -I"$top/src" $(pkg-config --cflags libcjson libzip zlib) "$here/ak_profile.c" $srcs \
	"$top/src/util/err.c" "$top/src/util/strbuf.c" "$top/src/util/xalloc.c" \
	$(pkg-config --libs libcjson libzip zlib) -lm -lpthread -o "$out/ak-profile"

# ---- the others, in this folder ----
if [ ! -d "$here/node_modules/@duckdb/node-api" ] || [ ! -d "$here/node_modules/nodejs-polars" ]; then
	say "installing @duckdb/node-api and nodejs-polars with npm"
	(cd "$here" && npm install --no-save --no-package-lock --no-audit --no-fund \
		@duckdb/node-api nodejs-polars nodejs-polars-linux-x64-gnu >/dev/null)
fi

# ---- runs ----
bytes=$(wc -c <"$big")
smallbytes=$(wc -c <"$small")
results=$out/results.txt
: >"$results"

# measure LABEL BYTES OUTFILE CMD...: appends "label seconds rss_kb bytes" to the results
measure() {
	label=$1 nbytes=$2 dest=$3
	shift 3
	say "running: $label"
	if ! /usr/bin/time -f '%e %M' -o "$out/time.txt" "$@" >"$dest" 2>"$out/stderr.txt"; then
		say "$label failed:"
		tail -n 5 "$out/stderr.txt" >&2
		echo "$label - - $nbytes" >>"$results"
		return 0
	fi
	read -r secs rss <"$out/time.txt"
	echo "$label $secs $rss $nbytes" >>"$results"
}

cat "$big" >/dev/null	# the page cache holds the file for every tool
wc -l "$big" >/dev/null
measure "wc_-l" "$bytes" /dev/null wc -l "$big"
measure "autokaggle_profile" "$bytes" "$out/ak.json" "$out/ak-profile" --json "$big"
measure "autokaggle_profile_100MiB" "$smallbytes" /dev/null "$out/ak-profile" --json "$small"
measure "duckdb_SUMMARIZE" "$bytes" "$out/duckdb.json" node "$here/duckdb-summarize.js" "$big"
measure "nodejs-polars" "$bytes" "$out/polars.json" node "$here/polars-describe.js" "$big"
measure "pandas" "$bytes" "$out/pandas.json" /usr/bin/python3 "$here/pandas-describe.py" "$big"

# ---- report ----
wc_secs=$(awk '$1 == "wc_-l" { print $2 }' "$results")
ak_secs=$(awk '$1 == "autokaggle_profile" { print $2 }' "$results")
echo
printf 'file: %s (%s bytes, %s rows), %s CPUs\n' "$big" "$bytes" "$(($(wc -l <"$big") - 1))" "$(nproc)"
printf '%-28s %9s %9s %10s %9s %9s\n' tool seconds MB/s "peak RSS" "x wc -l" "x ours"
awk -v wc="$wc_secs" -v ak="$ak_secs" '{
	label = $1; gsub("_", " ", label)
	if ($2 == "-") { printf "%-28s %9s\n", label, "failed"; next }
	printf "%-28s %9.2f %9.0f %7.1f MB %9.1f %9.2f\n", label, $2, $4 / 1e6 / ($2 > 0 ? $2 : 0.01), $3 / 1024,
		$2 / (wc > 0 ? wc : 0.01), $2 / (ak > 0 ? ak : 0.01)
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
}' "$out/ak.json" "$out/duckdb.json" "$out/pandas.json"

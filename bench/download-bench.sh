#!/bin/sh
# Benchmarks `autokaggle download` against the fake Kaggle server on
# 127.0.0.1 serving a ~500 MB data zip (a train.csv of MIB MiB from
# bench/gen_kaggle.c, deflated): its download against `curl -o` of the same
# signed storage URL, its extraction against `unzip -q` of the same zip,
# and its peak RSS (/usr/bin/time). The download and extraction times are
# the ones `autokaggle download` prints. Runs are interleaved, RUNS of each
# (default 3); the report gives the CPU model, the load, every run, the
# medians and the ratios. The issue's targets: download within 1.2x of
# curl, extraction within 1.5x of unzip, peak RSS at most 32 MiB. Not run
# by CI.
#
#   bench/download-bench.sh [MIB]      (default 1300: a zip of ~500 MB)
#
# The inputs stay under bench/out/download/ (git-ignored): a build of the
# tree with the default CFLAGS (-g -O2), the data, the fake's zip (built
# once and kept). What the tools write (the cache, curl's zip, unzip's
# files) goes to OUT_DIR (default /dev/shm/ak-download-bench, removed at
# the end): on this machine kind, write-back to the virtual disk makes
# times of the same command vary 2x from run to run, which would measure
# the disk, not the tools. unzip and curl are installed with apt-get when
# missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out/download
build=$out/build
scratch=${OUT_DIR:-/dev/shm/ak-download-bench}
size=${1:-1300}
runs=${RUNS:-3}
py=/usr/bin/python3

. "$here/lib.sh"
mkdir -p "$out"
for tool in unzip curl; do
	command -v "$tool" >/dev/null || { say "installing $tool"; apt-get install -y "$tool" >/dev/null; }
done

bench_build "$build" autokaggle
ak=$build/autokaggle

# ---- the competition ----
comp=$out/data/big-fake
if [ ! -s "$comp/train.csv" ]; then
	mkdir -p "$comp"
	cc -O2 -o "$out/gen_kaggle" "$here/gen_kaggle.c"
	say "generating $size MiB of train.csv"
	"$out/gen_kaggle" "$size" >"$comp/train.csv"
	head -n 1001 "$comp/train.csv" >"$comp/test.csv"
	printf 'id,target\n1,0\n' >"$comp/sample_submission.csv"
fi

# ---- the fake, its zip built once (kept in $out/state) ----
rm -f "$out/fake.port"
"$py" "$top/tests/fakes/fake_kaggle.py" --port-file "$out/fake.port" --data "$out/data" \
	--state "$out/state" >"$out/fake.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$scratch"' EXIT
mkdir -p "$scratch"
i=0
while [ ! -s "$out/fake.port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
api=http://127.0.0.1:$(cat "$out/fake.port")/v1
KAGGLE_API_ENDPOINT=$api
KAGGLE_USERNAME=alice
KAGGLE_KEY=0123456789abcdef0123456789abcdef
XDG_CACHE_HOME=$scratch/cache
export KAGGLE_API_ENDPOINT KAGGLE_USERNAME KAGGLE_KEY XDG_CACHE_HOME
say "asking the fake for the zip (built the first time: a minute)"
url=$(curl -s -o /dev/null -w '%{redirect_url}' -u "alice:$KAGGLE_KEY" -H 'Content-Type: application/json' \
	-d '{"competitionName":"big-fake"}' "$api/competitions.CompetitionApiService/DownloadDataFiles")
[ -n "$url" ] || { say "the fake gave no download URL"; exit 1; }

# ---- runs ----
results=$out/results.txt
: >"$results"
n=1
# Each tool starts from an empty scratch directory with nothing to write
# back: what the one before left would otherwise slow the next.
fresh() {
	rm -rf "$scratch/cache" "$scratch/unzip" "$@"
	sync
}
while [ "$n" -le "$runs" ]; do
	say "run $n of $runs"
	fresh "$scratch/curl.zip"
	/usr/bin/time -f '%e' -o "$out/t" curl -s -o "$scratch/curl.zip" "$url"
	echo "curl $(cat "$out/t")" >>"$results"
	fresh
	/usr/bin/time -f '%e %M' -o "$out/t" "$ak" download big-fake >"$out/ak.txt"
	read -r wall rss <"$out/t"
	dl=$(sed -n 's/.*downloaded: [0-9.]* MB in \([0-9.]*\) s, extracted in \([0-9.]*\) s.*/\1/p' "$out/ak.txt")
	ex=$(sed -n 's/.*downloaded: [0-9.]* MB in \([0-9.]*\) s, extracted in \([0-9.]*\) s.*/\2/p' "$out/ak.txt")
	echo "ours $dl $ex $wall $rss" >>"$results"
	fresh
	/usr/bin/time -f '%e %M' -o "$out/t" unzip -q "$scratch/curl.zip" -d "$scratch/unzip"
	echo "unzip $(cat "$out/t")" >>"$results"
	n=$((n + 1))
done

# ---- report ----
col() { awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$results" | median; }
curl_s=$(col curl 2)
dl_s=$(col ours 2)
ex_s=$(col ours 3)
unzip_s=$(col unzip 2)
rss=$(awk '$1 == "ours" { print $5 }' "$results" | sort -n | tail -n 1)
zip_mb=$(stat -c %s "$scratch/curl.zip" | awk '{ printf "%.0f", $1 / 1e6 }')
echo
printf 'CPU: %s, %s cores; load %s; zip %s MB; %s runs, medians\n' \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)" \
	"$(cut -d' ' -f1-3 /proc/loadavg)" "$zip_mb" "$runs"
cat "$results" | sed 's/^/  /'
printf '%-30s %8s s\n' "curl -o" "$curl_s" "autokaggle download (fetch)" "$dl_s"
awk -v a="$dl_s" -v b="$curl_s" 'BEGIN { printf "%-30s %8.2fx (target <= 1.2x)\n", "download / curl", a / b }'
printf '%-30s %8s s\n' "unzip -q" "$unzip_s" "autokaggle download (extract)" "$ex_s"
awk -v a="$ex_s" -v b="$unzip_s" 'BEGIN { printf "%-30s %8.2fx (target <= 1.5x)\n", "extract / unzip", a / b }'
awk -v r="$rss" 'BEGIN { printf "%-30s %8.1f MiB (target <= 32 MiB)\n", "peak RSS of download", r / 1024 }'

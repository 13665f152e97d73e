#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs them;
# installs clang with apt-get when it is missing.
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
# JSON written a column at a time is the tree's); then what comes from
# outside the data: competition (competition.json as META reads it),
# runjson (run.json as reindex and rerun read it), runopts (the run
# options, an argv), validate (a submission against its sample and
# the test file, and the input id check) and kaggle_api (every reply
# parser of the Kaggle API and its error judge: bounded strings and
# pages, one clean line per error). Exits non-zero on a
# crash or a failed build; the crashing input is kept under
# tests/fuzz/out/ (git-ignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
campaign=0
targets="csv infer colstat scan competition runjson runopts validate kaggle_api"
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
# config.h: the GNU extensions and the names the sources take from configure
cat >"$work/config.h" <<EOF
#define _GNU_SOURCE 1
#define HAVE_SYS_PRCTL_H 1
#define PACKAGE_NAME "autokaggle"
#define PACKAGE_VERSION "0.1.0"
#define ABS_TOP_BUILDDIR "$work"
#define ABS_TOP_SRCDIR "$top"
#define PKGDATADIR "$top"
EOF

mods="libcjson libzip zlib sqlite3 libcrypto libcurl libpcre2-8"
# shellcheck disable=SC2086
# The reader's buffers and the scanner's chunks are shrunk, so that inputs
# of a few KiB cross their boundaries.
cflags="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
-DCSV_BUF=512 -DCSV_SNIFF=128 -DSCAN_CHUNK=256 -I$work -I$top/src -I$here $(pkg-config --cflags $mods)"

# Every source but main() is compiled once, instrumented, into one archive;
# a target links what it uses, so a new dependency needs no list here.
mkdir -p "$work/obj"
find "$top/src" -name '*.c' ! -path "$top/src/main.c" | sort >"$work/sources"
# shellcheck disable=SC2016
if ! xargs -P 2 -I{} sh -c 'exec clang $1 -fsanitize=fuzzer-no-link -c "$3" -o "$2/obj/$(echo "$3" | tr / _).o"' \
	sh "$cflags" "$work" {} <"$work/sources" 2>"$work/build.log" ||
	! ar cr "$work/libak.a" "$work"/obj/*.o 2>>"$work/build.log"; then
	cat "$work/build.log" >&2
	echo "fuzz: compiling the sources failed"
	exit 1
fi

build() {
	t=$1
	# shellcheck disable=SC2046,SC2086
	if ! clang $cflags -fsanitize=fuzzer "$here/fuzz_$t.c" "$work/libak.a" \
		$(pkg-config --libs $mods) -lm -lpthread -o "$work/fuzz_$t" 2>"$work/build_$t.log"; then
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

# seeds_for TARGET DIR: what the target reads, where it is not a CSV file
seeds_for() {
	case $1 in
	competition)
		mkdir -p "$2"
		printf '{"ref":"titanic","title":"Titanic \033[31m","description":"x","evaluationDescription":"rmse","rules":"r"}' >"$2/comp"
		printf '{"title":{"a":[1,2,{"b":null}]},"ref":"\\u0007x"}' >"$2/nested"
		;;
	runjson)
		mkdir -p "$2"
		printf '{"run_id":"20261203-102517-demo","created":"2026-12-03T10:25:17Z","source":{"kind":"local","path":"/d"},"title":"t","status":"done","done_fingerprint":"ab","task":{"type":"binary","target":"y","metric":"auc"},"options":{"seed":42,"memory":"4G","budget":"10m","python":"/usr/bin/python3"},"stages":[{"id":"DATA","status":"done","started":"2026-12-03T10:25:18Z","ended":"2026-12-03T10:25:19Z","exit_code":0,"wall_s":1.5,"cpu_s":0.5,"maxrss_kb":100,"message":"ok","input_fingerprint":"x"},{"id":"TRAIN","status":"failed"}]}' >"$2/run"
		;;
	runopts)
		mkdir -p "$2"
		printf -- '--seed\0004294967295\000--memory=256M\000--budget\0001h\000--folds\0005' >"$2/opts"
		printf -- '--memory\000none\000--python\000/usr/bin/python3\000--target=y\000-x' >"$2/words"
		;;
	validate)
		mkdir -p "$2"
		printf 'id,y\n1,0\n2,0\n\000id,a\n1,x\n2,y\n\000id,y\n1,0.5\n2,1\n' >"$2/ok"
		printf 'id,y\n1,0\n\000id,a\n1,x\n\000id,y\n3,nan\n3,1\n' >"$2/bad"
		;;
	kaggle_api)
		mkdir -p "$2"
		printf '{"competitions":[{"id":3136,"ref":"https://www.kaggle.com/competitions/titanic","title":"Titanic","url":"https://www.kaggle.com/c/titanic","category":"Getting Started","reward":"Knowledge","deadline":"2030-01-01T00:00:00Z","teamCount":15000,"userHasEntered":true,"maxDailySubmissions":10,"evaluationMetric":"Categorization Accuracy"}],"nextPageToken":"CAE"}' >"$2/list"
		printf '{"files":[{"ref":"train.csv","name":"train.csv","description":"","totalBytes":61194,"url":"http://localhost/s/train","creationDate":"2018-04-09T05:33:22.123456Z"}],"nextPageToken":"","childrenFetchTimeMs":3}' >"$2/files"
		printf '{"submissions":[{"ref":424243,"date":"2025-07-01T11:00:00Z","fileName":"s.csv","status":"ERROR","errorDescription":"Submission must have 418 rows"},{"ref":424242,"totalBytes":3258,"publicScore":"0.77511","status":"complete","teamName":"alice"}],"nextPageToken":""}' >"$2/subs"
		printf '{"submissions":[{"teamId":1,"teamName":"Top Team","submissionDate":"2025-06-01T00:00:00Z","score":"1.00000"}],"nextPageToken":"p2"}' >"$2/board"
		printf '{"token":"blob","createUrl":"http://localhost/up","message":"ok","ref":56073536,"numToday":1,"numAllowedNow":4,"limitedByTotal":false}' >"$2/upload"
		printf '\024{"code":403,"message":"You must accept this competition\\u0027s rules"}' >"$2/rules"
		printf '\011{"error":{"code":429,"message":"Too many requests","status":"RESOURCE_EXHAUSTED"}}' >"$2/google"
		;;
	*) seeds "$2" ;;
	esac
}

# run TARGET SECONDS CORPUS: appends "target runs seconds status" to the
# results. Inputs stay small: a value is short, and the shrunk buffers make
# a few KiB enough for a file.
run() {
	t=$1 secs=$2 corpus=$3
	case $t in
	infer | runopts) max=1024 ;; competition | runjson | kaggle_api) max=16384 ;; *) max=4096 ;;
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

for t in $targets; do
	build "$t"
done
: >"$work/results"
for t in $targets; do
	if [ "$campaign" = 1 ]; then
		corpus=$here/out/corpus/$t
		[ -d "$corpus" ] || seeds_for "$t" "$corpus"
		run "$t" $((minutes * 60)) "$corpus"
	else
		corpus=$work/corpus_$t
		seeds_for "$t" "$corpus"
		# shares of the time: the slow whole-profile target gets the most
		case $t in
		scan) share=20 ;; csv) share=15 ;; kaggle_api) share=5 ;; *) share=10 ;;
		esac
		secs=$((total * share / 100))
		run "$t" $((secs > 0 ? secs : 1)) "$corpus"
	fi
done
awk '{ printf "fuzz: %-11s %9s runs in %5s s (%s/s): %s\n", $1, $2, $3,
	($2 ~ /^[0-9]+$/ && $3 > 0) ? int($2 / $3) : "?", $4 == "ok" ? "no crash" : "CRASH, input saved under tests/fuzz/out/" }' \
	"$work/results"
if grep -q ' crash$' "$work/results"; then
	echo "fuzz: a target crashed or a sanitizer reported an error"
	exit 1
fi
echo "fuzz: $(echo "$targets" | wc -w) targets, no crash"

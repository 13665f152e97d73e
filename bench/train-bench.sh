#!/bin/sh
# Benchmarks TRAIN of the offline templates against one default
# scikit-learn HistGradientBoosting fit on the same data (bench/default_fit.py,
# timed as a whole process, imports included, in the thread environment the
# pipeline gives TRAIN: OMP_NUM_THREADS = the CPU count, GOMP_SPINCOUNT=1000),
# and checks that the CV score stays within 1 % of the templates at commit
# 8c52c1f. Exits 1 when a competition misses its limit. Not run by CI.
#
#   bench/train-bench.sh [-n RUNS] [-o 'RUN OPTIONS'] [COMPETITION...]
#   bench/train-bench.sh --reference
#
# Competitions: demo, wine, breast_cancer, diabetes, digits (small and
# mid-sized: TRAIN at most 8x the default fit) and sales (100,000 rows with
# dates and high-cardinality strings: at most 15x); bench/train_competitions.py
# writes all but the demo. Each one runs through the real pipeline,
# `autokaggle --workspace W run DIR` (the demo: `autokaggle demo`), RUNS
# times (default 3) interleaved with the default fit; the table shows medians.
# TRAIN's and PREDICT's times are stages[].wall_s of `autokaggle status
# --json`; the limit applies to their sum (the fold models predict the test
# data in PREDICT). For the demo the whole command's wall time is shown too,
# on the runs after the first (warm). -o passes run options (say '--family xgboost') to each run.
#
# The reference CV comes from bench/train-reference.tsv; --reference
# rebuilds it: it builds commit 8c52c1f (git archive) under
# bench/out/ref and runs each competition once through that tree, writing
# bench/out/train-reference.tsv.
#
# Everything it makes stays under bench/out/ (git-ignored): a build of this
# tree, the competitions, the workspaces. The models' Python is
# $AUTOKAGGLE_PYTHON (default /usr/bin/python3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=$here/out
REF_COMMIT=8c52c1f
PY=${AUTOKAGGLE_PYTHON:-/usr/bin/python3}
export AUTOKAGGLE_PYTHON=$PY
runs=3
run_opts=
reference=0
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	-o) run_opts=$2; shift 2 ;;
	--reference) reference=1; shift ;;
	-*) echo "usage: $0 [-n RUNS] [-o 'RUN OPTIONS'] [COMPETITION...] | --reference" >&2; exit 2 ;;
	*) break ;;
	esac
done
comps=${*:-demo wine breast_cancer diabetes digits sales}
mkdir -p "$out"

say() { printf '%s\n' "$*" >&2; }

# build SRC_DIR BUILD_DIR: a -O2 build of the tree (a no-op when current)
build() {
	say "building $1 in $2"
	(cd "$1" && { [ -x configure ] || ./autogen.sh >/dev/null 2>&1; }) &&
		mkdir -p "$2" && cd "$2" &&
		{ [ -f Makefile ] || "$1/configure" >/dev/null; } &&
		make -j"$(nproc)" >/dev/null
}

[ -f "$out/comps/sales/train.csv" ] || {
	say "writing the competitions into $out/comps"
	"$PY" "$here/train_competitions.py" "$out/comps"
}

# stage_json WS RUN EXPR: a value from `status --json` (jq EXPR)
stage_json() {
	"$AK" --workspace "$1" status "$2" --json | jq -r "$3"
}

# run_one WS COMP: runs COMP through the pipeline once; prints
# "train_s cv predict_s total_s task target id metric"
run_one() {
	ws=$1 comp=$2
	# shellcheck disable=SC2086
	if [ "$comp" = demo ]; then
		set -- "$AK" --workspace "$ws" demo $run_opts
	else
		set -- "$AK" --workspace "$ws" run "$out/comps/$comp" $run_opts
	fi
	/usr/bin/time -f %e -o "$out/time.txt" "$@" >"$out/run.out" 2>&1 || {
		say "$comp failed:"
		tail -n 20 "$out/run.out" >&2
		return 1
	}
	id=$(sed -n 's/^run: *//p' "$out/run.out")
	printf '%s %s %s %s %s\n' \
		"$(stage_json "$ws" "$id" '.stages[] | select(.name == "train") | .wall_s')" \
		"$(stage_json "$ws" "$id" '.run.cv_score')" \
		"$(stage_json "$ws" "$id" '.stages[] | select(.name == "predict") | .wall_s')" \
		"$(cat "$out/time.txt")" \
		"$(stage_json "$ws" "$id" '.run | "\(.task) \(.target) \(.id_column) \(.metric)"')"
}

# default_fit COMP TASK TARGET ID: the default fit's wall time
default_fit() {
	dir=$out/comps/$1
	[ "$1" = demo ] && dir=$out/build/demo
	OMP_NUM_THREADS=$(nproc) GOMP_SPINCOUNT=1000 /usr/bin/time -f %e -o "$out/time.txt" \
		"$PY" "$here/default_fit.py" "$dir" "$3" "$4" "$2" >/dev/null
	cat "$out/time.txt"
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ $reference -eq 1 ]; then
	rm -rf "$out/ref"
	mkdir -p "$out/ref/src"
	git -C "$top" archive "$REF_COMMIT" | tar -x -C "$out/ref/src"
	build "$out/ref/src" "$out/ref/build"
	AK=$out/ref/build/autokaggle
	printf '# competition\tcv\ttrain_s\t(autokaggle %s, %s, %s)\n' "$REF_COMMIT" \
		"$(lscpu | sed -n 's/^Model name: *//p')" "$(date -u +%Y-%m-%d)" >"$out/train-reference.tsv"
	for comp in $comps; do
		say "reference: $comp"
		rm -rf "$out/ref/ws"
		set -- $(run_one "$out/ref/ws" "$comp")
		printf '%s\t%s\t%s\n' "$comp" "$2" "$1" >>"$out/train-reference.tsv"
	done
	cat "$out/train-reference.tsv"
	exit 0
fi

build "$top" "$out/build"
AK=$out/build/autokaggle
results=$out/train-results.txt
: >"$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for comp in $comps; do
	rm -rf "$out/ws"
	i=0
	while [ $i -lt "$runs" ]; do
		say "$comp: run $((i + 1)) of $runs"
		set -- $(run_one "$out/ws" "$comp")
		fit=$(default_fit "$comp" "$5" "$6" "$7")
		echo "$comp $i $1 $2 $3 $4 $fit $8" >>"$results"
		i=$((i + 1))
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
printf 'CPU: %s, %s cores; load average %s before, %s after; %s runs each, medians%s\n' \
	"$(lscpu | sed -n 's/^Model name: *//p')" "$(nproc)" "$load_before" "$load_after" "$runs" \
	"${run_opts:+; run options $run_opts}"
printf '%-14s %-8s %12s %12s %8s %8s %8s %7s %7s %7s %6s\n' competition metric "cv $REF_COMMIT" \
	"cv now" "worse by" "train s" "pred s" "fit s" ratio "t+p/fit" limit
fail=0
for comp in $comps; do
	ref=$(awk -v c="$comp" '$1 == c { print $2 }' "$here/train-reference.tsv")
	cv=$(awk -v c="$comp" '$1 == c { print $4; exit }' "$results")
	metric=$(awk -v c="$comp" '$1 == c { print $8; exit }' "$results")
	train=$(awk -v c="$comp" '$1 == c { print $3 }' "$results" | median)
	predict=$(awk -v c="$comp" '$1 == c { print $5 }' "$results" | median)
	fit=$(awk -v c="$comp" '$1 == c { print $7 }' "$results" | median)
	limit=8
	[ "$comp" = sales ] && limit=15
	line=$(awk -v c="$comp" -v m="$metric" -v ref="${ref:-nan}" -v cv="$cv" -v t="$train" -v p="$predict" \
		-v f="$fit" -v lim="$limit" 'BEGIN {
		lower = m ~ /^(rmse|rmsle|mae|mape|logloss)$/
		worse = ref == "nan" ? 0 : (lower ? (cv - ref) / ref : (ref - cv) / ref) * 100
		# The limit holds for TRAIN with PREDICT too: the fold models make
		# the test predictions there, where a refit would have made them in TRAIN.
		bad = (t + p) / f > lim || worse > 1
		printf "%-14s %-8s %12.6g %12.6g %7.2f%% %8.2f %8.2f %7.2f %7.2f %7.2f %5dx%s\n", c, m, ref, cv, worse,
			t, p, f, t / f, (t + p) / f, lim, bad ? "  FAIL" : ""
	}')
	echo "$line"
	case $line in *FAIL) fail=1 ;; esac
done
if echo "$comps" | grep -qw demo; then
	echo
	echo "demo, runs 2..$runs (warm): train, predict and the whole 'autokaggle demo' command, medians:"
	awk '$1 == "demo" && $2 > 0 { print $3 }' "$results" | median | sed 's/^/  train   s: /'
	awk '$1 == "demo" && $2 > 0 { print $5 }' "$results" | median | sed 's/^/  predict s: /'
	awk '$1 == "demo" && $2 > 0 { print $6 }' "$results" | median | sed 's/^/  whole   s: /'
fi
echo "raw figures: $results (competition, run, train s, cv, predict s, whole s, default fit s, metric)"
exit $fail

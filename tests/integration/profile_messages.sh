#!/bin/sh
# Data that cannot be trained on fails PROFILE with the real reason, not
# a consequence of it: a single-valued target is not "multiclass", one
# row is not "regression", an empty file has no header, a target that
# is not in train is named as such; the stage log says what failed after
# the profiler exited; a long quoted field is not "never closed".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/profile_fails.sh"

plan 31

base=$T/base
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$base" || bail_out "fixture generator failed"
plants=$T/plants
sh "$top_srcdir/tests/fixtures/gen-competition.sh" multiclass "$plants" || bail_out "fixture generator failed"

# One species in every row: nothing to learn, and not a multiclass task.
dir=$(competition_copy oneclass "$plants")
awk -F, 'BEGIN { OFS = "," } NR > 1 { $NF = "setosa" } { print }' "$plants/train.csv" >"$dir/train.csv"
profile_fails oneclass 'the target column "species" has one value \(setosa\) in every row of .*train\.csv: there is nothing to learn' \
	"a single-valued target fails PROFILE with that reason"
expect_no_grep 'multiclass' "$T/oneclass.out" "it is not called multiclass"

# The same with a numeric target.
dir=$(competition_copy oneprice "$base")
awk -F, 'BEGIN { OFS = "," } NR > 1 { $NF = 7 } { print }' "$base/train.csv" >"$dir/train.csv"
profile_fails oneprice 'the target column "price" has one value \(7\) in every row' \
	"a single-valued numeric target fails PROFILE with that reason"

# One training row.
dir=$(competition_copy onerow "$base")
head -n 2 "$base/train.csv" >"$dir/train.csv"
profile_fails onerow 'train\.csv has a single data row: there is nothing to learn from' "a 1-row train fails PROFILE"
expect_no_grep 'regression' "$T/onerow.out" "it is not called regression"

# Fewer rows than folds.
dir=$(competition_copy fewrows "$base")
head -n 4 "$base/train.csv" >"$dir/train.csv"
profile_fails fewrows 'train\.csv has 3 data rows, fewer than the 5 cross-validation folds: pass --folds 3 or fewer' \
	"fewer train rows than folds fails PROFILE and says what to pass"

# A 0-byte test.csv has no header at all.
dir=$(competition_copy zerotest "$base")
: >"$dir/test.csv"
profile_fails zerotest 'test\.csv is empty \(0 bytes\)' "a 0-byte test.csv is called empty"
expect_no_grep 'has a header' "$T/zerotest.out" "not 'has a header but no data rows'"

# --target names a column train does not have.
dir=$(competition_copy nope "$base")
profile_fails nope 'the target column "NOPE" given with --target is not in .*train\.csv \(its columns: id, sqft, rooms, age, neighborhood, garage, price\)' \
	"--target NOPE is named, with train's columns" --target NOPE
expect_no_grep 'cannot tell the task type' "$T/nope.out" "not 'cannot tell the task type'"

# The sample submission predicts a column train does not have.
dir=$(competition_copy samplecol "$base")
sed '1s/.*/id,cost/' "$base/sample_submission.csv" >"$dir/sample_submission.csv"
profile_fails samplecol 'the target column "cost" named by the sample submission is not in .*train\.csv' \
	"a sample column missing from train is named"
expect_no_grep 'cannot tell the task type' "$T/samplecol.out" "not 'cannot tell the task type'"

# The stage log says what failed after the profiler itself exited 0.
id=$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/samplecol.out")
run ak logs "$id" profile
cp "$T/stdout" "$T/samplecol.log"
expect_grep '^\[autokaggle\] exited with status 0' "$T/samplecol.log" "the profiler exited 0"
ok "the log's last line says PROFILE failed and why" \
	like "$(tail -n 1 "$T/samplecol.log")" '^\[autokaggle\] profile failed: the target column "cost" named by the sample submission'

# A quoted field over 1 MiB is long, not unclosed.
awk 'BEGIN {
	printf "id,note,y\n1,\""
	for (i = 0; i < 1100; i++)
		printf "%01000d", 0
	printf "\",1\n2,short,0\n3,also short,1\n"
}' >"$T/long.csv"
run ak profile "$T/long.csv"
ok "ak profile reads the long field (exit 0)" test "$rc" -eq 0 || diag_file "$T/stderr"
expect_no_grep 'never closed' "$T/stdout" "no 'a quoted field is never closed' warning"
expect_grep '^long\.csv .*: 3 rows x 3 columns' "$T/stdout" "the rows are counted right"

done_testing

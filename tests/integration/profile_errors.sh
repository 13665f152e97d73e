#!/bin/sh
# Inputs that make training impossible or the submission invalid fail
# PROFILE with the file, the line and what to do, before ENV and TRAIN
# start; softer problems are warnings and the run goes on.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/profile_fails.sh"

plan 22

base=$T/base
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$base" || bail_out "fixture generator failed"

# A row with more fields than the header: pandas stops on it in TRAIN.
dir=$(competition_copy ragged "$base")
awk 'NR == 10 { $0 = $0 ",9,north" } { print }' "$base/train.csv" >"$dir/train.csv"
profile_fails ragged 'train\.csv line 10 has more fields than the 7 of its header \(1 such row\): .*quote that value or fix the line' \
	"a row with too many fields fails PROFILE, naming file and line"

# Latin-1 bytes: pandas cannot decode the file.
dir=$(competition_copy latin1 "$base")
awk 'NR == 5 { sub(/,[a-z]+,/, ",caf\351,") } { print }' "$base/test.csv" >"$dir/test.csv"
profile_fails latin1 'test\.csv line 5 is not valid UTF-8 .*convert the file to UTF-8' \
	"invalid UTF-8 fails PROFILE, naming file and line"

# A .gz cut short would otherwise read as a shorter, valid CSV.
dir=$(competition_copy truncated "$base")
gzip -c "$base/train.csv" | head -c 3000 >"$dir/train.csv.gz"
rm "$dir/train.csv"
profile_fails truncated 'train\.csv\.gz is truncated: .*download the file again' \
	"a truncated .gz fails PROFILE"

# The same id twice in test: no submission can list each id once.
dir=$(competition_copy duptest "$base")
awk 'NR == 5 { print } { print }' "$base/test.csv" >"$dir/test.csv"
profile_fails duptest 'test\.csv has 1 duplicate id in column "id" \(first: 1004 at line 6, already at line 5\)' \
	"a duplicate test id fails PROFILE, naming both lines"

# A quote that never closes swallows the rest of the file.
dir=$(competition_copy openquote "$base")
awk 'NR == 20 { sub(/,[a-z]+,/, ",\"north,") } { print }' "$base/train.csv" >"$dir/train.csv"
profile_fails openquote 'train\.csv ends inside a quoted field: a quote in data row 19 never closes' \
	"an unclosed quote fails PROFILE, naming the row"

# Several problems: the first in the message, all of them in the log.
dir=$(competition_copy several "$base")
cp "$T/ragged/train.csv" "$dir/train.csv"
cp "$T/duptest/test.csv" "$dir/test.csv"
profile_fails several 'line 10 has more fields .*\(and 1 more problems, listed in logs/profile\.log\)' \
	"with two problems the message counts the other"
id=$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/several.out")
run ak logs "$id" profile
expect_grep '^error: .*test\.csv has 1 duplicate id' "$T/stdout" "the profile log lists the second problem"

# Soft problems: a short row and a NUL byte are warnings; PROFILE passes
# (ENV then stops the run: the interpreter is /bin/false).
dir=$(competition_copy soft "$base")
awk 'NR == 12 { sub(/,[^,]*$/, "") } { print }' "$base/train.csv" >"$dir/train.csv"
printf '9999,1200,3,20,no\000rth,1,150.5\n' >>"$dir/train.csv"
run ak run "$dir" --python /bin/false
cat "$T/stdout" "$T/stderr" >"$T/soft.out"
expect_grep '^\[profile\] +done' "$T/soft.out" "a short row and a NUL byte do not fail PROFILE"
expect_grep '^\[profile\] +warning: .*train\.csv line 12 has fewer fields than the 7 of its header \(1 such row\): their last values are read as missing' \
	"$T/soft.out" "the short row is a warning naming file and line"
expect_grep '^\[profile\] +warning: .*train\.csv line 602 holds a NUL byte' "$T/soft.out" "the NUL byte is a warning naming file and line"

done_testing

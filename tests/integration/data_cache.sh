#!/bin/sh
# The data is read once per workspace: hashes and the profile are reused
# by later runs and made again when a file changes; a data file that is
# not a regular file (a FIFO, a device) fails DATA at once, with the reason.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 27

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp" --folds 2
first=$(field run "$T/stdout")
expect_grep '^\[data\] +done .*hashed in' "$T/stdout" "the first run hashes the data"
expect_grep '__hash' "$WS/$first/logs/data.log" "in a child process"
expect_no_grep 'from the workspace.s cache' "$T/stdout" "and profiles it"

expect_exit 0 ak run "$comp" --folds 2
second=$(field run "$T/stdout")
expect_grep '^\[data\] +done .*hashes known' "$T/stdout" "a second run reuses the hashes"
ok "without starting a child" test ! -s "$WS/$second/logs/data.log"
expect_grep '^\[profile\] +done .*from the workspace.s cache' "$T/stdout" "and the profile"
ok "run.json records the same data hash" test \
	"$(json_get "$WS/$first/run.json" 'j["data"]["train"]["sha256"]')" = \
	"$(json_get "$WS/$second/run.json" 'j["data"]["train"]["sha256"]')"

# A touched file is checked again, and nothing else happens.
touch "$comp/train.csv"
expect_exit 0 ak rerun "$second"
expect_grep 'checking 1 data file changed on disk' "$T/stdout" "a touched train.csv is hashed again"
expect_no_grep '^\[(data|profile|train)\] +started' "$T/stdout" "its bytes did not change: nothing reruns"

# A changed file is hashed and profiled again, and what depends on it reruns.
echo "9999,1500,3,20,north,1,250000.00" >>"$comp/train.csv"
expect_exit 0 ak rerun "$second"
expect_grep 'checking 1 data file changed on disk' "$T/stdout" "a changed train.csv is hashed again"
expect_grep '^\[data\] +done' "$T/stdout" "DATA records it"
expect_no_grep 'from the workspace.s cache' "$T/stdout" "and it is profiled again"
expect_grep '^\[train\] +started' "$T/stdout" "and training runs again"

# Same size and mtime, other bytes: the ctime moved, so it is a change.
expect_exit 0 ak rerun "$second"
expect_no_grep '^\[(data|profile|train)\] +started' "$T/stdout" "nothing changed: nothing runs"
mtime=$(stat -c %y "$comp/train.csv")
sed -i "s/^9999,1500,/9999,1600,/" "$comp/train.csv"
touch -d "$mtime" "$comp/train.csv"
expect_exit 0 ak rerun "$second"
expect_grep 'checking 1 data file changed on disk' "$T/stdout" "same size and mtime but a new ctime: hashed again"
expect_grep '^\[train\] +started' "$T/stdout" "and the new bytes are trained on"

# Not regular files: refused at DATA with the reason, never read.
fifo=$T/fifo-comp
mkdir -p "$fifo"
cp "$comp/test.csv" "$comp/sample_submission.csv" "$fifo/"
mkfifo "$fifo/train.csv"
run timeout 60 "$AUTOKAGGLE_BIN" --workspace "$WS" run "$fifo"
ok "a FIFO as train.csv fails the run (exit 1), without hanging" test "$rc" -eq 1 || diag "exited with $rc"
expect_grep 'train.csv is a FIFO \(named pipe\), not a regular file' "$T/stdout" "DATA says it is a FIFO"
dev=$T/dev-comp
mkdir -p "$dev"
cp "$comp/test.csv" "$comp/sample_submission.csv" "$dev/"
ln -s /dev/urandom "$dev/train.csv"
run timeout 60 "$AUTOKAGGLE_BIN" --workspace "$WS" run "$dev"
ok "/dev/urandom as train.csv fails the run (exit 1), without hanging" test "$rc" -eq 1 || diag "exited with $rc"
expect_grep 'train.csv is a character device, not a regular file' "$T/stdout" "DATA says it is a device"
rm -f "$dev/train.csv"
mkfifo "$dev/competition.json"
cp "$comp/train.csv" "$dev/"
run timeout 60 "$AUTOKAGGLE_BIN" --workspace "$WS" run "$dev"
ok "a FIFO as competition.json fails META, without hanging" test "$rc" -eq 1 || diag "exited with $rc"

done_testing

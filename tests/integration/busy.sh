#!/bin/sh
# Two commands driving the same run at once: exactly one starts it, the
# other says "busy" and exits 4, every time.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

rounds=6
plan $((rounds * 2 + 2))

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")

i=1
while [ "$i" -le "$rounds" ]; do
	ak rerun "$id" predict >"$T/a.out" 2>"$T/a.err" &
	a=$!
	ak rerun "$id" predict >"$T/b.out" 2>"$T/b.err" &
	b=$!
	wait "$a"
	ra=$?
	wait "$b"
	rb=$?
	codes=$(printf '%s\n' "$ra" "$rb" | sort -n | tr '\n' ' ')
	ok "round $i: one rerun completes, the other exits 4 (got $codes)" test "$codes" = "0 4 " ||
		{ diag_file "$T/a.err"; diag_file "$T/b.err"; }
	if [ "$ra" -eq 4 ]; then loser=$T/a.err; else loser=$T/b.err; fi
	expect_grep "run $id is busy.*autokaggle cancel $id" "$loser" "round $i: the loser says busy and how to stop the other"
	i=$((i + 1))
done
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "the run is done after it all" json_is "$T/status.json" 'j["run"]["status"]' done || diag_file "$T/status.json" 40

done_testing

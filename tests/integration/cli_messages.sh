#!/bin/sh
# Messages that say the real reason, and hints that work: deeply nested
# but valid JSON is named as such; the rerun hint "set AUTOKAGGLE_PYTHON"
# takes effect for a run started without --python.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 7

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

# competition.json nesting deeper than cJSON reads.
deep=$T/deep
cp -r "$comp" "$deep"
"$AUTOKAGGLE_PYTHON" -c 'import sys; open(sys.argv[1], "w").write("{\"tags\": " + "[" * 5000 + "]" * 5000 + "}")' \
	"$deep/competition.json"
expect_exit 1 ak run "$deep"
expect_grep 'competition.json nests arrays and objects more than [0-9]+ levels deep' "$T/stdout" \
	"deeply nested JSON is called that, not invalid"

# An interpreter that does not exist fails ENV; the hint names
# AUTOKAGGLE_PYTHON, and setting it before the rerun is enough.
run env AUTOKAGGLE_PYTHON=/nonexistent/python3 "$AUTOKAGGLE_BIN" --workspace "$WS" run "$comp" --folds 2
ok "a run with a missing interpreter fails (exit 1)" test "$rc" -eq 1 || diag "exited with $rc"
id=$(sed -n "s/^run \([^ ]*\) started in .*/\1/p" "$T/stdout")
cat "$T/stdout" "$T/stderr" >"$T/out"
expect_grep 'env.*AUTOKAGGLE_PYTHON' "$T/out" "the failure's hint names AUTOKAGGLE_PYTHON"
ok "run.json stores no interpreter for a run without --python" json_is "$WS/$id/run.json" 'j["options"]["python"]' null
run env AUTOKAGGLE_PYTHON="$AUTOKAGGLE_PYTHON" "$AUTOKAGGLE_BIN" --workspace "$WS" rerun "$id"
ok "with AUTOKAGGLE_PYTHON set, the rerun completes" test "$rc" -eq 0 || { diag_file "$T/stdout"; diag_file "$T/stderr"; }
expect_grep '^submission: ' "$T/stdout" "and names the submission"

done_testing

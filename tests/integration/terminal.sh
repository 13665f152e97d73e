#!/bin/sh
# Text from outside never reaches the terminal with its control
# characters: a competition title and a directory name holding escape
# sequences, a forged line and a terminal-title change; a 10 MB title; a
# training script printing escape sequences, shown by logs on a terminal.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 18

esc=$(printf '\033')
bel=$(printf '\007')
cr=$(printf '\r')
# The directory name holds a newline and an escape sequence.
comp=$T/$(printf 'evil\n\033[2Jcomp')
mkdir -p "$comp"
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
printf '%s\n' '{"title": "Evil\u001b[2J\u001b]0;pwned\u0007\r\nFAKE LINE: cv score 0.9999", "evaluationMetric": "Root Mean Squared Error"}' >"$comp/competition.json"

# has_controls FILE: a byte the terminal would obey (ESC, BEL, CR, C1 as UTF-8).
has_controls() {
	LC_ALL=C grep -q "[$esc$bel$cr]" "$1" || LC_ALL=C grep -q "$(printf '\302')[$(printf '\200')-$(printf '\237')]" "$1"
}
no_controls() { ! has_controls "$1"; }
no_forged_line() { ! grep -q '^FAKE LINE' "$1"; }

run ak run "$comp" --folds 2
ok "the run completes" test "$rc" -eq 0 || { diag_file "$T/stdout"; diag_file "$T/stderr"; }
id=$(field run "$T/stdout")
cat "$T/stdout" "$T/stderr" >"$T/run.out"
ok "run prints no control character" no_controls "$T/run.out" || diag_file "$T/run.out"
ok "run prints no forged line" no_forged_line "$T/run.out"
expect_grep 'Evil +FAKE LINE: cv score 0.9999' "$T/run.out" "the title is shown, its controls dropped"
for c in "list" "status $id" "status"; do
	# shellcheck disable=SC2086
	run ak $c
	cat "$T/stdout" "$T/stderr" >"$T/out"
	ok "$c prints no forged line" no_forged_line "$T/out" || diag_file "$T/out"
	ok "$c prints none of ESC, BEL, CR or C1" no_controls "$T/out" || diag_file "$T/out"
done
ok "competition.json in the run is cleaned too" \
	json_is "$WS/$id/input/competition.json" 'j["title"]' "Evil  FAKE LINE: cv score 0.9999"

# A training script that prints escape sequences: logs on a terminal
# drops them, logs into a pipe keeps every byte.
train=$WS/$id/code/train.py
cp "$train" "$T/train.py.orig"
{ printf 'print("\\x1b]0;pwned\\x07\\x1b[2Jtraining\\rFAKE LINE")\n'; cat "$T/train.py.orig"; } >"$train"
expect_exit 0 ak rerun "$id" train
run ak logs "$id" train
ok "logs into a pipe keeps the bytes as written" has_controls "$T/stdout"
script -qec "$AUTOKAGGLE_BIN --workspace '$WS' logs $id train" /dev/null >"$T/tty.out" 2>&1
# script's own line ends are CRLF: drop those before looking.
sed "s/$cr\$//" "$T/tty.out" >"$T/tty.txt"
ok "logs on a terminal drops them" no_controls "$T/tty.txt" || diag_file "$T/tty.txt"
expect_grep '^training$' "$T/tty.txt" "and puts the carriage return's text on its own line"

# A 10 MB competition.json: refused on the way in, with the reason.
big=$T/big
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$big" || bail_out "fixture generator failed"
"$AUTOKAGGLE_PYTHON" -c 'import json, sys; json.dump({"title": "T" * 10000000}, open(sys.argv[1], "w"))' \
	"$big/competition.json"
run ak run "$big" --folds 2 --detach
ok "a run with a 10 MB title starts" test "$rc" -eq 0 || diag_file "$T/stderr"
big_id=$(field run "$T/stdout")
ok "... and META refuses the file, saying why" wait_until 60 sh -c \
	"\"$AUTOKAGGLE_BIN\" --workspace \"$WS\" status $big_id | grep -q 'competition.json is 10.0 MB: Kaggle.s competition fields take a few KB'"
run ak list
ok "list shows a title of at most 256 bytes" test "$(awk 'length($0) > 400' "$T/stdout" | wc -l)" -eq 0 ||
	diag "longest line: $(awk '{ print length($0) }' "$T/stdout" | sort -n | tail -n 1)"

done_testing

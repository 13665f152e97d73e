#!/bin/sh
# The chat on a terminal: `chat` runs on a pty (script(1)), so readline
# edits the line as typed (a backspace, Ctrl-A to the start), the reply
# streams to the terminal, Ctrl-C typed at the keyboard cancels a slow
# reply and not the program, the history is kept in the workspace, and
# Ctrl-D at an empty prompt ends the chat.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 12

command -v script >/dev/null 2>&1 || skip_all "script(1) is not installed (util-linux)"
fake_llm_start
llm_env openai
comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2 --offline
id=$(field run "$T/stdout")
dir=$(run_dir "$id")

llm_reset
llm_script '[{"text": "A streamed answer on the terminal."}]'
llm_script '[{"text": "{\"model_family\": \"hgb\"}"}]'
llm_script '[{"text": "This slow reply arrives word by word, on purpose, to be interrupted.", "delay_ms": 400}]'
llm_script '[{"text": "{\"model_family\": \"hgb\"}"}]'

mkfifo "$T/keys"
exec 3<>"$T/keys"
# script(1) gives chat a pty for its stdin, stdout and stderr; the keys
# written to the fifo are typed on that terminal.
background sh -c 'exec script -qfec "$0 --workspace $1 chat $2" "$3" <"$4" >/dev/null 2>&1 3>&-' \
	"$AUTOKAGGLE_BIN" "$WS" "$id" "$T/typescript" "$T/keys"
pid=$!
ok "the prompt shows on the terminal" wait_until 15 grep -q 'you> ' "$T/typescript" || diag_file "$T/typescript"
# "hellp", backspace, "o", then Ctrl-A and "say " at the start of the line.
printf 'hellp\177o there\001say \r' >&3
ok "the reply streams to the terminal" wait_until 15 grep -q 'A streamed answer on the terminal\.' "$T/typescript" ||
	diag_file "$T/typescript"
ok "readline edited the line as typed" wait_until 10 grep -q '^say hello there$' "$dir/input/chat_transcript.md" ||
	diag_file "$dir/input/chat_transcript.md"
ok "the line went into the workspace's history" wait_until 10 grep -q '^say hello there$' "$WS/chat_history"
ok "the decisions followed" wait_until 10 test -s "$dir/input/decisions.json"

printf 'Tell me slowly.\r' >&3
ok "the slow reply starts" wait_until 15 grep -q 'This slow' "$T/typescript"
printf '\003' >&3
ok "Ctrl-C typed on the terminal cancels the reply" wait_until 10 grep -q '^(interrupted)$' "$dir/input/chat_transcript.md" ||
	diag_file "$T/typescript"
ok "... and not the program" kill -0 "$pid"
expect_no_grep 'to be interrupted' "$T/typescript" "the cancelled reply stopped where it was"

printf '\004' >&3
ok "Ctrl-D at an empty prompt ends the chat" wait_until 10 sh -c "! kill -0 $pid 2>/dev/null"
exec 3>&-
wait "$pid"
ok "... with exit 0" test $? -eq 0
done_testing

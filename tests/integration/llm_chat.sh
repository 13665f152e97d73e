#!/bin/sh
# The strategy chat against the fake LLM, driven through stdin: the reply
# streams, the assistant was primed with the competition and the profile,
# the exchange is in input/chat_transcript.md, the decisions the model
# states are validated and written to input/decisions.json, which makes
# CODE stale. Ctrl-C (SIGINT) during a slow reply cancels the reply, not
# the program; the next question works; the end of input ends the chat.
# --brief is one chat turn before CODE, whose code follows the decisions.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 32

fake_llm_start
llm_env openai
comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

expect_exit 0 ak run "$comp" --folds 2 --offline
id=$(field run "$T/stdout")
dir=$(run_dir "$id")

DECISIONS='```json
{"features": ["price per sqft", 3], "model_family": "lightgbm", "validation": "5-fold",
 "user_fixed": ["lightgbm"], "secret_sauce": true}
```'
llm_reset
llm_script '[{"text": "Try LightGBM with ratio features."}]'
"$AUTOKAGGLE_PYTHON" -c 'import json, sys; print(json.dumps({"text": sys.argv[1]}))' "$DECISIONS" >"$T/decisions.json"
curl -sf -o /dev/null --data-binary @"$T/decisions.json" "$LLM_URL/_fake/script"
printf 'What should I try first?\n' >"$T/script.txt"
run sh -c 'exec "$@" <"$0"' "$T/script.txt" "$AUTOKAGGLE_BIN" --workspace "$WS" chat "$id"
ok "chat from a script exits 0" test "$rc" -eq 0 || diag_file "$T/stderr"
expect_grep 'Try LightGBM with ratio features\.' "$T/stdout" "the reply is shown"
expect_grep 'decisions updated: input/decisions.json' "$T/stderr" "the decisions update is told"
expect_grep 'What should I try first\?' "$dir/input/chat_transcript.md" "the transcript has the question"
expect_grep 'Try LightGBM with ratio features' "$dir/input/chat_transcript.md" "... and the reply"
ok "decisions.json: the model family" json_is "$dir/input/decisions.json" 'j["model_family"]' lightgbm
ok "decisions.json: a list of strings only" json_is "$dir/input/decisions.json" 'j["features"]' '[]'
ok "decisions.json: unknown fields dropped" json_is "$dir/input/decisions.json" '"secret_sauce" in j' false
llm_requests "$T/requests.json"
ok "two calls: the reply, then the decisions" test "$(llm_request_count)" -eq 2
ok "the assistant was primed with the competition and the profile" json_is "$T/requests.json" \
	'"House prices (fixture)" in j[0]["body"] and "sqft" in j[0]["body"] and "rmse" in j[0]["body"]' true
ok "the decisions request carries the conversation" json_is "$T/requests.json" \
	'"Try LightGBM with ratio features." in j[1]["body"] and "one JSON object" in j[1]["body"]' true
run ak status "$id"
expect_grep '^llm +2 calls' "$T/stdout" "status counts the chat's calls"

# New decisions make CODE stale: the rerun writes the code again.
expect_exit 0 ak rerun "$id"
expect_grep '^\[code\] +started' "$T/stdout" "a change of decisions makes CODE stale"

# Ctrl-C during a slow reply: cancelled, the chat goes on.
llm_reset
llm_script '[{"text": "This reply takes a long time to arrive, word by word, on purpose.", "delay_ms": 400}]'
llm_script '[{"text": "Second answer."}, {"text": "{\"model_family\": \"hgb\"}"}]'
mkfifo "$T/fifo"
exec 3<>"$T/fifo"
# (an asynchronous command's stdin is /dev/null unless it says otherwise)
background sh -c 'exec "$0" --workspace "$1" chat "$2" <"$3" >"$4" 2>"$5" 3>&-' "$AUTOKAGGLE_BIN" "$WS" "$id" "$T/fifo" \
	"$T/chat.out" "$T/chat.err"
pid=$!
printf 'Tell me slowly.\n' >&3
ok "the slow reply starts" wait_until 10 grep -q 'This' "$T/chat.out"
kill -INT "$pid"
ok "Ctrl-C cancels the reply" wait_until 10 grep -q 'cancelled' "$T/chat.err"
ok "... not the program" kill -0 "$pid"
printf 'And now?\n' >&3
ok "the next question gets its reply" wait_until 10 grep -q 'Second answer\.' "$T/chat.out"
ok "... and its decisions" wait_until 10 grep -q 'decisions updated' "$T/chat.err"
exec 3>&-
ok "the end of input ends the chat" wait_until 10 sh -c "! kill -0 $pid"
wait "$pid"
ok "... with exit 0" test $? -eq 0
expect_no_grep 'on purpose' "$T/chat.out" "the cancelled reply stopped"
expect_grep '^\(interrupted\)$' "$dir/input/chat_transcript.md" "the transcript marks the cancelled reply interrupted"
expect_grep '^This' "$dir/input/chat_transcript.md" "... and keeps what arrived of it"
ok "decisions.json follows the chat" json_is "$dir/input/decisions.json" 'j["model_family"]' hgb

# --brief: one chat turn before CODE.
llm_reset
"$AUTOKAGGLE_PYTHON" -c 'import json, sys; print(json.dumps([{"text": "Fine: linear first."},
 {"text": "{\"model_family\": \"linear\", \"user_fixed\": [\"linear\"]}"}]))' >"$T/brief.json"
curl -sf -o /dev/null --data-binary @"$T/brief.json" "$LLM_URL/_fake/script"
printf '```python code/train.py\n' >"$T/code.md"
cat "$top_srcdir/share/templates/baseline/train.py" >>"$T/code.md"
printf '# the brief was heard\n```\n' >>"$T/code.md"
llm_script_reply "$T/code.md"
printf '# Overview\n\nPredict house prices. Rule: no external data.\n' >"$T/overview.md"
expect_exit 0 ak run "$comp" --folds 2 --brief "Start with a linear model." --overview "$T/overview.md"
dir2=$(run_dir "$(field run "$T/stdout")")
ok "--overview: copied to input/overview.md" cmp -s "$T/overview.md" "$dir2/input/overview.md"
ok "--brief: the chat turn, the decisions, the code: three calls" test "$(llm_request_count)" -eq 3
ok "--brief: CODE ran once" test "$(grep -c '^\[code\] *started' "$T/stdout")" -eq 1
ok "--brief: the decisions went into the code request" json_is "$T/llm_count.json" '"linear" in j[2]["body"] and "Decisions" in j[2]["body"]' true
ok "--overview: the chat and the code request both carry it" json_is "$T/llm_count.json" \
	'all("no external data" in j[k]["body"] for k in (0, 2))' true

done_testing

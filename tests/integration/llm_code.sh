#!/bin/sh
# CODE written by an LLM (the fake): a run per provider ends in a valid
# submission with the model's code in place, kept as a version with its
# CV; the reply streams into logs/code.log; tokens are counted. A reply
# with a file that does not compile, or with no file at all, is one CODE
# failure that leaves code/ as it was. A canary secret in the
# environment, in a data cell and in the brief, and an email address in
# the data, never reach the fake; --offline with a key makes no request;
# --llm-budget pauses the run at the next stage; versions, diff, restore.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 82

fake_llm_start
comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
base=$top_srcdir/share/templates/baseline

# The model's pipeline: the baseline's train.py with a mark of its own.
cp "$base/train.py" "$T/train.py"
printf '\n# tuned by the model\n' >>"$T/train.py"
llm_code_reply "$T/reply.md" code/train.py="$T/train.py"

for p in openai anthropic gemini ollama; do
	llm_env "$p"
	llm_reset
	llm_script_reply "$T/reply.md"
	expect_exit 0 ak run "$comp" --folds 2
	id=$(field run "$T/stdout")
	dir=$(run_dir "$id")
	ok "$p: the model's train.py is in place" grep -q 'tuned by the model' "$dir/code/train.py"
	ok "$p: the files it left out are the templates'" cmp -s "$base/predict.py" "$dir/code/predict.py"
	expect_grep '\[code\] +done .*written by the LLM' "$T/stdout" "$p: CODE says the LLM wrote the code"
	ok "$p: run.json names the provider" json_is "$dir/run.json" 'j["provider"]' "$p"
done

# What the last run (ollama) left.
expect_valid_submission "$dir"
expect_grep '^```python code/train.py' "$dir/logs/code.log" "the reply streamed into logs/code.log"
ok "no temporary folder is left" test ! -e "$dir/.code-new" -a ! -e "$dir/.code-base"
run ak status "$id"
expect_grep '^llm +1 call, 31 tokens in, 12 out, [0-9.]+ s, \$0\.0000$' "$T/stdout" "status shows the tokens used, and that a server on this machine costs nothing"
run ak status "$id" --json
ok "status --json: the tokens and cost" json_is "$T/stdout" '[j["llm"]["calls"], j["llm"]["input_tokens"], j["llm"]["output_tokens"], j["llm"]["cost_usd"], j["llm"]["unpriced_calls"]]' "[1, 31, 12, 0, 0]"
ok "run.json: the tokens" json_is "$dir/run.json" 'j["llm"]["input_tokens"] + j["llm"]["output_tokens"]' 43
run ak versions "$id"
expect_grep '^ +1 +llm .* [0-9]+\.[0-9]+ +\(the code now\)' "$T/stdout" "versions: 1, by the LLM, with its CV"
ok "code/.versions/1 keeps the files" grep -q 'tuned by the model' "$dir/code/.versions/1/train.py"
ok "... and says where they came from" json_is "$dir/code/.versions/1/version.json" 'j["origin"]' llm

# versions, diff, restore
echo '# edited by hand' >>"$dir/code/train.py"
run ak diff "$id" 1
expect_grep '^\+# edited by hand' "$T/stdout" "diff RUN 1: the hand edit against version 1"
expect_grep '^--- v1/train.py' "$T/stdout" "... labelled with the version"
expect_exit 0 ak rerun "$id"
run ak versions "$id"
expect_grep '^ +2 +hand edit .* [0-9]+\.[0-9]+ +\(the code now\)' "$T/stdout" "a hand edit is a version before TRAIN, with its CV"
expect_exit 0 ak restore "$id" 1
expect_grep 'restored version 1 .* as version 3' "$T/stdout" "restore records a new version"
ok "restore brings version 1's files back" cmp -s "$dir/code/.versions/1/train.py" "$dir/code/train.py"
run ak diff "$id"
expect_grep '^-# edited by hand' "$T/stdout" "diff RUN: what the latest version changed"
run ak versions "$id"
expect_grep '^ +3 +restore ' "$T/stdout" "versions lists the restore"
expect_exit 0 ak rerun "$id"
expect_grep '^\[train\] +started' "$T/stdout" "the restore made TRAIN stale"
# A database rebuilt from the run directories knows the versions again.
ak versions "$id" >"$T/versions.before" 2>&1
ak status "$id" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["llm"])' >"$T/llm.before"
ok "each LLM call is a line of logs/llm_calls.jsonl" test "$(wc -l <"$dir/logs/llm_calls.jsonl")" -eq 1
rm -f "$WS"/autokaggle.db*
run ak versions "$id"
ok "a rebuilt index lists the same versions, origins and CVs" cmp -s "$T/versions.before" "$T/stdout" ||
	diff "$T/versions.before" "$T/stdout" | sed 's/^/# /'
ak status "$id" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["llm"])' >"$T/llm.after"
ok "... and the same LLM calls, tokens and cost" cmp -s "$T/llm.before" "$T/llm.after" ||
	diff "$T/llm.before" "$T/llm.after" | sed 's/^/# /'
expect_exit 2 ak restore "$id" x
expect_exit 3 ak restore "$id" 9

# A reply whose file does not compile: CODE fails, code/ is untouched.
cp -R "$dir/code" "$T/code.before"
printf 'def broken(:\n    pass\n' >"$T/broken.py"
llm_code_reply "$T/broken.md" code/train.py="$T/train.py" code/features.py="$T/broken.py"
llm_script_reply "$T/broken.md"
expect_exit 1 ak rerun "$id" code
expect_grep '\[code\] +failed: the model.s code does not compile.*SyntaxError' "$T/stdout" "a syntax error is one clear CODE failure"
ok "code/ is as it was" diff -r -x .versions -x __pycache__ "$T/code.before" "$dir/code"
ok "no temporary folder is left" test ! -e "$dir/.code-new"

# A reply without a file: the same.
printf 'I would use LightGBM.\n\n```\nprint("no name")\n```\n' >"$T/noname.md"
llm_script_reply "$T/noname.md"
expect_exit 1 ak rerun "$id" code
expect_grep 'failed: the model.s reply has no code block named after a file' "$T/stdout" "a reply with no file is a CODE failure"
ok "code/ is still as it was" diff -r -x .versions -x __pycache__ "$T/code.before" "$dir/code"

# Cancel while the model replies: CODE is cancelled, code/ untouched.
cp -R "$dir/code" "$T/code.before2"
llm_script '{"text": "A reply so slow that it is cancelled before its end, word by word.", "delay_ms": 400}'
background sh -c 'exec "$0" --workspace "$1" rerun "$2" code >"$3" 2>"$4"' "$AUTOKAGGLE_BIN" "$WS" "$id" \
	"$T/cancel.out" "$T/cancel.err"
pid=$!
ok "the reply starts streaming into logs/code.log" wait_until 10 grep -q 'A reply' "$dir/logs/code.log"
expect_exit 0 ak cancel "$id"
wait "$pid"
ok "the cancelled run exits 130" test $? -eq 130
expect_grep '\[code\] +cancelled' "$T/cancel.out" "CODE is cancelled mid-reply"
ok "code/ is as it was" diff -r -x .versions -x __pycache__ "$T/code.before2" "$dir/code"
tail -n 1 "$dir/logs/llm_calls.jsonl" >"$T/last_call.json"
ok "the cut call is counted, its tokens estimated (the provider bills what it read)" json_is "$T/last_call.json" \
	'j["outcome"] == "cancelled" and j["input_tokens"] > 0 and j["output_tokens"] > 0' true

# Secrets: an environment token, the same value in a data cell and in the
# brief; an email address in the data. None reaches the model.
CANARY=canary-7f3a9c2e1b55
MY_SERVICE_TOKEN=$CANARY
export MY_SERVICE_TOKEN
comp2=$T/houses2
cp -R "$comp" "$comp2"
awk -F, -v OFS=, -v c="$CANARY" 'NR > 1 && $5 == "east" { $5 = c } NR > 1 && $5 == "west" { $5 = "jane.doe@example.com" } { print }' \
	"$comp/train.csv" >"$comp2/train.csv"
ok "the canary is in the data" grep -q "$CANARY" "$comp2/train.csv"
llm_reset
llm_script '[{"text": "Noted."}, {"text": "{\"notes\": \"keep it simple\"}"}]'
llm_script_reply "$T/reply.md"
# A Kaggle key kept only in kaggle.json, which a local run never needs.
KKEY=0123456789abcdef0123456789abcdef
mkdir -p "$HOME/.kaggle"
printf '{"username": "someone", "key": "%s"}\n' "$KKEY" >"$HOME/.kaggle/kaggle.json"
chmod 600 "$HOME/.kaggle/kaggle.json"
expect_exit 0 ak run "$comp2" --folds 2 --brief "do not leak $CANARY nor $KKEY please"
llm_requests "$T/requests.json"
ok "the fake got the brief's turn, the decisions and the code request" test "$(llm_request_count)" -eq 3
expect_grep 'do not leak' "$T/requests.json" "the brief reached the model"
expect_no_grep "$CANARY" "$T/requests.json" "the canary never reached the model"
expect_no_grep "$KKEY" "$T/requests.json" "the Kaggle key of kaggle.json never reached the model"
expect_no_grep 'jane\.doe@example\.com' "$T/requests.json" "the email address is masked"
expect_grep 'sqft' "$T/requests.json" "the profile summary reached the model"
# The data's own derivatives (profile, model) hold the cell as it is.
ok "the canary is in no log, run.json or the database" \
	sh -c '! grep -rlF "$1" --exclude-dir=code --exclude-dir=input --exclude-dir=output --exclude-dir=cache "$2"' - "$CANARY" "$WS"
expect_not_in_workspace "$KKEY" "the Kaggle key is nowhere in the workspace (run.json's brief included)"
unset MY_SERVICE_TOKEN

# --offline with a key set: no request, the templates' code.
llm_reset
expect_exit 0 ak run "$comp" --folds 2 --offline
ok "--offline: no request" test "$(llm_request_count)" -eq 0
expect_grep '\[code\] +done .*offline baseline' "$T/stdout" "--offline: the templates wrote the code"
id=$(field run "$T/stdout")
run ak versions "$id"
expect_grep '^ +1 +template ' "$T/stdout" "--offline: version 1 is the template"

# --llm-budget: CODE's 43 tokens use up 10; the run pauses before ENV.
llm_reset
llm_script_reply "$T/reply.md"
expect_exit 9 ak run "$comp" --folds 2 --llm-budget 10
expect_grep 'paused before env: the LLM budget of 10 tokens is used up \(43 used\)' "$T/stdout" "the pause says why"
expect_grep 'paused: its LLM budget is used up' "$T/stderr" "... and how to go on"
run ak status last
expect_grep '43 of the budget of 10 tokens used' "$T/stdout" "status shows the tokens against the budget"
expect_grep '^env +idle' "$T/stdout" "ENV did not run"
expect_exit 0 ak rerun last --llm-budget none
ok "... a larger budget continues: one call in all" test "$(llm_request_count)" -eq 1

done_testing

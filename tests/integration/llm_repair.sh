#!/bin/sh
# The repair loop against the fake LLM: a planted bug in the model's
# train.py is fixed by a scripted repair (the traceback's tail went to the
# model, the fix is a version and an attempt); a predict.py that exits 0
# without a submission is a failure a repair fixes; repairs that never
# work stop at --repair N; a repair that returns the same code stops the
# loop at once; --repair 0 asks nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 26

fake_llm_start
llm_env openai
comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
base=$top_srcdir/share/templates/baseline

# bug FILE MESSAGE: the baseline's train.py raising MESSAGE at start.
bug() {
	{
		printf 'raise RuntimeError("%s")\n' "$2"
		cat "$base/train.py"
	} >"$1"
}
bug "$T/bug1.py" "planted bug one"
bug "$T/bug2.py" "planted bug two"
bug "$T/bug3.py" "planted bug three"
llm_code_reply "$T/code_bug.md" code/train.py="$T/bug1.py"
llm_code_reply "$T/fix.md" code/train.py="$base/train.py"
llm_code_reply "$T/repair2.md" code/train.py="$T/bug2.py"
llm_code_reply "$T/repair3.md" code/train.py="$T/bug3.py"

# A planted bug, fixed by the first repair.
llm_script_reply "$T/code_bug.md"
llm_script_reply "$T/fix.md"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
dir=$(run_dir "$id")
expect_grep '\[train\] +failed: .*planted bug one' "$T/stdout" "TRAIN failed on the planted bug"
expect_grep 'repaired by the LLM: version 2' "$T/stdout" "the repair is told, as version 2"
expect_grep '\[train\] +done' "$T/stdout" "TRAIN ran again and succeeded"
expect_valid_submission "$dir"
llm_requests "$T/requests.json"
ok "two calls: the code, then the repair" test "$(llm_request_count)" -eq 2
ok "the repair request holds the traceback" json_is "$T/requests.json" \
	'"RuntimeError: planted bug one" in j[1]["body"] and "Traceback" in j[1]["body"]' true
run ak versions "$id"
expect_grep '^ +2 +repair .* [0-9]+\.[0-9]+ +\(the code now\)' "$T/stdout" "version 2: the repair, with its CV"
expect_grep '^ +1 +llm ' "$T/stdout" "version 1: the LLM's first code"
run ak diff "$id"
expect_grep '^-raise RuntimeError\("planted bug one"\)' "$T/stdout" "diff: the repair removed the raise"
ok "the failure, the repair and the second run are TRAIN's attempts" json_is "$dir/run.json" 'j["stages"]["train"]["attempts"]' 3

# predict.py that exits 0 without a submission.
printf 'print("I predict nothing")\n' >"$T/lazy.py"
llm_code_reply "$T/lazy.md" code/predict.py="$T/lazy.py"
llm_code_reply "$T/fixp.md" code/predict.py="$base/predict.py"
llm_reset
llm_script_reply "$T/lazy.md"
llm_script_reply "$T/fixp.md"
expect_exit 0 ak run "$comp" --folds 2
expect_grep '\[predict\] +failed: .*without writing output/submission.csv' "$T/stdout" "exit 0 without a submission is a failure"
expect_grep '\[predict\] +done' "$T/stdout" "... which a repair fixes"

# Repairs that never work stop at --repair 2.
llm_reset
llm_script_reply "$T/code_bug.md"
llm_script_reply "$T/repair2.md"
llm_script_reply "$T/repair3.md"
expect_exit 1 ak run "$comp" --folds 2 --repair 2
ok "--repair 2: the code and two repairs, no more" test "$(llm_request_count)" -eq 3
expect_grep 'planted bug three' "$T/stderr" "the last failure is the last repair's"
run ak status last
expect_grep '^train +failed' "$T/stdout" "TRAIN is failed, waiting for the user"

# A repair that returns the same code ends the loop at once.
llm_reset
llm_script_reply "$T/code_bug.md"
llm_script_reply "$T/code_bug.md"
expect_exit 1 ak run "$comp" --folds 2
ok "an unchanged repair: no second repair" test "$(llm_request_count)" -eq 2
expect_grep 'the repair returned the code unchanged' "$T/stdout" "... and it says so"

# --repair 0: nothing is asked.
llm_reset
llm_script_reply "$T/code_bug.md"
expect_exit 1 ak run "$comp" --folds 2 --repair 0
ok "--repair 0: only the code was asked for" test "$(llm_request_count)" -eq 1

done_testing

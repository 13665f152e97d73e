#!/bin/sh
# Secrets in the environment never reach the model code's environment, the
# logs, run.json or the database; one pasted into code is redacted from logs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 9

comp=$T/comp
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

kaggle_key=0123456789abcdef0123456789abcdef
openai_key=sk-test-0123456789abcdefghijklmn
my_token=tok-secret-value-987654
pasted=pasted-secret-value-424242

# A user metric: it reports what the model code can see, and prints a
# value the user pasted into the code, which also sits in the CLI's env.
cat >"$T/metric.py" <<PY
import os
higher_is_better = False
seen = sorted(k for k in os.environ if "KEY" in k or "TOKEN" in k or k.startswith("KAGGLE"))
print("environment names:", " ".join(seen) or "none")
print("pasted value: $pasted")
def score(y_true, y_pred):
    return float(sum(abs(a - b) for a, b in zip(y_true, y_pred)) / max(len(y_true), 1))
PY

# (--offline: with OPENAI_API_KEY set the LLM would write the code; the
# secrets the LLM must not see are llm_code.sh's.)
run env KAGGLE_USERNAME=alice KAGGLE_KEY=$kaggle_key OPENAI_API_KEY=$openai_key \
	MY_TOKEN=$my_token DB_PASSWORD=$pasted \
	"$AUTOKAGGLE_BIN" --workspace "$WS" run "$comp" --metric-file "$T/metric.py" --offline
ok "the run completes (exit 0)" test "$rc" -eq 0 || { diag_file "$T/stdout" 40; diag_file "$T/stderr" 40; }
id=$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/stdout")
dir=$(run_dir "$id")

expect_grep '^environment names: none$' "$dir/logs/train.log" "the model code sees no key, token or Kaggle variable"
expect_grep '^pasted value: \[REDACTED\]$' "$dir/logs/train.log" "a secret pasted into the code is redacted from the log"
for v in $kaggle_key $openai_key $my_token $pasted; do
	expect_not_in_workspace "$v" "secret ${v%%-*}... is in no log, run.json or the database"
done
expect_grep '"metric":[[:space:]]*"custom"' "$dir/run.json" "run.json records the custom metric"
ok "the custom metric's direction is used (lower is better)" grep -q 'lower is better' "$T/stdout" ||
	diag_file "$T/stdout" 30

done_testing

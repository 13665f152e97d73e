#!/bin/sh
# Credentials inside environment values (a proxy's password, a token in
# pip's index URL) reach ENV, where pip needs them, and not the model code;
# printed bare by the code, they are redacted from the logs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 9

# Only the proxy and pip settings this test sets.
unset http_proxy https_proxy no_proxy all_proxy ALL_PROXY
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

comp=$T/comp
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"

proxy_pw=proxy-pw-5e3c1a9b77
index_tok=index-tok-0d4f6e2a91
https_proxy_url=http://alice:$proxy_pw@proxy.invalid:3128
index_url=https://__token__:$index_tok@pypi.invalid/simple

# The interpreter ENV starts, under a name that first notes the
# environment it was given (outside the workspace).
mkdir "$T/bin"
cat >"$T/bin/python3" <<SH
#!/bin/sh
env >"$T/env-of-env"
exec "$(command -v "$AUTOKAGGLE_PYTHON")" "\$@"
SH
chmod +x "$T/bin/python3"

# A user metric: it reports which proxy and pip variables the model code
# sees, and prints the credentials the user pasted into it.
cat >"$T/metric.py" <<PY
import os
higher_is_better = False
seen = sorted(k for k in os.environ if k.upper().endswith("_PROXY") or k.startswith("PIP_"))
print("proxy and pip variables:", " ".join(seen) or "none")
print("proxy password: $proxy_pw")
print("index token: $index_tok")
def score(y_true, y_pred):
    return float(sum(abs(a - b) for a, b in zip(y_true, y_pred)) / max(len(y_true), 1))
PY

run env HTTPS_PROXY="$https_proxy_url" HTTP_PROXY=http://proxy.invalid:3128 NO_PROXY='*' \
	PIP_INDEX_URL="$index_url" AUTOKAGGLE_PYTHON="$T/bin/python3" \
	"$AUTOKAGGLE_BIN" --workspace "$WS" run "$comp" --folds 2 --metric-file "$T/metric.py"
ok "the run completes (exit 0)" test "$rc" -eq 0 || { diag_file "$T/stdout" 40; diag_file "$T/stderr" 40; }
id=$(field run "$T/stdout")
dir=$(run_dir "$id")

expect_grep '^proxy and pip variables: HTTP_PROXY NO_PROXY$' "$dir/logs/train.log" \
	"the model code sees the proxy without credentials, not HTTPS_PROXY or PIP_INDEX_URL"
expect_grep '^proxy password: \[REDACTED\]$' "$dir/logs/train.log" "the proxy's bare password is redacted from the log"
expect_grep '^index token: \[REDACTED\]$' "$dir/logs/train.log" "the index token is redacted from the log"
ok "ENV was given pip's index URL, token included" grep -qxF "PIP_INDEX_URL=$index_url" "$T/env-of-env"
ok "ENV was given the proxy, password included" grep -qxF "HTTPS_PROXY=$https_proxy_url" "$T/env-of-env"
for v in $proxy_pw $index_tok; do
	expect_not_in_workspace "$v" "${v%-*} is in no log, run.json or the database"
done
expect_grep '^ENV ready' "$dir/logs/env.log" "ENV is ready through the noting interpreter"

done_testing

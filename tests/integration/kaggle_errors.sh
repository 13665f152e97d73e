#!/bin/sh
# What goes wrong with Kaggle, each against the fake: missing or refused
# credentials, rules not accepted, an unknown competition, rate limits and
# server errors (retried, bounded), no server at all, a download cut off
# midway (resumed), a truncated reply; each one clear line and its exit code.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"

plan 41

fake_kaggle_start
XDG_CACHE_HOME=$T/cache
KAGGLE_API_ENDPOINT=$FAKE_API
export XDG_CACHE_HOME KAGGLE_API_ENDPOINT

# fault JSON: one scripted fault for the fake.
fault() {
	curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary "[$1]" "$FAKE_URL/_fake/faults"
}
# one_line: stderr is a single line (no stack of errors).
one_line() {
	test "$(grep -c . "$T/stderr")" -eq 1
}

# --- doctor: without credentials, then with them
expect_exit 1 ak doctor
expect_grep '^FAIL +credentials +no Kaggle credentials found' "$T/stdout" "doctor: missing credentials fail, saying where it looked"
expect_grep '^ok +python +.*scikit-learn' "$T/stdout" "doctor: the interpreter and its libraries"
expect_grep '^ok +cache +' "$T/stdout" "doctor: the cache directory"
KAGGLE_API_TOKEN=$FAKE_TOKEN
export KAGGLE_API_TOKEN
expect_exit 0 ak doctor
expect_grep '^ok +credentials +from KAGGLE_API_TOKEN' "$T/stdout" "doctor: the source of the credentials"
expect_grep '^all checks passed' "$T/stdout" "doctor: all pass with a token and the fake"
unset KAGGLE_API_TOKEN

# --- credentials
expect_exit 6 ak files titanic-fake
expect_grep 'kaggle\.json' "$T/stderr" "no credentials: the message says where they were looked for"
KAGGLE_USERNAME=$FAKE_USER
KAGGLE_KEY=ffffffffffffffffffffffffffffffff
export KAGGLE_USERNAME KAGGLE_KEY
expect_exit 6 ak files titanic-fake
expect_grep 'KAGGLE_USERNAME and KAGGLE_KEY' "$T/stderr" "a refused key: the message names where it came from"
expect_no_grep 'ffffffffffffffffffffffffffffffff' "$T/stderr" "and never shows the key"
KAGGLE_KEY=$FAKE_KEY
export KAGGLE_KEY

# --- a kaggle.json readable by others is used, with the chmod advice
unset KAGGLE_USERNAME KAGGLE_KEY
mkdir -p "$HOME/.kaggle"
printf '{"username": "%s", "key": "%s"}\n' "$FAKE_USER" "$FAKE_KEY" >"$HOME/.kaggle/kaggle.json"
chmod 644 "$HOME/.kaggle/kaggle.json"
expect_exit 0 ak files titanic-fake
expect_grep "chmod 600 $HOME/.kaggle/kaggle.json" "$T/stderr" "a readable kaggle.json gets the chmod 600 advice"
chmod 600 "$HOME/.kaggle/kaggle.json"

# --- rules, unknown competitions
expect_exit 7 ak download rules-fake
expect_grep 'https://www.kaggle.com/competitions/rules-fake/rules' "$T/stderr" "rules not accepted: the rules page is named"
expect_exit 3 ak files no-such-competition
expect_grep 'autokaggle competitions' "$T/stderr" "an unknown competition: the search command is suggested"
expect_exit 7 ak download google-fake
ok "the Google error shape is read too" one_line || diag_file "$T/stderr"

# --- rate limits and server errors are retried, boundedly
expect_exit 0 ak files busy-fake
expect_grep 'retrying in [0-9]+ s' "$T/stderr" "429 with Retry-After is waited for and said so"
fault '{"method": "ListDataFiles", "status": 500, "times": 2}'
expect_exit 0 ak files titanic-fake
fault '{"method": "ListDataFiles", "status": 503, "times": 50}'
expect_exit 8 ak files titanic-fake
expect_grep '503|server' "$T/stderr" "a server that keeps failing ends with its status"
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/reset"

# --- a truncated reply
fault '{"method": "ListCompetitions", "status": 200, "body": "{\"competitions\": [{\"ref\": \"htt", "times": 1}'
expect_exit 8 ak competitions
expect_grep 'cannot read' "$T/stderr" "a truncated reply is named as such"

# --- the bound on what an archive unpacks to is the user's to set
expect_exit 3 env AUTOKAGGLE_MAX_EXTRACT=1k "$AUTOKAGGLE_BIN" --workspace "$WS" download titanic-fake
expect_grep 'more than the bound of 1024 bytes' "$T/stderr" "AUTOKAGGLE_MAX_EXTRACT bounds the extraction"
expect_exit 3 env AUTOKAGGLE_MAX_EXTRACT=lots "$AUTOKAGGLE_BIN" --workspace "$WS" download titanic-fake
expect_grep 'AUTOKAGGLE_MAX_EXTRACT=lots is not a size' "$T/stderr" "a bad bound is named"

# --- a download cut off midway resumes to the right bytes
fault '{"method": "storage", "drop_after": 100, "times": 1}'
expect_exit 0 ak download titanic-fake
ok "the cut download was completed" test -s "$XDG_CACHE_HOME/autokaggle/competitions/titanic-fake/data/train.csv"
curl -s "$FAKE_URL/_fake/requests" >"$T/requests.json"
ok "by a request for the rest (Range)" \
	json_is "$T/requests.json" 'any("range" in {k.lower() for k in r.get("headers", {})} for r in j if r["path"].startswith("/storage/"))' true

# --- no server at all: one line, exit 8
KAGGLE_API_ENDPOINT=http://127.0.0.1:1/v1
export KAGGLE_API_ENDPOINT
expect_exit 8 ak competitions
ok "an unreachable endpoint is one line" one_line || diag_file "$T/stderr"
KAGGLE_API_ENDPOINT=not-a-url
export KAGGLE_API_ENDPOINT
expect_exit 3 ak competitions
expect_grep 'KAGGLE_API_ENDPOINT' "$T/stderr" "a bad endpoint names the variable"
KAGGLE_API_ENDPOINT=$FAKE_API
export KAGGLE_API_ENDPOINT

# --- the endpoint from the settings file when the environment has none
unset KAGGLE_API_ENDPOINT
mkdir -p "$HOME/.config/autokaggle"
printf '# the fake\nkaggle.endpoint = %s\n' "$FAKE_API" >"$HOME/.config/autokaggle/config"
expect_exit 0 ak files titanic-fake
KAGGLE_API_ENDPOINT=$FAKE_API
export KAGGLE_API_ENDPOINT

# --- a run of a competition whose rules are not accepted stops at DATA
expect_exit 1 ak run rules-fake
cat "$T/stdout" "$T/stderr" >"$T/rules-run.out"
expect_grep '\[data\] +failed: .*rules' "$T/rules-run.out" "the run's DATA fails naming the rules"
done_testing

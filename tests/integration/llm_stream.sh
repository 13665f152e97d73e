#!/bin/sh
# One streamed reply (autokaggle __llm-ask) from the fake LLM server, in
# each provider's dialect: the text arrives piece by piece (shown before
# the reply ends), survives every cut of the stream (inside UTF-8
# characters and CRLFs, a byte at a time, BOM, comments, CR-only lines),
# and its usage is told. Then what goes wrong, each with its one-line
# message, exit code and the partial text kept: an error after 200 OK, a
# truncated stream, a 429 retried after its Retry-After (announced), a
# used-up quota (not retried), a refused key, a slow first byte, a stall
# mid-reply, Ctrl-C. No key ever reaches a request body or a log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 133

fake_llm_start
FULL='Start with LightGBM on raw features. Café €😀 done.'

ask() {
	"$AUTOKAGGLE_BIN" __llm-ask "$@"
}
# usage_is NAME VALUE: the usage line on stderr says NAME=VALUE.
usage_is() {
	grep -Eq "^usage: .* $1=$2( |$)" "$T/stderr"
}
# exact_text: stdout is the whole reply, nothing else.
exact_text() {
	test "$(cat "$T/stdout")" = "$FULL"
}

for p in openai anthropic gemini ollama; do
	llm_env "$p"

	# Streamed: the first words are out while the reply still comes.
	llm_script '{"delay_ms": 150}'
	background "$AUTOKAGGLE_BIN" __llm-ask "Suggest a baseline." >"$T/live.out" 2>"$T/live.err"
	pid=$!
	ok "$p: the first words show before the reply ends" wait_until 10 grep -q Start "$T/live.out"
	ok "$p: ... while the call still runs" kill -0 "$pid"
	wait "$pid"
	ok "$p: the stream ends with exit 0" test $? -eq 0
	ok "$p: the whole reply is on stdout" test "$(cat "$T/live.out")" = "$FULL"
	cp "$T/live.err" "$T/stderr"
	ok "$p: usage: input tokens" usage_is input_tokens 31
	ok "$p: usage: output tokens" usage_is output_tokens 12
	ok "$p: usage: the time" grep -Eq '^usage: .* seconds=[0-9.]+ first_token_seconds=0\.[0-9]+' "$T/stderr"

	# Every cut of the bytes, and the framing variants.
	if [ "$p" = ollama ]; then
		llm_script '{"split": "tricky", "bom": true}'
	else
		llm_script '{"split": "tricky", "terminator": "crlf", "bom": true, "pings": true}'
	fi
	expect_exit 0 ask "again"
	ok "$p: cut inside UTF-8 characters and CRLFs, with a BOM and pings: the same text" exact_text
	if [ "$p" = ollama ]; then
		llm_script '{"split": "bytes", "delay_ms": 0}'
	else
		llm_script '{"split": "bytes", "terminator": "mixed", "delay_ms": 0}'
	fi
	expect_exit 0 ask "again"
	ok "$p: a byte at a time: the same text" exact_text

	# An error after 200 OK ends the turn; the partial text stays.
	llm_script '{"inband_error_after": 2}'
	expect_exit 8 ask "again"
	expect_grep 'failed mid-reply' "$T/stderr" "$p: an error inside the stream is told"
	ok "$p: ... and the text before it is kept" test "$(cat "$T/stdout")" = "Start wi"

	# A stream without its final event is not a reply.
	llm_script '{"truncate_after": 3}'
	expect_exit 8 ask "again"
	expect_grep 'closed the connection mid-reply \(12 bytes of text kept\)' "$T/stderr" "$p: a truncated stream is an error"
	ok "$p: ... the partial text is kept" test "$(cat "$T/stdout")" = "Start with L"

	# 429 with Retry-After: waited for, said, then the reply.
	llm_script '{"error": "rate", "retry_after": 1}'
	expect_exit 0 ask "again"
	expect_grep '^autokaggle: .*429.*; retrying in 1 s \(attempt 2 of 3\)' "$T/stderr" "$p: a 429 is retried after its Retry-After, said on stderr"
	ok "$p: ... the reply after it" exact_text
	ok "$p: ... two attempts" usage_is attempts 2

	# A refused key: not retried.
	llm_script '{"error": "auth"}'
	expect_exit 6 ask "again"
	expect_grep 'refused|unauthorized' "$T/stderr" "$p: a refused key says so"
	ok "$p: ... one attempt" usage_is attempts 1
done

# A used-up quota is never retried.
for p in openai anthropic gemini; do
	llm_env "$p"
	llm_script '{"error": "quota", "times": 3}'
	expect_exit 8 ask "again"
	expect_grep "quota is used up: check its plan and billing" "$T/stderr" "$p: a used-up quota says to check billing"
	ok "$p: ... and is not retried" usage_is attempts 1
	llm_reset
done

# Overloaded (Anthropic's 529) with retry-after-ms; x-should-retry: false wins.
llm_env anthropic
llm_script '{"error": "overloaded", "retry_after_ms": 300}'
expect_exit 0 ask "again"
expect_grep '529 overloaded_error: Overloaded\); retrying in 0.3 s' "$T/stderr" "a 529 is retried after retry-after-ms"
llm_script '{"error": "server", "should_retry": false}'
expect_exit 8 ask "again"
ok "x-should-retry: false is obeyed" usage_is attempts 1
llm_script '{"error": "rate", "retry_after": 300}'
expect_exit 8 ask "again"
expect_grep 'asked to wait 300 s, more than the 120 s waited for' "$T/stderr" "a Retry-After over 120 s is not waited for"
llm_script '{"status": 502, "body": "<html><body>Bad Gateway</body></html>", "times": 3}'
expect_exit 8 ask "again"
expect_grep '502: an HTML page' "$T/stderr" "an HTML error page from a proxy is named as such"
llm_reset

# Timeouts, from the settings: a slow first byte, then a stall mid-reply.
llm_env openai
AUTOKAGGLE_CONFIG=$T/config
export AUTOKAGGLE_CONFIG
printf 'llm.first_byte_timeout = 1s\nllm.idle_timeout = 1s\n' >"$T/config"
llm_script '{"first_byte_ms": 2500, "times": 3}'
expect_exit 8 ask "again"
expect_grep 'did not start to answer within 1 s; retrying' "$T/stderr" "a slow first byte times out, and is retried"
expect_grep 'OpenAI-compatible at .*: .*did not start to answer within 1 s: check the network' "$T/stderr" "... then fails with one line"
llm_reset
printf 'llm.first_byte_timeout = 5s\nllm.idle_timeout = 1s\n' >"$T/config"
llm_script '{"first_byte_ms": 1500}'
expect_exit 0 ask "again"
ok "a first byte within llm.first_byte_timeout is waited for" exact_text
llm_script '{"pause_after": 2, "pause_ms": 3000}'
expect_exit 8 ask "again"
expect_grep 'the reply broke off \(8 bytes of text kept\): .*sent nothing for 1 s' "$T/stderr" "a stall mid-reply fails after llm.idle_timeout, not retried"
ok "... the partial text is kept" test "$(cat "$T/stdout")" = "Start wi"
printf 'llm.idle_timeout = soon\n' >"$T/config"
expect_exit 2 ask "again"
expect_grep "the setting llm.idle_timeout = 'soon' is not a duration" "$T/stderr" "a bad timeout setting is a usage error"
unset AUTOKAGGLE_CONFIG
llm_reset

# Ctrl-C cancels the reply, keeps what came, and exits 130.
llm_env gemini
llm_script '{"delay_ms": 400}'
background "$AUTOKAGGLE_BIN" __llm-ask "Suggest a baseline." >"$T/live.out" 2>"$T/live.err"
pid=$!
wait_until 10 grep -q Start "$T/live.out"
kill -INT "$pid"
wait "$pid"
ok "Ctrl-C: exit 130" test $? -eq 130
expect_grep '^autokaggle: cancelled' "$T/live.err" "Ctrl-C: said on stderr"
ok "Ctrl-C: the text so far stays" grep -q '^Start' "$T/live.out"
ok "Ctrl-C: not the whole reply" test "$(cat "$T/live.out")" != "$FULL"

# No server: the URL tried.
llm_env ollama
expect_exit 8 ask --base-url http://127.0.0.1:1 "hello"
expect_grep 'Ollama at http://127.0.0.1:1: cannot connect' "$T/stderr" "no server: the URL tried"

# The keys went in headers only (the log file keeps what resets cleared).
llm_requests "$T/requests.json"
ok "the fake logged requests" test -s "$T/fake_llm.log"
for key in "$LLM_KEY_OPENAI" "$LLM_KEY_ANTHROPIC" "$LLM_KEY_GEMINI"; do
	if grep -qF -- "$key" "$T/requests.json" "$T/fake_llm.log" "$T/stderr" "$T/live.err"; then
		fail "no key in a request body, URL or log"
		diag "found $key"
		key=found
		break
	fi
done
[ "$key" = found ] || pass "no key in a request body, URL or log"
ok "gemini: the key in x-goog-api-key" grep -q '"x-goog-api-key": "<the fixture key>"' "$T/fake_llm.log"
ok "anthropic: anthropic-version sent" grep -q '"anthropic-version": "2023-06-01"' "$T/fake_llm.log"

done_testing

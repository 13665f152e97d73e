#!/bin/sh
# autokaggle models against the fake LLM server, each provider: the list,
# the model in use marked; then what goes wrong: no provider, no key (the
# variables read named), a refused key, no server (the URL tried), an
# unknown provider; each one line and its exit code. No key reaches a
# request body or the fake's log.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_llm.sh"

plan 35

fake_llm_start

for p in openai anthropic gemini ollama; do
	llm_env "$p"
	expect_exit 0 ak models
	case $p in
	openai) first=gpt-5-mini second=gpt-5 ;;
	anthropic) first=claude-sonnet-4-5 second=claude-haiku-4-5 ;;
	gemini) first=gemini-2.5-flash second=gemini-2.5-pro ;;
	ollama) first=qwen3:8b second=llama3.2:3b ;;
	esac
	expect_grep "^$first +.*\(in use\)" "$T/stdout" "$p: the default model is listed, in use"
	expect_grep "^$second( |$)" "$T/stdout" "$p: another model is listed"
done
llm_env gemini
expect_exit 0 ak models --model gemini-2.5-pro
expect_grep '^gemini-2.5-pro +1048576 +\(in use\)' "$T/stdout" "--model marks another model"
expect_grep '^gemini-2.5-flash +1048576 *$' "$T/stdout" "gemini: the context window is shown"
expect_no_grep 'embedding' "$T/stdout" "gemini: models that cannot chat are left out"

# --- what goes wrong
llm_env none
expect_exit 6 ak models
expect_grep 'no LLM provider is set up: set OPENAI_API_KEY .*ANTHROPIC_API_KEY.*GEMINI_API_KEY' "$T/stderr" \
	"no provider: the variables to set are named"
expect_exit 6 ak models --provider anthropic
expect_grep 'no key for Anthropic: set ANTHROPIC_API_KEY' "$T/stderr" "no key: the variable read is named"
expect_exit 2 ak models --provider mistral
expect_grep "unknown LLM provider 'mistral'" "$T/stderr" "an unknown provider is a usage error"

llm_env openai
OPENAI_API_KEY=sk-wrong-key-0123456789abcdef
expect_exit 6 ak models
expect_grep 'OpenAI-compatible at .*/openai/v1: the key from OPENAI_API_KEY was refused \(401' "$T/stderr" \
	"a refused key: exit 6, the variable named"
expect_no_grep 'sk-wrong-key' "$T/stderr" "the refused key is not shown"
llm_env gemini
GEMINI_API_KEY=AIzaWrongKey0123456789abcdef
expect_exit 6 ak models
expect_grep 'Gemini at .*: the key from GEMINI_API_KEY was refused \(400 INVALID_ARGUMENT' "$T/stderr" \
	"gemini's 400 API_KEY_INVALID is a refused key"
llm_env anthropic
ANTHROPIC_API_KEY=sk-ant-wrong-0123456789abcdef
expect_exit 6 ak models
expect_grep 'authentication_error' "$T/stderr" "anthropic: a refused key, its error type shown"

llm_env ollama
expect_exit 8 ak models --base-url http://127.0.0.1:1
expect_grep 'Ollama at http://127.0.0.1:1: cannot connect to 127.0.0.1:1' "$T/stderr" \
	"no server: the URL tried is named"
expect_exit 3 ak models --provider openai --base-url "$LLM_URL/nowhere/v1"
expect_grep 'check the model .* and the base URL \(404' "$T/stderr" "a wrong base URL: 404 says to check it"

llm_requests "$T/requests.json"
ok "the fake saw the right keys in headers" grep -q '"x-api-key": "<the fixture key>"' "$T/requests.json"
for key in "$LLM_KEY_OPENAI" "$LLM_KEY_ANTHROPIC" "$LLM_KEY_GEMINI" sk-wrong-key AIzaWrongKey; do
	grep -qF -- "$key" "$T/requests.json" "$T/fake_llm.log" && break
	key=
done
ok "no key in any request the fake logged" test -z "$key"

done_testing

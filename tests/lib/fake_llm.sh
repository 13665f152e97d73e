# Starts the fake LLM server (tests/fakes/fake_llm.py) for a TAP test;
# source it after tap.sh:
#     . "$top_srcdir/tests/lib/fake_llm.sh"
#     fake_llm_start
# It runs under $AUTOKAGGLE_PYTHON, logs to $T/fake_llm.log, and is stopped
# by tap.sh's cleanup (its pid is remembered, its command line names $T).
# Afterwards: $LLM_URL (http://127.0.0.1:PORT), the base URL of each
# dialect ($LLM_OPENAI, $LLM_ANTHROPIC, $LLM_GEMINI, $LLM_OLLAMA) and the
# fixture keys below. llm_script JSON scripts the next replies;
# llm_requests FILE saves the request log.

LLM_KEY_OPENAI=sk-fake-openai-0123456789abcdef
LLM_KEY_ANTHROPIC=sk-ant-fake-0123456789abcdef
LLM_KEY_GEMINI=AIzaFakeKey0123456789abcdef

fake_llm_start() {
	rm -f "$T/fake_llm.port"
	background "$AUTOKAGGLE_PYTHON" "$top_srcdir/tests/fakes/fake_llm.py" \
		--port-file "$T/fake_llm.port" --log "$T/fake_llm.log" "$@" 2>"$T/fake_llm.err"
	LLM_PID=$!
	wait_until 15 test -s "$T/fake_llm.port" || {
		diag_file "$T/fake_llm.err"
		bail_out "the fake LLM server did not start"
	}
	LLM_URL=http://127.0.0.1:$(cat "$T/fake_llm.port")
	LLM_OPENAI=$LLM_URL/openai/v1
	LLM_ANTHROPIC=$LLM_URL/anthropic
	LLM_GEMINI=$LLM_URL/gemini/v1beta
	LLM_OLLAMA=$LLM_URL/ollama
	export LLM_URL LLM_OPENAI LLM_ANTHROPIC LLM_GEMINI LLM_OLLAMA LLM_PID
}

# llm_script JSON: what the next requests get (see tests/fakes/README).
llm_script() {
	curl -sf -o /dev/null --data-binary "$1" "$LLM_URL/_fake/script" || diag "llm_script refused: $1"
}

llm_reset() {
	curl -sf -o /dev/null -X POST "$LLM_URL/_fake/reset"
}

# llm_requests FILE: the request log as JSON.
llm_requests() {
	curl -sf -o "$1" "$LLM_URL/_fake/requests"
}

# The environment of one provider pointed at the fake, with its key:
#     llm_env openai   (sets the variables the client reads)
llm_env() {
	unset OPENAI_API_KEY OPENAI_BASE_URL OPENAI_API_BASE ANTHROPIC_API_KEY ANTHROPIC_BASE_URL GEMINI_API_KEY \
		GOOGLE_API_KEY GOOGLE_GEMINI_BASE_URL OLLAMA_HOST
	case $1 in
	openai) OPENAI_API_KEY=$LLM_KEY_OPENAI OPENAI_BASE_URL=$LLM_OPENAI; export OPENAI_API_KEY OPENAI_BASE_URL ;;
	anthropic) ANTHROPIC_API_KEY=$LLM_KEY_ANTHROPIC ANTHROPIC_BASE_URL=$LLM_ANTHROPIC; export ANTHROPIC_API_KEY ANTHROPIC_BASE_URL ;;
	gemini) GEMINI_API_KEY=$LLM_KEY_GEMINI GOOGLE_GEMINI_BASE_URL=$LLM_GEMINI; export GEMINI_API_KEY GOOGLE_GEMINI_BASE_URL ;;
	ollama) OLLAMA_HOST=$LLM_OLLAMA; export OLLAMA_HOST ;;
	esac
}

# llm_code_reply OUT PATH=FILE...: writes to OUT a model's reply that
# sends each FILE as the pipeline's file PATH (code/train.py...) in a
# fenced block named after it, with a line of prose around them.
llm_code_reply() {
	llm_out=$1
	shift
	printf 'Here is the pipeline.\n\n' >"$llm_out"
	for llm_f in "$@"; do
		printf '```python %s\n' "${llm_f%%=*}" >>"$llm_out"
		cat "${llm_f#*=}" >>"$llm_out"
		printf '```\n\n' >>"$llm_out"
	done
	printf 'Run it with the usual commands.\n' >>"$llm_out"
}

# llm_script_reply FILE [TIMES]: the next TIMES (default 1) chat requests
# get FILE's text as the reply, in large pieces at once (a whole pipeline
# at 4 characters a delta would take seconds).
llm_script_reply() {
	"$AUTOKAGGLE_PYTHON" -c 'import json, sys
print(json.dumps({"text": open(sys.argv[1], encoding="utf-8").read(), "chunk": 4000, "delay_ms": 0,
                  "times": int(sys.argv[2])}))' "$1" "${2:-1}" >"$T/llm_script.json"
	curl -sf -o /dev/null --data-binary @"$T/llm_script.json" "$LLM_URL/_fake/script" || diag "llm_script_reply refused: $1"
}

# llm_request_count: how many chat requests the fake answered.
llm_request_count() {
	llm_requests "$T/llm_count.json"
	"$AUTOKAGGLE_PYTHON" -c 'import json, sys
print(sum(1 for r in json.load(open(sys.argv[1])) if r["method"] == "POST"))' "$T/llm_count.json"
}

# TAP helpers for the integration tests (POSIX sh). A test sources it:
#     . "$top_srcdir/tests/lib/tap.sh"
#     plan 3
#     expect_exit 0 ak --version
#     ...
# It gives each test a private temp dir $T (removed on exit, with every
# process still working inside it), a fresh workspace $WS, a hermetic
# environment, and helpers that print one TAP line each.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${AUTOKAGGLE_BIN:=$top_builddir/autokaggle}"
: "${AUTOKAGGLE_PYTHON:=/usr/bin/python3}"
export top_srcdir top_builddir AUTOKAGGLE_BIN AUTOKAGGLE_PYTHON

# Nothing of the user's setup may leak into a test.
unset AUTOKAGGLE_WORKSPACE AUTOKAGGLE_DATADIR KAGGLE_USERNAME KAGGLE_KEY KAGGLE_CONFIG_DIR \
	KAGGLE_API_TOKEN KAGGLE_API_ENDPOINT KAGGLE_API_V1_TOKEN KAGGLE_KERNEL_RUN_TYPE XDG_CACHE_HOME \
	XDG_CONFIG_HOME OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY GOOGLE_API_KEY \
	OPENAI_BASE_URL OPENAI_API_BASE OPENAI_ORG_ID OPENAI_PROJECT_ID ANTHROPIC_BASE_URL ANTHROPIC_AUTH_TOKEN \
	GOOGLE_GEMINI_BASE_URL OLLAMA_HOST OLLAMA_API_KEY AUTOKAGGLE_CONFIG
LC_ALL=C.UTF-8 TZ=UTC
export LC_ALL TZ

tap_n=0
tap_failed=0
tap_planned=
T=$(mktemp -d "${TMPDIR:-/tmp}/ak-test.XXXXXX") || exit 99
WS=$T/ws
HOME=$T/home
mkdir -p "$HOME"
export HOME

# Processes of this test: working inside $T, started with $T on their
# command line, or carrying the test's HOME (a detached supervisor).
tap_is_ours() {
	case "$(readlink "/proc/$1/cwd" 2>/dev/null)" in
	"$T" | "$T"/*) return 0 ;;
	esac
	grep -qzxF "HOME=$T/home" "/proc/$1/environ" 2>/dev/null && return 0
	grep -qzF "$T/" "/proc/$1/cmdline" 2>/dev/null
}

# Stops every process of the test still alive, each by its pid, then
# removes $T. HOME changes first so the greps here do not match themselves.
tap_cleanup() {
	HOME=/
	export HOME
	for tap_p in $tap_bg_pids; do
		kill -9 "$tap_p" 2>/dev/null
	done
	for tap_p in /proc/[0-9]*; do
		tap_p=${tap_p#/proc/}
		[ "$tap_p" = "$$" ] && continue
		tap_is_ours "$tap_p" && kill -9 "$tap_p" 2>/dev/null
	done
	rm -rf "$T"
}
tap_bg_pids=
trap 'tap_cleanup' EXIT
trap 'exit 130' INT TERM HUP PIPE

plan() {
	tap_planned=$1
	echo "1..$1"
}

# Nothing to run here: the whole script is skipped.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

# Shows the first lines of a file as diagnostics.
diag_file() {
	if [ -f "$1" ]; then
		diag "--- $1:"
		head -n "${2:-25}" "$1" | sed 's/^/#   /'
	else
		diag "--- $1: no such file"
	fi
}

pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# ok DESCRIPTION CMD...: passes when CMD succeeds.
ok() {
	tap_desc=$1
	shift
	if "$@"; then
		pass "$tap_desc"
	else
		fail "$tap_desc"
		return 1
	fi
}

# skip N REASON: N points that cannot run here.
skip() {
	tap_i=0
	while [ "$tap_i" -lt "$1" ]; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP $2"
		tap_i=$((tap_i + 1))
	done
}

# run CMD...: runs it with stdout in $T/stdout and stderr in $T/stderr
# (for later expect_grep), its status in $rc. Never fails the script.
run() {
	"$@" >"$T/stdout" 2>"$T/stderr" </dev/null
	rc=$?
	return 0
}

# expect_exit CODE CMD...: one point, passes when CMD exits with CODE.
expect_exit() {
	tap_want=$1
	shift
	run "$@"
	if [ "$rc" -eq "$tap_want" ]; then
		pass "exit $tap_want: $*"
	else
		fail "exit $tap_want: $*"
		diag "exited with $rc"
		diag_file "$T/stdout"
		diag_file "$T/stderr"
		return 1
	fi
}

# expect_grep PATTERN FILE [DESCRIPTION]: FILE has a line matching the
# extended regular expression PATTERN.
expect_grep() {
	if grep -Eq -- "$1" "$2" 2>/dev/null; then
		pass "${3:-$(basename "$2") matches /$1/}"
	else
		fail "${3:-$(basename "$2") matches /$1/}"
		diag_file "$2" 40
		return 1
	fi
}

# expect_no_grep PATTERN FILE [DESCRIPTION]
expect_no_grep() {
	if grep -Eq -- "$1" "$2" 2>/dev/null; then
		fail "${3:-$(basename "$2") does not match /$1/}"
		grep -En -- "$1" "$2" | head -n 5 | sed 's/^/#   /'
		return 1
	fi
	pass "${3:-$(basename "$2") does not match /$1/}"
}

# expect_not_in_workspace VALUE DESCRIPTION: VALUE is in no file of $WS
# outside code/, which holds the user's own files (what they pasted into
# them included): every log, run.json and the database are searched.
expect_not_in_workspace() {
	if grep -rqF --exclude-dir=code -- "$1" "$WS" 2>/dev/null; then
		fail "$2"
		grep -rlF --exclude-dir=code -- "$1" "$WS" | sed 's/^/#   found in /'
		return 1
	fi
	pass "$2"
}

# wait_until TIMEOUT_S CMD...: polls CMD (output discarded) until it
# succeeds; fails when TIMEOUT_S seconds pass first.
wait_until() {
	tap_deadline=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -ge "$tap_deadline" ] && return 1
		sleep 0.2
	done
}

# Runs a command in the background, remembered for cleanup; its pid is $!.
background() {
	"$@" &
	tap_bg_pids="$tap_bg_pids $!"
}

# The binary against the test's own workspace.
ak() {
	"$AUTOKAGGLE_BIN" --workspace "$WS" "$@"
}

# json_get FILE EXPR: prints a value of a JSON file, EXPR being a Python
# expression over `j` (e.g. 'j["run"]["status"]'); plain stdlib python.
json_get() {
	"$AUTOKAGGLE_PYTHON" -c 'import json, sys
try:
    j = json.load(open(sys.argv[1]))
    v = eval(sys.argv[2])
except Exception as e:
    sys.exit("json_get %s: %s: %s" % (sys.argv[1], type(e).__name__, e))
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$1" "$2"
}

# json_is FILE EXPR WANT: json_get succeeds and prints WANT (else a
# diagnostic shows what it got).
json_is() {
	tap_got=$(json_get "$1" "$2" 2>&1) && [ "$tap_got" = "$3" ] && return 0
	diag "$2: got '$tap_got', want '$3'"
	return 1
}

# like STRING ERE: STRING (one line) matches the extended regex ERE.
like() {
	printf '%s\n' "$1" | grep -Eq -- "$2"
}

# field NAME FILE: the value of a "NAME:   value" line of headless output.
field() {
	sed -n "s/^$1: *//p" "$2" | tail -n 1
}

csv_header() {
	head -n 1 "$1" | tr -d '\r'
}

# Data rows of a CSV without quoted line breaks.
csv_rows() {
	awk 'END { print NR - 1 }' "$1"
}

# The run's directory, from status --json.
run_dir() {
	ak status "$1" --json >"$T/status-dir.json" 2>/dev/null &&
		json_get "$T/status-dir.json" 'j["run"]["dir"]'
}

# The sample submission a run used, from the data files in its run.json.
run_sample() {
	json_get "$1/run.json" '[f["path"] for f in j["data"].values() if "sample" in f["path"].rsplit("/", 1)[-1]][0]'
}

# expect_valid_submission RUN_DIR: 4 points: the submission exists, has
# the sample's header and row count, and output/validation.json says ok.
expect_valid_submission() {
	tap_sub=$1/output/submission.csv
	tap_sample=$(run_sample "$1" 2>/dev/null)
	ok "the submission exists" test -s "$tap_sub"
	if [ ! -s "$tap_sub" ]; then
		fail "the submission has the sample's header"
		fail "the submission has the sample's row count"
	elif [ -n "$tap_sample" ] && [ -f "$tap_sample" ]; then
		ok "the submission has the sample's header" test "$(csv_header "$tap_sub")" = "$(csv_header "$tap_sample")" ||
			diag "submission: $(csv_header "$tap_sub")" "sample:     $(csv_header "$tap_sample")"
		ok "the submission has the sample's row count" test "$(csv_rows "$tap_sub")" = "$(csv_rows "$tap_sample")" ||
			diag "submission: $(csv_rows "$tap_sub") rows, sample: $(csv_rows "$tap_sample") rows"
	else
		fail "the submission has the sample's header"
		diag "no sample submission found in $1/run.json"
		fail "the submission has the sample's row count"
	fi
	ok "output/validation.json says ok" json_is "$1/output/validation.json" 'j["ok"]' true ||
		diag_file "$1/output/validation.json" 60
}

# Ends the script: checks the plan was followed.
done_testing() {
	if [ -n "$tap_planned" ] && [ "$tap_n" -ne "$tap_planned" ]; then
		diag "planned $tap_planned tests but ran $tap_n"
		exit 1
	fi
	exit 0
}

[ -x "$AUTOKAGGLE_BIN" ] || bail_out "no binary at $AUTOKAGGLE_BIN: build it first (make)"

#!/bin/sh
# kill -9 of the CLI while TRAIN runs does not stop the run: its detached
# supervisor finishes it, and status shows the truth.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 12

# The newest run's status --json has stage $1 $2 (e.g. train running).
stage_is() {
	ak status --json >"$T/poll.json" 2>/dev/null &&
		json_is "$T/poll.json" '[s["status"] for s in j["stages"] if s["name"] == "'"$1"'"][0]' "$2"
}

# The newest run's status, "" when status --json gives none.
run_status() {
	ak status --json >"$T/poll.json" 2>/dev/null && json_get "$T/poll.json" 'j["run"]["status"]' 2>/dev/null
}

# Train runs, or the CLI ended before that (no use waiting longer).
train_running_or_cli_gone() {
	if stage_is train running; then
		saw_train=yes
		return 0
	fi
	! kill -0 "$cli" 2>/dev/null
}

# The run ended one way or another, or status cannot tell (no use waiting).
run_settled() {
	case "$(run_status)" in
	created | running) return 1 ;;
	esac
	return 0
}

background "$AUTOKAGGLE_BIN" --workspace "$WS" demo >"$T/cli.out" 2>"$T/cli.err"
cli=$!
saw_train=no
wait_until 180 train_running_or_cli_gone
ok "status --json shows train running" test "$saw_train" = yes || {
	diag_file "$T/poll.json" 60
	diag_file "$T/cli.out"
	diag_file "$T/cli.err"
}
id=$(json_get "$T/poll.json" 'j["run"]["id"]' 2>/dev/null)
ok "the CLI is still alive" kill -0 "$cli"
kill -9 "$cli"
wait "$cli" 2>/dev/null
ok "the CLI is gone after kill -9" test ! -d "/proc/$cli"

# Its supervisor still drives the run, so another process may not.
run ak rerun "$id"
if [ "$rc" -eq 4 ]; then
	pass "rerun of the run being driven exits 4 (busy)"
elif [ "$rc" -eq 0 ] && [ "$(run_status)" = done ]; then
	skip 1 "the run finished before rerun could find it busy"
else
	fail "rerun of the run being driven exits 4 (busy)"
	diag "exited with $rc"
	diag_file "$T/stderr"
fi

# logs -f follows the run's log until the run stops, then returns.
run timeout 180 "$AUTOKAGGLE_BIN" --workspace "$WS" logs "$id" --follow
ok "logs RUN --follow returns by itself when the run stops" test "$rc" -eq 0 || diag "exited with $rc (124: still following after 180 s)"
expect_grep '\[validate\] done' "$T/stdout" "the followed log reaches validate's end"
wait_until 180 run_settled
ok "the run finishes without its CLI (done within 180 s)" test "$(run_status)" = done || diag_file "$T/poll.json" 80
dir=$(run_dir "$id")
ok "validate is done" stage_is validate done
expect_valid_submission "$dir"

done_testing

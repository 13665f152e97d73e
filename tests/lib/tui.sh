# Helpers for the workbench's screen tests (sourced after tap.sh). The TUI
# reads its keys from a script (AUTOKAGGLE_TUI_SCRIPT) and draws nowhere;
# ":dump FILE" steps write the screen as text, ":wait TEXT" steps wait for
# it (30 s at most), so the tests need no sleeps.

AUTOKAGGLE_TUI_SIZE=${AUTOKAGGLE_TUI_SIZE:-80x24}
export AUTOKAGGLE_TUI_SIZE

# steps: the key script, from stdin, into $T/steps.
steps() {
	cat >"$T/steps"
}

# tui ARGS...: runs `autokaggle ARGS` (default: the start screen) with the
# steps; its exit status in $rc, stderr in $T/tui.err.
tui() {
	AUTOKAGGLE_TUI_SCRIPT=$T/steps "$AUTOKAGGLE_BIN" --workspace "$WS" "$@" >"$T/tui.out" 2>"$T/tui.err" </dev/null
	rc=$?
	[ "$rc" -eq 0 ] || { diag "the TUI exited with $rc"; diag_file "$T/tui.err"; }
	return 0
}

# normalize FILE: run ids, scores and the test's directory as RUN, 0.NNNN
# and T, so that expected screens can be written down.
normalize() {
	sed -e "s|$T|T|g" -e 's/[0-9]\{8\}-[0-9]\{6\}-[a-z0-9-]*[a-z0-9]/RUN/g' -e 's/0\.[0-9]\{4\}/0.NNNN/g' "$1"
}

# expect_screen FILE DESCRIPTION: FILE (a dump), normalized, is stdin.
expect_screen() {
	normalize "$1" >"$1.norm"
	cat >"$1.want"
	if diff -u "$1.want" "$1.norm" >"$1.diff"; then
		pass "$2"
	else
		fail "$2"
		sed 's/^/#   /' "$1.diff"
	fi
}

# json_is_now RUN EXPR WANT: `status RUN --json` now, EXPR as json_is.
json_is_now() {
	ak status "$1" --json >"$T/status-now.json" 2>/dev/null
	json_is "$T/status-now.json" "$2" "$3"
}

# demo_run: one point, the demo run (2 folds) headless; $id and $dir are
# its id and directory.
demo_run() {
	expect_exit 0 ak demo --folds 2
	id=$(field run "$T/stdout")
	dir=$(run_dir "$id")
}

#!/bin/sh
# The command line itself: version, help of every command, usage errors
# (exit 2), input errors (exit 3), and status/list on an empty workspace.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

commands="demo run status list logs rerun cancel profile reindex versions diff restore chat"
plan 35

expect_exit 0 "$AUTOKAGGLE_BIN" --version
expect_grep '^autokaggle 0\.1\.0$' "$T/stdout" "--version prints 'autokaggle 0.1.0'"
expect_exit 0 "$AUTOKAGGLE_BIN" -V
expect_exit 0 "$AUTOKAGGLE_BIN" --help
missing=
for c in $commands; do
	grep -Eq "^ +$c( |$)" "$T/stdout" || missing="$missing $c"
done
ok "--help lists every command" test -z "$missing" || diag "not listed:$missing"

# Every command has its own help, reachable two ways.
bad=
for c in $commands; do
	run "$AUTOKAGGLE_BIN" "$c" --help
	if [ "$rc" -ne 0 ] || ! grep -q "$c" "$T/stdout"; then
		bad="$bad $c(exit $rc)"
	fi
	run "$AUTOKAGGLE_BIN" help "$c"
	if [ "$rc" -ne 0 ] || ! grep -q "$c" "$T/stdout"; then
		bad="$bad help-$c(exit $rc)"
	fi
done
ok "COMMAND --help and help COMMAND exit 0 and name the command" test -z "$bad" || diag "failed:$bad"
run "$AUTOKAGGLE_BIN" run --help
expect_grep '--target' "$T/stdout" "run --help documents the run options"

expect_exit 2 "$AUTOKAGGLE_BIN" frobnicate
expect_grep 'frobnicate' "$T/stderr" "an unknown command is named on stderr"
expect_exit 2 "$AUTOKAGGLE_BIN" --frobnicate
expect_grep "unknown option '--frobnicate'" "$T/stderr" "an unknown global option is called an option and named"
expect_exit 2 ak status --frobnicate
expect_exit 2 "$AUTOKAGGLE_BIN" help frobnicate
expect_exit 2 ak demo --budget soon
expect_grep 'soon' "$T/stderr" "a bad option value is named on stderr"
expect_exit 2 ak rerun

# Numbers are checked when parsed, with the limit named.
expect_exit 2 ak demo --seed 9223372036854775807
expect_grep 'from 0 to 4294967295' "$T/stderr" "a seed beyond PYTHONHASHSEED's range is refused with it"
expect_exit 2 ak demo --memory 1
expect_grep 'at least 256M' "$T/stderr" "a memory limit too small to start Python is refused with the minimum"
expect_exit 2 ak demo --budget 0
expect_grep "'none' for no budget" "$T/stderr" "--budget 0 is refused with the word for no budget"
ok "none of these created the workspace" test ! -e "$WS"

expect_exit 3 ak run "$T/no-such-dir"
expect_grep 'no-such-dir' "$T/stderr" "a missing directory is named on stderr"
expect_exit 3 ak profile "$T/no-such-file.csv"

# An empty workspace: nothing to list, no run to show.
mkdir -p "$WS"
expect_exit 0 ak list
expect_exit 0 ak list --json
ok "list --json on an empty workspace is []" test "$(tr -d ' \n' <"$T/stdout")" = "[]" ||
	diag_file "$T/stdout"
run ak status
ok "status on an empty workspace exits 0 or 3" test "$rc" -eq 0 -o "$rc" -eq 3 || diag "exited with $rc"
cat "$T/stdout" "$T/stderr" >"$T/status.out"
expect_grep '[Nn]o runs?' "$T/status.out" "status on an empty workspace says there is no run"
expect_exit 3 ak status 20000101-000000-nothing
expect_exit 3 ak logs 20000101-000000-nothing

# The run options are written once (src/pipeline/runopts.c): the man page
# and the README hold what the table prints.
"$AUTOKAGGLE_BIN" __run-options-man >"$T/options.man"
sed -n '/^\.\\" BEGIN RUN OPTIONS/,/^\.\\" END RUN OPTIONS/p' "$top_srcdir/man/autokaggle.1" | sed '1d;$d' >"$T/man.list"
ok "the man page lists the run options as the table says" cmp -s "$T/options.man" "$T/man.list" ||
	diff "$T/options.man" "$T/man.list" | head -n 20 | sed 's/^/# /'
"$AUTOKAGGLE_BIN" run --help | sed -n '/^Run options:/,/^$/p' | sed '1d;/^$/d' >"$T/options.help"
sed -n '/^Run options (demo, run, rerun/,/^Exit codes:/p' "$top_srcdir/README" | sed '1,2d' | sed '/^$/d;/^Exit codes:/d' >"$T/readme.list"
ok "the README lists the run options as --help prints them" cmp -s "$T/options.help" "$T/readme.list" ||
	diff "$T/options.help" "$T/readme.list" | head -n 20 | sed 's/^/# /'

done_testing

#!/bin/sh
# The runs of a workspace share their venv through cache/venvs: made once,
# then reused; another requirement makes another; a broken one (its
# interpreter gone, half written) is rebuilt.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 21

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
"$AUTOKAGGLE_PYTHON" -c 'import numpy, pandas, sklearn' 2>/dev/null ||
	skip_all "$AUTOKAGGLE_PYTHON lacks numpy, pandas or scikit-learn"

# The interpreter under a second name, which the first venv is made
# through; removing that name later breaks the venv.
mkdir "$T/bin"
ln -s "$(command -v "$AUTOKAGGLE_PYTHON")" "$T/bin/python3"

# new_run PYTHON: a run of the competition; sets id and dir.
new_run() {
	run env AUTOKAGGLE_PYTHON="$1" "$AUTOKAGGLE_BIN" --workspace "$WS" run "$comp" --folds 2
	id=$(field run "$T/stdout")
	dir=$(run_dir "$id")
}

venv_target() {
	readlink "$1/env/venv"
}

venvs() {
	ls "$WS/cache/venvs" | wc -l
}

new_run "$T/bin/python3"
ok "the first run completes" test "$rc" -eq 0 || diag_file "$T/stdout" 30
dir1=$dir
expect_grep '^creating venv py[0-9.]+-[0-9a-f]+ ' "$dir1/logs/env.log" "its ENV creates the venv"
key=$(json_get "$dir1/env/venv.json" 'j["key"]')
ok "env/venv is a relative link to cache/venvs/KEY" test "$(venv_target "$dir1")" = "../../cache/venvs/$key" ||
	diag "env/venv -> $(venv_target "$dir1"), key $key"
ok "env/venv.json names the interpreter, its version and the requirements" json_is "$dir1/env/venv.json" \
	'bool(j["interpreter"]) and bool(j["python_version"]) and "scikit-learn" in " ".join(j["requirements"]) and not j["reused"]' \
	true
ok "no pip was installed into it" test -z "$(ls -d "$WS/cache/venvs/$key"/lib/python3*/site-packages/pip 2>/dev/null)"
created=$(json_get "$WS/cache/venvs/$key/autokaggle-venv.json" 'j["created"]')

new_run "$T/bin/python3"
ok "the second run completes" test "$rc" -eq 0 || diag_file "$T/stdout" 30
dir2=$dir
expect_grep "^venv $key reused" "$dir2/logs/env.log" "its ENV reuses the venv"
expect_grep '^importability check of .* reused' "$dir2/logs/env.log" "and the importability check"
ok "no second creation: one venv, created once" test "$(venvs)" -eq 1 -a \
	"$(json_get "$WS/cache/venvs/$key/autokaggle-venv.json" 'j["created"]')" = "$created"
ok "the second run links the same venv" test "$(venv_target "$dir2")" = "../../cache/venvs/$key"

# Another requirement: ENV is stale and makes another venv.
echo "joblib" >>"$dir2/env/requirements.txt"
run ak rerun "$id"
ok "after a new requirement the run completes again" test "$rc" -eq 0 || diag_file "$T/stdout" 30
expect_grep '^creating venv ' "$dir2/logs/env.log" "ENV ran again and made a venv for the new requirements"
ok "the run now links another venv; the cache holds two" \
	test "$(venv_target "$dir2")" != "../../cache/venvs/$key" -a "$(venvs)" -eq 2

# The name the venv was made through is gone: the next run rebuilds it.
rm "$T/bin/python3"
new_run "$AUTOKAGGLE_PYTHON"
ok "a run after the interpreter's name went completes" test "$rc" -eq 0 || diag_file "$T/stdout" 30
dir3=$dir
id3=$id
expect_grep "^rebuilding venv $key: its interpreter .* is gone" "$dir3/logs/env.log" "its ENV rebuilds the broken venv"
ok "the first run's env/venv works again (same key)" "$dir1/env/venv/bin/python" -c 'import sklearn'

# Half written (its manifest never came), with a temporary left by a kill.
rm "$WS/cache/venvs/$key/autokaggle-venv.json"
mkdir "$WS/cache/venvs/.$key.tmp-999999"
run ak rerun "$id3" env
ok "re-running ENV on a half-written venv completes" test "$rc" -eq 0 || diag_file "$T/stdout" 30
expect_grep "^rebuilding venv $key: it is incomplete" "$dir3/logs/env.log" "ENV rebuilds the half-written venv"
ok "and removes the temporary" test ! -e "$WS/cache/venvs/.$key.tmp-999999"

# The cache cleaned away under a done run: TRAIN says how to recover.
rm -rf "$WS/cache/venvs"
run ak rerun "$id3" train
ok "TRAIN without its cached venv fails (exit 1)" test "$rc" -eq 1
expect_grep "env/venv/bin/python is gone .*: re-create it with autokaggle rerun $id3 env" "$T/stdout" \
	"and says how to re-create the venv"

done_testing

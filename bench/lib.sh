# What the benchmark scripts share; sourced with `. "$here/lib.sh"` after
# they set here (bench/) and top (the source tree).

say() { printf '%s\n' "$*" >&2; }

# bench_build DIR TARGET...: a build of the tree in DIR with the default
# CFLAGS (-g -O2), configured the first time, then brought up to date.
bench_build() {
	dir=$1
	shift
	if [ ! -f "$dir/Makefile" ]; then
		[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh >/dev/null 2>&1)
		mkdir -p "$dir"
		say "configuring $dir"
		(cd "$dir" && "$top/configure" >/dev/null)
	fi
	say "building $dir"
	make -C "$dir" -j2 "$@" >/dev/null
}

# The median of the numbers on stdin, one a line ("-" when none).
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

# bench_loop_run: a run (regression, linear family: the model around the
# loop stays quick) in $out/ws whose code/train.py first imports
# $out/firehose_loop.py; sets ws, id, dir and py (the run's python).
# Uses out, ak and top.
bench_loop_run() {
	ws=$out/ws
	rm -rf "$ws" "$out/comp"
	sh "$top/tests/fixtures/gen-competition.sh" regression "$out/comp"
	say "making a run (linear family: the model around the loop stays quick)"
	"$ak" --workspace "$ws" run "$out/comp" --family linear --headless >"$out/run.out" 2>&1 ||
		{ cat "$out/run.out" >&2; exit 1; }
	id=$(sed -n 's/^run: *//p' "$out/run.out")
	dir=$ws/$id
	cp "$out/firehose_loop.py" "$dir/code/firehose_loop.py"
	sed -i 's/^START = time.time()$/&\nimport firehose_loop  # noqa: E402,F401 (bench)/' "$dir/code/train.py"
	grep -q '^import firehose_loop' "$dir/code/train.py" || { say "could not edit $dir/code/train.py"; exit 1; }
	py=$dir/env/venv/bin/python
}

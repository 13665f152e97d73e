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

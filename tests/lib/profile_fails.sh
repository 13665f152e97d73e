# Helpers for the tests of PROFILE's checks (sourced after tap.sh).

# competition_copy NAME SRC: copies the competition in SRC to $T/NAME,
# to be corrupted, and prints its path.
competition_copy() {
	mkdir "$T/$1"
	cp "$2"/* "$T/$1/"
	echo "$T/$1"
}

# profile_fails NAME ERE DESCRIPTION [RUN OPTIONS]: 3 points: the run of
# $T/NAME exits 1, PROFILE failed with a message matching ERE, and no
# stage after it ran. The run's output is left in $T/NAME.out.
profile_fails() {
	pf_name=$1
	pf_want=$2
	pf_desc=$3
	shift 3
	expect_exit 1 ak run "$T/$pf_name" "$@"
	cat "$T/stdout" "$T/stderr" >"$T/$pf_name.out"
	expect_grep "^\[profile\] +failed: .*$pf_want" "$T/$pf_name.out" "$pf_desc"
	run ak status "$(sed -n 's/^run \([^ ]*\) started in .*/\1/p' "$T/$pf_name.out")" --json
	ok "$pf_name: nothing after PROFILE ran" \
		json_is "$T/stdout" '" ".join(s["status"] for s in j["stages"])' "done done failed idle idle idle idle idle" ||
		diag_file "$T/stdout" 40
}

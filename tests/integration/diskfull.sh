#!/bin/sh
# A full disk: the stage that hit it fails with one message that says so,
# where and what to do; the run's statuses agree; status, list and logs
# work on the full disk and on a read-only one. The workspace lives on a
# small tmpfs mounted in a private mount namespace (root, or a user
# namespace), so nothing else fills up.
if [ -z "${AK_IN_MOUNT_NS:-}" ]; then
	AK_IN_MOUNT_NS=1
	export AK_IN_MOUNT_NS
	for ns in "unshare -m" "unshare -rm"; do
		# shellcheck disable=SC2086
		if $ns true 2>/dev/null; then
			# shellcheck disable=SC2086
			exec $ns sh "$0" "$@"
		fi
	done
	echo "1..0 # SKIP no private mount namespace here (needs root or user namespaces)"
	exit 0
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 22

small=$T/small
mkdir -p "$small"
mount -t tmpfs -o size=96m tmpfs "$small" || bail_out "cannot mount a tmpfs on $small"
WS=$small/ws

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
dir=$WS/$id
train=$dir/code/train.py
cp "$train" "$T/train.py.orig"
after=$(grep -n '^from __future__ import' "$T/train.py.orig" | tail -n 1 | cut -d: -f1)
awk -v after="${after:-0}" '
	function fill() {
		print "with open(\"output/fill.bin\", \"wb\") as f:"
		print "    for _ in range(1000):"
		print "        f.write(b\"\\0\" * (1 << 20))"
	}
	NR == 1 && after == 0 { fill() }
	{ print }
	NR == after { fill() }
' "$T/train.py.orig" >"$train"

expect_exit 1 ak rerun "$id" train
cat "$T/stdout" "$T/stderr" >"$T/rerun.out"
expect_grep "train.*the disk holding the workspace $WS is full \([0-9.]+ MB free\): free some space, then autokaggle rerun $id" \
	"$T/rerun.out" "the failure says the workspace's disk is full, and what to do"
run ak status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status: train failed, the run failed" \
	json_is "$T/status.json" '"%s %s" % ([s["status"] for s in j["stages"] if s["name"] == "train"][0], j["run"]["status"])' "failed failed" ||
	diag_file "$T/status.json" 60
ok "run.json agrees" json_is "$dir/run.json" '"%s %s" % (j["stages"]["train"]["status"], j["status"])' "failed failed"
run ak list
expect_grep "^$id +failed " "$T/stdout" "list says failed too"

# Fill what is left, then read.
dd if=/dev/zero of="$small/rest.bin" bs=1M 2>/dev/null
ok "the disk is now full" test "$(df -P "$small" | awk 'NR == 2 { print $4 }')" -eq 0
for c in "status $id" "status $id --json" "list" "list --json" "logs $id train" "logs $id"; do
	# shellcheck disable=SC2086
	run ak $c
	ok "$c works on a full disk" test "$rc" -eq 0 || { diag "exited with $rc"; diag_file "$T/stderr"; }
done
run ak status "$id"
expect_grep '^train +failed' "$T/stdout" "status still shows train failed"
expect_no_grep 'note:' "$T/stderr" "reading the database itself, read-only"
run ak rerun "$id"
ok "rerun on a full disk refuses to start (exit 5)" test "$rc" -eq 5 || diag "exited with $rc"
expect_grep 'is full .*free some space' "$T/stderr" "and says why"

# Read-only.
mount -o remount,ro "$small" || bail_out "cannot remount $small read-only"
for c in "status $id" "list" "logs $id train"; do
	# shellcheck disable=SC2086
	run ak $c
	ok "$c works on a read-only filesystem" test "$rc" -eq 0 || { diag "exited with $rc"; diag_file "$T/stderr"; }
done
run ak status "$id"
expect_grep '^train +failed' "$T/stdout" "status on the read-only filesystem shows train failed"
mount -o remount,rw "$small"
rm -f "$small/rest.bin" "$dir/output/fill.bin"
cp "$T/train.py.orig" "$train"
expect_exit 0 ak rerun "$id"
umount -l "$small"

done_testing

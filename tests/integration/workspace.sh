#!/bin/sh
# A workspace is self-contained: a copy or a move works on its own files
# and nothing is written outside it; a missing workspace, run directory or
# database is named plainly; the index is rebuilt from the run.json files.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 33

# --- a workspace that does not exist: exit 5, nothing created ---
nows=$T/nowhere/ws
for c in "list" "status" "logs last" "rerun last" "reindex"; do
	# shellcheck disable=SC2086
	run "$AUTOKAGGLE_BIN" --workspace "$nows" $c
	ok "$c on a missing workspace exits 5" test "$rc" -eq 5 || { diag "exited with $rc"; diag_file "$T/stderr"; }
done
expect_grep "no workspace at $nows" "$T/stderr" "the message names the missing workspace"
expect_exit 2 "$AUTOKAGGLE_BIN" --workspace "$nows" run "$T" --budget soon
ok "nothing was created for the missing workspace" test ! -e "$T/nowhere"

# --- a finished run ---
comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
sub=$WS/$id/output/submission.csv
ok "the run wrote its submission in the workspace" test -s "$sub" || bail_out "no submission"
sum_before=$(md5sum <"$sub")
touch -d '2001-01-01' "$sub"

# --- a copy works on its own files ---
cp -a "$WS" "$T/copy"
expect_exit 0 "$AUTOKAGGLE_BIN" --workspace "$T/copy" rerun last predict
ok "the copy's submission was rewritten" test "$T/copy/$id/output/submission.csv" -nt "$sub"
ok "the original's submission was left alone" test -z "$(find "$sub" -newermt 2002-01-01)"
ok "and its content too" test "$(md5sum <"$sub")" = "$sum_before"
run "$AUTOKAGGLE_BIN" --workspace "$T/copy" status --json
cp "$T/stdout" "$T/copy-status.json"
ok "status in the copy shows the copy's directory" json_is "$T/copy-status.json" 'j["run"]["dir"]' "$T/copy/$id"

# --- a move works where it landed and never re-creates the old place ---
mv "$WS" "$T/moved"
expect_exit 0 "$AUTOKAGGLE_BIN" --workspace "$T/moved" rerun last validate
expect_grep "^submission: $T/moved/$id/output/submission.csv$" "$T/stdout" "the submission path is in the moved workspace"
ok "the old workspace was not re-created" test ! -e "$WS"
run "$AUTOKAGGLE_BIN" --workspace "$T/moved" list
expect_grep "^$id +done " "$T/stdout" "list in the moved workspace shows the run done"

# --- a deleted run directory ---
rm -rf "${T:?}/copy/$id"
run "$AUTOKAGGLE_BIN" --workspace "$T/copy" status
ok "status of a run whose directory is gone exits 3" test "$rc" -eq 3 || diag "exited with $rc"
expect_grep "directory of run $id is missing" "$T/stderr" "status names the missing directory"
run "$AUTOKAGGLE_BIN" --workspace "$T/copy" rerun last
ok "rerun of a run whose directory is gone exits 3" test "$rc" -eq 3 || diag "exited with $rc"
expect_grep "is missing" "$T/stderr" "rerun names the missing directory"
ok "rerun did not re-create the run directory" test ! -e "$T/copy/$id"
run "$AUTOKAGGLE_BIN" --workspace "$T/copy" list
expect_grep "^$id +missing " "$T/stdout" "list shows the run as missing"
expect_exit 0 "$AUTOKAGGLE_BIN" --workspace "$T/copy" reindex
expect_grep '1 dropped' "$T/stdout" "reindex drops the run whose directory is gone"
run "$AUTOKAGGLE_BIN" --workspace "$T/copy" list
expect_grep '^no runs' "$T/stdout" "then list says there are no runs"

# --- a deleted database: rebuilt from run.json on open ---
rm -f "$T/moved/autokaggle.db" "$T/moved/autokaggle.db-wal" "$T/moved/autokaggle.db-shm"
run "$AUTOKAGGLE_BIN" --workspace "$T/moved" list --json
cp "$T/stdout" "$T/list.json"
ok "list finds the run again, done, with its cv score" \
	json_is "$T/list.json" '"%s %s %s" % (j[0]["id"], j[0]["status"], j[0]["cv_score"] is not None)' "$id done True" ||
	diag_file "$T/list.json"
run "$AUTOKAGGLE_BIN" --workspace "$T/moved" status "$id" --json
cp "$T/stdout" "$T/status.json"
ok "status shows every stage done after the rebuild" \
	json_is "$T/status.json" '" ".join(s["name"] for s in j["stages"] if s["status"] != "done")' "" ||
	diag_file "$T/status.json" 60
ok "and the title from run.json" json_is "$T/status.json" 'j["run"]["title"]' "House prices (fixture)" || diag_file "$T/status.json" 20
expect_exit 0 "$AUTOKAGGLE_BIN" --workspace "$T/moved" rerun last
expect_no_grep '\[(train|predict|env)\] +started' "$T/stdout" "the rebuilt index keeps the stages fresh: rerun runs nothing"

done_testing

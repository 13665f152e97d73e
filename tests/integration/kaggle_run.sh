#!/bin/sh
# From a pasted competition URL to a validated submission against the fake
# Kaggle server: the listings (competitions, files), the data cache shared
# by runs (downloaded once, 0700/0600, storage fetched without Kaggle
# credentials), a run from a URL, and a second run that downloads nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"

plan 38

data=$T/data
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$data/houses-fake" || bail_out "fixture generator failed"
mv "$data/houses-fake/competition.json" "$data/houses-fake/.competition.json"
# Kaggle's zip of zips: nested-fake ships train.csv.zip inside the data's zip.
nested=$data/nested-fake
mkdir -p "$nested"
cp "$data/houses-fake/test.csv" "$data/houses-fake/sample_submission.csv" "$data/houses-fake/.competition.json" "$nested/"
(cd "$data/houses-fake" && "$AUTOKAGGLE_PYTHON" -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.write("train.csv")' "$nested/train.csv.zip")
fake_kaggle_start --data "$data"
KAGGLE_API_ENDPOINT=$FAKE_API
KAGGLE_USERNAME=$FAKE_USER
KAGGLE_KEY=$FAKE_KEY
XDG_CACHE_HOME=$T/cache
export KAGGLE_API_ENDPOINT KAGGLE_USERNAME KAGGLE_KEY XDG_CACHE_HOME
cache=$XDG_CACHE_HOME/autokaggle/competitions/houses-fake

# storage_gets: how many data downloads the fake has served so far.
storage_gets() {
	curl -s "$FAKE_URL/_fake/requests" >"$T/requests.json" &&
		json_get "$T/requests.json" 'len([r for r in j if r["path"].startswith("/storage/")])'
}

# --- competitions
expect_exit 0 ak competitions
expect_grep '^slug +deadline +category +reward +teams +entered' "$T/stdout" "the table has its header"
expect_grep '^titanic-fake +20[0-9-]+ ' "$T/stdout" "titanic-fake is listed with its deadline"
expect_exit 0 ak competitions houses --json
ok "a search finds the competition from --data" json_is "$T/stdout" '[c["slug"] for c in j]' '["houses-fake"]'
expect_exit 2 ak competitions --sort loudest
expect_grep 'earliest-deadline' "$T/stderr" "an unknown --sort lists the accepted words"
expect_exit 0 ak competitions --page 2 --json
ok "--page 2 is another page" json_is "$T/stdout" 'len(j) > 0 and "titanic-fake" not in [c["slug"] for c in j]' true

# --- files, by slug and by a pasted URL
expect_exit 0 ak files houses-fake
expect_grep '^train\.csv +[0-9]+ ' "$T/stdout" "files lists train.csv with its size"
expect_exit 0 ak files 'https://www.kaggle.com/c/houses-fake/data?select=train.csv#top' --json
ok "a pasted URL names the same competition" \
	json_is "$T/stdout" 'sorted(f["name"] for f in j)' '["sample_submission.csv", "test.csv", "train.csv"]'

# --- download: once into the cache, private, without credentials on storage
expect_exit 0 ak download houses-fake
expect_grep 'houses-fake: [0-9]+ files, .* \(downloaded: [0-9.]+ MB in [0-9.]+ s, extracted in [0-9.]+ s\)' "$T/stdout" \
	"download says it downloaded, and how fast"
ok "the cache holds the data" test -s "$cache/data/train.csv"
ok "cache directories are 0700" test "$(stat -c %a "$cache" "$cache/data" | sort -u)" = 700
ok "cache files are 0600" test "$(find "$cache/data" -type f -exec stat -c %a {} + | sort -u)" = 600
ok "no archive or partial file is left" test -z "$(find "$cache" -name '*.zip*' -o -name '*.part')"
curl -s "$FAKE_URL/_fake/requests" >"$T/requests.json"
ok "the storage download carried no Kaggle credentials" \
	json_is "$T/requests.json" 'any(r.get("authorization") for r in j if r["path"].startswith("/storage/"))' false
before=$(storage_gets)
expect_exit 0 ak download houses-fake
expect_grep '\(already up to date\)' "$T/stdout" "a second download finds the cache current"
ok "and fetched nothing" test "$(storage_gets)" = "$before"

# --- on a terminal, downloads show their progress
if command -v script >/dev/null 2>&1; then
	script -qec "'$AUTOKAGGLE_BIN' --workspace '$WS' download houses-fake --force" "$T/typescript" >/dev/null 2>&1
	expect_grep 'downloading houses-fake\.zip: [0-9.]+ [kMG]?B of [0-9.]+ [kMG]?B, ' "$T/typescript" \
		"on a terminal, the download shows bytes, total and rate"
else
	skip 1 "script(1) is not installed"
fi
before=$(storage_gets)

# --- a run from a pasted URL
expect_exit 0 ak run 'https://www.kaggle.com/competitions/houses-fake/overview' --folds 2
cat "$T/stdout" "$T/stderr" >"$T/run1.out"
id=$(field run "$T/run1.out")
dir=$(run_dir "$id")
ok "the run's competition.json came from the API" json_is "$dir/input/competition.json" 'j["ref"]' houses-fake
ok "run.json names the Kaggle source" json_is "$dir/run.json" '[j["source"]["kind"], j["source"]["slug"]]' '["kaggle", "houses-fake"]'
ok "its data is the shared cache's" json_is "$dir/run.json" 'j["data"]["train"]["path"]' "$cache/data/train.csv"
expect_valid_submission "$dir"
ok "the run downloaded nothing" test "$(storage_gets)" = "$before"

# --- the zip of zips
expect_exit 0 ak run nested-fake --folds 2
ok "the inner zip was extracted too" test -s "$XDG_CACHE_HOME/autokaggle/competitions/nested-fake/data/train.csv/train.csv"
ok "and the run trained on it" json_is "$(run_dir "$(field run "$T/stdout")")/run.json" 'j["data"]["train"]["path"].endswith("train.csv/train.csv")' true

# --- nothing secret was written anywhere
expect_not_in_workspace "$FAKE_KEY" "the key is in no log, run.json or database"
ok "nor in the cache" test -z "$(grep -rlF "$FAKE_KEY" "$XDG_CACHE_HOME")"
done_testing

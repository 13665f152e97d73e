#!/bin/sh
# The fake Kaggle server itself, checked with curl: authentication, each
# fixture's behaviour, paging, the redirect to storage and Range, scripted
# faults, the submission flow to a score, and the control API.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

plan 109

fake_kaggle_start
C=$FAKE_API/competitions.CompetitionApiService
BASIC="Authorization: Basic $(printf '%s:%s' "$FAKE_USER" "$FAKE_KEY" | base64)"
BEARER="Authorization: Bearer $FAKE_TOKEN"

# call URL BODY [HEADER]: POSTs BODY; the reply in $T/b, its headers in
# $T/h, the status in $code.
call() {
	code=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -H 'Content-Type: application/json' \
		-H "${3:-$BASIC}" --data-binary "$2" "$1")
}
rpc() {
	call "$C/$1" "$2" "$3"
}
# is WANT_CODE EXPR WANT DESCRIPTION: the last reply had that status and
# EXPR over its JSON (j) prints WANT.
is() {
	if [ "$code" = "$1" ] && json_is "$T/b" "$2" "$3" 2>/dev/null; then
		pass "$4"
	else
		fail "$4"
		diag "status $code, want $1"
		diag_file "$T/b" 5
	fi
}
header() {
	tr -d '\r' <"$T/h" | sed -n "s/^$1: //Ip" | tail -n 1
}
control() {
	curl -s -o "$T/c" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$2" "$FAKE_URL/_fake/$1"
}

# --- authentication
rpc GetCompetition '{"competitionName":"titanic-fake"}'
is 200 'j["userHasEntered"]' true "Basic with the fixture key is accepted"
rpc GetCompetition '{"competitionName":"titanic-fake"}' "$BEARER"
is 200 'j["maxDailySubmissions"]' 5 "Bearer with the fixture token is accepted"
rpc GetCompetition '{"competitionName":"titanic-fake"}' "Authorization: Basic $(printf 'alice:ffff' | base64)"
is 401 'j' '{"code": 401, "message": "Unauthenticated"}' "a wrong key is refused with 401 Unauthenticated"
rpc GetCompetition '{"competitionName":"titanic-fake"}' "X-No-Auth: 1"
is 401 'j["code"]' 401 "no Authorization is refused with 401"
call "$FAKE_API/security.OAuthService/IntrospectToken" "{\"token\":\"$FAKE_TOKEN\"}" "$BEARER"
is 200 '[j["active"], j["username"]]' '[true, "alice"]' "IntrospectToken: the fixture token is active, user alice"
call "$FAKE_API/security.OAuthService/IntrospectToken" '{"token":"KGAT_other"}' "$BEARER"
is 200 'j' '{}' "IntrospectToken: another token is inactive (active omitted as false)"

# --- request forms: /api prefix and an absolute-form target (a proxy)
code=$(curl -s -o "$T/b" -w '%{http_code}' -H "$BASIC" -d '{"competitionName":"titanic-fake"}' \
	"$FAKE_URL/api/v1/competitions.CompetitionApiService/GetCompetition")
is 200 'j["ref"]' https://www.kaggle.com/competitions/titanic-fake "a path under /api/v1 routes the same"
code=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -H "$BASIC" -H 'Host: localhost' \
	-d '{"competitionName":"titanic-fake"}' \
	--request-target "http://localhost/api/v1/competitions.CompetitionApiService/DownloadDataFiles" "$FAKE_URL")
ok "an absolute-form target is routed, and redirected back through the proxy's host" \
	like "$code $(header Location)" '^302 http://localhost/storage/titanic-fake/titanic-fake\.zip\?X-Goog-Signature=[0-9a-f]+$' ||
	diag "got $code $(header Location)"

# --- fixtures
rpc GetCompetition '{"competitionName":"titanic-fake"}'
is 200 '[j["url"], j["evaluationMetric"], j["category"], j["deadline"] > "2030"]' \
	'["https://www.kaggle.com/competitions/titanic-fake", "Categorization Accuracy", "Getting Started", true]' \
	"titanic-fake: page URL, metric, category, a future deadline"
rpc GetCompetition '{"competitionName":"no-such-fake"}'
is 404 'j' '{"code": 404, "message": "NotFound"}' "an unknown slug is 404 NotFound"
rpc GetCompetition '{"competitionName":"rules-fake"}'
is 200 '"userHasEntered" in j' false "rules-fake: metadata readable, not entered (false omitted)"
for m in DownloadDataFiles StartSubmissionUpload CreateSubmission; do
	rpc $m '{"competitionName":"rules-fake","fileName":"train.csv","blobFileTokens":"x"}'
	is 403 'j["message"]' "You must accept this competition's rules before you'll be able to download files." \
		"rules-fake: $m is 403 with the rules message"
done
rpc DownloadDataFile '{"competitionName":"rules-fake","fileName":"train.csv"}'
is 403 'j["code"]' 403 "rules-fake: DownloadDataFile is 403 too"
rpc DownloadDataFiles '{"competitionName":"google-fake"}'
is 403 '[j["error"]["code"], j["error"]["status"]]' '[403, "PERMISSION_DENIED"]' "google-fake: a download is 403 in the Google shape"
rpc GetCompetition '{"competitionName":"kernels-fake"}'
is 200 'j["isKernelsSubmissionsOnly"]' true "kernels-fake: isKernelsSubmissionsOnly"
for i in 1 2; do
	rpc ListDataFiles '{"competitionName":"busy-fake"}'
	ok "busy-fake: call $i is 429 with Retry-After: 1" test "$code $(header Retry-After)" = "429 1"
done
rpc ListDataFiles '{"competitionName":"busy-fake"}'
is 200 'len(j["files"])' 3 "busy-fake: the third call works"
rpc GetCompetition '{}'
is 400 'j["code"]' 400 "a missing competitionName is 400"
rpc GetCompetition 'not json'
is 400 'j["code"]' 400 "a body that is not JSON is 400"

# --- listing: pages, search, category, sort
rpc ListCompetitions '{"group":"COMPETITION_LIST_TAB_EVERYTHING","category":"HOST_SEGMENT_UNSPECIFIED","sortBy":"COMPETITION_SORT_BY_BEST","search":""}'
is 200 'len(j["competitions"])' 20 "ListCompetitions: the first page holds 20"
tok=$(json_get "$T/b" 'j["nextPageToken"]')
ok "ListCompetitions: and a nextPageToken" test -n "$tok"
rpc ListCompetitions "{\"pageToken\":\"$tok\"}"
is 200 '[len(j["competitions"]) > 0, "nextPageToken" in j]' '[true, false]' "the second page is the last"
rpc ListCompetitions '{"pageToken":"garbage!"}'
is 400 'j["code"]' 400 "a bad pageToken is 400"
rpc ListCompetitions '{"search":"Rules"}'
is 200 '[c["ref"] for c in j["competitions"]]' '["https://www.kaggle.com/competitions/rules-fake"]' "search matches the title, any case"
rpc ListCompetitions '{"category":"HOST_SEGMENT_GETTING_STARTED","pageSize":100}'
is 200 'sorted(set(c["category"] for c in j["competitions"]))' '["Getting Started"]' "category filters"
rpc ListCompetitions '{"sortBy":"COMPETITION_SORT_BY_NUMBER_OF_TEAMS","pageSize":100}'
is 200 '[c.get("teamCount", 0) for c in j["competitions"]] == sorted([c.get("teamCount", 0) for c in j["competitions"]], reverse=True)' \
	true "sortBy NUMBER_OF_TEAMS orders by teams, most first"
rpc ListDataFiles '{"competitionName":"titanic-fake","pageSize":2}'
is 200 '[f["name"] for f in j["files"]] + [bool(j["nextPageToken"])]' '["sample_submission.csv", "test.csv", true]' \
	"ListDataFiles pages with pageSize"
rpc ListDataFiles '{"competitionName":"titanic-fake"}'
is 200 '[(f["totalBytes"] > 0, f["creationDate"]) for f in j["files"] if f["name"] == "train.csv"]' \
	'[[true, "2024-01-01T00:00:00Z"]]' "ListDataFiles gives name, totalBytes and creationDate"

# --- downloads: redirect, storage, Range, no Authorization
rpc DownloadDataFiles '{"competitionName":"titanic-fake"}'
loc=$(header Location)
ok "DownloadDataFiles is a 302 to the fake's own storage URL" \
	like "$code $loc" "^302 $FAKE_URL/storage/titanic-fake/titanic-fake\\.zip\\?X-Goog-Signature=[0-9a-f]+\$" ||
	diag "got $code $loc"
code=$(curl -s -o "$T/data.zip" -D "$T/h" -w '%{http_code}' "$loc")
ok "the storage GET with no Authorization is 200" test "$code" = 200
ok "with the file's Content-Length" test "$(header Content-Length)" = "$(wc -c <"$T/data.zip" | tr -d ' ')"
ok "an RFC 1123 Last-Modified" like "$(header Last-Modified)" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$'
ok "and Accept-Ranges: bytes" test "$(header Accept-Ranges)" = bytes
ok "the zip holds the three fixture files" "$AUTOKAGGLE_PYTHON" -c '
import sys, zipfile
sys.exit(sorted(zipfile.ZipFile(sys.argv[1]).namelist()) != ["sample_submission.csv", "test.csv", "train.csv"])' "$T/data.zip"
size=$(wc -c <"$T/data.zip" | tr -d ' ')
code=$(curl -s -o "$T/tail" -D "$T/h" -w '%{http_code}' -H 'Range: bytes=100-' "$loc")
ok "Range: bytes=100- is 206 with its Content-Range" test "$code $(header Content-Range)" = "206 bytes 100-$((size - 1))/$size"
ok "and the bytes from 100 on" cmp -s -i 0:100 "$T/tail" "$T/data.zip"
code=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' -H "Range: bytes=$size-" "$loc")
ok "a Range past the end is 416" test "$code $(header Content-Range)" = "416 bytes */$size"
code=$(curl -s -o /dev/null -w '%{http_code}' "${loc%%\?*}")
ok "storage without the signature is 403" test "$code" = 403
rpc DownloadDataFile '{"competitionName":"titanic-fake","fileName":"train.csv"}'
loc1=$(header Location)
ok "DownloadDataFile redirects to the one file" like "$loc1" "^$FAKE_URL/storage/titanic-fake/train\\.csv\\?X-Goog-Signature="
rpc DownloadDataFile '{"competitionName":"titanic-fake","fileName":"nope.csv"}'
is 404 'j["message"]' NotFound "DownloadDataFile of an unknown file is 404"

# A dropped connection: headers promise the whole file, 64 bytes come.
control faults '[{"method":"storage","drop_after":64,"times":1}]' >/dev/null
curl -s -o "$T/part" "$loc1"
ok "a scripted drop cuts the download after 64 bytes (curl: partial file)" test "$? $(wc -c <"$T/part" | tr -d ' ')" = "18 64"
curl -s -H 'Range: bytes=64-' "$loc1" >>"$T/part"
curl -s -o "$T/whole" "$loc1"
ok "resuming with Range completes the same file" cmp -s "$T/part" "$T/whole"

# --- submission flow
printf 'id,target\n' >"$T/sub.csv"
seq 121 160 | sed 's/$/,1/' >>"$T/sub.csv"
want=$("$AUTOKAGGLE_PYTHON" - "$T/sub.csv" <<'PY'
import csv, sys
sys.path.insert(0, __import__("os").environ["top_srcdir"] + "/tests/fakes")
import fake_kaggle
_, hidden = fake_kaggle.builtin_files()
rows = list(csv.reader(open(sys.argv[1])))[1:]
print("%.5f" % (sum(hidden[r[0]] == r[1] for r in rows) / len(rows)))
PY
)
# submit FILE: the three steps; sets $ref (empty on failure).
submit() {
	ref=
	rpc StartSubmissionUpload "{\"competitionName\":\"titanic-fake\",\"fileName\":\"$(basename "$1")\",\"contentLength\":$(wc -c <"$1")}"
	[ "$code" = 200 ] || return 1
	url=$(json_get "$T/b" 'j["createUrl"]')
	token=$(json_get "$T/b" 'j["token"]')
	[ "$(curl -s -o /dev/null -w '%{http_code}' -T "$1" "$url")" = 200 ] || return 1
	rpc CreateSubmission "{\"competitionName\":\"titanic-fake\",\"blobFileTokens\":\"$token\",\"submissionDescription\":\"all ones\"}"
	ref=$(json_get "$T/b" 'j["ref"]')
}
rpc CreateSubmission '{"competitionName":"titanic-fake","blobFileTokens":"blob-never-issued"}'
is 400 'j["code"]' 400 "CreateSubmission with a token never issued is 400"
submit "$T/sub.csv"
is 200 'j["message"]' "Successfully submitted to Titanic Fake - Machine Learning from Disaster" "the three-step submit answers its message"
ok "and an int64 ref" like "$ref" '^[0-9]+$'
for i in 1 2; do
	rpc ListSubmissions '{"competitionName":"titanic-fake"}'
	is 200 '[s["ref"] for s in j["submissions"] if "status" not in s and "publicScore" not in s]' "[$ref]" \
		"poll $i: PENDING, status omitted"
done
rpc GetSubmission "{\"ref\":$ref}"
is 200 '[j["status"], j["publicScore"], j["fileName"], j["description"]]' \
	"[\"COMPLETE\", \"$want\", \"sub.csv\", \"all ones\"]" "then COMPLETE with the file's score as a string"
printf 'id,target\n121,1\n' >"$T/short.csv"
submit "$T/short.csv"
bad=$ref
for i in 1 2 3; do rpc GetSubmission "{\"ref\":\"$bad\"}"; done
is 200 '[j["status"], j["errorDescription"]]' '["ERROR", "Evaluation Exception: Submission must have 40 rows"]' \
	"a file with the wrong row count ends in ERROR with errorDescription"
rpc GetSubmissionLimits '{"competitionName":"titanic-fake"}'
is 200 '[j["numToday"], j["numAllowedNow"]]' '[2, 3]' "GetSubmissionLimits counts today's submissions against 5"
rpc GetLeaderboard '{"competitionName":"titanic-fake"}'
is 200 '[(s["teamName"], s["score"]) for s in j["submissions"] if s["teamName"] == "alice"]' "[[\"alice\", \"$want\"]]" \
	"the leaderboard holds alice's best score"
ok "in rank order" json_is "$T/b" '[float(s["score"]) for s in j["submissions"]] == sorted([float(s["score"]) for s in j["submissions"]], reverse=True)' true
rpc DownloadLeaderboard '{"competitionName":"titanic-fake"}'
ok "DownloadLeaderboard is a zip" test "$code $(header Content-Type)" = "200 application/zip"

# --- kernels
K=$FAKE_API/kernels.KernelsApiService
call "$K/SaveKernel" '{"slug":"alice/my-kernel","newTitle":"My Kernel","text":"print(1)\n","language":"python","kernelType":"script","competitionDataSources":["titanic-fake","no-such-fake"]}'
is 200 '[j["versionNumber"], j["url"], j["invalidCompetitionSources"]]' \
	'[1, "https://www.kaggle.com/code/alice/my-kernel", ["no-such-fake"]]' "SaveKernel: version 1, its url, the dropped source"
call "$K/SaveKernel" '{"slug":"alice/abc","text":"x"}'
is 200 'j["error"]' "The kernel slug must be at least 5 characters long" "SaveKernel: a logical failure is 200 with error"
for want in '{}' '{"status": "RUNNING"}' '{"status": "COMPLETE"}'; do
	call "$K/GetKernelSessionStatus" '{"userName":"alice","kernelSlug":"my-kernel"}'
	is 200 'j' "$want" "GetKernelSessionStatus walks QUEUED (omitted), RUNNING, COMPLETE: $want"
done
call "$K/ListKernelSessionOutput" '{"userName":"alice","kernelSlug":"my-kernel"}'
is 200 '[f["fileName"] for f in j["files"]] + [json.loads(j["log"])[0]["stream_name"]]' \
	'["notes.txt", "output/metrics.json", "stdout"]' "ListKernelSessionOutput: a first page of files and the log"
tok=$(json_get "$T/b" 'j["nextPageToken"]')
call "$K/ListKernelSessionOutput" "{\"userName\":\"alice\",\"kernelSlug\":\"my-kernel\",\"pageToken\":\"$tok\"}"
url=$(json_get "$T/b" 'j["files"][0]["url"]')
ok "the second page holds submission.csv, served without Authorization" \
	test "$(curl -s "$url" | head -n 1)" = "id,target" || diag "got $url"

# --- kernels: scripted errors for the client's tests
kst='{"userName":"alice","kernelSlug":"my-kernel"}'
control faults '{"method":"SaveKernel","times":1,"reply":{"error":"Notebook not found"}}' >/dev/null
call "$K/SaveKernel" '{"slug":"alice/my-kernel","text":"print(2)\n","kernelType":"script"}'
is 200 'j' '{"error": "Notebook not found"}' "a reply fault answers 200 with its JSON body"
control faults '{"method":"SaveKernel","reply":{"error":"Maximum weekly GPU quota of 30.00 hours reached."}}' >/dev/null
call "$K/SaveKernel" '{"slug":"alice/my-kernel","text":"print(2)\n","kernelType":"script","enableGpu":true}'
is 200 'j["error"]' "Maximum weekly GPU quota of 30.00 hours reached." "a reply fault scripts the GPU quota refusal"
call "$K/SaveKernel" '{"slug":"alice/gpu-kernel","text":"print(2)\n","kernelType":"script","enableGpu":true}'
is 200 'j["versionNumber"]' 1 "without --gpu-quota-exhausted a GPU push is accepted"
control faults '{"method":"GetKernelSessionStatus","status":404,"message":"NotFound","times":2}' >/dev/null
call "$K/SaveKernel" '{"slug":"alice/my-kernel","text":"print(2)\n","kernelType":"script"}'
codes=
for i in 1 2 3; do
	call "$K/GetKernelSessionStatus" "$kst"
	codes="$codes $code $(cat "$T/b")"
done
ok "a status fault: 404 for two polls right after a push, then QUEUED" \
	test "$codes" = ' 404 {"code": 404, "message": "NotFound"} 404 {"code": 404, "message": "NotFound"} 200 {}' ||
	diag "got$codes"
call "$K/GetKernelSessionStatus" "$kst"
control faults '{"method":"GetKernelSessionStatus","drop_after":5}' >/dev/null
curl -s -o "$T/b" -H "$BASIC" -d "$kst" "$K/GetKernelSessionStatus"
ok "a status poll can drop after 5 bytes (curl: partial file)" test "$? $(wc -c <"$T/b" | tr -d ' ')" = "18 5"
control faults '{"method":"ListKernelSessionOutput","drop_after":10}' >/dev/null
curl -s -o "$T/b" -H "$BASIC" -d "$kst" "$K/ListKernelSessionOutput"
ok "so can the output listing" test "$? $(wc -c <"$T/b" | tr -d ' ')" = "18 10"
call "$K/ListKernelSessionOutput" "$kst"
url=$(json_get "$T/b" 'j["files"][0]["url"]')
control faults '{"method":"storage","drop_after":3}' >/dev/null
curl -s -o "$T/b" "$url"
ok "and the download of an output file" test "$? $(wc -c <"$T/b" | tr -d ' ')" = "18 3"

# --- CreateCodeSubmission, from the scripted outputs
code_submit() {
	rpc CreateCodeSubmission "{\"competitionName\":\"$1\",\"kernelOwner\":\"alice\",\"kernelSlug\":\"$2\",\"kernelVersion\":$3,\"fileName\":\"$4\",\"submissionDescription\":\"from a kernel\"}"
}
code_submit titanic-fake my-kernel 2 submission.csv
is 200 'j["message"]' "Successfully submitted to Titanic Fake - Machine Learning from Disaster" \
	"CreateCodeSubmission of a COMPLETE version answers the submit message"
ref=$(json_get "$T/b" 'j["ref"]')
for i in 1 2 3; do rpc GetSubmission "{\"ref\":$ref}"; done
is 200 '[j["status"], j["fileName"], j["description"], float(j["publicScore"]) > 0]' \
	'["COMPLETE", "submission.csv", "from a kernel", true]' "it is PENDING, then scored from the version's submission.csv"
code_submit kernels-fake my-kernel 2 submission.csv
is 200 'j["ref"] > 0' true "a code submission is taken by the kernels-only competition"
code_submit titanic-fake no-such-kernel 1 submission.csv
is 404 'j["code"]' 404 "an unknown kernel is 404"
code_submit titanic-fake my-kernel 9 submission.csv
is 404 'j["code"]' 404 "an unknown version is 404"
code_submit titanic-fake my-kernel 2 nope.csv
is 400 'j["message"]' "Version 2 of kernel alice/my-kernel has no output file nope.csv" "a missing output file is 400"
call "$K/SaveKernel" '{"slug":"alice/my-kernel","text":"print(3)\n","kernelType":"script"}'
code_submit titanic-fake my-kernel 3 submission.csv
is 400 'j["message"]' "Version 3 of kernel alice/my-kernel is RUNNING, not COMPLETE: only a finished successful run can be submitted" \
	"a version still running is 400"
rpc CreateCodeSubmission '{"competitionName":"rules-fake","kernelOwner":"alice","kernelSlug":"my-kernel","fileName":"submission.csv"}'
is 403 'j["code"]' 403 "rules-fake refuses code submissions too"

# --- faults and the control API
control faults '[{"method":"ListCompetitions","status":500,"times":1,"body":"{\"competitions\":[{\"id\""}]' >/dev/null
rpc ListCompetitions '{}'
ok "a scripted 500 answers the raw truncated body" test "$code $(cat "$T/b")" = '500 {"competitions":[{"id"'
rpc ListCompetitions '{}'
ok "once: the next call works" test "$code" = 200
control faults '{"method":"GetCompetition","status":429,"retry_after":3,"times":1}' >/dev/null
rpc GetCompetition '{"competitionName":"titanic-fake"}'
ok "a scripted 429 carries its Retry-After" test "$code $(header Retry-After)" = "429 3"
control faults '[{"method":"GetCompetition","delay_ms":600,"times":1}]' >/dev/null
start=$(date +%s%N)
rpc GetCompetition '{"competitionName":"titanic-fake"}'
ok "a scripted delay holds the reply, then answers" test "$code" = 200 -a $(($(date +%s%N) - start)) -ge 500000000
ok "a fault without an effect is refused" test "$(control faults '[{"method":"x"}]')" = 400
curl -s -o "$T/log.json" "$FAKE_URL/_fake/requests"
ok "the request log shows the storage GETs were sent without Authorization" json_is "$T/log.json" \
	'sorted(set(r["authorization"] for r in j if r["rpc"] == "storage"))' '[false]'
ok "and keeps the scheme of an Authorization, never its value" json_is "$T/log.json" \
	'[r["headers"].get("Authorization") for r in j if r["rpc"] == "GetCompetition"][0]' Basic
expect_no_grep "$FAKE_KEY|$(printf '%s:%s' "$FAKE_USER" "$FAKE_KEY" | base64)|$FAKE_TOKEN" "$T/log.json" "no credential in the request log"
expect_no_grep "$FAKE_KEY|$(printf '%s:%s' "$FAKE_USER" "$FAKE_KEY" | base64)|$FAKE_TOKEN" "$T/fake.log" "nor in the --log file"
ok "--log has one JSON line per request" test "$(wc -l <"$T/fake.log")" -eq "$(json_get "$T/log.json" 'len(j)')"
ok "POST /_fake/reset answers 200" test "$(control reset '')" = 200
curl -s -o "$T/log.json" "$FAKE_URL/_fake/requests"
rpc ListSubmissions '{"competitionName":"titanic-fake"}'
ok "reset clears the log and the submissions" test "$(json_get "$T/log.json" 'len(j)') $code $(cat "$T/b")" = "0 200 {}"

# --- shutdown
start=$(date +%s)
fake_kaggle_stop
stopped=$?
ok "SIGTERM stops it promptly with status 0" test "$stopped" -eq 0 -a $(($(date +%s) - start)) -le 2

# --- kernels that really run (--run-kernels): a generated competition's
# exported notebook and script, a failing kernel, the GPU quota
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$T/data/houses" || bail_out "fixture generator failed"
ak run "$T/data/houses" --folds 2 >"$T/run.out" 2>&1 || diag_file "$T/run.out"
id=$(field run "$T/run.out")
ak export "$id" --notebook "$T/houses.ipynb" >/dev/null 2>&1
ak export "$id" --script "$T/houses.py" >/dev/null 2>&1
fake_kaggle_start --data "$T/data" --run-kernels "$AUTOKAGGLE_PYTHON" --gpu-quota-exhausted
K=$FAKE_API/kernels.KernelsApiService
C=$FAKE_API/competitions.CompetitionApiService

# push SLUG FILE TYPE [EXTRA_JSON]: SaveKernel of FILE's text with houses as its source.
push() {
	"$AUTOKAGGLE_PYTHON" -c 'import json, sys
body = {"slug": "alice/" + sys.argv[1], "newTitle": "Houses Kernel", "text": open(sys.argv[2]).read(),
        "language": "python", "kernelType": sys.argv[3], "competitionDataSources": ["houses"], "isPrivate": True}
body.update(json.loads(sys.argv[4] or "{}"))
print(json.dumps(body))' "$1" "$2" "$3" "${4-}" >"$T/push.json"
	call "$K/SaveKernel" "@$T/push.json"
}
# poll SLUG: GetKernelSessionStatus until COMPLETE or ERROR (90 s at most);
# the statuses seen in $seen, the last reply in $T/b.
poll() {
	seen=
	deadline=$(($(date +%s) + 90))
	while :; do
		call "$K/GetKernelSessionStatus" "{\"userName\":\"alice\",\"kernelSlug\":\"$1\"}"
		st=$(json_get "$T/b" 'j.get("status", "QUEUED")')
		case " $seen " in *" $st "*) ;; *) seen="${seen:+$seen }$st" ;; esac
		case $st in COMPLETE | ERROR) return 0 ;; esac
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.3
	done
}
# outputs SLUG DIR: every page of ListKernelSessionOutput, each file
# downloaded into DIR; a summary {pages, names, log} in $T/outputs.json.
outputs() {
	"$AUTOKAGGLE_PYTHON" - "$1" "$2" >"$T/outputs.json" <<'PY'
import base64, json, os, sys, urllib.request
api, user, key = os.environ["FAKE_API"], "alice", "0123456789abcdef0123456789abcdef"
auth = "Basic " + base64.b64encode(("%s:%s" % (user, key)).encode()).decode()
pages, names, token, log = 0, [], "", None
while True:
    body = json.dumps({"userName": user, "kernelSlug": sys.argv[1], "pageToken": token}).encode()
    req = urllib.request.Request(api + "/kernels.KernelsApiService/ListKernelSessionOutput", body,
                                 {"Authorization": auth, "Content-Type": "application/json"})
    j = json.load(urllib.request.urlopen(req))
    pages += 1
    log = j.get("log")
    for f in j.get("files", []):
        names.append(f["fileName"])
        dest = os.path.join(sys.argv[2], f["fileName"])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with urllib.request.urlopen(f["url"]) as r, open(dest, "wb") as out:
            out.write(r.read())
    token = j.get("nextPageToken", "")
    if not token:
        break
print(json.dumps({"pages": pages, "names": names, "log": log}))
PY
}

push houses-notebook "$T/houses.ipynb" notebook
is 200 '[j["versionNumber"], "invalidCompetitionSources" in j]' '[1, false]' "--run-kernels: the exported notebook is pushed, houses a known source"
call "$K/ListKernelSessionOutput" '{"userName":"alice","kernelSlug":"houses-notebook"}'
is 200 'j' '{}' "no outputs while it runs"
poll houses-notebook
ok "its status walks QUEUED, RUNNING, COMPLETE" test "$seen" = "QUEUED RUNNING COMPLETE" || diag "saw: $seen" "$(cat "$T/b")"
outputs houses-notebook "$T/out1"
n=$(json_get "$T/outputs.json" 'len(j["names"])')
ok "the outputs come 2 a page, every page followed" json_is "$T/outputs.json" "j[\"pages\"] == ($n + 1) // 2" true
ok "they are every file of the working directory" json_is "$T/outputs.json" \
	'sorted(set(["submission.csv", "output/submission.csv", "output/metrics.json", "output/oof.csv", "code/train.py"]) - set(j["names"]))' '[]'
ok "the downloaded submission has the sample's row count" \
	test "$(csv_rows "$T/out1/submission.csv")" = "$(csv_rows "$T/data/houses/sample_submission.csv")"
ok "the log is the run's output in Kaggle's shape" json_is "$T/outputs.json" \
	'[sorted(e) for e in json.loads(j["log"])][0] + [any("wrote output/submission.csv" in e["data"] for e in json.loads(j["log"]))]' \
	'["data", "stream_name", "time", true]'
rpc CreateCodeSubmission '{"competitionName":"houses","kernelOwner":"alice","kernelSlug":"houses-notebook","kernelVersion":1,"fileName":"submission.csv","submissionDescription":"notebook"}'
is 200 'j["message"]' "Successfully submitted to Houses" "CreateCodeSubmission of the run's submission.csv"
ref=$(json_get "$T/b" 'j["ref"]')
for i in 1 2 3; do rpc GetSubmission "{\"ref\":$ref}"; done
is 200 '[j["status"], "publicScore" in j, j["totalBytes"]]' "[\"COMPLETE\", true, $(wc -c <"$T/out1/submission.csv" | tr -d ' ')]" \
	"scored COMPLETE from the file the kernel wrote"

push houses-notebook "$T/houses.py" script
poll houses-notebook
ok "a script version of it runs to COMPLETE" test "$(json_get "$T/push.json" 'j["kernelType"]') $st" = "script COMPLETE" ||
	diag "$(cat "$T/b")" "$(cat "$T/fake-state/kernels/alice/houses-notebook/2/stderr.txt" 2>/dev/null | tail -n 5)"
outputs houses-notebook "$T/out2"
ok "with its own submission" test "$(csv_rows "$T/out2/submission.csv")" = "$(csv_rows "$T/data/houses/sample_submission.csv")"

printf 'print("starting")\nraise RuntimeError("kernel boom")\n' >"$T/boom.py"
push boom-kernel "$T/boom.py" script
poll boom-kernel
is 200 'j' '{"status": "ERROR", "failureMessage": "RuntimeError: kernel boom"}' "a kernel that raises ends ERROR with the last line of its stderr"
rpc CreateCodeSubmission '{"competitionName":"houses","kernelOwner":"alice","kernelSlug":"boom-kernel","fileName":"submission.csv"}'
is 400 'j["message"]' "Version 1 of kernel alice/boom-kernel is ERROR, not COMPLETE: only a finished successful run can be submitted" \
	"its version cannot be submitted"

push gpu-kernel "$T/boom.py" script '{"enableGpu": true}'
is 200 'j' '{"error": "Maximum weekly GPU quota of 30.00 hours reached."}' "--gpu-quota-exhausted: a GPU push is refused with the quota message"
push gpu-kernel "$T/boom.py" script '{"enableGpu": false}'
is 200 'j["versionNumber"]' 1 "and a CPU push is taken"

# kernel_pids SLUG VERSION: the pids of processes running that version.
kernel_pids() {
	for p in /proc/[0-9]*; do
		grep -qzF "$T/fake-state/kernels/alice/$1/$2/" "$p/cmdline" 2>/dev/null && echo "${p#/proc/}"
	done
}
# kernel_running SLUG VERSION, kernel_gone SLUG VERSION: for wait_until,
# which must run the check each time (a $(...) argument is run once).
kernel_running() { test -n "$(kernel_pids "$1" "$2")"; }
kernel_gone() { test -z "$(kernel_pids "$1" "$2")"; }
printf 'import time\nprint("sleeping", flush=True)\ntime.sleep(120)\n' >"$T/sleep.py"
push sleep-kernel "$T/sleep.py" script
wait_until 15 kernel_running sleep-kernel 1
ok "a pushed kernel runs as its own processes" test -n "$(kernel_pids sleep-kernel 1)"
push sleep-kernel "$T/sleep.py" script
ok "a new push kills the run of the version before" wait_until 10 kernel_gone sleep-kernel 1
wait_until 15 kernel_running sleep-kernel 2
fake_kaggle_stop
ok "SIGTERM to the fake ends with status 0, killing the kernels still running" \
	test "$? $(kernel_pids sleep-kernel 2)" = "0 "

done_testing

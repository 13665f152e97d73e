#!/bin/sh
# --executor kaggle against the fake Kaggle server, which really runs the
# pushed notebook (kernel_runner.py): push, follow, collect, validate and
# submit; each error of a kernel's life (a refused push, dropped sources,
# the GPU quota, a failing kernel, 404 right after a push, dropped
# connections); cancel, and a supervisor killed while the kernel runs,
# both picked up again by rerun without a second push.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/fake_kaggle.sh"

plan 71

data=$T/data
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$data/houses-fake" || bail_out "fixture generator failed"
mv "$data/houses-fake/competition.json" "$data/houses-fake/.competition.json"
# kernels-fake is the fake's notebooks-only competition; these are its data.
sh "$top_srcdir/tests/fixtures/gen-competition.sh" multiclass "$data/kernels-fake" || bail_out "fixture generator failed"
rm -f "$data/kernels-fake/competition.json"
fake_kaggle_start --data "$data" --run-kernels "$AUTOKAGGLE_PYTHON"
KAGGLE_API_ENDPOINT=$FAKE_API
KAGGLE_USERNAME=$FAKE_USER
KAGGLE_KEY=$FAKE_KEY
XDG_CACHE_HOME=$T/cache
AUTOKAGGLE_KERNEL_POLL=0.2
export KAGGLE_API_ENDPOINT KAGGLE_USERNAME KAGGLE_KEY XDG_CACHE_HOME AUTOKAGGLE_KERNEL_POLL

fault() {
	curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary "[$1]" "$FAKE_URL/_fake/faults"
}
requests() {
	curl -s "$FAKE_URL/_fake/requests" >"$T/requests.json"
}
# pushes: how many SaveKernel calls the fake has had.
pushes() {
	requests && json_get "$T/requests.json" 'len([r for r in j if r.get("rpc") == "SaveKernel"])'
}
stage_field() {
	ak status "$1" --json >"$T/st.json" 2>/dev/null &&
		json_get "$T/st.json" '[s.get("'"$3"'", "") for s in j["stages"] if s["name"] == "'"$2"'"][0]'
}
run_is() {
	ak status "$1" --json >"$T/st.json" 2>/dev/null && json_is "$T/st.json" 'j["run"]["status"]' "$2"
}

# --- push, follow, collect: a whole run on the "kernel" ---
expect_exit 0 ak run houses-fake --executor kaggle --folds 2
id=$(field run "$T/stdout")
dir=$WS/$id
kslug=houses-fake-autokaggle-${id%-houses-fake}
expect_grep '^\[env\] +done .*no venv needed: TRAIN and PREDICT run on Kaggle' "$T/stdout" "ENV builds no venv for a run on Kaggle"
expect_grep '^\[train\] +runs on Kaggle' "$T/stdout" "TRAIN says it runs on Kaggle"
expect_grep '^\[train\] +done .*cv rmse' "$T/stdout" "TRAIN ends with the kernel's CV"
expect_valid_submission "$dir"
ok "the train log follows QUEUED, RUNNING, COMPLETE" \
	sh -c "grep -q '^QUEUED' '$dir/logs/train.log' && grep -q '^RUNNING' '$dir/logs/train.log' && grep -q '^COMPLETE' '$dir/logs/train.log'" ||
	diag_file "$dir/logs/train.log" 40
ok "kernel-metadata.json names the kernel, private, no GPU, no internet, the competition" \
	json_is "$dir/kernel/kernel-metadata.json" \
	'[j["id"], j["is_private"], j["enable_gpu"], j["enable_internet"], j["competition_sources"], j["kernel_type"]]' \
	"[\"alice/$kslug\", true, false, false, [\"houses-fake\"], \"notebook\"]"
ok "the notebook is nbformat 4" json_is "$dir/kernel/notebook.ipynb" 'j["nbformat"]' 4
ok "push.json says the version was collected" json_is "$dir/kernel/push.json" '[j["version"], j["state"]]' '[1, "collected"]'
ok "the kernel's log is text, not Kaggle's JSON" sh -c "test -s '$dir/kernel/kernel.log' && ! grep -q stream_name '$dir/kernel/kernel.log'"
ok "metrics.json came from the kernel" json_is "$dir/output/metrics.json" '"cv_mean" in j' true
requests
ok "the push carried the notebook, private, internet and GPU off" json_is "$T/requests.json" \
	'[(r["body"]["kernelType"], r["body"]["isPrivate"], r["body"]["enableInternet"], r["body"]["enableGpu"]) for r in j if r.get("rpc") == "SaveKernel"]' \
	'[["notebook", true, false, false]]'
ok "the pushed code reads the data under /kaggle/input/houses-fake" json_is "$T/requests.json" \
	'[r["body"]["text"].count("/kaggle/input/houses-fake/") > 0 for r in j if r.get("rpc") == "SaveKernel"]' '[true]'
ok "no credential was pushed" sh -c "! grep -qF '$FAKE_KEY' '$dir/kernel/notebook.ipynb'"

# --- rerun with the GPU and the internet: a new version ---
expect_exit 0 ak rerun "$id" train --gpu yes --kernel-internet
requests
ok "the second push asks for the GPU and the internet" json_is "$T/requests.json" \
	'[[r["body"]["enableGpu"], r["body"]["enableInternet"]] for r in j if r.get("rpc") == "SaveKernel"][-1]' '[true, true]'
ok "it is version 2" json_is "$dir/kernel/push.json" 'j["version"]' 2

# --- a push Kaggle refuses under HTTP 200 ---
fault '{"method":"SaveKernel","reply":{"error":"Notebook not found"}}'
expect_exit 1 ak rerun "$id" train
expect_grep "train failed: Kaggle refused the push of kernel alice/$kslug: Notebook not found" "$T/stderr" "a refused push says Kaggle's reason"

# --- the GPU quota: say it and offer the local executor ---
fault '{"method":"SaveKernel","reply":{"error":"Maximum weekly GPU quota of 30.00 hours reached."}}'
expect_exit 1 ak rerun "$id" train
expect_grep 'GPU quota of 30.00 hours reached.*autokaggle rerun .* train --executor local' "$T/stderr" \
	"the quota message offers --executor local"

# --- sources Kaggle drops are a warning; a session Kaggle never knows ends ---
fault '{"method":"SaveKernel","reply":{"versionNumber":9,"url":"https://www.kaggle.com/code/alice/x","invalidDatasetSources":["bob/gone"]}}'
fault '{"method":"GetKernelSessionStatus","status":404,"message":"NotFound","times":1000}'
AUTOKAGGLE_KERNEL_START_GRACE=1 ak rerun "$id" train >"$T/stdout" 2>"$T/stderr"
ok "a session never seen fails the stage" test $? -ne 0
expect_grep 'warning: Kaggle dropped a data source of the kernel: dataset: bob/gone' "$dir/logs/train.log" "dropped sources are warned of"
expect_grep 'still does not know a session of kernel' "$T/stderr" "the 404 deadline is said"
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/reset"

# --- 404 for a while after the push, and dropped connections, are waited out ---
fault '{"method":"GetKernelSessionStatus","status":404,"message":"NotFound","times":3}'
fault '{"method":"GetKernelSessionStatus","drop_after":5,"times":1}'
fault '{"method":"storage","drop_after":3,"times":1}'
expect_exit 0 ak rerun "$id" train
expect_grep '^NOT STARTED' "$dir/logs/train.log" "404 right after the push reads as not started"
expect_valid_submission "$dir"

# --- a kernel that fails: the log's tail, and a failed TRAIN ---
printf '\nraise RuntimeError("kernel boom")\n' >>"$dir/code/train.py"
expect_exit 1 ak rerun "$id" train
expect_grep 'train failed: the kernel failed on Kaggle: .*kernel boom' "$T/stderr" "the kernel's failure is the stage's"
expect_grep '^--- the last lines of the kernel.s log ---' "$dir/logs/train.log" "the log's tail is shown"
expect_grep 'RuntimeError: kernel boom' "$dir/logs/train.log" "the tail holds the traceback"
sed -i '$d' "$dir/code/train.py"

# --- cancel while the kernel runs: stop following, then pick it up ---
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/reset"
: >"$dir/logs/train.log"
AUTOKAGGLE_KERNEL_POLL=5 ak rerun "$id" train --detach >"$T/stdout" 2>"$T/stderr"
ok "the kernel was pushed and is queued" wait_until 60 grep -q '^QUEUED' "$dir/logs/train.log"
expect_exit 0 ak status "$id"
expect_grep '^train +running .* QUEUED [0-9]+m[0-9]+s on Kaggle \(kernel alice/houses-fake-autokaggle-.*, version 1\)' \
	"$T/stdout" "status shows where the kernel stands"
expect_exit 0 ak cancel "$id"
ok "the run is cancelled" wait_until 10 run_is "$id" cancelled
like "$(stage_field "$id" train message)" 'may still finish on Kaggle' && pass "cancel says the kernel may still finish" ||
	{ fail "cancel says the kernel may still finish"; diag_file "$T/st.json" 40; }
expect_grep 'stopped following kernel' "$dir/logs/train.log" "the log says following stopped"
expect_exit 0 ak rerun "$id"
expect_grep 'picking up kernel .* without pushing it again' "$dir/logs/train.log" "rerun picks the kernel up"
ok "one push for the cancelled and resumed run" test "$(pushes)" = 1
expect_valid_submission "$dir"

# --- the supervisor killed while the kernel runs ---
curl -s -o /dev/null -X POST "$FAKE_URL/_fake/reset"
fault '{"method":"GetKernelSessionStatus","delay_ms":4000,"times":1}'
: >"$dir/logs/train.log"
expect_exit 0 ak rerun "$id" train --detach
ok "pushed again" wait_until 60 grep -q '^pushed version' "$dir/logs/train.log"
sup=$(pgrep -f "__supervise .* $id( |\$)")
ok "the supervisor is found" test -n "$sup"
kill -9 $sup
expect_exit 0 ak rerun "$id"
ok "the dead supervisor's kernel was followed again, not pushed" test "$(pushes)" = 1
expect_grep '^\[train\] +done' "$T/stdout" "TRAIN ends after the restart"

# --- --sample with the kaggle executor: the sample here, then the push ---
expect_exit 0 ak rerun "$id" train --sample 20
expect_grep '^\[env\] +done' "$T/stdout" "ENV builds the venv the sample needs"
expect_grep '^\[train\] +sample run: valid submission for 20 test rows' "$T/stdout" "the sample runs here first"
expect_grep '^pushed version' "$dir/logs/train.log" "then the kernel is pushed"

# --- a notebooks-only competition: the kernel version is submitted; the
# executor comes from the run.executor setting ---
printf 'run.executor = kaggle\n' >"$T/config"
AUTOKAGGLE_CONFIG=$T/config
export AUTOKAGGLE_CONFIG
expect_exit 0 ak run kernels-fake --folds 2
unset AUTOKAGGLE_CONFIG
kid=$(field run "$T/stdout")
expect_exit 0 ak submit "$kid" --wait -m 'from the kernel'
expect_grep 'notebooks only: the output of kernel alice/kernels-fake-autokaggle' "$T/stdout" "submit names the kernel version"
expect_grep '^public score: ' "$T/stdout" "the kernel's submission is scored"
requests
ok "CreateCodeSubmission named the kernel, its version and submission.csv" json_is "$T/requests.json" \
	'[(r["body"]["kernelOwner"], r["body"]["kernelVersion"], r["body"]["fileName"]) for r in j if r.get("rpc") == "CreateCodeSubmission"]' \
	'[["alice", 1, "submission.csv"]]'
ok "no CSV was uploaded" json_is "$T/requests.json" '[r.get("rpc") for r in j if r.get("rpc") == "StartSubmissionUpload"]' '[]'

# --- what the kaggle executor refuses ---
expect_exit 2 ak run "$data/houses-fake" --executor kaggle
expect_grep 'give the competition.s URL or slug, not a folder' "$T/stderr" "a local folder cannot run on Kaggle"
expect_exit 2 ak run houses-fake --executor slurm
expect_grep "unknown executor 'slurm': use local or kaggle" "$T/stderr" "an unknown executor lists the known ones"
done_testing

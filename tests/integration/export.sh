#!/bin/sh
# export: a run's pipeline as a Kaggle notebook (nbformat 4, a cell per
# file, single-string sources) and as a script, data paths under
# /kaggle/input/SLUG, nothing secret inside; the script, pointed at the
# local data instead, runs the pipeline to a submission of the sample's
# shape, and so does the notebook under tests/fakes/kernel_runner.py.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

plan 21

comp=$T/houses
sh "$top_srcdir/tests/fixtures/gen-competition.sh" regression "$comp" || bail_out "fixture generator failed"
expect_exit 0 ak run "$comp" --folds 2
id=$(field run "$T/stdout")
dir=$(run_dir "$id")

# a secret in the code is not exported
secret=KGAT_feedfacefeedfacefeedfacefeedface
printf '# pasted by mistake: %s\n' "$secret" >>"$dir/code/features.py"
KAGGLE_API_TOKEN=$secret
export KAGGLE_API_TOKEN

expect_exit 0 ak export "$id" --notebook "$T/nb.ipynb"
nb=$T/nb.ipynb
ok "a notebook of nbformat 4" json_is "$nb" '[j["nbformat"], j["metadata"]["kernelspec"]["name"]]' '[4, "python3"]'
ok "a markdown cell names the run" json_is "$nb" 'j["cells"][0]["cell_type"] == "markdown" and "'"$id"'" in j["cells"][0]["source"]' true
ok "every cell has an id and one string as its source" \
	json_is "$nb" 'all(c.get("id") and isinstance(c["source"], str) for c in j["cells"])' true
ok "a cell writes each file of code/" json_is "$nb" \
	'sorted(c["source"].split("\n")[0] for c in j["cells"] if c["source"].startswith("%%writefile"))' \
	"$(cd "$dir/code" && find . -maxdepth 1 -type f ! -name '.*' | sed 's|^\./|%%writefile code/|' | sort |
		"$AUTOKAGGLE_PYTHON" -c 'import json, sys; print(json.dumps([l.strip() for l in sys.stdin]))')"
ok "train.py goes as it is" json_is "$nb" \
	'[c["source"] for c in j["cells"] if c["source"].startswith("%%writefile code/train.py")][0].split("\n", 1)[1] == open("'"$dir/code/train.py"'").read()' true
ok "config.yaml reads the data from /kaggle/input/houses" json_is "$nb" \
	'[c["source"] for c in j["cells"] if "code/config.yaml" in c["source"].split("\n")[0]][0].count("\"/kaggle/input/houses/")' 3
ok "the last cell runs TRAIN and PREDICT" json_is "$nb" '"code/predict.py" in j["cells"][-1]["source"]' true
ok "the secret is not in the notebook" test -z "$(grep -F "$secret" "$nb")"

expect_exit 0 ak export "$id" --script "$T/run.py"
ok "the script is Python" "$AUTOKAGGLE_PYTHON" -m py_compile "$T/run.py"
ok "the secret is not in the script" test -z "$(grep -F "$secret" "$T/run.py")"

# The script, with /kaggle/input/houses pointing at the local copy, runs
# the whole pipeline where it is started, as a kernel would.
mkdir "$T/working"
sed "s|/kaggle/input/houses/|$comp/|g" "$T/run.py" >"$T/working/run.py"
(cd "$T/working" && "$AUTOKAGGLE_PYTHON" run.py >"$T/script.log" 2>&1)
ok "the script runs TRAIN and PREDICT" test -s "$T/working/submission.csv" || diag_file "$T/script.log" 30
ok "its submission has the sample's shape" test "$(csv_rows "$T/working/submission.csv")" = "$(csv_rows "$comp/sample_submission.csv")"

# The notebook itself, run cell by cell by kernel_runner.py with
# /kaggle/input/houses mounted from the local copy, as a kernel runs it.
runner=$top_srcdir/tests/fakes/kernel_runner.py
expect_exit 0 "$AUTOKAGGLE_PYTHON" "$runner" --working "$T/nbwork" --input "houses=$comp" --log "$T/nb.log" "$nb"
ok "the notebook's run leaves a submission of the sample's shape" \
	test "$(csv_rows "$T/nbwork/submission.csv" 2>/dev/null)" = "$(csv_rows "$comp/sample_submission.csv")"
ok "and logs each cell's output in Kaggle's log shape" json_is "$T/nb.log" \
	'[set(e["stream_name"] for e in j) <= {"stderr", "stdout"}, j[0]["data"], all(isinstance(e["time"], float) for e in j)]' \
	'[true, "Writing code/config.yaml\n", true]'
"$AUTOKAGGLE_PYTHON" -c 'import json, sys; nb = json.load(open(sys.argv[1])); nb["cells"][1]["source"] = 7
json.dump(nb, open(sys.argv[2], "w"))' "$nb" "$T/bad.ipynb"
expect_exit 2 "$AUTOKAGGLE_PYTHON" "$runner" --working "$T/badwork" "$T/bad.ipynb"
expect_grep 'cell 2: the source must be a string or a list of strings' "$T/stderr" "a malformed notebook is refused, saying where"

expect_exit 2 ak export "$id"
done_testing

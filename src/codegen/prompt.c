#include "config.h"

#include "codegen/prompt.h"
#include "data/infer.h"
#include "util/jsonfile.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns of a wide table past this many are counted, not described: the
 * prompt has to leave room for the code. */
#define PROMPT_MAX_COLUMNS 60
#define PROMPT_MAX_TOP 5
#define PROMPT_MAX_SAMPLES 3
/* Longer values are cut: a sample is an example, not a document. */
#define PROMPT_MAX_VALUE 60

static const char system_prompt[] =
	"You are an expert Kaggle competitor who writes clean, correct, fast Python.\n"
	"You work on a pipeline of a few files in a run directory. The contract they keep:\n"
	"- `python code/train.py`, started in the run directory, reads code/config.yaml and\n"
	"  the training data, cross-validates, and writes output/metrics.json (a JSON object\n"
	"  with at least \"metric\", \"cv_mean\", \"cv_std\" and \"folds\"), output/oof.csv\n"
	"  (out-of-fold predictions) and the fitted model under output/.\n"
	"- `python code/predict.py` loads that model, predicts the test data and writes\n"
	"  output/submission.csv with exactly the sample submission's columns, in its order,\n"
	"  and one row per test id.\n"
	"- code/config.yaml holds the paths of the data and the settings (read with PyYAML);\n"
	"  other modules in code/ are imported by the two scripts; env/requirements.txt\n"
	"  lists the Python packages beyond numpy, pandas, scikit-learn and PyYAML.\n"
	"- No network access, no interactive input, stay inside the time and memory budget,\n"
	"  use the given seed and number of threads.\n"
	"Reply with the complete new content of every file you change, each in its own\n"
	"fenced block whose info string is the file's path, for example:\n"
	"```python code/train.py\n"
	"...the whole file...\n"
	"```\n"
	"Files you do not send keep their current content. Never send a partial file or a\n"
	"diff. Keep any explanation short and outside the blocks.\n";

const char *
codegen_prompt_system(void)
{
	return system_prompt;
}

/* A data value as the model may see it: masked, cut, on one line. */
static void
add_value(strbuf *out, const char *v)
{
	size_t len = strlen(v);
	char *m = infer_mask(v, len > PROMPT_MAX_VALUE ? PROMPT_MAX_VALUE : len), *p;

	for (p = m; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	strbuf_addf(out, "\"%s%s\"", m, len > PROMPT_MAX_VALUE ? "..." : "");
	free(m);
}

static void
add_number(strbuf *out, const char *label, const cJSON *c, const char *key)
{
	double v = json_num(c, key, NAN);

	if (!isnan(v))
		strbuf_addf(out, " %s=%.6g", label, v);
}

static void
add_values(strbuf *out, const char *label, const cJSON *arr, int is_top, int max)
{
	const cJSON *it;
	int k = 0;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return;
	strbuf_addf(out, " %s:", label);
	cJSON_ArrayForEach(it, arr)
	{
		const char *v = is_top ? json_str(it, "value", NULL) : cJSON_IsString(it) ? it->valuestring : NULL;
		if (!v)
			continue;
		if (k++ >= max)
			break;
		strbuf_addch(out, ' ');
		add_value(out, v);
		if (is_top)
			strbuf_addf(out, "x%lld", json_int(it, "count", 0, 1LL << 50, 0));
	}
}

static void
add_column(strbuf *out, const cJSON *c)
{
	strbuf_addf(out, "  - %s: %s, missing %.3g", json_str(c, "name", "?"), json_str(c, "type", "?"),
		json_num(c, "missing_fraction", 0));
	add_number(out, "distinct", c, "distinct");
	add_number(out, "min", c, "min");
	add_number(out, "max", c, "max");
	add_number(out, "mean", c, "mean");
	add_values(out, "top", cJSON_GetObjectItemCaseSensitive(c, "top"), 1, PROMPT_MAX_TOP);
	add_values(out, "samples", cJSON_GetObjectItemCaseSensitive(c, "samples"), 0, PROMPT_MAX_SAMPLES);
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "pii")))
		strbuf_addf(out, " (looks like personal data: %s)", json_str(c, "pii", ""));
	strbuf_addch(out, '\n');
}

void
codegen_profile_summary(const cJSON *profile, strbuf *out)
{
	const cJSON *f, *c, *files = cJSON_GetObjectItemCaseSensitive(profile, "files");

	cJSON_ArrayForEach(f, files)
	{
		const cJSON *cols = cJSON_GetObjectItemCaseSensitive(f, "columns");
		int k = 0, n = cJSON_GetArraySize(cols);

		strbuf_addf(out, "- %s (%s): %lld rows, %d columns\n", json_str(f, "name", "?"), json_str(f, "role", "?"),
			json_int(f, "rows", 0, 1LL << 50, 0), n);
		if (strcmp(json_str(f, "role", ""), "sample_submission") == 0)
			continue;
		cJSON_ArrayForEach(c, cols)
		{
			if (k++ >= PROMPT_MAX_COLUMNS) {
				strbuf_addf(out, "  - ... %d more columns\n", n - PROMPT_MAX_COLUMNS);
				break;
			}
			add_column(out, c);
		}
	}
	strbuf_addf(out, "- split: %s\n", json_str(profile, "split_hint", "unknown"));
}

static void
add_section(strbuf *out, const char *title, const char *text)
{
	if (!text || !*text)
		return;
	strbuf_addf(out, "\n## %s\n\n%s%s", title, text, text[strlen(text) - 1] == '\n' ? "" : "\n");
}

static void
add_competition(strbuf *out, const codegen_prompt_in *in)
{
	const cJSON *c = in->competition;

	strbuf_addf(out, "## Competition\n\n");
	strbuf_addf(out, "- title: %s\n", json_str(c, "title", "(unknown)"));
	if (json_str(c, "description", NULL))
		strbuf_addf(out, "- description: %s\n", json_str(c, "description", ""));
	strbuf_addf(out, "- task: %s; target column: %s; id column: %s\n", in->task, in->target, in->id);
	strbuf_addf(out, "- metric: %s (%s is better)\n", in->metric, in->higher_is_better ? "higher" : "lower");
	strbuf_addf(out, "- submission: %s\n",
		strcmp(in->submission_format, "proba_columns") == 0 ? "one probability column per class, as the sample"
								     : "the predicted value of the target per id");
}

static void
add_constraints(strbuf *out, const codegen_prompt_in *in)
{
	strbuf_addf(out, "\n## Constraints\n\n");
	if (in->budget_seconds > 0)
		strbuf_addf(out, "- time budget of training plus prediction: %ld s\n", in->budget_seconds);
	else
		strbuf_addf(out, "- no time budget, but keep it reasonable\n");
	strbuf_addf(out, "- GPU: %s\n", in->gpu ? "yes" : "no");
	strbuf_addf(out, "- preferred model family: %s\n", in->family ? in->family : "auto");
	strbuf_addf(out, "- cross-validation folds: %d; threads: %d; memory: %.1f GB\n", in->folds, in->threads,
		(double)in->memory_bytes / 1e9);
}

static void
add_files(strbuf *out, const codegen_prompt_in *in, const char *title)
{
	size_t i;

	strbuf_addf(out, "\n## %s\n", title);
	for (i = 0; i < in->nfiles; i++)
		strbuf_addf(out, "\n```%s %s\n%s```\n", strstr(in->files[i].path, ".py") ? "python" : "text",
			in->files[i].path, in->files[i].text);
}

static char *
finish(strbuf *out)
{
	char *clean = redact_string(strbuf_str(out));

	strbuf_free(out);
	return clean;
}

char *
codegen_prompt_code(const codegen_prompt_in *in)
{
	strbuf out = { 0 };

	add_competition(&out, in);
	strbuf_addf(&out, "\n## Data profile\n\n");
	codegen_profile_summary(in->profile, &out);
	add_section(&out, "Decisions (the user's and the strategy chat's)", in->decisions);
	add_section(&out, "The user's brief", in->brief);
	add_section(&out, "Overview and rules, as the user pasted them", in->overview);
	add_constraints(&out, in);
	add_files(&out, in, "Current code (a working baseline: improve it)");
	strbuf_addf(&out, "\nWrite the improved pipeline for this competition. Keep the contract; change what "
		"makes the score better within the constraints and the decisions.\n");
	return finish(&out);
}

char *
codegen_prompt_repair(const codegen_prompt_in *in, const char *stage, const char *log_tail)
{
	strbuf out = { 0 };

	add_competition(&out, in);
	add_constraints(&out, in);
	strbuf_addf(&out, "\n## The failure\n\n`python code/%s.py` failed. The end of its log:\n\n```text\n%s%s```\n",
		stage, log_tail, *log_tail && log_tail[strlen(log_tail) - 1] == '\n' ? "" : "\n");
	add_files(&out, in, "The code");
	strbuf_addf(&out, "\nFix the cause of this failure. Send only the files you change, each complete.\n");
	return finish(&out);
}

static const char decisions_prompt[] =
	"State the decisions of this conversation so far as one JSON object, and nothing else:\n"
	"{\"features\": [\"features to build\"], \"model_family\": \"auto, lightgbm, xgboost, hgb, linear or another\",\n"
	" \"validation\": \"the validation scheme\", \"constraints\": [\"limits to respect\"],\n"
	" \"user_fixed\": [\"what the user decided\"], \"notes\": \"anything else the code must know\"}\n"
	"Use [] or \"\" where nothing was decided.\n";

const char *
codegen_prompt_decisions(void)
{
	return decisions_prompt;
}

char *
codegen_prompt_chat(const codegen_prompt_in *in)
{
	strbuf out = { 0 };

	strbuf_addf(&out, "You are an expert Kaggle competitor talking strategy with the user before the code is "
		"written: features, model family, validation scheme, what to try first. Be concise and concrete.\n\n");
	add_competition(&out, in);
	strbuf_addf(&out, "\n## Data profile\n\n");
	codegen_profile_summary(in->profile, &out);
	add_section(&out, "Overview and rules, as the user pasted them", in->overview);
	add_constraints(&out, in);
	add_section(&out, "Decisions so far", in->decisions);
	return finish(&out);
}

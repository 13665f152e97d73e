#include "config.h"

#include "data/validate.h"
#include "exec/venv.h"
#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/paths.h"
#include "util/strv.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The sample run of --sample N, at the start of TRAIN: the pipeline on N
 * rows of test and a sample of train, two folds, here, in RUN/sample (its
 * own code/ copy, data and output/), so that a broken pipeline fails in
 * seconds before the full run, wherever that runs. Three children
 * (exec/sample_data.py, train.py, predict.py), then the validator on the
 * sample's submission; when it passes, TRAIN goes on with the full run.
 * A pass is remembered for TRAIN's inputs and predict.py as they are
 * (sample/passed.json): a rerun of the same code does not sample again. */

#define SAMPLE_SCRIPT "exec/sample_data.py"

/* What a pass holds for: TRAIN's inputs and predict.py, which the sample
 * runs too, and the rows asked for. */
static void
sample_key(session *s, char out[HASH_HEX_LEN + 1])
{
	char *predict = session_path(s, "code/predict.py");
	hash_ctx h;

	hash_init(&h);
	hash_update_str(&h, s->running_fp);
	hash_update_file(&h, predict);
	hash_update(&h, &s->opts.sample, sizeof(s->opts.sample));
	hash_final_hex(&h, out);
	free(predict);
}

static char *
sample_python(session *s)
{
	char *venv = session_path(s, "env/venv"), *py = venv_python(venv);

	free(venv);
	return py;
}

/* A child of the sample run in RUN/sample, with the model's limits and
 * environment. */
static int
sample_spawn(session *s, const char *const *argv, stage_after_fn after, ak_err *e)
{
	char *cwd = session_path(s, "sample");
	char **env = stage_model_env(s);
	exec_limits lim = stage_limits(s);
	int rc;

	lim.wall_ms = s->opts.budget_ms;
	lim.no_network = s->opts.no_network;
	rc = stage_spawn_in(s, cwd, argv, &lim, (const char *const *)env, after, e);
	strv_free(env);
	free(cwd);
	return rc;
}

/* The sample's outcome as an attempt of TRAIN of its own. */
static void
sample_record(session *s, const stage_outcome *o, const char *outcome)
{
	store_attempt a = {
		.stage = STAGE_TRAIN,
		.started = s->st[STAGE_TRAIN].started,
		.ended = timefmt_wall_now(),
		.exit_code = o->exit_code,
		.wall_s = loop_now() - s->running_started,
		.cpu_s = o->cpu_s,
		.maxrss_kb = o->maxrss_kb,
		.outcome = (char *)outcome,
		.message = (char *)o->message,
	};

	store_attempt_add(s->db, s->run_id, &a, NULL);
}

static void
sample_failed(session *s, stage_outcome *o, const char *what)
{
	char msg[sizeof(o->message)];

	snprintf(msg, sizeof(msg), "the sample run failed (%s): %.400s", what, o->message);
	snprintf(o->message, sizeof(o->message), "%s", msg);
	sample_record(s, o, "sample failed");
}

/* Checks the sample's submission against its own sample and test rows. */
static int
sample_validate(session *s, char *msg, size_t n)
{
	char *sub = session_path(s, "sample/output/submission.csv");
	char *sample = session_path(s, "sample/data/sample_submission.csv");
	char *test = session_path(s, "sample/data/test.csv");
	cJSON *report = NULL;
	ak_err e = { 0 };
	int valid = stage_validate_file(s, sub, sample, test, &report, &e);

	snprintf(msg, n, "%.300s", valid < 0 ? e.msg : validate_summary(report));
	cJSON_Delete(report);
	free(sub);
	free(sample);
	free(test);
	return valid;
}

static void
sample_predict_after(session *s, const exec_result *r, stage_outcome *o)
{
	char summary[400], *passed, key[HASH_HEX_LEN + 1];
	cJSON *mark;
	ak_err e = { 0 };

	(void)r;
	if (!o->ok) {
		sample_failed(s, o, "code/predict.py");
		return;
	}
	if (sample_validate(s, summary, sizeof(summary)) != 1) {
		o->ok = 0;
		o->repairable = 0;
		snprintf(o->message, sizeof(o->message), "%.400s", summary);
		sample_failed(s, o, "its submission is not valid");
		return;
	}
	snprintf(o->message, sizeof(o->message), "valid submission for %ld test rows (%s)", s->opts.sample, summary);
	sample_record(s, o, "sample done");
	session_note(s, "info", "sample run: %s in %.1fs; the full run starts", o->message,
		loop_now() - s->running_started);
	mark = cJSON_CreateObject();
	sample_key(s, key);
	cJSON_AddStringToObject(mark, "key", key);
	cJSON_AddNumberToObject(mark, "rows", (double)s->opts.sample);
	passed = session_path(s, "sample/passed.json");
	jsonfile_save(passed, mark, NULL);
	cJSON_Delete(mark);
	free(passed);
	if (stage_train_full_start(s, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		return;
	}
	o->continued = 1;
}

static void
sample_train_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *py = sample_python(s);
	const char *argv[] = { py, "code/predict.py", NULL };
	ak_err e = { 0 };

	(void)r;
	if (!o->ok) {
		sample_failed(s, o, "code/train.py");
	} else if (sample_spawn(s, argv, sample_predict_after, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		sample_failed(s, o, "code/predict.py");
	} else {
		o->continued = 1;
	}
	free(py);
}

static void
sample_data_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *py = sample_python(s);
	const char *argv[] = { py, "code/train.py", NULL };
	ak_err e = { 0 };

	(void)r;
	if (!o->ok) {
		o->repairable = 0;
		sample_failed(s, o, "preparing its data");
	} else if (sample_spawn(s, argv, sample_train_after, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		sample_failed(s, o, "code/train.py");
	} else {
		o->continued = 1;
	}
	free(py);
}

int
stage_sample_needed(session *s)
{
	char *path, key[HASH_HEX_LEN + 1];
	cJSON *mark;
	int passed;

	if (s->opts.sample <= 0)
		return 0;
	sample_key(s, key);
	path = session_path(s, "sample/passed.json");
	mark = fs_exists(path) ? jsonfile_load(path, NULL) : NULL;
	passed = mark && strcmp(json_str(mark, "key", ""), key) == 0;
	cJSON_Delete(mark);
	free(path);
	return !passed;
}

int
stage_sample_start(session *s, ak_err *e)
{
	char *py = sample_python(s), *script = paths_data_file(SAMPLE_SCRIPT), *rows, *seed;
	char *passed = session_path(s, "sample/passed.json");
	exec_limits lim = stage_limits(s);
	int rc = -1;

	unlink(passed);
	free(passed);
	if (!script) {
		err_set(e, "%s is missing: reinstall autokaggle, or set AUTOKAGGLE_DATADIR", SAMPLE_SCRIPT);
		free(py);
		return -1;
	}
	if (!fs_exists(py)) {
		err_set(e, "env/venv/bin/python is gone, and the sample run needs it: re-create it with "
			"autokaggle rerun %s env", s->run_id);
		goto out;
	}
	rows = xasprintf("%ld", s->opts.sample);
	seed = xasprintf("%lu", s->opts.seed);
	{
		const char *argv[] = { py, script, s->dir, rows, seed, NULL };
		session_note(s, "info", "sample run first: %ld rows of test, two folds, here", s->opts.sample);
		rc = stage_spawn(s, argv, &lim, NULL, sample_data_after, e);
	}
	free(rows);
	free(seed);
out:
	free(script);
	free(py);
	return rc;
}

#include "config.h"

#include "data/validate.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

/* VALIDATE checks output/submission.csv against the sample submission and
 * the test ids, and writes output/validation.json either way. */

static void
validate_fingerprint(session *s, hash_ctx *h)
{
	char *sub = session_path(s, RUNDIR_SUBMISSION);

	hash_update_file(h, sub);
	free(sub);
}

int
stage_validate_file(session *s, const char *sub, const char *sample, const char *test, cJSON **report, ak_err *e)
{
	session_facts *f = &s->facts;
	validate_spec spec = { 0 };

	*report = NULL;
	if (session_facts_load(s, e) < 0)
		return -1;
	spec.submission = sub;
	spec.sample = sample ? sample : f->sample;
	spec.test = sample ? test : f->test;
	spec.id_column = f->id_col;
	spec.classification = f->task != TASK_REGRESSION && !f->needs_proba;
	spec.proba_columns = f->proba_columns;
	spec.classes = (const char *const *)f->classes;
	spec.nclasses = f->nclasses;
	spec.needs_proba = f->needs_proba && f->task != TASK_REGRESSION;
	return validate_submission(&spec, report, e);
}

static int
validate_start(session *s, ak_err *e)
{
	char *sub = session_path(s, RUNDIR_SUBMISSION);
	char *out = session_path(s, RUNDIR_VALIDATION);
	stage_outcome o = { 0 };
	cJSON *report = NULL;
	char hex[HASH_HEX_LEN + 1];
	int rc = -1, valid;

	valid = stage_validate_file(s, sub, NULL, NULL, &report, e);
	if (valid < 0)
		goto done;
	/* The file these checks were for: submit uploads only that one. */
	if (hash_file_hex(sub, hex, NULL) == 0)
		cJSON_AddStringToObject(report, "sha256", hex);
	if (jsonfile_save(out, report, e) < 0)
		goto done;
	o.ok = valid == 1;
	snprintf(o.message, sizeof(o.message), "%s", validate_summary(report));
	rc = 0;
	session_stage_end(s, &o);
done:
	cJSON_Delete(report);
	free(sub);
	free(out);
	return rc;
}

const stage_ops stage_validate_ops = { validate_fingerprint, validate_start };

#ifndef AK_VALIDATE_H
#define AK_VALIDATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

/* What a submission is checked against. Paths are read, never written. */
typedef struct validate_spec {
	const char *submission;         /* output/submission.csv */
	const char *sample;             /* sample_submission.csv */
	const char *test;               /* test.csv, or NULL to skip the test-id checks */
	const char *id_column;          /* id column name (in sample, test and submission) */
	int classification;             /* labels must come from classes (label format) */
	int proba_columns;              /* one probability column per class */
	const char *const *classes;     /* known class labels, as written in train */
	size_t nclasses;
	int needs_proba;                /* prediction columns must be numbers in [0,1] */
} validate_spec;

/* Checks the submission in one streaming pass (memory: the sample's id
 * set). Returns 1 when valid, 0 when invalid (the report says which
 * checks failed), -1 when it could not check: the sample or test file is
 * missing or malformed, or lacks the id column (e says why). A missing or
 * unreadable submission is a failed "readable" check, not an error.
 * On 0 or 1, *report receives {"file","ok","rows","columns","sample_rows",
 * "checks":[{"name","ok","message","examples":[{"line","value"}...]}...]}
 * (the content of output/validation.json; caller deletes it). A check may
 * carry "warning": true while ok stays true. */
int validate_submission(const validate_spec *s, cJSON **report, ak_err *e);

/* One line for the stage message: the first failed check's message, or
 * "all N checks passed" (plus the first warning). Never NULL; the string
 * lives as long as report. */
const char *validate_summary(const cJSON *report);

/* The ids of a competition's inputs, before any model runs: reads the
 * id column of the sample submission and of test once each (memory: the
 * sample's ids) and adds to problems, an array, one message per problem:
 * duplicate ids in either file, test lacking the id column, ids of one
 * file that the other lacks (each with its first id and line). Returns
 * the number of messages added; -1 when a file cannot be read or the
 * sample lacks the id column (e says why). */
int validate_input_ids(const char *sample, const char *test, const char *id_column, cJSON *problems,
		       ak_err *e);

#endif

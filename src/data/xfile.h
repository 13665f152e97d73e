#ifndef AK_XFILE_H
#define AK_XFILE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "data/scan.h"

/* What the files of a competition say together: each file's role, the
 * target and id columns, the task, the classes, time columns and the
 * drift between train and test. */

enum xfile_role {
	XFILE_TRAIN,
	XFILE_TEST,
	XFILE_SUBMISSION,
	XFILE_OTHER
};

/* From the file name: sample_submission* or *submission* first, then
 * train* and test*, else other (case-insensitive, directories ignored). */
enum xfile_role xfile_role_of(const char *path);
const char *xfile_role_name(enum xfile_role r);

typedef struct xfile_input {
	scan_result *const *files;
	const enum xfile_role *roles;
	size_t n;
	const char *target;	/* override or NULL */
	const char *id;		/* override or NULL */
} xfile_input;

/* Adds "target", "id", "task", "classes", "class_balance", "submission",
 * "time_columns", "drift" and "warnings" to root. */
void xfile_infer(cJSON *root, const xfile_input *in);

#endif

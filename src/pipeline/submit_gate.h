#ifndef AK_SUBMIT_GATE_H
#define AK_SUBMIT_GATE_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "kaggle/client.h"
#include "store/store.h"
#include "util/hash.h"

/* submit's pre-flight checks, before a scarce daily submission is spent:
 * the file VALIDATE passed, today's count against the limit, the same file
 * or code submitted before, this CV against the best submitted; and the
 * record of each submission in run.json. */
typedef struct submit_gate {
	char *dir;                          /* the run's directory */
	char *slug;
	char *path;                         /* output/submission.csv */
	char file_sha256[HASH_HEX_LEN + 1];
	char code_fp[HASH_HEX_LEN + 1];     /* the hash of code/ */
	double cv;                          /* the run's CV score, NaN when unknown */
	int higher_is_better;
	cJSON *runjson;
	/* The kernel whose output the file is, when the run ran on Kaggle
	 * (kernel/push.json, collected): a kernels-only competition takes
	 * that kernel version instead of an upload. */
	char *kernel_owner, *kernel_slug;
	long long kernel_version;
	int kernels_only;                   /* set by submit_gate_check */
} submit_gate;

/* Reads the run: a Kaggle competition's, with a submission.csv that
 * VALIDATE passed as it is now. ERR_INPUT saying what to do otherwise;
 * nothing overrides this. */
int submit_gate_load(submit_gate *g, const store_run *r, ak_err *e);
/* Asks Kaggle and the workspace, prints each check on out and refuses
 * (-1, the first failed check in e) unless force; a kernels-only
 * competition is refused whatever force says unless the file is a
 * kernel's output (then g->kernels_only is set: submit the kernel). */
int submit_gate_check(submit_gate *g, kaggle_client *c, store *db, int force, FILE *out, ak_err *e);
/* Adds or updates (by ref) the submission in run.json's "submissions". */
int submit_gate_record(submit_gate *g, const store_submission *sub, ak_err *e);
void submit_gate_clean(submit_gate *g);

#endif

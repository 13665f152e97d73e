#ifndef AK_PROMPT_H
#define AK_PROMPT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "codegen/blocks.h"
#include "util/strbuf.h"

/* The prompts that ask a model for the pipeline's code or for a repair of
 * it. Every text they return has been through the one redactor (every
 * registered secret and anything shaped like a key is gone) and shows
 * sample values of the data PII-masked (emails, phone and card numbers). */

typedef struct codegen_prompt_in {
	const cJSON *competition;       /* input/competition.json, or NULL */
	const cJSON *profile;           /* input/data_profile.json, or NULL */
	const char *decisions;          /* input/decisions.json's text, or NULL */
	const char *overview;           /* input/overview.md's text, or NULL */
	const char *brief;              /* the user's brief, or NULL */
	const char *task, *target, *id;
	const char *metric;             /* its name */
	int higher_is_better;
	const char *submission_format;  /* "label" or "proba_columns" */
	/* Constraints */
	long budget_seconds;            /* 0 = none */
	int gpu;
	const char *family;
	int folds, threads;
	unsigned long long memory_bytes;
	/* The current code, the model's starting point. */
	const codegen_block *files;
	size_t nfiles;
} codegen_prompt_in;

/* The system prompt: the role, the file contract and the reply's format. */
const char *codegen_prompt_system(void);

/* The request for the pipeline's code. Caller frees. */
char *codegen_prompt_code(const codegen_prompt_in *in);

/* The request for a repair: stage ("train" or "predict") failed with the
 * log's tail (the traceback). Caller frees. */
char *codegen_prompt_repair(const codegen_prompt_in *in, const char *stage, const char *log_tail);

/* The system prompt of the strategy chat: the competition, the profile's
 * summary, the overview, the constraints and the decisions so far.
 * Caller frees. */
char *codegen_prompt_chat(const codegen_prompt_in *in);
/* The turn that asks for the decisions as one JSON object. */
const char *codegen_prompt_decisions(void);

/* A few lines per column of the profile: type, missing, distinct, range,
 * top values and samples (masked). Appended to out. */
void codegen_profile_summary(const cJSON *profile, strbuf *out);

#endif

#ifndef AK_RUNOPTS_H
#define AK_RUNOPTS_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "util/err.h"

/* The user's choices for a run: overrides and constraints. They are
 * recorded in run.json and feed the stages' fingerprints, so changing one
 * (a new budget on rerun) makes the stages that read it stale. */

typedef enum runopts_gpu { RUNOPTS_GPU_AUTO, RUNOPTS_GPU_YES, RUNOPTS_GPU_NO } runopts_gpu;

typedef struct runopts {
	char *target;       /* NULL = infer */
	char *id;           /* NULL = infer */
	char *metric;       /* NULL = from competition.json or the task */
	char *metric_file;  /* absolute path or NULL */
	long budget_ms;     /* 0 = none */
	long long memory_bytes; /* 0 = default */
	int threads;        /* 0 = number of CPUs */
	runopts_gpu gpu;
	char *family;       /* "auto" unless set */
	unsigned long seed;
	int folds;
	char *python;       /* interpreter for env/venv: --python, else AUTOKAGGLE_PYTHON, else python3 */
	int python_given;   /* --python was given (run.json keeps only that) */
	char *model;        /* LLM model name; NULL = llm.model, else the provider's default */
	char *provider;     /* LLM provider; NULL = llm.provider, else from the keys set */
	char *base_url;     /* the provider's base URL; NULL = its variable or default */
	int offline;        /* the templates write the code even when a key is set */
	long llm_budget;    /* tokens (in + out) after which the run pauses; 0 = none */
	int repair;         /* repairs of a failing TRAIN/PREDICT by the LLM */
	char *brief;        /* one user turn for the LLM before CODE, or NULL */
	char *overview;     /* absolute path of the user's paste of the overview, or NULL */
	int no_network;
	char *executor;     /* where TRAIN and PREDICT run: "local" or "kaggle" (exec/executor.h) */
	int kernel_internet; /* the kaggle executor's kernel may reach the internet */
	long sample;        /* rows of test in the sample run before the full one; 0 = none */
	int detach;
} runopts;

/* Defaults, with AUTOKAGGLE_PYTHON taken from the environment and the
 * executor from the run.executor setting. */
void runopts_init(runopts *o);
void runopts_free(runopts *o);

/* Consumes argv[*i] (and its value) when it is a run option.
 * Returns 1 consumed, 0 not a run option, -1 bad value (message in e). */
int runopts_parse_one(runopts *o, int argc, char **argv, int *i, ak_err *e);

/* The options as the "options" object of run.json. */
cJSON *runopts_to_json(const runopts *o);
/* Reads them back over o; unknown keys are ignored, missing ones keep
 * what o had. A rerun loads the stored options, then parses new flags
 * over them, so only what the user names changes. */
void runopts_from_json(runopts *o, const cJSON *json);

const char *runopts_gpu_name(runopts_gpu g);
/* The limits in force: the option, or 75 % of RAM / the number of CPUs. */
unsigned long long runopts_memory_limit(const runopts *o);
int runopts_threads(const runopts *o);
/* Prints the run options' usage, for --help. */
void runopts_print_help(FILE *out);
/* Prints them as the man page's list (.TP paragraphs). */
void runopts_print_man(FILE *out);

/* Below these, Python cannot start and import its libraries. */
#define RUNOPTS_MIN_BUDGET_MS 5000L
#define RUNOPTS_MIN_MEMORY (256LL << 20)
/* Above these, a value is a typo (and the memory no longer fits a double
 * exactly in run.json). */
#define RUNOPTS_MAX_BUDGET_MS (366L * 24 * 3600 * 1000)
#define RUNOPTS_MAX_MEMORY (1LL << 50)
/* The sample run's rows of test: enough for two folds of any task, few
 * enough to take seconds. */
#define RUNOPTS_MIN_SAMPLE 10L
#define RUNOPTS_MAX_SAMPLE 1000000L
#define RUNOPTS_DEFAULT_REPAIRS 3
#define RUNOPTS_MAX_REPAIRS 20
/* A brief longer than this is a file given by mistake. */
#define RUNOPTS_MAX_BRIEF (64 * 1024)

#endif

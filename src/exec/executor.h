#ifndef AK_EXECUTOR_H
#define AK_EXECUTOR_H

#include <stddef.h>

#include "exec/exec.h"
#include "util/err.h"

/* Where TRAIN and PREDICT run: one interface, one file per executor
 * (executor_local.c, executor_kaggle.c). Whatever runs elsewhere is
 * followed by a process on this machine, so the supervisor treats every
 * executor alike: it starts the command an executor gives, under the
 * executor's limits, logs its output, and can cancel it. A new executor
 * (a Slurm queue, a box over SSH) is one more file and one more row in
 * executor_find's table. */

typedef enum executor_step { EXECUTOR_TRAIN, EXECUTOR_PREDICT } executor_step;

typedef struct executor_job {
	const char *run_dir;
	const char *run_id;
	executor_step step;
	const char *venv_python;      /* the run's interpreter (env/venv/bin/python) */
	const char *self_exe;         /* this program, for the children that follow remote work */
	exec_limits limits;           /* for work that runs here */
	const char *const *model_env; /* "K=V" for the model scripts, when they run here */
} executor_job;

/* What to start for a step: argv NULL means nothing runs for it here
 * (the step's work was done with an earlier one), and collect decides. */
typedef struct executor_command {
	char **argv;                  /* strv */
	char **env;                   /* strv of "K=V" added to the scrubbed environment */
	exec_limits limits;
} executor_command;

typedef struct executor_ops {
	const char *name;             /* as --executor takes it */
	const char *where;            /* "on this machine", "on Kaggle", for messages */
	/* Whether the run's local venv (ENV) is needed. */
	int needs_local_env;
	/* Checks what the step needs before it starts; -1 with a message
	 * saying what to do. */
	int (*prepare)(const executor_job *j, ak_err *e);
	/* The command that does the step, or follows it where it runs. */
	int (*start)(const executor_job *j, executor_command *cmd, ak_err *e);
	/* One line on where the step stands now ("RUNNING 3m12s on Kaggle"),
	 * for status and the TUI; 0 when there is nothing to say. */
	int (*poll)(const executor_job *j, char *line, size_t n);
	/* After a cancel: what the user should know (work that may go on
	 * elsewhere), or 0 with nothing to say. */
	int (*cancelled)(const executor_job *j, char *note, size_t n);
	/* After the command succeeded: brings the step's outputs into the
	 * run's output/ and checks them; -1 with what is missing. */
	int (*collect)(const executor_job *j, ak_err *e);
} executor_ops;

extern const executor_ops executor_local_ops, executor_kaggle_ops;

/* The executor by name; NULL with an ERR_USAGE error listing the names. */
const executor_ops *executor_find(const char *name, ak_err *e);
/* "local|kaggle", for usage lines. */
const char *executor_names(void);
void executor_command_free(executor_command *cmd);

#endif

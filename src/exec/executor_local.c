#include "config.h"

#include "exec/executor.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

/* The local executor: the model scripts run here, as children of the
 * supervisor, under the run's limits. */

static const char *
local_output(const executor_job *j)
{
	return j->step == EXECUTOR_TRAIN ? "output/metrics.json" : "output/submission.csv";
}

static int
local_prepare(const executor_job *j, ak_err *e)
{
	char *out = fs_join(j->run_dir, local_output(j));

	/* A stale output must not pass for this attempt's result. */
	unlink(out);
	free(out);
	if (!fs_exists(j->venv_python))
		return err_set(e, "env/venv/bin/python is gone (was the workspace's cache/venvs cleaned?): "
			"re-create it with autokaggle rerun %s env", j->run_id);
	return 0;
}

static int
local_start(const executor_job *j, executor_command *cmd, ak_err *e)
{
	const char *script = j->step == EXECUTOR_TRAIN ? "code/train.py" : "code/predict.py";
	const char *const *v;
	size_t n = 0;

	(void)e;
	cmd->argv = xcalloc(3, sizeof(char *));
	cmd->argv[0] = xstrdup(j->venv_python);
	cmd->argv[1] = xstrdup(script);
	for (v = j->model_env; v && *v; v++)
		n++;
	cmd->env = xcalloc(n + 1, sizeof(char *));
	for (n = 0, v = j->model_env; v && *v; v++)
		cmd->env[n++] = xstrdup(*v);
	cmd->limits = j->limits;
	return 0;
}

static int
local_poll(const executor_job *j, char *line, size_t n)
{
	(void)j;
	(void)line;
	(void)n;
	return 0;
}

static int
local_cancelled(const executor_job *j, char *note, size_t n)
{
	(void)j;
	(void)note;
	(void)n;
	return 0;
}

static int
local_collect(const executor_job *j, ak_err *e)
{
	char *out = fs_join(j->run_dir, local_output(j));
	int rc = 0;

	if (!fs_exists(out))
		rc = err_set(e, "%s ended without writing %s", j->step == EXECUTOR_TRAIN ? "code/train.py" :
			"code/predict.py", local_output(j));
	free(out);
	return rc;
}

const executor_ops executor_local_ops = {
	.name = "local",
	.where = "on this machine",
	.needs_local_env = 1,
	.prepare = local_prepare,
	.start = local_start,
	.poll = local_poll,
	.cancelled = local_cancelled,
	.collect = local_collect,
};

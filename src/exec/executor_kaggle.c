#include "config.h"

#include "exec/executor.h"
#include "exec/kernel_package.h"
#include "kaggle/client.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The kaggle executor: TRAIN pushes the run's code as a notebook and
 * follows it where Kaggle runs it (`autokaggle __kernel RUN_DIR`, see
 * cmd/cmd_kernel_child.c); the kernel trains and predicts in one go, so
 * PREDICT runs nothing and takes the submission from the kernel's output.
 * Everything the kernel left is in RUN_DIR/kernel. */

static cJSON *
kaggle_load(const executor_job *j, const char *rel)
{
	char *path = fs_join(j->run_dir, rel);
	cJSON *json = jsonfile_load(path, NULL);

	free(path);
	return json;
}

static int
kaggle_prepare(const executor_job *j, ak_err *e)
{
	cJSON *run = kaggle_load(j, "run.json");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(run, "source");
	int kaggle = strcmp(json_str(src, "kind", ""), "kaggle") == 0;
	static const char *const outputs[] = { "output/metrics.json", "output/oof.csv", "output/submission.csv" };
	char *package;
	size_t i;

	cJSON_Delete(run);
	if (!kaggle)
		return err_kind_set(e, ERR_USAGE, "the kaggle executor runs a competition's code on Kaggle, and this "
			"run's data is a local folder: rerun it with --executor local");
	if (j->step == EXECUTOR_PREDICT)
		return 0;
	/* What a kernel cannot have (a --metric-file) is said before a push. */
	package = kernel_package(j->run_dir, KERNEL_PACKAGE_NOTEBOOK, e);
	free(package);
	if (!package)
		return -1;
	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		char *p = fs_join(j->run_dir, outputs[i]);
		unlink(p);
		free(p);
	}
	return 0;
}

static int
kaggle_start(const executor_job *j, executor_command *cmd, ak_err *e)
{
	(void)e;
	memset(cmd, 0, sizeof(*cmd));
	if (j->step == EXECUTOR_PREDICT)
		return 0;
	cmd->argv = xcalloc(4, sizeof(char *));
	cmd->argv[0] = xstrdup(j->self_exe);
	cmd->argv[1] = xstrdup("__kernel");
	cmd->argv[2] = xstrdup(j->run_dir);
	cmd->env = kaggle_client_child_env();
	return 0;
}

static int
kaggle_poll(const executor_job *j, char *line, size_t n)
{
	cJSON *st = kaggle_load(j, "kernel/status.json");
	double pushed;
	long s;

	if (!st)
		return 0;
	pushed = json_num(st, "pushed_epoch", 0);
	s = pushed > 0 ? (long)difftime(time(NULL), (time_t)pushed) : 0;
	snprintf(line, n, "%s %ldm%02lds on Kaggle (kernel %s, version %lld)", json_str(st, "status", "?"),
		s / 60, s % 60, json_str(st, "id", "?"), json_int(st, "version", 0, 1LL << 40, 0));
	cJSON_Delete(st);
	return 1;
}

static int
kaggle_cancelled(const executor_job *j, char *note, size_t n)
{
	cJSON *p = kaggle_load(j, "kernel/push.json");
	int pushed = p && strcmp(json_str(p, "state", ""), "pushed") == 0;

	if (pushed)
		snprintf(note, n, "stopped following kernel %s version %lld; it may still finish on Kaggle (%s); "
			"autokaggle rerun %s train picks it up again without pushing",
			json_str(p, "id", "?"), json_int(p, "version", 0, 1LL << 40, 0), json_str(p, "url", "?"),
			j->run_id);
	cJSON_Delete(p);
	return pushed;
}

/* A file of the kernel's output into output/: the kernel's working
 * directory holds output/ as the local one does. */
static int
kaggle_take(const executor_job *j, const char *from, const char *to, int required, ak_err *e)
{
	char *src = fs_join(j->run_dir, from), *dst = fs_join(j->run_dir, to);
	int rc = 0;

	if (fs_exists(src))
		rc = fs_copy_file(src, dst, 0644, e);
	else if (required)
		rc = err_set(e, "the kernel ended without writing %s (see kernel/kernel.log)", from + strlen("kernel/output/"));
	free(src);
	free(dst);
	return rc;
}

static int
kaggle_collect(const executor_job *j, ak_err *e)
{
	cJSON *p = kaggle_load(j, "kernel/push.json");
	int collected = p && strcmp(json_str(p, "state", ""), "collected") == 0;

	cJSON_Delete(p);
	if (!collected)
		return err_set(e, "no output of a finished kernel in kernel/: rerun %s train", j->run_id);
	if (j->step == EXECUTOR_PREDICT)
		return kaggle_take(j, "kernel/output/output/submission.csv", "output/submission.csv", 1, e);
	if (kaggle_take(j, "kernel/output/output/metrics.json", "output/metrics.json", 1, e) < 0 ||
	    kaggle_take(j, "kernel/output/output/oof.csv", "output/oof.csv", 0, e) < 0)
		return -1;
	return 0;
}

const executor_ops executor_kaggle_ops = {
	.name = "kaggle",
	.where = "on Kaggle",
	.needs_local_env = 0,
	.prepare = kaggle_prepare,
	.start = kaggle_start,
	.poll = kaggle_poll,
	.cancelled = kaggle_cancelled,
	.collect = kaggle_collect,
};

#include "config.h"

#include "kaggle/client.h"
#include "kaggle/competition.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/stage_kaggle.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* META and DATA of a competition on Kaggle: each talks to the API in a
 * child of the supervisor (`autokaggle __kaggle meta|data SLUG ...`), so
 * the supervisor's loop stays free to cancel it, and its progress lands
 * in the stage's log. */

const char *
stage_kaggle_slug(const session *s)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(s->run, "source");

	return strcmp(json_str(src, "kind", ""), "kaggle") == 0 ? json_str(src, "slug", NULL) : NULL;
}

static int
kaggle_spawn(session *s, const char *what, const char *out, stage_after_fn after, ak_err *e)
{
	char *exe = fs_exe_path(), **env = kaggle_client_child_env();
	const char *argv[] = { exe ? exe : "autokaggle", "__kaggle", what, stage_kaggle_slug(s), out, NULL };
	exec_limits lim = { 0 };
	int rc = stage_spawn(s, argv, &lim, (const char *const *)env, after, e);

	strv_free(env);
	free(exe);
	return rc;
}

static void
kaggle_meta_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *path = session_path(s, RUNDIR_COMPETITION);
	cJSON *comp;

	(void)r;
	if (o->ok) {
		comp = jsonfile_load(path, NULL);
		snprintf(o->message, sizeof(o->message), "%s", json_str(comp, "title", stage_kaggle_slug(s)));
		cJSON_Delete(comp);
	}
	free(path);
}

void
stage_kaggle_meta_fingerprint(session *s, hash_ctx *h)
{
	hash_update_str(h, "kaggle");
	hash_update_str(h, stage_kaggle_slug(s));
}

int
stage_kaggle_meta_start(session *s, ak_err *e)
{
	char *out = session_path(s, RUNDIR_COMPETITION);
	int rc = kaggle_spawn(s, "meta", out, kaggle_meta_after, e);

	free(out);
	return rc;
}

static void
kaggle_data_after(session *s, const exec_result *r, stage_outcome *o)
{
	ak_err e = { 0 };

	(void)r;
	if (!o->ok)
		return;
	if (stage_data_local_start(s, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
		return;
	}
	o->continued = 1;
}

int
stage_kaggle_data_start(session *s, ak_err *e)
{
	return kaggle_spawn(s, "data", NULL, kaggle_data_after, e);
}

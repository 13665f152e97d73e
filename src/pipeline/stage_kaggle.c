#include "config.h"

#include "kaggle/competition.h"
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

/* What the child needs that the scrubbed environment of stage children
 * leaves out: the Kaggle credentials and endpoint, where the cache and the
 * configuration live, and proxies even when they carry a password. */
static const char *const kaggle_env_names[] = {
	"KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "KAGGLE_API_ENDPOINT",
	"KAGGLE_KERNEL_RUN_TYPE", "KAGGLE_DATA_PROXY_URL", "KAGGLE_API_V1_TOKEN", "AUTOKAGGLE_CONFIG",
	"AUTOKAGGLE_MAX_EXTRACT", "XDG_CACHE_HOME",
	"XDG_CONFIG_HOME", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
	"all_proxy", "no_proxy", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR",
};

static char **
kaggle_child_env(void)
{
	size_t n = sizeof(kaggle_env_names) / sizeof(kaggle_env_names[0]), i, k = 0;
	char **env = xcalloc(n + 1, sizeof(char *));

	for (i = 0; i < n; i++) {
		const char *v = getenv(kaggle_env_names[i]);

		if (v)
			env[k++] = xasprintf("%s=%s", kaggle_env_names[i], v);
	}
	return env;
}

const char *
stage_kaggle_slug(const session *s)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(s->run, "source");

	return strcmp(json_str(src, "kind", ""), "kaggle") == 0 ? json_str(src, "slug", NULL) : NULL;
}

static int
kaggle_spawn(session *s, const char *what, const char *out, stage_after_fn after, ak_err *e)
{
	char *exe = fs_exe_path(), **env = kaggle_child_env();
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
	char *path = session_path(s, "input/competition.json");
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
	char *out = session_path(s, "input/competition.json");
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

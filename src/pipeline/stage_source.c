#include "config.h"

#include "pipeline/stage.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* META and DATA for a local competition directory. */

static const char *const source_roles[] = { "train", "test", "sample_submission" };
static const char *const source_suffixes[] = { ".csv", ".csv.gz", ".csv.zip", ".zip" };

static const char *
source_dir(const session *s)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(s->run, "source");

	return json_str(src, "path", "");
}

/* The data file for a role: train.csv, train.csv.gz, train.csv.zip or train.zip. */
static char *
source_find(const session *s, const char *role)
{
	size_t i;

	for (i = 0; i < sizeof(source_suffixes) / sizeof(source_suffixes[0]); i++) {
		char *name = xasprintf("%s%s", role, source_suffixes[i]);
		char *p = fs_join(source_dir(s), name);
		free(name);
		if (fs_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

static void
meta_fingerprint(session *s, hash_ctx *h)
{
	char *comp = fs_join(source_dir(s), "competition.json");

	hash_update_str(h, source_dir(s));
	hash_update_file(h, comp);
	hash_update_str(h, s->opts.target ? s->opts.target : "");
	hash_update_str(h, s->opts.id ? s->opts.id : "");
	hash_update_str(h, s->opts.metric ? s->opts.metric : "");
	if (s->opts.metric_file)
		hash_update_file(h, s->opts.metric_file);
	free(comp);
}

static int
meta_start(session *s, ak_err *e)
{
	char *src = fs_join(source_dir(s), "competition.json");
	char *dst = session_path(s, "input/competition.json");
	stage_outcome o = { .ok = 1 };
	cJSON *comp;
	int rc = -1;

	if (!fs_is_dir(source_dir(s))) {
		err_set(e, "the competition directory %s is gone: restore it or start a new run", source_dir(s));
		goto out;
	}
	if (fs_exists(src)) {
		comp = jsonfile_load(src, e);
		if (!comp)
			goto out;
		if (!cJSON_IsObject(comp)) {
			cJSON_Delete(comp);
			err_set(e, "%s must hold a JSON object with Kaggle's competition fields", src);
			goto out;
		}
	} else {
		const char *base = strrchr(source_dir(s), '/');
		comp = cJSON_CreateObject();
		cJSON_AddStringToObject(comp, "ref", base ? base + 1 : source_dir(s));
		cJSON_AddStringToObject(comp, "title", base ? base + 1 : source_dir(s));
	}
	rc = jsonfile_save(dst, comp, e);
	if (rc == 0)
		snprintf(o.message, sizeof(o.message), "%s", json_str(comp, "title", "untitled"));
	cJSON_Delete(comp);
	if (rc == 0)
		session_stage_end(s, &o);
out:
	free(src);
	free(dst);
	return rc;
}

static void
data_fingerprint(session *s, hash_ctx *h)
{
	size_t i;

	for (i = 0; i < sizeof(source_roles) / sizeof(source_roles[0]); i++) {
		char *p = source_find(s, source_roles[i]);
		if (p)
			session_hash_data_file(s, h, p);
		else
			hash_update_str(h, "<missing>");
		free(p);
	}
}

static int
data_start(session *s, ak_err *e)
{
	cJSON *data = cJSON_CreateObject();
	stage_outcome o = { .ok = 1 };
	long long total = 0;
	size_t i;

	for (i = 0; i < sizeof(source_roles) / sizeof(source_roles[0]); i++) {
		char *p = source_find(s, source_roles[i]);
		char hex[HASH_HEX_LEN + 1];
		struct stat st;
		cJSON *f;

		if (!p) {
			cJSON_Delete(data);
			return err_set(e, "%s has no %s.csv: a local competition needs train.csv, test.csv and sample_submission.csv",
				source_dir(s), source_roles[i]);
		}
		if (stat(p, &st) < 0 || hash_file_hex(p, hex, e) < 0) {
			err_set(e, "cannot read %s: check its permissions", p);
			cJSON_Delete(data);
			free(p);
			return -1;
		}
		f = cJSON_AddObjectToObject(data, source_roles[i]);
		cJSON_AddStringToObject(f, "path", p);
		cJSON_AddNumberToObject(f, "bytes", (double)st.st_size);
		cJSON_AddStringToObject(f, "sha256", hex);
		total += (long long)st.st_size;
		free(p);
	}
	json_set(s->run, "data", data);
	snprintf(o.message, sizeof(o.message), "3 files, %.1f MB", (double)total / 1e6);
	session_stage_end(s, &o);
	return 0;
}

const stage_ops stage_meta_ops = { meta_fingerprint, meta_start };
const stage_ops stage_data_ops = { data_fingerprint, data_start };

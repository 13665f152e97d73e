#include "config.h"

#include "pipeline/versions.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/strv.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
versions_is_code(const char *name)
{
	size_t n = strlen(name);

	return (n > 3 && strcmp(name + n - 3, ".py") == 0) || strcmp(name, "config.yaml") == 0;
}

static int
versions_add(const char *base, const char *rel, codegen_block **out, size_t *n, ak_err *e)
{
	char *p = fs_join(base, rel);
	size_t len;
	char *text = fs_read_file(p, &len, e);

	free(p);
	if (!text)
		return -1;
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[*n].path = xstrdup(rel);
	(*out)[*n].text = text;
	(*n)++;
	return 0;
}

/* The files of a tree laid out like a run directory (code/, env/). */
static int
versions_read_tree(const char *base, const char *code_sub, const char *req_rel, codegen_block **out, size_t *n,
	ak_err *e)
{
	char *code = fs_join(base, code_sub), *req = fs_join(base, req_rel);
	char **names = fs_list_files(code);
	size_t i;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; names[i] && rc == 0; i++) {
		char *rel = xasprintf("%s/%s", code_sub, names[i]);
		if (versions_is_code(names[i]))
			rc = versions_add(base, rel, out, n, e);
		free(rel);
	}
	if (rc == 0 && fs_exists(req))
		rc = versions_add(base, req_rel, out, n, e);
	strv_free(names);
	free(code);
	free(req);
	if (rc < 0) {
		codegen_blocks_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int
versions_read(const char *run_dir, codegen_block **out, size_t *n, ak_err *e)
{
	return versions_read_tree(run_dir, "code", "env/requirements.txt", out, n, e);
}

void
versions_fingerprint(const codegen_block *b, size_t n, char out[HASH_HEX_LEN + 1])
{
	hash_ctx h;
	size_t i;

	hash_init(&h);
	for (i = 0; i < n; i++) {
		hash_update_str(&h, b[i].path);
		hash_update(&h, "", 1);
		hash_update_str(&h, b[i].text);
		hash_update(&h, "", 1);
	}
	hash_final_hex(&h, out);
}

char *
versions_dir(const char *run_dir, int n)
{
	return xasprintf("%s/code/.versions/%d", run_dir, n);
}

static int
versions_write_meta(const char *dir, int n, const char *origin, time_t made, double cv, ak_err *e)
{
	cJSON *j = cJSON_CreateObject();
	char stamp[TIMEFMT_ISO_LEN], *path = fs_join(dir, "version.json");
	int rc;

	timefmt_iso_utc(made, stamp);
	cJSON_AddNumberToObject(j, "version", n);
	cJSON_AddStringToObject(j, "origin", origin);
	cJSON_AddStringToObject(j, "time", stamp);
	if (isnan(cv))
		cJSON_AddNullToObject(j, "cv");
	else
		cJSON_AddNumberToObject(j, "cv", cv);
	rc = jsonfile_save(path, j, e);
	cJSON_Delete(j);
	free(path);
	return rc;
}

/* Version n's copy: its files flat (requirements.txt beside the code). */
static int
versions_save_files(const char *dir, const codegen_block *b, size_t n, ak_err *e)
{
	size_t i;

	if (fs_mkdir_p(dir, 0755, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char *p = fs_join(dir, strrchr(b[i].path, '/') + 1);
		int rc = fs_write_atomic(p, b[i].text, strlen(b[i].text), 0644, e);
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
versions_record(store *db, const char *run_id, const char *run_dir, const char *origin, const char *note,
	ak_err *e)
{
	codegen_block *b;
	store_version *v;
	size_t n, nv;
	char fp[HASH_HEX_LEN + 1], *dir;
	int num, rc;

	if (versions_read(run_dir, &b, &n, e) < 0)
		return -1;
	versions_fingerprint(b, n, fp);
	if (store_version_list(db, run_id, &v, &nv, e) < 0) {
		codegen_blocks_free(b, n);
		return -1;
	}
	num = nv > 0 && strcmp(v[nv - 1].fp, fp) == 0 ? v[nv - 1].n : 0;
	store_version_list_free(v, nv);
	if (num > 0) {
		codegen_blocks_free(b, n);
		return num;
	}
	num = store_version_add(db, run_id, origin, fp, note, 0, e);
	dir = num > 0 ? versions_dir(run_dir, num) : NULL;
	rc = num > 0 && versions_save_files(dir, b, n, e) == 0 && versions_write_meta(dir, num, origin, time(NULL), NAN, e) == 0;
	free(dir);
	codegen_blocks_free(b, n);
	return rc ? num : -1;
}

int
versions_previous(store *db, const char *run_id, const char *run_dir, char **origin)
{
	codegen_block *b;
	store_version *v;
	size_t n, nv, i;
	char fp[HASH_HEX_LEN + 1];
	int found = 0;

	if (origin)
		*origin = NULL;
	if (versions_read(run_dir, &b, &n, NULL) < 0)
		return 0;
	versions_fingerprint(b, n, fp);
	codegen_blocks_free(b, n);
	if (store_version_list(db, run_id, &v, &nv, NULL) < 0)
		return 0;
	for (i = nv; i-- > 0 && !found;)
		if (strcmp(v[i].fp, fp) != 0) {
			found = v[i].n;
			if (origin)
				*origin = xstrdup(v[i].origin);
		}
	store_version_list_free(v, nv);
	return found;
}

int
versions_set_cv(store *db, const char *run_id, const char *run_dir, double cv, ak_err *e)
{
	store_version *v;
	size_t nv;
	char *dir;
	int rc;

	if (store_version_list(db, run_id, &v, &nv, e) < 0)
		return -1;
	if (nv == 0) {
		store_version_list_free(v, nv);
		return 0;
	}
	rc = store_version_set_cv(db, run_id, v[nv - 1].n, cv, e);
	dir = versions_dir(run_dir, v[nv - 1].n);
	if (rc == 0)
		rc = versions_write_meta(dir, v[nv - 1].n, v[nv - 1].origin, (time_t)v[nv - 1].time, cv, e);
	free(dir);
	store_version_list_free(v, nv);
	return rc;
}

int
versions_restore(const char *run_dir, int n, ak_err *e)
{
	char *dir = versions_dir(run_dir, n);
	char **names;
	size_t i;
	int rc = 0;

	if (!fs_is_dir(dir)) {
		err_set(e, "the run has no version %d (autokaggle versions lists them)", n);
		free(dir);
		return -1;
	}
	names = fs_list_files(dir);
	for (i = 0; names[i] && rc == 0; i++) {
		char *src, *dst;
		if (strcmp(names[i], "version.json") == 0)
			continue;
		src = fs_join(dir, names[i]);
		dst = strcmp(names[i], "requirements.txt") == 0 ? fs_join(run_dir, "env/requirements.txt")
			: xasprintf("%s/code/%s", run_dir, names[i]);
		rc = fs_copy_file(src, dst, 0644, e);
		free(src);
		free(dst);
	}
	strv_free(names);
	free(dir);
	return rc;
}

/* Version n's files named as in the run (code/NAME, env/requirements.txt),
 * in versions_read's order. */
static int
versions_read_copy(const char *dir, codegen_block **b, size_t *n, ak_err *e)
{
	char **names = fs_list_files(dir);
	size_t i;
	int rc = 0, req = 0;

	*b = NULL;
	*n = 0;
	for (i = 0; names[i] && rc == 0; i++) {
		if (strcmp(names[i], "requirements.txt") == 0)
			req = 1;
		else if (versions_is_code(names[i]))
			rc = versions_add(dir, names[i], b, n, e);
	}
	for (i = 0; i < *n; i++) {
		char *rel = xasprintf("code/%s", (*b)[i].path);
		free((*b)[i].path);
		(*b)[i].path = rel;
	}
	if (rc == 0 && req && (rc = versions_add(dir, "requirements.txt", b, n, e)) == 0) {
		free((*b)[*n - 1].path);
		(*b)[*n - 1].path = xstrdup("env/requirements.txt");
	}
	strv_free(names);
	return rc;
}

int
versions_reindex(store *db, const char *run_id, const char *run_dir, ak_err *e)
{
	store_version *v;
	size_t nv;
	int k, rc = 0;

	if (store_version_list(db, run_id, &v, &nv, e) < 0)
		return -1;
	store_version_list_free(v, nv);
	if (nv > 0)
		return 0;
	for (k = 1; rc == 0; k++) {
		char *dir = versions_dir(run_dir, k), *meta = fs_join(dir, "version.json");
		cJSON *j = fs_is_dir(dir) ? jsonfile_load(meta, NULL) : NULL;
		codegen_block *b = NULL;
		size_t nb = 0;
		char fp[HASH_HEX_LEN + 1];
		double cv = json_num(j, "cv", NAN);
		time_t made = 0;

		if (!j) {
			rc = 1;
		} else if (versions_read_copy(dir, &b, &nb, e) < 0) {
			rc = -1;
		} else {
			versions_fingerprint(b, nb, fp);
			timefmt_parse_iso_utc(json_str(j, "time", ""), &made);
			if (store_version_add(db, run_id, json_str(j, "origin", "?"), fp, NULL, (double)made, e) != k ||
			    (!isnan(cv) && store_version_set_cv(db, run_id, k, cv, e) < 0))
				rc = -1;
		}
		codegen_blocks_free(b, nb);
		cJSON_Delete(j);
		free(meta);
		free(dir);
	}
	return rc < 0 ? -1 : k - 2;
}

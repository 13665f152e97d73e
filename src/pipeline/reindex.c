#include "config.h"

#include "pipeline/reindex.h"
#include "pipeline/llmcalls.h"
#include "pipeline/versions.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *
dup_json_str(const cJSON *o, const char *key, const char *dflt)
{
	return xstrdup(json_str(o, key, dflt));
}

static void
reindex_stages(const cJSON *stages, store_stage st[STAGE_COUNT])
{
	int i;

	memset(st, 0, sizeof(store_stage) * STAGE_COUNT);
	for (i = 0; i < STAGE_COUNT; i++) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(stages, machine_stage_name(i));
		int status = machine_status_from_name(json_str(o, "status", "idle"));

		st[i].m.status = status < 0 ? STATUS_IDLE : (machine_status)status;
		snprintf(st[i].m.input_fp, sizeof(st[i].m.input_fp), "%s", json_str(o, "input_fingerprint", ""));
		snprintf(st[i].m.done_fp, sizeof(st[i].m.done_fp), "%s", json_str(o, "done_fingerprint", ""));
		st[i].started = json_num(o, "started", 0);
		st[i].ended = json_num(o, "ended", 0);
		st[i].exit_code = (int)json_int(o, "exit_code", -1000, 1000, 0);
		st[i].wall_s = json_num(o, "wall_s", 0);
		st[i].cpu_s = json_num(o, "cpu_s", 0);
		st[i].maxrss_kb = (long)json_int(o, "maxrss_kb", 0, 1LL << 50, 0);
		snprintf(st[i].message, sizeof(st[i].message), "%s", json_str(o, "message", ""));
	}
}

/* A run.json written before it recorded the run's status: what the
 * stages say. */
static const char *
reindex_status_of(const store_stage st[STAGE_COUNT])
{
	int i, any = 0;

	for (i = 0; i < STAGE_COUNT; i++) {
		if (st[i].m.status == STATUS_FAILED)
			return "failed";
		if (st[i].m.status == STATUS_CANCELLED)
			return "cancelled";
		if (st[i].m.status == STATUS_RUNNING || st[i].m.status == STATUS_REPAIRING)
			return "running";
		any |= st[i].m.status != STATUS_IDLE;
	}
	if (st[STAGE_VALIDATE].m.status == STATUS_DONE)
		return "done";
	return any ? "stopped" : "created";
}

static void
reindex_run_row(const char *id, const cJSON *j, const store_stage st[STAGE_COUNT], store_run *r)
{
	const cJSON *task = cJSON_GetObjectItemCaseSensitive(j, "task");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(j, "source");
	time_t created;

	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	/* A Kaggle competition is known by its page, a local one by its path. */
	r->source = dup_json_str(src, "url", json_str(src, "path", json_str(src, "slug", "")));
	r->title = dup_json_str(j, "title", id);
	r->task = dup_json_str(task, "type", "");
	r->target = dup_json_str(task, "target", "");
	r->id_column = dup_json_str(task, "id", "");
	r->metric = dup_json_str(task, "metric", "");
	r->status = dup_json_str(j, "status", reindex_status_of(st));
	r->created = timefmt_parse_iso_utc(json_str(j, "created", ""), &created) == 0 ? (double)created : 0;
	r->updated = r->created;
	r->cv_score = json_num(cJSON_GetObjectItemCaseSensitive(j, "cv"), "cv_mean", NAN);
}

int
reindex_parse_runjson(const char *id, const char *text, size_t len, store_run *r, store_stage st[STAGE_COUNT],
	ak_err *e)
{
	cJSON *j = jsonfile_parse(text, len, "run.json", e);

	if (!j)
		return -1;
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return err_set(e, "run.json of run %s does not hold a JSON object", id);
	}
	reindex_stages(cJSON_GetObjectItemCaseSensitive(j, "stages"), st);
	reindex_run_row(id, j, st, r);
	cJSON_Delete(j);
	return 0;
}

enum reindex_outcome { REINDEX_ERROR = -1, REINDEX_NOT_A_RUN, REINDEX_UNREADABLE, REINDEX_KEPT,
	REINDEX_ADDED, REINDEX_UPDATED };

/* Indexes WORKSPACE/id from its run.json. */
static enum reindex_outcome
reindex_one(store *db, const char *ws, const char *id, int refresh, ak_err *e)
{
	char *dir = fs_join(ws, id), *runjson = fs_join(dir, "run.json"), *text = NULL;
	enum reindex_outcome out = REINDEX_NOT_A_RUN;
	store_stage st[STAGE_COUNT];
	store_run r, old;
	struct stat sb;
	size_t len;
	int found;

	if (!fs_is_dir(dir) || !fs_exists(runjson))
		goto out;
	out = REINDEX_UNREADABLE;
	text = fs_read_file(runjson, &len, NULL);
	if (!text || reindex_parse_runjson(id, text, len, &r, st, NULL) < 0)
		goto out;
	if (stat(runjson, &sb) == 0)
		r.updated = (double)sb.st_mtime;
	out = REINDEX_ERROR;
	found = store_run_get(db, id, &old, e);
	if (found > 0)
		store_run_free(&old);
	if (found >= 0 && found && (!refresh || rundir_is_locked(dir)))
		out = REINDEX_KEPT;
	else if (found >= 0 && (found ? store_run_update(db, &r, e) : store_run_create(db, &r, e)) == 0 &&
		 store_stage_set_all(db, id, st, e) == 0 && versions_reindex(db, id, dir, e) >= 0 && llmcalls_reindex(db, id, dir, e) >= 0)
		out = found ? REINDEX_UPDATED : REINDEX_ADDED;
	store_run_free(&r);
out:
	free(text);
	free(runjson);
	free(dir);
	return out;
}

static int
reindex_prune(store *db, reindex_report *rep, ak_err *e)
{
	store_run *runs = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (store_run_list(db, &runs, &n, e) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (fs_is_dir(runs[i].dir))
			continue;
		rc = store_run_delete(db, runs[i].id, e);
		rep->dropped += rc == 0;
	}
	store_run_list_free(runs, n);
	return rc;
}

int
reindex_workspace(store *db, int refresh, int prune, reindex_report *rep, ak_err *e)
{
	const char *ws = store_workspace(db);
	struct dirent **names = NULL;
	int n, i, failed = 0;

	memset(rep, 0, sizeof(*rep));
	n = scandir(ws, &names, NULL, alphasort);
	if (n < 0)
		return err_sys(e, "cannot list the workspace %s", ws);
	for (i = 0; i < n; i++) {
		enum reindex_outcome r = REINDEX_NOT_A_RUN;

		if (names[i]->d_name[0] != '.' && !failed)
			r = reindex_one(db, ws, names[i]->d_name, refresh, e);
		failed |= r == REINDEX_ERROR;
		rep->skipped += r == REINDEX_UNREADABLE;
		rep->added += r == REINDEX_ADDED;
		rep->updated += r == REINDEX_UPDATED;
		free(names[i]);
	}
	free(names);
	if (failed)
		return -1;
	return prune ? reindex_prune(db, rep, e) : 0;
}

#include "config.h"

#include "kaggle/competition.h"
#include "pipeline/rundir.h"
#include "pipeline/stage.h"
#include "pipeline/stage_kaggle.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* META and DATA for a local competition directory. */

static const char *const source_roles[] = { "train", "test", "sample_submission" };
static const char *const source_suffixes[] = { ".csv", ".csv.gz", ".csv.zip", ".zip" };

static const char *
source_dir(const session *s)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(s->run, "source");

	return json_str(src, "path", "");
}

/* The one file of dir whose name holds "submission" with a data suffix
 * (Kaggle names some sample submissions gender_submission.csv...); NULL
 * when there is none or more than one. */
static char *
source_find_submission(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *found = NULL;
	int n = 0;

	while (d && (de = readdir(d))) {
		size_t i, len = strlen(de->d_name);

		if (!strstr(de->d_name, "submission"))
			continue;
		for (i = 0; i < sizeof(source_suffixes) / sizeof(source_suffixes[0]); i++) {
			size_t k = strlen(source_suffixes[i]);

			if (len > k && strcmp(de->d_name + len - k, source_suffixes[i]) == 0) {
				if (n++ == 0)
					found = fs_join(dir, de->d_name);
				break;
			}
		}
	}
	if (d)
		closedir(d);
	if (n == 1)
		return found;
	free(found);
	return NULL;
}

/* The data file for a role: train.csv, train.csv.gz, train.csv.zip or
 * train.zip; for the sample submission also any one *submission* file. */
static char *
source_find(const session *s, const char *role)
{
	size_t i;

	for (i = 0; i < sizeof(source_suffixes) / sizeof(source_suffixes[0]); i++) {
		char *name = xasprintf("%s%s", role, source_suffixes[i]);
		char *p = fs_join(source_dir(s), name);

		/* Kaggle's train.csv.zip inside the data's zip was extracted into
		 * a directory train.csv/ holding train.csv. */
		if (fs_is_dir(p)) {
			char *inner = fs_join(p, name);

			free(p);
			p = inner;
		}
		free(name);
		if (fs_exists(p))
			return p;
		free(p);
	}
	return strcmp(role, "sample_submission") == 0 ? source_find_submission(source_dir(s)) : NULL;
}

static void
meta_fingerprint(session *s, hash_ctx *h)
{
	char *comp = fs_join(source_dir(s), "competition.json");

	if (stage_kaggle_slug(s)) {
		stage_kaggle_meta_fingerprint(s, h);
	} else {
		hash_update_str(h, source_dir(s));
		hash_update_file(h, comp);
	}
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
	char *dst = session_path(s, RUNDIR_COMPETITION);
	stage_outcome o = { .ok = 1 };
	cJSON *comp;
	int rc = -1;

	if (stage_kaggle_slug(s)) {
		rc = stage_kaggle_meta_start(s, e);
		goto out;
	}
	if (!fs_is_dir(source_dir(s))) {
		err_set(e, "the competition directory %s is gone: restore it or start a new run", source_dir(s));
		goto out;
	}
	comp = fs_exists(src) ? competition_load(src, e) : competition_from_dir(source_dir(s));
	if (!comp)
		goto out;
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

/* What a data file is known by without reading it: its path and stat. */
static int
data_file_key(const char *path, struct stat *st, store_file_key *k)
{
	if (stat(path, st) < 0 || !S_ISREG(st->st_mode))
		return -1;
	k->path = path;
	k->size = (long long)st->st_size;
	k->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	k->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
	k->inode = (long long)st->st_ino;
	k->dev = (long long)st->st_dev;
	return 0;
}

/* The content hash of a data file when the workspace knows it for the
 * file as it is now; 0 when it must be hashed (again). */
static int
data_known_hash(session *s, const char *path, char hex[HASH_HEX_LEN + 1])
{
	store_file_key k;
	struct stat st;

	if (data_file_key(path, &st, &k) < 0)
		return 0;
	return store_file_hash_get(s->db, &k, hex, NULL) == 1;
}

/* Never reads the data: files the workspace has not hashed as they are
 * now make DATA stale, and DATA hashes them in a child. */
static void
data_fingerprint(session *s, hash_ctx *h)
{
	char hex[HASH_HEX_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof(source_roles) / sizeof(source_roles[0]); i++) {
		char *p = source_find(s, source_roles[i]);

		hash_update_str(h, p ? p : "<missing>");
		if (p && data_known_hash(s, p, hex))
			hash_update_str(h, hex);
		else if (p)
			hash_update_str(h, "<not hashed>");
		free(p);
	}
}

/* run.json's "data": each file's path, size and hash, all known now. */
static int
data_record(session *s, stage_outcome *o, ak_err *e)
{
	cJSON *data = cJSON_CreateObject();
	long long total = 0;
	size_t i;

	for (i = 0; i < sizeof(source_roles) / sizeof(source_roles[0]); i++) {
		char *p = source_find(s, source_roles[i]);
		char hex[HASH_HEX_LEN + 1];
		struct stat st;
		cJSON *f;

		if (!p || stat(p, &st) < 0 || !data_known_hash(s, p, hex)) {
			err_set(e, "%s changed while DATA read it: rerun the data stage once it is complete",
				p ? p : source_roles[i]);
			free(p);
			cJSON_Delete(data);
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
	o->refingerprint = 1;
	snprintf(o->message + strlen(o->message), sizeof(o->message) - strlen(o->message),
		"%s3 files, %.1f MB", o->message[0] ? "; " : "", (double)total / 1e6);
	return 0;
}

/* Stores what the hashing child wrote into OUT: each file's hash with the
 * stat it was hashed under. */
static void
data_store_hashes(session *s, const char *out)
{
	cJSON *j = jsonfile_load(out, NULL), *f;
	ak_err e;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(j, "files")) {
		store_file_key k = { .path = json_str(f, "path", "") };

		if (sscanf(json_str(f, "stat", ""), "%lld %lld %lld %lld %lld", &k.size, &k.mtime_ns,
			    &k.ctime_ns, &k.inode, &k.dev) == 5 &&
		    store_file_hash_put(s->db, &k, json_str(f, "sha256", ""), &e) < 0)
			session_note(s, "warning", "%s", e.msg);
	}
	cJSON_Delete(j);
}

static void
data_after(session *s, const exec_result *r, stage_outcome *o)
{
	char *out = session_path(s, RUNDIR_DATA_HASHES);
	ak_err e;

	if (o->ok)
		data_store_hashes(s, out);
	free(out);
	if (!o->ok)
		return;
	snprintf(o->message, sizeof(o->message), "hashed in %.1fs", r->wall_s);
	if (data_record(s, o, &e) < 0) {
		o->ok = 0;
		snprintf(o->message, sizeof(o->message), "%.500s", e.msg);
	}
}

/* Each role's file: present, a regular file, readable. The ones the
 * workspace has not hashed as they are now go into argv for the child. */
static int
data_check_files(session *s, const char **argv, size_t *n, char **paths, ak_err *e)
{
	char hex[HASH_HEX_LEN + 1];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(source_roles) / sizeof(source_roles[0]); i++) {
		char *p = source_find(s, source_roles[i]);

		paths[i] = p;
		if (!p)
			return err_set(e, "%s has no %s.csv: a local competition needs train.csv, test.csv and sample_submission.csv",
				source_dir(s), source_roles[i]);
		if (stat(p, &st) < 0)
			return err_sys(e, "cannot read %s", p);
		if (!S_ISREG(st.st_mode))
			return err_set(e, "%s is %s, not a regular file: copy the data into a regular file", p,
				fs_kind_name(st.st_mode));
		if (access(p, R_OK) < 0)
			return err_sys(e, "cannot read %s: check its permissions", p);
		if (!data_known_hash(s, p, hex))
			argv[(*n)++] = p;
	}
	return 0;
}

int
stage_data_local_start(session *s, ak_err *e)
{
	char *paths[3] = { NULL, NULL, NULL }, *exe = fs_exe_path();
	char *out = session_path(s, RUNDIR_DATA_HASHES);
	const char *argv[8];
	exec_limits lim = { 0 };
	stage_outcome o = { .ok = 1 };
	size_t n = 3, i;
	int rc = -1;

	argv[0] = exe ? exe : "autokaggle";
	argv[1] = "__hash";
	argv[2] = out;
	if (data_check_files(s, argv, &n, paths, e) < 0)
		goto out;
	argv[n] = NULL;
	if (n > 3) {
		unlink(out);
		rc = stage_spawn(s, argv, &lim, NULL, data_after, e);
		goto out;
	}
	snprintf(o.message, sizeof(o.message), "hashes known");
	rc = data_record(s, &o, e);
	if (rc == 0)
		session_stage_end(s, &o);
out:
	for (i = 0; i < 3; i++)
		free(paths[i]);
	free(exe);
	free(out);
	return rc;
}

typedef struct data_verify {
	session *s;
	void (*then)(session *s);
	char *out;
} data_verify;

static void
data_verify_done(const exec_result *r, void *arg)
{
	data_verify *v = arg;
	session *s = v->s;
	void (*then)(session *) = v->then;

	s->child = NULL;
	if (!r->cancelled && !r->timed_out && r->exit_code == 0)
		data_store_hashes(s, v->out);
	free(v->out);
	free(v);
	then(s);
}

int
stage_data_verify(session *s, void (*then)(session *s), ak_err *e)
{
	char *paths[3] = { NULL, NULL, NULL }, *exe;
	const char *argv[8];
	size_t n = 3, i;
	data_verify *v;
	exec_spec spec = { 0 };

	if (s->m.st[STAGE_DATA].status != STATUS_DONE)
		return 0;
	exe = fs_exe_path();
	v = xcalloc(1, sizeof(*v));
	v->s = s;
	v->then = then;
	v->out = session_path(s, RUNDIR_DATA_HASHES);
	argv[0] = exe ? exe : "autokaggle";
	argv[1] = "__hash";
	argv[2] = v->out;
	/* Files that are missing or not regular are DATA's to report. */
	if (data_check_files(s, argv, &n, paths, NULL) == 0 && n > 3) {
		char *log = rundir_log(s->dir, machine_stage_name(STAGE_DATA));

		argv[n] = NULL;
		spec.argv = argv;
		spec.cwd = s->dir;
		spec.log_path = log;
		unlink(v->out);
		session_note(s, "info", "checking %zu data file%s changed on disk since the data stage ran", n - 3,
			n == 4 ? "" : "s");
		s->child = exec_start(s->l, &spec, NULL, data_verify_done, v, e);
		free(log);
	}
	for (i = 0; i < 3; i++)
		free(paths[i]);
	free(exe);
	if (s->child)
		return 1;
	free(v->out);
	free(v);
	return 0;
}

static int
data_start(session *s, ak_err *e)
{
	return stage_kaggle_slug(s) ? stage_kaggle_data_start(s, e) : stage_data_local_start(s, e);
}

const stage_ops stage_meta_ops = { meta_fingerprint, meta_start };
const stage_ops stage_data_ops = { data_fingerprint, data_start };

#include "config.h"

#include "kaggle/cache.h"
#include "kaggle/url.h"
#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "pipeline/supervisor.h"
#include "pipeline/ttysize.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <time.h>
#include <unistd.h>

/* Making a run and handing it to its supervisor. */

/* A run writes as it goes (logs, models, the database). */
#define RUN_MIN_FREE_BYTES (16LL << 20)

static const char *const run_roles[] = { "train", "test", "sample_submission" };

int
run_check_room(const char *workspace, ak_err *e)
{
	long long free_b = fs_free_bytes(workspace);

	if (free_b < 0 || free_b >= RUN_MIN_FREE_BYTES)
		return 0;
	return err_set(e, "the disk holding the workspace %s is full (%.1f MB free): "
		"free some space, or pass --workspace DIR on another disk, then retry", workspace, (double)free_b / 1e6);
}

/* Refuses a directory that cannot be a competition before making a run. */
static int
run_check_competition_dir(const char *dir, ak_err *e)
{
	static const char *const suffixes[] = { ".csv", ".csv.gz", ".csv.zip", ".zip" };
	size_t i, k;

	if (!fs_is_dir(dir))
		return err_kind_set(e, ERR_INPUT, "%s is not a directory: give a directory holding train.csv, test.csv and sample_submission.csv", dir);
	for (i = 0; i < 3; i++) {
		int found = 0;
		for (k = 0; k < 4 && !found; k++) {
			char *name = xasprintf("%s%s", run_roles[i], suffixes[k]);
			char *p = fs_join(dir, name);
			found = access(p, R_OK) == 0;
			free(name);
			free(p);
		}
		if (!found)
			return err_kind_set(e, ERR_INPUT, "%s has no readable %s.csv: a competition directory needs train.csv, test.csv and sample_submission.csv",
				dir, run_roles[i]);
	}
	return 0;
}

int
run_source_local(const char *dir, const char *name, run_source *out, ak_err *e)
{
	char *abs;

	memset(out, 0, sizeof(*out));
	if (run_check_competition_dir(dir, e) < 0)
		return -1;
	abs = fs_realpath(dir, NULL);
	out->dir = abs ? abs : xstrdup(dir);
	out->name = xstrdup(name);
	return 0;
}

static int
run_source_kaggle(const char *slug, run_source *out, ak_err *e)
{
	out->dir = kaggle_cache_data_dir(slug, e);
	if (!out->dir)
		return -1;
	out->slug = xstrdup(slug);
	out->name = xstrdup(slug);
	return 0;
}

int
run_source_resolve(const char *src, run_source *out, ak_err *e)
{
	char slug[KAGGLE_SLUG_MAX + 1], *trimmed;
	const char *base;
	size_t len;
	int kind, rc;

	memset(out, 0, sizeof(*out));
	if (!fs_exists(src)) {
		kind = kaggle_slug_parse(src, slug, sizeof(slug), e);
		if (kind < 0)
			return -1;
		if (kind > 0)
			return run_source_kaggle(slug, out, e);
		return err_kind_set(e, ERR_INPUT, "%s: no such directory, nor a Kaggle competition's URL or slug: give a folder with train.csv, test.csv and sample_submission.csv, or say https://www.kaggle.com/competitions/SLUG",
			src);
	}
	trimmed = xstrdup(src);
	len = strlen(trimmed);
	while (len > 1 && trimmed[len - 1] == '/')
		trimmed[--len] = '\0';
	base = strrchr(trimmed, '/');
	rc = run_source_local(src, base ? base + 1 : trimmed, out, e);
	free(trimmed);
	return rc;
}

void
run_source_free(run_source *s)
{
	free(s->dir);
	free(s->slug);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

/* run.json as a run starts. */
static cJSON *
run_initial_json(const char *id, const run_source *s, const runopts *o)
{
	cJSON *j = cJSON_CreateObject(), *src;
	char stamp[TIMEFMT_ISO_LEN];

	timefmt_iso_utc(time(NULL), stamp);
	cJSON_AddStringToObject(j, "tool", PACKAGE_NAME);
	cJSON_AddStringToObject(j, "version", PACKAGE_VERSION);
	cJSON_AddStringToObject(j, "run_id", id);
	cJSON_AddStringToObject(j, "created", stamp);
	cJSON_AddStringToObject(j, "status", "created");
	src = cJSON_AddObjectToObject(j, "source");
	cJSON_AddStringToObject(src, "kind", s->slug ? "kaggle" : "local");
	if (s->slug) {
		char *url = kaggle_competition_url(s->slug);

		cJSON_AddStringToObject(src, "slug", s->slug);
		cJSON_AddStringToObject(src, "url", url);
		free(url);
	}
	cJSON_AddStringToObject(src, "path", s->dir);
	cJSON_AddStringToObject(j, "provider", "offline");
	if (o->model)
		cJSON_AddStringToObject(j, "model", o->model);
	else
		cJSON_AddNullToObject(j, "model");
	cJSON_AddNumberToObject(j, "seed", (double)o->seed);
	cJSON_AddItemToObject(j, "options", runopts_to_json(o));
	return j;
}

int
run_create(store *db, const char *workspace, const run_source *src, const runopts *o, store_run *out, ak_err *e)
{
	char *dir = NULL, *id, *path;
	cJSON *j;
	int rc;

	memset(out, 0, sizeof(*out));
	id = rundir_create(workspace, src->name, &dir, e);
	if (!id)
		return -1;
	j = run_initial_json(id, src, o);
	path = rundir_path(dir, RUNDIR_RUN_JSON);
	rc = jsonfile_save(path, j, e);
	cJSON_Delete(j);
	free(path);
	out->id = id;
	out->dir = dir;
	out->source = src->slug ? kaggle_competition_url(src->slug) : xstrdup(src->dir);
	out->title = xstrdup(src->name);
	out->status = xstrdup("created");
	out->created = out->updated = (double)time(NULL);
	out->cv_score = NAN;
	if (rc == 0)
		rc = store_run_create(db, out, e);
	return rc;
}

int
run_take_lock(const store_run *r, ak_err *e)
{
	int busy, fd = rundir_lock(r->dir, &busy, e);

	if (fd < 0 && busy)
		err_kind_set(e, ERR_BUSY, "run %s is busy: another autokaggle process (pid %d) drives it; "
			"wait for it, or stop it with: autokaggle cancel %s", r->id, r->supervisor_pid, r->id);
	return fd;
}

pid_t
run_start(const char *workspace, const store_run *r, int lock, const char *rerun_stage, int retry,
	int *notify_rd, ak_err *e)
{
	supervisor_request req = {
		.workspace = workspace, .run_id = r->id, .rerun_stage = rerun_stage,
		.retry_failed = retry, .notify_fd = -1, .lock_fd = lock,
	};
	int notify[2] = { -1, -1 };
	pid_t pid;

	if (notify_rd && pipe(notify) < 0) {
		close(lock);
		return err_sys(e, "cannot start the run's supervisor");
	}
	if (notify_rd) {
		fcntl(notify[0], F_SETFD, FD_CLOEXEC);
		req.notify_fd = notify[1];
	}
	pid = supervisor_spawn(&req, e);
	if (notify_rd)
		close(notify[1]);
	close(lock);
	if (notify_rd && pid < 0)
		close(notify[0]);
	else if (notify_rd)
		*notify_rd = notify[0];
	return pid;
}

int
run_is_supervisor(pid_t pid, const char *run_id)
{
	char path[64], *args;
	size_t len, i;
	int hits = 0;

	if (pid <= 1)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	args = fs_read_file(path, &len, NULL);
	if (!args)
		return 0;
	for (i = 0; i < len; i += strlen(args + i) + 1)
		hits += strcmp(args + i, "__supervise") == 0 || strcmp(args + i, run_id) == 0;
	free(args);
	return hits == 2;
}

/* sig to the run's recorded supervisor, only when it is that: the pidfd
 * is taken before the check, so that the process checked is the one
 * signalled even when the pid is reused in between. 0; -1 with errno
 * (ESRCH: no supervisor of the run has that pid). */
static int
run_signal_supervisor(const store_run *r, int sig)
{
	int fd, rc = -1, saved;

	if (r->supervisor_pid <= 1) {
		errno = ESRCH;
		return -1;
	}
	fd = pidfd_open(r->supervisor_pid, 0);
	/* A kernel or sandbox without pidfds: the check, then the pid. */
	if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == EACCES)) {
		if (!run_is_supervisor(r->supervisor_pid, r->id)) {
			errno = ESRCH;
			return -1;
		}
		return kill(r->supervisor_pid, sig);
	}
	if (fd < 0)
		return -1;
	if (run_is_supervisor(r->supervisor_pid, r->id))
		rc = pidfd_send_signal(fd, sig, NULL, 0);
	else
		errno = ESRCH;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
run_request_cancel(const store_run *r, ak_err *e)
{
	if (run_signal_supervisor(r, SIGTERM) == 0)
		return 0;
	if (errno == ESRCH)
		return err_kind_set(e, ERR_BUSY, "run %s is locked by a process that is not its recorded supervisor (pid %d): "
			"find it with: fuser %s/.lock", r->id, r->supervisor_pid, r->dir);
	return err_sys(e, "cannot signal the supervisor of run %s (pid %d)", r->id, r->supervisor_pid);
}

int
run_tell_tty_size(store *db, const char *run_id, int cols, int rows, ak_err *e)
{
	ttysize size = { cols, rows };
	store_run r;
	int found = store_run_get(db, run_id, &r, e), rc;

	if (found <= 0)
		return found == 0 ? err_set(e, "no run %s in this workspace", run_id) : -1;
	rc = ttysize_write(r.dir, size, e);
	/* Without a supervisor, the next one reads the file when TRAIN or
	 * PREDICT starts: nobody else needs telling. */
	if (rc == 0)
		run_signal_supervisor(&r, SIGWINCH);
	store_run_free(&r);
	return rc;
}

long long
run_last_event_id(store *db, const char *run_id)
{
	store_event *ev = NULL;
	size_t n = 0;
	long long last = 0;

	if (store_events_since(db, run_id, 0, 0, &ev, &n, NULL) == 0 && n > 0)
		last = ev[n - 1].id;
	store_events_free(ev, n);
	return last;
}

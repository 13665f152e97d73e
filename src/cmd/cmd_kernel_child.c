#include "config.h"

#include "cmd/cmd.h"
#include "exec/kernel_package.h"
#include "kaggle/client.h"
#include "kaggle/kernel.h"
#include "kaggle/url.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/jsonfile.h"
#include "util/loop.h"
#include "util/redact.h"
#include "util/termsafe.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* `__kernel RUN_DIR`: the child TRAIN starts under the kaggle executor. It
 * pushes the run's code as a notebook (unless the version it pushed
 * earlier for the same code is still to be followed: a rerun after the
 * supervisor stopped picks it up again), follows the session's status
 * until it ends, and brings the log and the output files into
 * RUN_DIR/kernel. Its output is the stage's log; the last line is what a
 * failure shows. State in RUN_DIR/kernel: push.json (what was pushed, and
 * whether its output was collected), status.json (the last status seen),
 * notebook.ipynb and kernel-metadata.json (the package, which `kaggle
 * kernels push -p RUN_DIR/kernel` would push the same), output/ and
 * kernel.log. */

/* Seconds between polls: the first, growing by half up to the last. */
#define FOLLOW_POLL_FIRST 10.0
#define FOLLOW_POLL_MAX 60.0
/* How long Kaggle may not know the session after a push (the API has
 * answered 404 then), and how long status calls may fail in a row. */
#define FOLLOW_START_GRACE 600.0
#define FOLLOW_FAILING_MAX 600.0
/* Lines of the log shown when the kernel fails. */
#define FOLLOW_LOG_TAIL 20

typedef struct follow {
	kaggle_client *c;
	const char *run_dir;
	char *kdir;
	const char *run_id, *slug;
	char *owner, *kslug, *id;
	long long version;
	char *url;
	time_t pushed_at;
	int gpu, internet;
	char hash[HASH_HEX_LEN + 1];
} follow;

/* What SIGINT or SIGTERM prints before the child ends: written ahead,
 * since a handler may only write(2). */
static char follow_stop_note[1024];

static void
follow_on_stop(int signo)
{
	ssize_t n = write(STDOUT_FILENO, follow_stop_note, strlen(follow_stop_note));

	(void)n;
	(void)signo;
	_exit(130);
}

static void
follow_arm_stop(const follow *f)
{
	struct sigaction sa;

	snprintf(follow_stop_note, sizeof(follow_stop_note),
		"stopped following kernel %s version %lld; it may still finish on Kaggle (%s); "
		"autokaggle rerun %s train picks it up again without pushing\n",
		f->id, f->version, f->url, f->run_id);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = follow_on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static double
follow_env_seconds(const char *name, double dflt)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (!v || !*v)
		return dflt;
	d = strtod(v, &end);
	return *end || !(d > 0 && d < 1e6) ? dflt : d;
}

static void
follow_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };

	while (nanosleep(&ts, &ts) < 0)
		;
}

static char *
follow_path(const follow *f, const char *rel)
{
	return fs_join(f->kdir, rel);
}

static cJSON *
follow_metadata(const follow *f, const char *code_file)
{
	cJSON *m = cJSON_CreateObject(), *comps;

	cJSON_AddStringToObject(m, "id", f->id);
	cJSON_AddStringToObject(m, "title", f->kslug);
	cJSON_AddStringToObject(m, "code_file", code_file);
	cJSON_AddStringToObject(m, "language", "python");
	cJSON_AddStringToObject(m, "kernel_type", "notebook");
	cJSON_AddBoolToObject(m, "is_private", 1);
	cJSON_AddBoolToObject(m, "enable_gpu", f->gpu);
	cJSON_AddBoolToObject(m, "enable_tpu", 0);
	cJSON_AddBoolToObject(m, "enable_internet", f->internet);
	cJSON_AddArrayToObject(m, "dataset_sources");
	comps = cJSON_AddArrayToObject(m, "competition_sources");
	cJSON_AddItemToArray(comps, cJSON_CreateString(f->slug));
	cJSON_AddArrayToObject(m, "kernel_sources");
	cJSON_AddArrayToObject(m, "model_sources");
	return m;
}

static int
follow_save(const follow *f, const char *name, cJSON *json, ak_err *e)
{
	char *path = follow_path(f, name);
	int rc = jsonfile_save(path, json, e);

	cJSON_Delete(json);
	free(path);
	return rc;
}

static int
follow_save_push(const follow *f, const char *state, ak_err *e)
{
	cJSON *p = cJSON_CreateObject();
	char when[TIMEFMT_ISO_LEN];

	timefmt_iso_utc(f->pushed_at, when);
	cJSON_AddStringToObject(p, "id", f->id);
	cJSON_AddNumberToObject(p, "version", (double)f->version);
	cJSON_AddStringToObject(p, "url", f->url);
	cJSON_AddStringToObject(p, "code_hash", f->hash);
	cJSON_AddStringToObject(p, "pushed_at", when);
	cJSON_AddNumberToObject(p, "pushed_epoch", (double)f->pushed_at);
	cJSON_AddStringToObject(p, "state", state);
	return follow_save(f, "push.json", p, e);
}

/* A version pushed earlier for this very code and not yet collected:
 * followed again instead of pushed twice. */
static int
follow_resume(follow *f)
{
	char *path = follow_path(f, "push.json");
	cJSON *p = jsonfile_load(path, NULL);
	int same;

	free(path);
	same = p && strcmp(json_str(p, "id", ""), f->id) == 0 && strcmp(json_str(p, "code_hash", ""), f->hash) == 0 &&
	       strcmp(json_str(p, "state", ""), "pushed") == 0 && json_int(p, "version", 1, 1LL << 40, 0) > 0;
	if (same) {
		f->version = json_int(p, "version", 1, 1LL << 40, 0);
		f->url = xstrdup(json_str(p, "url", ""));
		f->pushed_at = (time_t)json_num(p, "pushed_epoch", (double)time(NULL));
		printf("picking up kernel %s version %lld, pushed at %s, without pushing it again\n", f->id, f->version,
			json_str(p, "pushed_at", "?"));
	}
	cJSON_Delete(p);
	return same;
}

static int
follow_push(follow *f, const char *package, ak_err *e)
{
	kaggle_kernel_push p = {
		.id = f->id, .title = f->kslug, .text = package, .notebook = 1, .competition = f->slug,
		.enable_gpu = f->gpu, .enable_internet = f->internet, .is_private = 1,
	};
	kaggle_kernel_pushed out;
	char *nb = follow_path(f, "notebook.ipynb"), *outdir = follow_path(f, "output");
	char **s;
	int rc = -1;

	if (fs_write_atomic(nb, package, strlen(package), 0600, e) < 0 ||
	    follow_save(f, "kernel-metadata.json", follow_metadata(f, "notebook.ipynb"), e) < 0 ||
	    fs_remove_tree(outdir, e) < 0)
		goto out;
	printf("pushing kernel %s (%s, internet %s)\n", f->id, f->gpu ? "GPU" : "no GPU", f->internet ? "on" : "off");
	if (kaggle_kernel_save(f->c, &p, &out, e) < 0) {
		if (kaggle_kernel_reason_is_quota(out.error))
			err_append(e, "; run it here instead: autokaggle rerun %s train --executor local", f->run_id);
		kaggle_api_kernel_pushed_free(&out);
		goto out;
	}
	for (s = out.invalid; *s; s++) {
		fputs("warning: Kaggle dropped a data source of the kernel: ", stdout);
		termsafe_fputs(*s, TERMSAFE_LINE, stdout);
		fputc('\n', stdout);
	}
	f->version = out.version;
	f->url = xstrdup(*out.url ? out.url : "https://www.kaggle.com/code");
	f->pushed_at = time(NULL);
	kaggle_api_kernel_pushed_free(&out);
	fputs("pushed version ", stdout);
	printf("%lld: ", f->version);
	termsafe_fputs(f->url, TERMSAFE_LINE, stdout);
	fputc('\n', stdout);
	rc = follow_save_push(f, "pushed", e);
out:
	free(outdir);
	free(nb);
	return rc;
}

static void
follow_elapsed(const follow *f, char *buf, size_t n)
{
	long s = (long)difftime(time(NULL), f->pushed_at);

	if (s < 0)
		s = 0;
	if (s >= 3600)
		snprintf(buf, n, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else
		snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
}

static void
follow_save_status(const follow *f, const char *status)
{
	cJSON *st = cJSON_CreateObject();
	char when[TIMEFMT_ISO_LEN];

	timefmt_iso_utc(time(NULL), when);
	cJSON_AddStringToObject(st, "status", status);
	cJSON_AddStringToObject(st, "id", f->id);
	cJSON_AddNumberToObject(st, "version", (double)f->version);
	cJSON_AddStringToObject(st, "url", f->url);
	cJSON_AddNumberToObject(st, "pushed_epoch", (double)f->pushed_at);
	cJSON_AddStringToObject(st, "updated", when);
	follow_save(f, "status.json", st, NULL);
}

/* Polls until the session ends: 0 with *out its last status, -1 with e. */
static int
follow_poll(follow *f, kaggle_kernel_session *out, ak_err *e)
{
	double wait = follow_env_seconds("AUTOKAGGLE_KERNEL_POLL", FOLLOW_POLL_FIRST);
	double max = wait > FOLLOW_POLL_MAX ? wait : FOLLOW_POLL_MAX, failing_since = 0, shown_at = 0;
	double grace = follow_env_seconds("AUTOKAGGLE_KERNEL_START_GRACE", FOLLOW_START_GRACE);
	int last = -1;

	for (;;) {
		char elapsed[32];
		ak_err pe = { 0 };
		int rc = kaggle_kernel_status_get(f->c, f->owner, f->kslug, out, &pe);
		double now = loop_now();

		follow_elapsed(f, elapsed, sizeof(elapsed));
		if (rc == 1 && difftime(time(NULL), f->pushed_at) > grace) {
			/* Nothing to pick up again: the next attempt pushes anew. */
			follow_save_push(f, "failed", NULL);
			return err_kind_set(e, ERR_NOT_FOUND, "Kaggle still does not know a session of kernel %s %s after "
				"the push: see %s", f->id, elapsed, f->url);
		}
		if (rc < 0) {
			enum err_kind k = err_kind_of(&pe);

			if (k != ERR_NETWORK && k != ERR_SERVER && k != ERR_RATE_LIMITED) {
				*e = pe;
				return -1;
			}
			if (!failing_since)
				failing_since = now;
			if (now - failing_since > FOLLOW_FAILING_MAX) {
				*e = pe;
				return err_prefix(e, "the status of kernel %s could not be read for %.0f minutes",
					f->id, FOLLOW_FAILING_MAX / 60);
			}
			printf("warning: %s; polling again\n", pe.msg);
		} else {
			const char *name = rc == 1 ? "NOT STARTED" : kaggle_api_kernel_status_name(out->status);

			failing_since = 0;
			if ((int)out->status != last || rc == 1 || now - shown_at >= 60) {
				printf("%s %s\n", name, elapsed);
				shown_at = now;
			}
			last = rc == 1 ? -1 : (int)out->status;
			follow_save_status(f, name);
			if (rc == 0 && kaggle_api_kernel_status_final(out->status))
				return 0;
			kaggle_api_kernel_session_free(out);
		}
		follow_sleep(wait);
		wait = wait * 1.5 > max ? max : wait * 1.5;
	}
}

/* The last lines of the kernel's log, for a failure. */
static void
follow_print_tail(const char *log)
{
	const char *p = log + strlen(log);
	int lines = 0;

	while (p > log && (p[-1] == '\n' || p[-1] == '\r'))
		p--;
	while (p > log && lines < FOLLOW_LOG_TAIL) {
		p--;
		if (*p == '\n')
			lines++;
	}
	if (*p == '\n')
		p++;
	printf("--- the last lines of the kernel's log ---\n");
	termsafe_fputs(p, TERMSAFE_TEXT, stdout);
	if (*p && p[strlen(p) - 1] != '\n')
		fputc('\n', stdout);
	printf("---\n");
}

/* The exception that ended the model's code, from the log: the last
 * unindented "SomethingError: ..." line that is not the package's own
 * report of a failed script. NULL when there is none; caller frees. */
static char *
follow_root_cause(const char *log)
{
	const char *line = log, *found = NULL;
	size_t found_len = 0;

	while (*line) {
		size_t len = strcspn(line, "\n"), name = strspn(line, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

		if (name > 0 && name < len && line[name] == ':' && len - name < 400 &&
		    (memmem(line, name, "Error", 5) || memmem(line, name, "Exception", 9)) &&
		    !memmem(line, len, "failed: its traceback is above", 30)) {
			found = line;
			found_len = len;
		}
		line += len + (line[len] == '\n');
	}
	return found ? xstrndup(found, found_len) : NULL;
}

static int
follow_collect(follow *f, char **log, ak_err *e)
{
	char *dir = follow_path(f, "output"), *lpath = follow_path(f, "kernel.log");
	size_t files = 0;
	int rc = kaggle_kernel_collect(f->c, f->owner, f->kslug, dir, log, &files, e);

	if (rc == 0) {
		char *clean = redact_string(*log);

		rc = fs_write_atomic(lpath, clean, strlen(clean), 0600, e);
		free(clean);
		printf("collected %zu output file%s into kernel/output\n", files, files == 1 ? "" : "s");
	}
	free(lpath);
	free(dir);
	return rc;
}

static int
follow_run(follow *f, ak_err *e)
{
	kaggle_kernel_session st;
	char *package = NULL, *log = NULL;
	hash_ctx h;
	int rc = -1;

	package = kernel_package(f->run_dir, KERNEL_PACKAGE_NOTEBOOK, e);
	if (!package || fs_mkdir_p(f->kdir, 0755, e) < 0)
		goto out;
	hash_init(&h);
	hash_update_str(&h, package);
	hash_update(&h, &f->gpu, sizeof(f->gpu));
	hash_update(&h, &f->internet, sizeof(f->internet));
	hash_final_hex(&h, f->hash);
	if (!follow_resume(f) && follow_push(f, package, e) < 0)
		goto out;
	fflush(stdout);
	follow_arm_stop(f);
	if (follow_poll(f, &st, e) < 0)
		goto out;
	if (st.status == KAGGLE_KERNEL_COMPLETE) {
		if (follow_collect(f, &log, e) == 0)
			rc = follow_save_push(f, "collected", e);
	} else if (st.status == KAGGLE_KERNEL_ERROR) {
		ak_err ce = { 0 };

		char *cause = NULL;

		if (follow_collect(f, &log, &ce) == 0) {
			follow_print_tail(log);
			cause = follow_root_cause(log);
		}
		follow_save_push(f, "failed", NULL);
		err_set(e, "the kernel failed on Kaggle: %s (%s)", cause ? cause : *st.failure_message ?
			st.failure_message : "no reason given", f->url);
		free(cause);
		if (kaggle_kernel_reason_is_quota(st.failure_message))
			err_append(e, "; run it here instead: autokaggle rerun %s train --executor local", f->run_id);
	} else {
		follow_save_push(f, "failed", NULL);
		err_set(e, "the kernel was cancelled on Kaggle (%s)", f->url);
	}
	kaggle_api_kernel_session_free(&st);
out:
	free(log);
	free(package);
	return rc;
}

/* The run's competition and choices, from its run.json. */
static int
follow_load(follow *f, ak_err *e)
{
	char *path = fs_join(f->run_dir, "run.json");
	cJSON *run = jsonfile_load(path, e), *src, *opts;
	const char *user;
	int rc = -1;

	free(path);
	if (!run)
		return -1;
	src = cJSON_GetObjectItemCaseSensitive(run, "source");
	opts = cJSON_GetObjectItemCaseSensitive(run, "options");
	if (strcmp(json_str(src, "kind", ""), "kaggle") != 0) {
		err_kind_set(e, ERR_INPUT, "the kaggle executor needs a competition on Kaggle; this run's data is a "
			"local folder: rerun it with --executor local");
		goto out;
	}
	f->slug = xstrdup(json_str(src, "slug", ""));
	f->run_id = xstrdup(json_str(run, "run_id", ""));
	f->gpu = strcmp(json_str(opts, "gpu", "auto"), "yes") == 0;
	f->internet = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "kernel_internet"));
	user = kaggle_client_username(f->c, e);
	if (!user)
		goto out;
	f->owner = xstrdup(user);
	f->kslug = kaggle_kernel_slug_for_run(f->slug, f->run_id);
	f->id = xasprintf("%s/%s", f->owner, f->kslug);
	rc = 0;
out:
	cJSON_Delete(run);
	return rc;
}

static void
follow_free(follow *f)
{
	free((char *)f->slug);
	free((char *)f->run_id);
	free(f->owner);
	free(f->kslug);
	free(f->id);
	free(f->url);
	free(f->kdir);
}

int
cmd_kernel_child(int argc, char **argv)
{
	follow f = { 0 };
	loop *l;
	ak_err e = { 0 };
	int rc = -1;

	if (argc != 2) {
		fprintf(stderr, "usage: __kernel RUN_DIR\n");
		return CMD_EXIT_USAGE;
	}
	redact_add_from_env();
	setvbuf(stdout, NULL, _IOLBF, 0);
	f.run_dir = argv[1];
	f.kdir = fs_join(argv[1], "kernel");
	l = loop_new();
	f.c = l ? kaggle_client_open(l, &e) : NULL;
	if (!l)
		err_set(&e, "cannot start the event loop");
	else if (f.c && follow_load(&f, &e) == 0)
		rc = follow_run(&f, &e);
	if (rc < 0) {
		char *clean = redact_string(e.msg);

		fflush(stdout);
		printf("%s\n", clean);
		free(clean);
	}
	kaggle_client_close(f.c);
	follow_free(&f);
	if (l)
		loop_free(l);
	return rc < 0 ? err_exit_code(&e, CMD_EXIT_FAILED) : CMD_EXIT_OK;
}

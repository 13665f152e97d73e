#include "config.h"

#include "front/headless.h"
#include "pipeline/rundir.h"
#include "util/fs.h"
#include "util/jsonfile.h"
#include "util/loop.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADLESS_POLL_MS 100
#define HEADLESS_TAIL_LINES 15

typedef struct follower {
	store *db;
	const char *run_id;
	long long last;
	pid_t supervisor;
	int interrupts;
	int detached;
} follower;

void
headless_print_event(FILE *out, const store_event *ev)
{
	char tag[32], *msg;

	if (strcmp(ev->kind, "finished") == 0)
		return;
	/* Messages carry titles, paths and children's last lines. */
	msg = termsafe(ev->message, TERMSAFE_LINE);
	snprintf(tag, sizeof(tag), "[%s]", ev->stage[0] ? ev->stage : "run");
	if (strcmp(ev->kind, "header") == 0)
		fprintf(out, "run %s\n", msg);
	else if (strcmp(ev->kind, "warning") == 0 || strcmp(ev->kind, "error") == 0)
		fprintf(out, "%-11s %s: %s\n", tag, ev->kind, msg);
	else
		fprintf(out, "%-11s %s\n", tag, msg);
	free(msg);
}

static void
follower_drain(follower *f)
{
	store_event *ev = NULL;
	size_t n = 0, i;

	if (store_events_since(f->db, f->run_id, f->last, 0, &ev, &n, NULL) < 0)
		return;
	for (i = 0; i < n; i++) {
		headless_print_event(stdout, &ev[i]);
		f->last = ev[i].id;
	}
	fflush(stdout);
	store_events_free(ev, n);
}

static void
follower_tick(loop *l, void *arg)
{
	(void)l;
	follower_drain(arg);
}

static void
follower_notify(loop *l, int fd, short revents, void *arg)
{
	char buf[64];

	(void)revents;
	(void)arg;
	if (read(fd, buf, sizeof(buf)) <= 0)
		loop_quit(l, 0);
}

static void
follower_signal(loop *l, int signo, void *arg)
{
	follower *f = arg;

	if (signo == SIGINT && f->interrupts++ == 0) {
		termsafe_error("cancelling the run (Ctrl-C again to detach and leave it running)");
		kill(f->supervisor, SIGTERM);
		return;
	}
	f->detached = 1;
	loop_quit(l, 0);
}

/* The end of the last attempt in a stage log (attempts start "==> "). */
static void
print_log_tail(const char *path)
{
	size_t len;
	char *text = fs_read_file(path, &len, NULL), *p;
	int lines = 0;

	if (!text)
		return;
	p = text + len;
	while (p > text && lines <= HEADLESS_TAIL_LINES) {
		p--;
		if (*p == '\n' && p + 1 < text + len) {
			if (strncmp(p + 1, "==> ", 4) == 0)
				break;
			lines++;
		}
	}
	if (*p == '\n')
		p++;
	fputs("--- last lines of ", stderr);
	termsafe_fputs(path, TERMSAFE_LINE, stderr);
	fputs(" ---\n", stderr);
	termsafe_fputs(p, TERMSAFE_TEXT, stderr);
	if (len > 0 && text[len - 1] != '\n')
		fputc('\n', stderr);
	free(text);
}

static int
outcome_failed(store *db, const store_run *r)
{
	store_stage st[STAGE_COUNT];
	int i;

	if (store_stage_get_all(db, r->id, st, NULL) < 0)
		return 1;
	for (i = 0; i < STAGE_COUNT; i++) {
		if (st[i].m.status != STATUS_FAILED)
			continue;
		char *log = rundir_log(r->dir, machine_stage_name(i));
		if (fs_exists(log))
			print_log_tail(log);
		termsafe_error("%s failed: %s", machine_stage_name(i), st[i].message);
		fprintf(stderr, "Fix the cause, then continue with: autokaggle rerun %s\n", r->id);
		free(log);
		break;
	}
	return 1;
}

/* "0.8731 (auc, higher is better)": the direction comes from run.json,
 * which knows it for a user-defined metric too. */
static void
print_cv_line(const store_run *r)
{
	char *path = xasprintf("%s/run.json", r->dir);
	cJSON *run = jsonfile_load(path, NULL);
	const cJSON *cv = cJSON_GetObjectItemCaseSensitive(run, "cv");
	const cJSON *hib = cJSON_GetObjectItemCaseSensitive(cv, "higher_is_better");
	char *metric = termsafe(r->metric, TERMSAFE_LINE);

	if (cJSON_IsBool(hib))
		printf("cv score:   %.4f (%s, %s is better)\n", r->cv_score, metric,
			cJSON_IsTrue(hib) ? "higher" : "lower");
	else
		printf("cv score:   %.4f (%s)\n", r->cv_score, metric);
	free(metric);
	cJSON_Delete(run);
	free(path);
}

int
headless_print_outcome(store *db, const char *run_id)
{
	store_run r;
	char *sub;
	int code;

	if (store_run_get(db, run_id, &r, NULL) <= 0)
		return 5;
	if (strcmp(r.status, "done") == 0) {
		sub = xasprintf("%s/output/submission.csv", r.dir);
		printf("run:        %s\n", r.id);
		if (!isnan(r.cv_score))
			print_cv_line(&r);
		termsafe_replace(&sub, TERMSAFE_LINE);
		printf("submission: %s\n", sub);
		free(sub);
		code = 0;
	} else if (strcmp(r.status, "cancelled") == 0) {
		termsafe_error("run %s cancelled; continue it with: autokaggle rerun %s", r.id, r.id);
		code = 130;
	} else if (strcmp(r.status, "failed") == 0) {
		code = outcome_failed(db, &r);
	} else if (strcmp(r.status, "paused") == 0) {
		termsafe_error("run %s paused: its LLM budget is used up (autokaggle status %s shows the tokens); "
			"continue it with: autokaggle rerun %s --llm-budget TOKENS", r.id, r.id, r.id);
		code = 9;
	} else {
		termsafe_error("run %s stopped while %s; see %s/logs/run.log and %s/logs/supervisor.log",
			r.id, r.status, r.dir, r.dir);
		code = 1;
	}
	fflush(stdout);
	store_run_free(&r);
	return code;
}

int
headless_follow(store *db, const char *run_id, int notify_fd, pid_t supervisor, long long after)
{
	follower f = { .db = db, .run_id = run_id, .last = after, .supervisor = supervisor };
	loop *l = loop_new();

	loop_timer_add(l, HEADLESS_POLL_MS, 1, follower_tick, &f);
	loop_fd_add(l, notify_fd, POLLIN, follower_notify, &f);
	loop_signal_watch(l, SIGINT, follower_signal, &f);
	loop_signal_watch(l, SIGTERM, follower_signal, &f);
	loop_signal_watch(l, SIGHUP, follower_signal, &f);
	loop_run(l);
	loop_free(l);
	if (f.detached) {
		termsafe_error("detached; the run goes on. Follow it with: autokaggle status %s", run_id);
		return 130;
	}
	follower_drain(&f);
	return headless_print_outcome(db, run_id);
}

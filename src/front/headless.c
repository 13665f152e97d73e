#include "config.h"

#include "front/headless.h"
#include "pipeline/follow.h"
#include "pipeline/run.h"
#include "util/fs.h"
#include "util/loop.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEADLESS_POLL_MS 100
#define HEADLESS_TAIL_LINES 15

typedef struct headless {
	loop *l;
	pid_t supervisor;
	int interrupts;
	int detached;
} headless;

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
headless_event(const store_event *ev, void *arg)
{
	(void)arg;
	headless_print_event(stdout, ev);
	fflush(stdout);
}

static void
headless_ended(void *arg)
{
	headless *h = arg;

	loop_quit(h->l, 0);
}

static void
headless_signal(loop *l, int signo, void *arg)
{
	headless *h = arg;

	if (signo == SIGINT && h->interrupts++ == 0) {
		termsafe_error("cancelling the run (Ctrl-C again to detach and leave it running)");
		kill(h->supervisor, SIGTERM);
		return;
	}
	h->detached = 1;
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

static void
print_failure(const run_outcome *o)
{
	if (o->failed_stage < 0)
		return;
	if (o->failed_log)
		print_log_tail(o->failed_log);
	termsafe_error("%s failed: %s", machine_stage_name(o->failed_stage), o->message);
	fprintf(stderr, "Fix the cause, then continue with: autokaggle rerun %s\n", o->run.id);
}

/* "0.8731 (auc, higher is better)". */
static void
print_cv_line(const run_outcome *o)
{
	char *metric = termsafe(o->run.metric, TERMSAFE_LINE);

	if (o->higher_is_better >= 0)
		printf("cv score:   %.4f (%s, %s is better)\n", o->run.cv_score, metric,
			o->higher_is_better ? "higher" : "lower");
	else
		printf("cv score:   %.4f (%s)\n", o->run.cv_score, metric);
	free(metric);
}

int
headless_print_outcome(store *db, const char *run_id)
{
	const store_run *r;
	run_outcome o;
	char *sub;
	int code;

	if (run_outcome_get(db, run_id, &o) < 0)
		return 5;
	r = &o.run;
	switch (o.end) {
	case RUN_END_DONE:
		printf("run:        %s\n", r->id);
		if (!isnan(r->cv_score))
			print_cv_line(&o);
		sub = termsafe(o.submission, TERMSAFE_LINE);
		printf("submission: %s\n", sub);
		free(sub);
		break;
	case RUN_END_CANCELLED:
		termsafe_error("run %s cancelled; continue it with: autokaggle rerun %s", r->id, r->id);
		break;
	case RUN_END_FAILED:
		print_failure(&o);
		break;
	case RUN_END_PAUSED:
		termsafe_error("run %s paused: its LLM budget is used up (autokaggle status %s shows the tokens); "
			"continue it with: autokaggle rerun %s --llm-budget TOKENS", r->id, r->id, r->id);
		break;
	case RUN_END_STOPPED:
		termsafe_error("run %s stopped while %s; see %s/logs/run.log and %s/logs/supervisor.log",
			r->id, r->status, r->dir, r->dir);
		break;
	}
	fflush(stdout);
	code = o.exit_code;
	run_outcome_free(&o);
	return code;
}

int
headless_follow(store *db, const char *run_id, const char *dir, int notify_fd, pid_t supervisor, long long after)
{
	static const follow_ops ops = { .event = headless_event, .ended = headless_ended };
	headless h = { .supervisor = supervisor };
	follow *f;

	h.l = loop_new();
	f = follow_start(h.l, db, run_id, dir, after, notify_fd, 0, HEADLESS_POLL_MS, &ops, &h);
	loop_signal_watch(h.l, SIGINT, headless_signal, &h);
	loop_signal_watch(h.l, SIGTERM, headless_signal, &h);
	loop_signal_watch(h.l, SIGHUP, headless_signal, &h);
	loop_run(h.l);
	if (!h.detached)
		follow_poll(f);
	follow_stop(f);
	loop_free(h.l);
	if (h.detached) {
		termsafe_error("detached; the run goes on. Follow it with: autokaggle status %s", run_id);
		return 130;
	}
	return headless_print_outcome(db, run_id);
}

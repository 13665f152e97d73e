#include "config.h"

#include "cmd/cmd.h"
#include "pipeline/run.h"
#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "util/fs.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* cancel: stops a run wherever it is driven from, or cleans up after a
 * supervisor that died. */

/* The supervisor stops the running stage with SIGINT, SIGTERM 3 s later
 * and SIGKILL 3 s after that; this leaves it time to record the outcome. */
#define CANCEL_WAIT_MS 15000

static int
cancel_wait_unlocked(const char *dir)
{
	struct timespec step = { 0, 100 * 1000000L };
	int waited;

	for (waited = 0; waited < CANCEL_WAIT_MS; waited += 100) {
		if (!rundir_is_locked(dir))
			return 0;
		nanosleep(&step, NULL);
	}
	return -1;
}

static int
cancel_driven(store *db, const store_run *r)
{
	store_run now;
	ak_err e;

	if (!run_is_supervisor(r->supervisor_pid, r->id)) {
		run_request_cancel(r, &e);
		termsafe_error("%s", e.msg);
		return CMD_EXIT_BUSY;
	}
	printf("cancelling run %s: its supervisor (pid %d) stops the running stage\n", r->id, r->supervisor_pid);
	fflush(stdout);
	run_request_cancel(r, &e);
	if (cancel_wait_unlocked(r->dir) < 0) {
		termsafe_error("the supervisor of run %s (pid %d) did not stop within %d s: "
			"kill -9 %d, then autokaggle cancel %s again", r->id, r->supervisor_pid,
			CANCEL_WAIT_MS / 1000, r->supervisor_pid, r->id);
		return CMD_EXIT_FAILED;
	}
	if (store_run_get(db, r->id, &now, NULL) == 1) {
		printf("run %s %s; continue it with: autokaggle rerun %s\n", r->id, now.status, r->id);
		store_run_free(&now);
	}
	return CMD_EXIT_OK;
}

/* Nobody drives the run: what its stages left running is ended here. */
static int
cancel_orphaned(store *db, const store_run *r)
{
	loop *l = loop_new();
	session *s;
	ak_err e;
	int busy, lock = rundir_lock(r->dir, &busy, &e), found;

	if (lock < 0) {
		termsafe_error("%s", e.msg);
		loop_free(l);
		return busy ? CMD_EXIT_BUSY : CMD_EXIT_WORKSPACE;
	}
	s = session_open(db, r->id, l, &e);
	if (!s) {
		termsafe_error("%s", e.msg);
		close(lock);
		loop_free(l);
		return CMD_EXIT_WORKSPACE;
	}
	found = session_settle(s);
	session_close(s);
	close(lock);
	loop_free(l);
	if (found)
		printf("run %s: nobody was driving it; ended what its stages left running and marked it cancelled\n",
			r->id);
	else
		printf("run %s is not running (%s): nothing to cancel\n", r->id, r->status);
	return CMD_EXIT_OK;
}

static int
cancel_main(cmd_ctx *c, int argc, char **argv)
{
	store_run r;
	store *db;
	int code;

	if (argc < 2)
		return cmd_usage_error("cancel", "give the run: autokaggle cancel RUN");
	if (argv[1][0] == '-')
		return cmd_usage_error("cancel", "unknown option '%s'", argv[1]);
	if (argc > 2)
		return cmd_usage_error("cancel", "unexpected argument '%s'", argv[2]);
	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, argv[1], &r);
	if (code == CMD_EXIT_OK) {
		code = cmd_require_run_dir(&r);
		if (code == CMD_EXIT_OK)
			code = rundir_is_locked(r.dir) ? cancel_driven(db, &r) : cancel_orphaned(db, &r);
		store_run_free(&r);
	}
	store_close(db);
	return code;
}

const cmd cmd_cancel = {
	"cancel", cancel_main, CMD_WS_EXISTS, "cancel RUN",
	"Stop a run, from any shell.",
	"The run's supervisor stops the running stage (SIGINT, then SIGTERM, then\n"
	"SIGKILL to every process it started) and records it as cancelled; cancel\n"
	"waits for that. When the supervisor died (kill -9, a reboot), cancel ends\n"
	"whatever the run's stages left running and marks the run cancelled.\n"
	"Continue a cancelled run with autokaggle rerun RUN.\n\n",
};

#include "config.h"

#include "cmd/cmd.h"
#include "pipeline/rundir.h"
#include "util/loop.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* logs: print a stage log, or follow it while the run goes on. */

#define LOGS_FOLLOW_MS 200

typedef struct log_follow {
	FILE *f;
	const char *path;
	const char *dir;
	termsafe_stream *safe;
} log_follow;

/* Logs hold children's output verbatim; a terminal gets it without its
 * escape sequences and control characters, a pipe gets every byte. */
static void
logs_copy(FILE *f, termsafe_stream *safe)
{
	char buf[65536];
	strbuf out = { 0 };
	size_t n;

	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (!safe) {
			fwrite(buf, 1, n, stdout);
			continue;
		}
		termsafe_stream_feed(safe, buf, n, &out);
		fwrite(out.buf, 1, out.len, stdout);
		strbuf_reset(&out);
	}
	strbuf_free(&out);
	clearerr(f);
	fflush(stdout);
}

static void
logs_tick(loop *l, void *arg)
{
	log_follow *lf = arg;
	int running = rundir_is_locked(lf->dir);

	if (!lf->f)
		lf->f = fopen(lf->path, "rb");
	if (lf->f)
		logs_copy(lf->f, lf->safe);
	/* Read once more after the run stopped, so its last lines show. */
	if (!running)
		loop_quit(l, 0);
}

static void
logs_stop(loop *l, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_quit(l, 0);
}

static int
logs_follow(const char *path, const char *dir, termsafe_stream *safe)
{
	log_follow lf = { .f = fopen(path, "rb"), .path = path, .dir = dir, .safe = safe };
	loop *l = loop_new();

	if (lf.f)
		logs_copy(lf.f, safe);
	loop_timer_add(l, LOGS_FOLLOW_MS, 1, logs_tick, &lf);
	loop_signal_watch(l, SIGINT, logs_stop, NULL);
	loop_run(l);
	if (lf.f) {
		logs_copy(lf.f, safe);
		fclose(lf.f);
	}
	loop_free(l);
	return CMD_EXIT_OK;
}

static int
logs_main(cmd_ctx *c, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL };
	int follow = 0, n = 0, i, code;
	termsafe_stream safe;
	store_run r;
	store *db;
	char *path;
	FILE *f;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--follow") == 0)
			follow = 1;
		else if (argv[i][0] == '-')
			return cmd_usage_error("logs", "unknown option '%s'", argv[i]);
		else if (n < 2)
			pos[n++] = argv[i];
		else
			return cmd_usage_error("logs", "unexpected argument '%s'", argv[i]);
	}
	if (n < 1)
		return cmd_usage_error("logs", "give the run: autokaggle logs RUN [STAGE]");
	if (pos[1] && (machine_stage_from_name(pos[1]) < 0 && strcmp(pos[1], "run") != 0 &&
	               strcmp(pos[1], "supervisor") != 0)) {
		termsafe_error("unknown stage '%s': one of meta data profile code env train predict validate (or run)", pos[1]);
		return CMD_EXIT_INPUT;
	}
	db = cmd_open_store(c, STORE_READ);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, pos[0], &r);
	store_close(db);
	if (code != CMD_EXIT_OK)
		return code;
	code = cmd_require_run_dir(&r);
	if (code != CMD_EXIT_OK) {
		store_run_free(&r);
		return code;
	}
	path = rundir_log(r.dir, pos[1] ? pos[1] : "run");
	termsafe_stream_init(&safe, TERMSAFE_TEXT);
	if (follow) {
		code = logs_follow(path, r.dir, isatty(STDOUT_FILENO) ? &safe : NULL);
	} else if ((f = fopen(path, "rb")) != NULL) {
		logs_copy(f, isatty(STDOUT_FILENO) ? &safe : NULL);
		fclose(f);
	} else {
		termsafe_error("%s has no log yet (%s): the stage has not run", pos[1] ? pos[1] : "the run", path);
		code = CMD_EXIT_INPUT;
	}
	free(path);
	store_run_free(&r);
	return code;
}

const cmd cmd_logs = {
	"logs", logs_main, CMD_WS_EXISTS, "logs RUN [STAGE] [-f|--follow]",
	"Print a stage's log (without STAGE: the run's own log).",
	"Logs live in the run directory: logs/STAGE.log holds every attempt's\n"
	"output, logs/run.log the stage transitions. -f keeps printing new lines\n"
	"until the run stops (Ctrl-C stops following, not the run).\n\n",
};

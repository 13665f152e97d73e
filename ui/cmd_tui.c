#include "config.h"

#include "pipeline/run.h"
#include "ui/app.h"
#include "ui/tui.h"
#include "util/termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *
tui_script(void)
{
	const char *s = getenv("AUTOKAGGLE_TUI_SCRIPT");

	return s && *s ? s : NULL;
}

int
tui_available(void)
{
	return tui_script() || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO));
}

int
tui_workbench(cmd_ctx *c, store *db, const char *run_id)
{
	run_outcome o;
	int code = app_main(c, db, run_id, tui_script());

	/* Quitting leaves a running stage running: its end is not ours to report. */
	if (code != 0 || run_outcome_get(db, run_id, &o) < 0)
		return code;
	code = o.end == RUN_END_STOPPED && strcmp(run_status_shown(&o.run), "running") == 0 ? 0 : o.exit_code;
	if (!tui_script())
		printf("run %s: %s\n", o.run.id, run_status_shown(&o.run));
	run_outcome_free(&o);
	return code;
}

static int
tui_main(cmd_ctx *c, int argc, char **argv)
{
	store_run r = { 0 };
	store *db;
	int code;

	if (argc > 2)
		return cmd_usage_error("tui", "unexpected argument '%s'", argv[2]);
	if (argc == 2 && argv[1][0] == '-')
		return cmd_usage_error("tui", "unknown option '%s'", argv[1]);
	if (!tui_available()) {
		termsafe_error("the workbench needs a terminal (stdin and stdout): see autokaggle status and logs instead");
		return CMD_EXIT_USAGE;
	}
	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = argc == 2 ? cmd_find_run(db, argv[1], &r) : CMD_EXIT_OK;
	if (code == CMD_EXIT_OK)
		code = app_main(c, db, argc == 2 ? r.id : NULL, tui_script());
	store_run_free(&r);
	store_close(db);
	return code;
}

const cmd cmd_tui = {
	"tui", tui_main, CMD_WS_CREATE, "tui [RUN]",
	"Open the workbench: the run list, or RUN's panes.",
	"The full-screen workbench (also what autokaggle alone opens on a terminal).\n"
	"The start screen lists the runs with their local CV and public score; Enter\n"
	"opens one, n starts a new run from a URL, slug or folder. A run shows a\n"
	"stage bar and five panes: competition, data profile, the strategy chat\n"
	"(replies in markdown, a readline input: Enter sends, Esc stops a reply, Tab\n"
	"leaves it), code and live output (1-5, Tab). r re-runs the failed and stale\n"
	"stages, R picks a stage, x cancels the running one, s submits (after the\n"
	"checks, asking first), : opens the command line (:budget 30m, :model NAME,\n"
	":provider NAME, :theme NAME, :repair N, :llm-budget N, :overview FILE, :quit;\n"
	"Tab completes), ? lists every key. q quits; a running stage keeps running,\n"
	"and opening the run again follows it. The keys file ~/.config/autokaggle/keys\n"
	"remaps them (bind KEY ACTION, unbind KEY; see keys.example in the data\n"
	"directory).\n\n",
};

#include "config.h"

#include "cmd/cmd.h"
#include "pipeline/reindex.h"
#include "util/termsafe.h"

#include <stdio.h>
#include <string.h>

/* reindex: the database rebuilt from the run directories. */

static int
reindex_main(cmd_ctx *c, int argc, char **argv)
{
	reindex_report rep;
	store *db;
	ak_err e;
	int code = CMD_EXIT_OK;

	if (argc > 1)
		return cmd_usage_error("reindex", "unexpected argument '%s'", argv[1]);
	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	if (reindex_workspace(db, 1, 1, &rep, &e) < 0) {
		termsafe_error("%s", e.msg);
		code = CMD_EXIT_WORKSPACE;
	} else {
		printf("reindexed %s: %d run%s added, %d refreshed from run.json, %d dropped (directory gone)",
			c->workspace, rep.added, rep.added == 1 ? "" : "s", rep.updated, rep.dropped);
		if (rep.skipped)
			printf(", %d skipped (unreadable run.json)", rep.skipped);
		printf("\n");
	}
	store_close(db);
	return code;
}

const cmd cmd_reindex = {
	"reindex", reindex_main, CMD_WS_EXISTS, "reindex",
	"Rebuild the workspace's database from the run directories.",
	"The run directories are the artifacts and autokaggle.db is their index.\n"
	"reindex reads every RUN/run.json: runs the index lacks are added, the\n"
	"others get their status and stages from run.json (runs being driven are\n"
	"left alone), and runs whose directory is gone are dropped. Event logs of\n"
	"runs already indexed are kept. A missing database is rebuilt the same way\n"
	"whenever a command opens the workspace.\n\n",
};

#include "config.h"

#include "cmd/cmd.h"
#include "exec/kernel_package.h"
#include "util/fs.h"
#include "util/termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* export: a run's code as a Kaggle notebook or script, for a user who
 * uploads it by hand. */

static int
export_main(cmd_ctx *c, int argc, char **argv)
{
	const char *run = NULL, *out = NULL;
	kernel_package_kind kind = KERNEL_PACKAGE_NOTEBOOK;
	store_run r = { 0 };
	store *db;
	char *text;
	ak_err e = { 0 };
	int i, code;

	for (i = 1; i < argc; i++) {
		int nb = strcmp(argv[i], "--notebook") == 0, sc = strcmp(argv[i], "--script") == 0;

		if (nb || sc) {
			if (i + 1 >= argc)
				return cmd_usage_error("export", "%s needs the file to write", argv[i]);
			if (out)
				return cmd_usage_error("export", "give one of --notebook FILE and --script FILE");
			kind = nb ? KERNEL_PACKAGE_NOTEBOOK : KERNEL_PACKAGE_SCRIPT;
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cmd_usage_error("export", "unknown option '%s'", argv[i]);
		} else if (run) {
			return cmd_usage_error("export", "unexpected argument '%s'", argv[i]);
		} else {
			run = argv[i];
		}
	}
	if (!run || !out)
		return cmd_usage_error("export", "say autokaggle export RUN --notebook FILE.ipynb (or --script FILE.py)");
	db = cmd_open_store(c, STORE_READ);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, run, &r);
	if (code == CMD_EXIT_OK)
		code = cmd_require_run_dir(&r);
	if (code == CMD_EXIT_OK) {
		text = kernel_package(r.dir, kind, &e);
		if (!text || fs_write_atomic(out, text, strlen(text), 0644, &e) < 0) {
			code = cmd_fail(&e, CMD_EXIT_INPUT);
		} else {
			printf("wrote the %s of run %s to ", kind == KERNEL_PACKAGE_NOTEBOOK ? "notebook" : "script", r.id);
			termsafe_fputs(out, TERMSAFE_LINE, stdout);
			putchar('\n');
		}
		free(text);
	}
	store_run_free(&r);
	store_close(db);
	return code;
}

const cmd cmd_export = {
	"export", export_main, CMD_WS_EXISTS, "export RUN --notebook FILE.ipynb | --script FILE.py",
	"Write a run's pipeline as a Kaggle notebook or script.",
	"For running it on Kaggle by hand: the notebook (nbformat 4) has a cell per\n"
	"file of the run's code/ (written to /kaggle/working with %%writefile), then\n"
	"one that runs TRAIN and PREDICT and leaves submission.csv where Kaggle\n"
	"takes it; the script does the same in one file. The data paths of\n"
	"config.yaml point at /kaggle/input/SLUG. Every file passes through the\n"
	"secret redactor.\n\n",
};

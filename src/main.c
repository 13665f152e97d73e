#include "config.h"

#include "cmd/cmd.h"
#include "pipeline/runopts.h"
#include "pipeline/supervisor.h"
#include "ui/tui.h"
#include "util/fs.h"
#include "util/redact.h"
#include "util/xalloc.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Command-line dispatch only: global options, help, then one command. */


static const cmd *const main_commands[] = {
	&cmd_tui, &cmd_demo, &cmd_run, &cmd_status, &cmd_list, &cmd_logs, &cmd_rerun, &cmd_cancel, &cmd_profile,
	&cmd_reindex, &cmd_competitions, &cmd_files, &cmd_download, &cmd_submit, &cmd_submissions,
	&cmd_leaderboard, &cmd_doctor, &cmd_export, &cmd_models, &cmd_versions, &cmd_diff, &cmd_restore, &cmd_chat,
};
#define MAIN_NCOMMANDS (sizeof(main_commands) / sizeof(main_commands[0]))

static void
main_usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: autokaggle [GLOBAL OPTIONS] [COMMAND [ARGS]]\n\n"
		"Takes a Kaggle competition from its data to a validated submission.csv.\n"
		"Without a command, on a terminal: the workbench (autokaggle tui).\n\nCommands:\n");
	for (i = 0; i < MAIN_NCOMMANDS; i++)
		fprintf(out, "  %s\n      %s\n", main_commands[i]->synopsis, main_commands[i]->summary);
	fprintf(out, "\nGlobal options:\n"
		"  --workspace DIR  runs and autokaggle.db (env AUTOKAGGLE_WORKSPACE; default ./runs)\n"
		"  --headless       plain stage lines instead of the workbench (implied when\n"
		"                   stdout is not a terminal)\n"
		"  --theme NAME     the workbench's theme: default, light, high-contrast, mono,\n"
		"                   or one in $XDG_CONFIG_HOME/autokaggle/themes\n"
		"  --colors MODE    mono, 8, 16 or 256 (default: what the terminal has)\n"
		"  --no-mouse       leave the mouse to the terminal (its own selection; also\n"
		"                   the setting ui.mouse = off)\n"
		"  --ascii          frames and bars in ASCII only (also the setting\n"
		"                   ui.ascii = on; the default without a UTF-8 locale)\n"
		"  -h, --help       this help; autokaggle COMMAND --help for a command's\n"
		"  -V, --version    the version\n\n"
		"Exit codes:\n");
#define MAIN_EXIT_LINE(e, c, m) fprintf(out, "  %-4d %s\n", c, m);
	CMD_EXIT_CODES(MAIN_EXIT_LINE)
#undef MAIN_EXIT_LINE
	fprintf(out, "\nSee autokaggle(1) for the details.\n");
}

static const cmd *
main_find(const char *name)
{
	size_t i;

	for (i = 0; i < MAIN_NCOMMANDS; i++)
		if (strcmp(main_commands[i]->name, name) == 0)
			return main_commands[i];
	return NULL;
}

/* Takes the global options out of argv wherever they stand. */
static int
main_globals(int *argc, char **argv, cmd_ctx *c, int *help, int *version)
{
	int i, k = 1;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--workspace") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "autokaggle: --workspace needs a directory\n");
				return -1;
			}
			c->workspace = argv[++i];
		} else if (strncmp(a, "--workspace=", 12) == 0) {
			c->workspace = a + 12;
		} else if (strcmp(a, "--headless") == 0) {
			c->headless = 1;
		} else if (strcmp(a, "--no-mouse") == 0) {
			c->no_mouse = 1;
		} else if (strcmp(a, "--ascii") == 0) {
			c->ascii = 1;
		} else if (strcmp(a, "--theme") == 0 || strcmp(a, "--colors") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "autokaggle: %s needs a %s\n", a, a[2] == 't' ? "name" : "mode");
				return -1;
			}
			*(a[2] == 't' ? &c->theme : &c->colors) = argv[++i];
		} else if (strncmp(a, "--theme=", 8) == 0) {
			c->theme = a + 8;
		} else if (strncmp(a, "--colors=", 9) == 0) {
			c->colors = a + 9;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			*version = 1;
		} else if (k == 1 && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			*help = 1;
		} else {
			argv[k++] = argv[i];
		}
	}
	*argc = k;
	argv[k] = NULL;
	return 0;
}

/* The workspace as an absolute path, so that it reads the same from the
 * supervisor. Nothing is created here: that waits until a command has
 * parsed its arguments and opens the store (cmd_open_store). */
static char *
main_workspace(const char *given)
{
	const char *env = getenv("AUTOKAGGLE_WORKSPACE");
	const char *ws = given ? given : env && *env ? env : "runs";
	char *cwd, *abs;

	if (fs_is_dir(ws))
		return fs_realpath(ws, NULL);
	if (ws[0] == '/')
		return xstrdup(ws);
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		perror("autokaggle: cannot tell the current directory");
		return NULL;
	}
	abs = fs_join(cwd, ws);
	free(cwd);
	return abs;
}

static int
main_dispatch(cmd_ctx *c, int argc, char **argv)
{
	const cmd *command;
	char *ws;
	int code;

	if (strcmp(argv[1], "help") == 0) {
		command = argc > 2 ? main_find(argv[2]) : NULL;
		if (argc > 2 && !command)
			return cmd_usage_error("help", "unknown command '%s'", argv[2]);
		if (command)
			cmd_print_help(command);
		else
			main_usage(stdout);
		return CMD_EXIT_OK;
	}
	command = main_find(argv[1]);
	if (!command) {
		fprintf(stderr, "autokaggle: unknown %s '%s'\nTry 'autokaggle --help'.\n",
			argv[1][0] == '-' ? "option" : "command", argv[1]);
		return CMD_EXIT_USAGE;
	}
	if (cmd_wants_help(argc - 1, argv + 1)) {
		cmd_print_help(command);
		return CMD_EXIT_OK;
	}
	if (command->workspace == CMD_WS_NONE)
		return command->run(c, argc - 1, argv + 1);
	ws = main_workspace(c->workspace);
	c->create_workspace = command->workspace == CMD_WS_CREATE;
	if (!ws)
		return CMD_EXIT_WORKSPACE;
	c->workspace = ws;
	code = command->run(c, argc - 1, argv + 1);
	free(ws);
	return code;
}

int
main(int argc, char **argv)
{
	cmd_ctx c = { 0 };
	int help = 0, version = 0;

	if (argc > 1 && strcmp(argv[1], "__supervise") == 0)
		return supervisor_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "__profile") == 0)
		return cmd_profile_child(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "__hash") == 0)
		return cmd_hash_child(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "__kaggle") == 0)
		return cmd_kaggle_child(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "__kernel") == 0)
		return cmd_kernel_child(argc - 1, argv + 1);
	/* The man page's list of run options, from the same table as --help
	 * (tests/integration/cli.sh checks that man/autokaggle.1 holds it). */
	if (argc > 1 && strcmp(argv[1], "__run-options-man") == 0) {
		runopts_print_man(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "__llm-ask") == 0) {
		redact_add_from_env();
		return cmd_llm_ask_child(argc - 1, argv + 1);
	}
	/* Display widths of text in tables follow the user's character set. */
	setlocale(LC_CTYPE, "");
	redact_add_from_env();
	if (main_globals(&argc, argv, &c, &help, &version) < 0)
		return CMD_EXIT_USAGE;
	if (c.colors && strcmp(c.colors, "mono") != 0 && strcmp(c.colors, "8") != 0 && strcmp(c.colors, "16") != 0 &&
	    strcmp(c.colors, "256") != 0) {
		fprintf(stderr, "autokaggle: --colors takes mono, 8, 16 or 256, not '%s'\nTry 'autokaggle --help'.\n",
			c.colors);
		return CMD_EXIT_USAGE;
	}
	/* The workbench takes the terminal unless told not to; scripts,
	 * pipes and CI get stage lines. */
	if (!c.headless && !tui_available())
		c.headless = 1;
	if (!c.headless)
		c.workbench = tui_workbench;
	if (version) {
		printf("%s\n", PACKAGE_STRING);
		return CMD_EXIT_OK;
	}
	if (argc < 2 && !help && !c.headless) {
		static char tui_name[] = "tui";
		char *tui_argv[] = { argv[0], tui_name, NULL };
		return main_dispatch(&c, 2, tui_argv);
	}
	if (help || argc < 2) {
		main_usage(help ? stdout : stderr);
		return help ? CMD_EXIT_OK : CMD_EXIT_USAGE;
	}
	return main_dispatch(&c, argc, argv);
}

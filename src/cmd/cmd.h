#ifndef AK_CMD_H
#define AK_CMD_H

#include "kaggle/client.h"
#include "kaggle/url.h"
#include "store/store.h"

/* The command-line commands: each is a function taking its own argv
 * (argv[0] = the command name) with global options already removed. */

/* X(ENUM, code, meaning): the documented exit codes. */
#define CMD_EXIT_CODES(X)                                                   \
	X(OK, 0, "the run (or command) completed")                          \
	X(FAILED, 1, "a stage failed")                                      \
	X(USAGE, 2, "usage error")                                          \
	X(INPUT, 3, "missing or unreadable input, unknown run or stage")    \
	X(BUSY, 4, "the run is busy: another autokaggle process drives it") \
	X(WORKSPACE, 5, "workspace error (database, disk, permissions)")    \
	X(AUTH, 6, "Kaggle or LLM credentials missing or refused")          \
	X(FORBIDDEN, 7, "Kaggle refused: rules not accepted, or no access")  \
	X(NETWORK, 8, "network, rate limit or server error after retries")  \
	X(PAUSED, 9, "the run paused: its LLM budget (--llm-budget) is used up") \
	X(CANCELLED, 130, "cancelled with Ctrl-C")

#define CMD_EXIT_ENUM(e, c, m) CMD_EXIT_##e = c,
enum { CMD_EXIT_CODES(CMD_EXIT_ENUM) };
#undef CMD_EXIT_ENUM

typedef struct cmd_ctx cmd_ctx;
struct cmd_ctx {
	const char *workspace;  /* absolute; it may not exist yet */
	int create_workspace;   /* the command starts runs: cmd_open_store creates it */
	int headless;
	const char *theme;      /* --theme NAME, or NULL */
	const char *colors;     /* --colors mono|8|16|256, or NULL */
	int no_mouse;           /* --no-mouse: the workbench leaves the mouse to the terminal */
	int ascii;              /* --ascii: frames and bars in ASCII only */
	/* The full-screen front end, given by main when there is one: it
	 * follows run_id (already started) until the user quits, and returns
	 * the exit code. NULL: stage lines only. */
	int (*workbench)(cmd_ctx *c, store *db, const char *run_id);
};

/* Where a command stands with the workspace. */
enum cmd_workspace {
	CMD_WS_NONE,    /* does not use one (profile) */
	CMD_WS_EXISTS,  /* reads or drives what is there: the workspace must exist */
	CMD_WS_CREATE,  /* starts runs: the workspace is created when missing */
};

typedef struct cmd {
	const char *name;
	int (*run)(cmd_ctx *c, int argc, char **argv);
	enum cmd_workspace workspace;
	const char *synopsis;   /* "run DIR [RUN OPTIONS]" */
	const char *summary;    /* one line for the command list */
	const char *help;       /* the rest of `COMMAND --help` */
} cmd;

extern const cmd cmd_demo, cmd_run, cmd_rerun, cmd_status, cmd_list, cmd_logs, cmd_profile,
	cmd_reindex, cmd_cancel, cmd_competitions, cmd_files, cmd_download, cmd_submit, cmd_submissions,
	cmd_leaderboard, cmd_doctor, cmd_export, cmd_models, cmd_versions, cmd_diff, cmd_restore, cmd_chat;

/* Internal commands, the children of stages (argv[0] = "__profile"...):
 * `__profile OUT [--target COL] [--id COL] FILE...` writes the data
 * profile; `__hash OUT FILE...` the data files' hashes. */
int cmd_profile_child(int argc, char **argv);
int cmd_hash_child(int argc, char **argv);
/* `__kaggle meta SLUG OUT` writes competition.json from the API; `__kaggle
 * data SLUG` brings the data into the shared cache. */
int cmd_kaggle_child(int argc, char **argv);
/* `__kernel RUN_DIR`: the child TRAIN runs under the kaggle executor. */
int cmd_kernel_child(int argc, char **argv);
/* `__llm-ask [--provider P] [--model M] [--base-url URL] [--system TEXT]
 * PROMPT...` streams one LLM reply to stdout as it arrives and prints the
 * usage to stderr (for tests, and a quick check of a provider's setup). */
int cmd_llm_ask_child(int argc, char **argv);

/* Opens the workspace's store, printing the error; NULL on failure (exit
 * with CMD_EXIT_WORKSPACE). A missing workspace is created only for a
 * command that starts runs; for the others it is an error. An index that
 * was missing is rebuilt from the run directories first; a reader that
 * had to fall back to an index in memory says why on stderr. */
store *cmd_open_store(cmd_ctx *c, store_mode mode);
/* Finds a run by id, unique prefix or "last"; prints the error and returns
 * CMD_EXIT_INPUT when there is none, CMD_EXIT_OK with *out filled. */
int cmd_find_run(store *db, const char *arg, store_run *out);
/* CMD_EXIT_OK when the run's directory is there; else says that it is
 * gone and how to drop it from the index, and returns CMD_EXIT_INPUT. */
int cmd_require_run_dir(const store_run *r);
/* Prints "autokaggle CMD: message" and the --help hint; returns CMD_EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints an error of any kind on one line (its kind's fix appended where
 * the message cannot say what to do); returns the kind's exit code,
 * fallback for a plain error. */
int cmd_fail(const ak_err *e, int fallback);
/* SLUG or a competition's URL, for command `name`: CMD_EXIT_OK with the
 * slug, or the usage error printed. */
int cmd_slug_arg(const char *name, const char *arg, char slug[KAGGLE_SLUG_MAX + 1]);
/* A loop and a Kaggle client for a command; NULL after printing the
 * error, with *code the exit code. */
kaggle_client *cmd_kaggle_open(loop **l, int *code);
void cmd_kaggle_close(kaggle_client *c, loop *l);
/* Prints `autokaggle CMD --help`. */
void cmd_print_help(const cmd *c);
/* 1 when argv holds -h or --help. */
int cmd_wants_help(int argc, char **argv);

#endif

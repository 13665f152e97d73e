#include "config.h"

#include "pipeline/run.h"
#include "ui/bindings.h"
#include "ui/chrome.h"
#include "ui/cmdhist.h"
#include "ui/commands.h"
#include "ui/complete.h"
#include "ui/keymap.h"
#include "ui/keys.h"
#include "util/fs.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct commands_row commands_row;

/* Runs the command with its argument (NULL when none was given). */
typedef void (*commands_fn)(app *a, const commands_row *c, const char *arg);

struct commands_row {
	const char *name, *arg, *flag;
	char **(*complete)(const char *word);
	commands_fn run;
	const char *help;
};

static void
commands_hint(char *buf, size_t n)
{
	int k = keymap_first_key(KEYMAP_RERUN);

	snprintf(buf, n, "%s", k >= 0 ? keys_name(k) : ":rerun");
}

/* The run options: set in run.json as rerun's flags would set them. */
static void
commands_option(app *a, const commands_row *c, const char *arg)
{
	const char *home = getenv("HOME");
	char *value, key[16];
	ak_err e = { 0 };

	if (!a->rv) {
		app_status(a, 1, ":%s sets an option of a run: open one first (Enter on the run list)", c->name);
		return;
	}
	if (!arg) {
		app_status(a, 1, ":%s needs a value: :%s %s (%s)", c->name, c->name, c->arg, c->help);
		return;
	}
	/* A file is given as a shell would expand it. */
	value = strcmp(c->arg, "FILE") == 0 && strncmp(arg, "~/", 2) == 0 && home ? xasprintf("%s/%s", home, arg + 2)
										  : xstrdup(arg);
	if (run_option_set(&a->rv->run, c->flag, value, &e) < 0) {
		app_status(a, 1, "%s", e.msg);
	} else {
		commands_hint(key, sizeof(key));
		app_status(a, 0, "%s %s: saved in run.json; %s re-runs what it makes stale", c->flag, arg, key);
	}
	free(value);
}

static void
commands_theme(app *a, const commands_row *c, const char *arg)
{
	char msg[512];

	if (!arg) {
		app_status(a, 1, ":%s needs a name: :%s %s (Tab lists them)", c->name, c->name, c->arg);
		return;
	}
	if (chrome_set_theme(arg, msg, sizeof(msg)) < 0) {
		app_status(a, 1, "%s", msg);
		return;
	}
	clearok(curscr, TRUE);
	app_status(a, 0, "theme %s", arg);
}

static void
commands_help(app *a, const commands_row *c, const char *arg)
{
	(void)c;
	(void)arg;
	bindings_do(a, KEYMAP_HELP);
}

static void
commands_quit(app *a, const commands_row *c, const char *arg)
{
	(void)c;
	(void)arg;
	bindings_do(a, KEYMAP_QUIT);
}

/* X(name, argument or NULL, run option or NULL, completer or NULL, what it
 * runs, what it does): the README and the man page list the same. */
#define COMMANDS_TABLE(X)                                                                                          \
	X("budget", "DURATION", "--budget", NULL, commands_option, "the run's time budget: 30m, 2h, none")        \
	X("model", "NAME", "--model", NULL, commands_option, "the LLM model")                                     \
	X("provider", "NAME", "--provider", complete_providers, commands_option, "the LLM provider")              \
	X("repair", "N", "--repair", NULL, commands_option, "LLM repairs of a failing TRAIN or PREDICT, 0 to 20") \
	X("llm-budget", "TOKENS", "--llm-budget", NULL, commands_option, "LLM tokens before the run pauses")      \
	X("overview", "FILE", "--overview", complete_files, commands_option, "the competition's overview")        \
	X("theme", "NAME", NULL, complete_themes, commands_theme, "the workbench's theme, at once")               \
	X("help", NULL, NULL, NULL, commands_help, "the keys")                                                    \
	X("quit", NULL, NULL, NULL, commands_quit, "quit (asking while a stage runs)")

#define COMMANDS_ROW(n, arg, flag, comp, fn, help) { n, arg, flag, comp, fn, help },
static const commands_row commands_rows[] = { COMMANDS_TABLE(COMMANDS_ROW) };
#undef COMMANDS_ROW
#define COMMANDS_N (sizeof(commands_rows) / sizeof(commands_rows[0]))

/* The command name names: itself, or a unique prefix of one. */
static const commands_row *
commands_find(const char *name, size_t len)
{
	const commands_row *found = NULL;
	size_t i, n = 0;

	for (i = 0; i < COMMANDS_N; i++) {
		if (strncmp(commands_rows[i].name, name, len) != 0)
			continue;
		if (commands_rows[i].name[len] == '\0')
			return &commands_rows[i];
		found = &commands_rows[i];
		n++;
	}
	return n == 1 ? found : NULL;
}

void
commands_run(app *a, const char *line)
{
	const commands_row *c;
	const char *arg;
	char *value = NULL;
	size_t len, end;

	line += strspn(line, " ");
	len = strcspn(line, " ");
	if (len == 0)
		return;
	c = commands_find(line, len);
	if (!c) {
		app_status(a, 1, "no command :%.*s (Tab lists them; ? the keys)", (int)(len < 60 ? len : 60), line);
		return;
	}
	arg = line + len + strspn(line + len, " ");
	for (end = strlen(arg); end > 0 && arg[end - 1] == ' '; end--)
		;
	if (end > 0)
		value = xstrndup(arg, end);
	if (value && !c->arg)
		app_status(a, 1, ":%s takes no argument", c->name);
	else
		c->run(a, c, value);
	free(value);
}

char **
commands_complete(const char *before, const char *word, void *arg)
{
	const char *names[sizeof(commands_rows) / sizeof(commands_rows[0]) + 1];
	const commands_row *c;
	size_t i, len;

	(void)arg;
	before += strspn(before, " ");
	if (!*before) {
		for (i = 0; i < COMMANDS_N; i++)
			names[i] = commands_rows[i].name;
		names[i] = NULL;
		return complete_words(names, word);
	}
	len = strcspn(before, " ");
	/* Only the first argument is completed. */
	if (before[len + strspn(before + len, " ")] != '\0')
		return NULL;
	c = commands_find(before, len);
	return c && c->complete ? c->complete(word) : NULL;
}

void
commands_history_load(app *a)
{
	char *path = fs_join(a->ctx->workspace, CMDHIST_FILE), msg[600];

	/* A message from the start up (a bad keys file) stays first. */
	if (cmdhist_load(a->cmd, path, msg, sizeof(msg)) < 0 && !a->status[0])
		app_status(a, 1, "%s", msg);
	free(path);
}

/* The history on disk after each command: nothing is lost to a killed
 * workbench. The command's own message, set after, comes first. */
static void
commands_history_save(app *a)
{
	char *path = fs_join(a->ctx->workspace, CMDHIST_FILE), msg[600];

	if (cmdhist_save(a->cmd, path, msg, sizeof(msg)) < 0)
		app_status(a, 1, "the : line's history was not saved: %s", msg);
	free(path);
}

void
commands_open(app *a)
{
	cmdline_clear(a->cmd);
	a->cmd_open = 1;
}

void
commands_key(app *a, int key)
{
	char line[512];

	switch (cmdline_key(a->cmd, key, commands_complete, a)) {
	case CMDLINE_CANCEL:
		a->cmd_open = 0;
		break;
	case CMDLINE_DONE:
		a->cmd_open = 0;
		snprintf(line, sizeof(line), "%s", cmdline_text(a->cmd));
		commands_history_save(a);
		commands_run(a, line);
		break;
	default:
		break;
	}
}

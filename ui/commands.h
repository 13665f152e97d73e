#ifndef AK_UI_COMMANDS_H
#define AK_UI_COMMANDS_H

#include "ui/app.h"

/* The ":" command line's commands: the run's options (the same parser and
 * run.json as rerun's flags, through pipeline/run.h), the theme, help and
 * quit. Each says what it did, or the option's own error, on the status
 * line; a bad value changes nothing. Commands may be shortened to a
 * unique prefix (:q). */

/* Starts the command line's history from the workspace's (ui/cmdhist.h);
 * a bad file is said on the status line (unless it says something else). */
void commands_history_load(app *a);
/* Opens the command line. */
void commands_open(app *a);
/* A key while it is open (Enter runs the command). */
void commands_key(app *a, int key);
/* Runs one command line ("budget 30m"): what Enter does. */
void commands_run(app *a, const char *line);
/* The candidates of Tab for the word after before (cmdline_completer). */
char **commands_complete(const char *before, const char *word, void *arg);

#endif

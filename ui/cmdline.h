#ifndef AK_UI_CMDLINE_H
#define AK_UI_CMDLINE_H

#include <stddef.h>

/* The model of the workbench's ":" command line, without a terminal: a
 * line edited by keys (ui/keys.h), a history walked with Up and Down, and
 * Tab completion of the word before the cursor through a completer. */

typedef struct cmdline cmdline;

/* The longest line, its NUL included. */
#define CMDLINE_MAX 512

/* The candidates for word (the text from the last blank before the
 * cursor), given the line before it: full replacements of word that
 * start with it, as a NULL-terminated malloc'd array (util/strv.h), or
 * NULL for none. */
typedef char **(*cmdline_completer)(const char *before, const char *word, void *arg);

enum cmdline_result {
	CMDLINE_EDITED,   /* the line or the cursor changed (or nothing did) */
	CMDLINE_DONE,     /* Enter: cmdline_text is the command, now in the history */
	CMDLINE_CANCEL,   /* Escape, C-c, C-g, or Backspace on an empty line */
};

/* An empty line; the history keeps the last history_max commands. */
cmdline *cmdline_new(size_t history_max);
void cmdline_free(cmdline *c);
/* Starts a new line (the history stays). */
void cmdline_clear(cmdline *c);
/* One key; Tab asks complete (may be NULL). enum cmdline_result. */
int cmdline_key(cmdline *c, int key, cmdline_completer complete, void *arg);
const char *cmdline_text(const cmdline *c);
/* The cursor: a byte offset into cmdline_text. */
size_t cmdline_cursor(const cmdline *c);
/* After a Tab that left several candidates: them, separated by blanks;
 * "" otherwise. */
const char *cmdline_matches(const cmdline *c);

/* Adds text to the history as Enter does: not an empty or too long one,
 * a repeat of the last once, the oldest dropped past history_max. */
void cmdline_history_add(cmdline *c, const char *text);
/* The history, oldest first: its length, and entry i (NULL past it). */
size_t cmdline_history_count(const cmdline *c);
const char *cmdline_history_get(const cmdline *c, size_t i);

#endif

#ifndef AK_CHAT_HISTORY_H
#define AK_CHAT_HISTORY_H

/* The chat's input history, one file for `autokaggle chat` and the
 * workbench's chat pane: WORKSPACE/chat_history, in readline's history
 * list. Each entry is written after a timestamp line, so that a message
 * of several lines (a paste) comes back whole; a file without timestamps
 * (from an older version) still reads, a line an entry. */

#define CHAT_HISTORY_FILE "chat_history"
#define CHAT_HISTORY_MAX 1000

/* Starts readline's history from the file at path (missing: empty). */
void chat_history_load(const char *path);
/* Adds line (consecutive duplicates once) and writes the file, capped at
 * CHAT_HISTORY_MAX entries, 0600. */
void chat_history_add(const char *path, const char *line);
/* Empties readline's history list. */
void chat_history_clear(void);

#endif

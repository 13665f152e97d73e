#ifndef AK_UI_CHATINPUT_H
#define AK_UI_CHATINPUT_H

#include <stddef.h>
#include <wchar.h>

/* The chat's input line: GNU readline through its callback interface,
 * fed from the workbench's one input choke point (each key as the bytes a
 * terminal sends for it), never touching the terminal itself: no terminal
 * preparation, no signal handlers, no LINES/COLUMNS exported, its output
 * to /dev/null, drawn by the chat pane. The user's inputrc applies (under
 * the name autokaggle: Emacs or vi keys, Ctrl-R search); Ctrl-X Ctrl-E
 * (the command autokaggle-edit-message) edits the message in $EDITOR; the
 * history is the workspace's (pipeline/chat_history.h). Readline's state
 * is global: one input is open at a time. */

typedef struct chatinput_ops {
	/* Enter: the message, never blank (the callee frees it). */
	void (*line)(char *text, void *arg);
	/* The line or prompt changed: to be drawn again. */
	void (*changed)(void *arg);
	/* Ctrl-X Ctrl-E: text edited in $EDITOR; the new text (malloc'd), or
	 * NULL to keep the line as it is. */
	char *(*edit)(const char *text, void *arg);
} chatinput_ops;

/* Opens the input: prompt, and the history file at history. */
void chatinput_open(const char *prompt, const char *history, const chatinput_ops *ops, void *arg);
void chatinput_close(void);
/* A key (ui/keys.h), fed to readline. */
void chatinput_key(int key);
/* Pasted text, inserted at the cursor as it is: its newlines stay in the
 * message and do not send it. */
void chatinput_paste(const char *text, size_t len);
/* Ctrl-C: drops the line, and a search or key sequence under way. */
void chatinput_clear(void);
/* 1 when the line is empty and no search, key sequence or vi command
 * is under way (a key there may mean the workbench's own). */
int chatinput_idle(void);

/* What is shown: the prompt (readline's, "(reverse-i-search)..." while
 * searching), the line, and the cursor's byte in it. */
const char *chatinput_prompt(void);
const char *chatinput_text(void);
size_t chatinput_point(void);

/* A row of the layout: its cells' characters (a combining character
 * follows its base), and how many of them are the prompt's. */
typedef void (*chatinput_row_fn)(int row, const wchar_t *chars, size_t n, size_t prompt_chars, void *arg);

/* Lays prompt and text out in rows of cols columns: a newline in text
 * starts a row, a long row wraps, and rows after the first start under
 * the text, past the prompt. A character takes its wcwidth (wide 2,
 * combining 0), a control character shows as ^X, a tab as blanks to the
 * next multiple of 8, an invalid byte as U+FFFD. row (may be NULL) gets
 * each row; *crow and *ccol the cursor's cell for byte point. Returns the
 * number of rows. */
int chatinput_layout(const char *prompt, const char *text, size_t point, int cols, chatinput_row_fn row, void *arg,
	int *crow, int *ccol);

#endif

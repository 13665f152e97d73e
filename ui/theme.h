#ifndef AK_UI_THEME_H
#define AK_UI_THEME_H

#include <curses.h>
#include <stddef.h>

/* The look of every element, compiled in: colours on a terminal that has
 * them (on its own default background), attributes only under NO_COLOR,
 * --colors mono or a terminal without colours.
 * X(ENUM, name, foreground, background, colour attributes, mono attributes) */
#define THEME_ELEMENTS(X)                                                    \
	X(TEXT, "text", -1, -1, A_NORMAL, A_NORMAL)                          \
	X(DIM, "dim", 8, -1, A_NORMAL, A_DIM)                                 \
	X(TITLE, "title", COLOR_CYAN, -1, A_BOLD, A_BOLD)                     \
	X(HEADER, "header", COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE)            \
	X(TAB, "tab", -1, -1, A_NORMAL, A_NORMAL)                             \
	X(TAB_ACTIVE, "tab-active", COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE) \
	X(SELECTED, "selected", COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE)  \
	X(SELECTION, "selection", COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_UNDERLINE) \
	X(STATUS, "status", -1, -1, A_NORMAL, A_NORMAL)                       \
	X(ERROR, "error", COLOR_RED, -1, A_BOLD, A_BOLD)                      \
	X(ST_IDLE, "stage-idle", 8, -1, A_NORMAL, A_DIM)                      \
	X(ST_RUNNING, "stage-running", COLOR_YELLOW, -1, A_BOLD, A_BOLD)      \
	X(ST_DONE, "stage-done", COLOR_GREEN, -1, A_NORMAL, A_NORMAL)         \
	X(ST_FAILED, "stage-failed", COLOR_RED, -1, A_BOLD, A_REVERSE)        \
	X(ST_STALE, "stage-stale", COLOR_MAGENTA, -1, A_NORMAL, A_UNDERLINE)  \
	X(BAR, "histogram", COLOR_CYAN, -1, A_NORMAL, A_NORMAL)               \
	X(MATCH, "search-match", COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE) \
	X(PY_KEYWORD, "py-keyword", COLOR_BLUE, -1, A_BOLD, A_BOLD)           \
	X(PY_STRING, "py-string", COLOR_GREEN, -1, A_NORMAL, A_NORMAL)        \
	X(PY_COMMENT, "py-comment", 8, -1, A_NORMAL, A_DIM)                   \
	X(PY_NUMBER, "py-number", COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL)      \
	X(PY_DEF, "py-def", COLOR_CYAN, -1, A_BOLD, A_BOLD)                   \
	X(DIFF_ADD, "diff-added", COLOR_GREEN, -1, A_NORMAL, A_BOLD)          \
	X(DIFF_DEL, "diff-removed", COLOR_RED, -1, A_NORMAL, A_DIM)           \
	X(CHAT_USER, "chat-user", COLOR_YELLOW, -1, A_BOLD, A_BOLD)           \
	X(CHAT_ASSISTANT, "chat-assistant", COLOR_CYAN, -1, A_BOLD, A_BOLD)   \
	X(CHAT_NOTE, "chat-note", 8, -1, A_NORMAL, A_DIM)                     \
	X(MD_HEADING, "md-heading", COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE) \
	X(MD_BOLD, "md-bold", -1, -1, A_BOLD, A_BOLD)                         \
	X(MD_EMPHASIS, "md-emphasis", -1, -1, A_UNDERLINE, A_UNDERLINE)       \
	X(MD_CODE, "md-code", COLOR_GREEN, -1, A_NORMAL, A_NORMAL)            \
	X(MD_BULLET, "md-bullet", COLOR_CYAN, -1, A_NORMAL, A_BOLD)

#define THEME_ENUM(e, n, fg, bg, a, m) THEME_##e,
typedef enum theme_element { THEME_ELEMENTS(THEME_ENUM) THEME_COUNT } theme_element;
#undef THEME_ENUM

/* Sets the colour pairs up after the screen opened, from the compiled-in
 * defaults and what theme_load changed: mono when asked (NO_COLOR set, or
 * colors "mono") or when the terminal has no colours; colors "8", "16" or
 * "256" caps the colours used (default: what terminfo says). */
void theme_init(const char *colors);
/* Reads the theme NAME (a path, or NAME.theme in
 * $XDG_CONFIG_HOME/autokaggle/themes, then in $(pkgdatadir)/themes) over
 * the defaults. 0; -1 with msg ("FILE:LINE: what is wrong") when the file
 * is missing or a line is bad: the lines before it count, the rest are
 * ignored, and the defaults stay for what they did not set. */
int theme_load(const char *name, char *msg, size_t msgsz);
/* The themes that theme_load finds by name: the user's and the shipped
 * ones (not the template), NULL-terminated (util/strv.h), possibly twice
 * when a user's theme has a shipped one's name. */
char **theme_list(void);
/* One line of a theme file ("element = fg bg attr...", "# comment" or
 * blank) applied: 0, or -1 with msg saying what is wrong with it. */
int theme_parse_line(const char *line, char *msg, size_t msgsz);
/* Sets an element (before theme_init): colours -1 for the default. */
void theme_set(theme_element e, short fg, short bg, attr_t attr);
/* Back to the compiled-in defaults. */
void theme_reset(void);
/* The attributes (colour pair included) of an element. */
attr_t theme_attr(theme_element e);
/* The colour pair of an xterm colour (0-255, -1 default) over the default
 * background, for the output pane's cells; 0 when colours are off. */
short theme_pair_for(int fg, int bg);

#endif

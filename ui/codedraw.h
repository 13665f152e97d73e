#ifndef AK_UI_CODEDRAW_H
#define AK_UI_CODEDRAW_H

#include <curses.h>
#include <stddef.h>

#include "ui/theme.h"
#include "util/linediff.h"

/* Drawing the code pane's parts into its window: a line of code after a
 * gutter of CODEDRAW_GUTTER columns, the file tabs, the diff view. The
 * pane (pane_code.c) decides what goes where. Code is the LLM's text:
 * nothing of it reaches the terminal as a control character. */

#define CODEDRAW_GUTTER 6

/* Line (len bytes) at row y after the gutter, each character in its
 * element el[i]; tabs expanded, control characters shown as '?'. */
void codedraw_line(WINDOW *w, int y, int cols, const char *line, size_t len, const theme_element *el);
/* The same, every character in e (a marked, selected or diff line). */
void codedraw_line_as(WINDOW *w, int y, int cols, const char *line, size_t len, theme_element e);
/* Row 0: a tab per file, cur's in sight and active. */
void codedraw_tabs(WINDOW *w, int cols, char *const *files, int n, int cur);
/* The diff from its row top down: removed lines with '-' and no number,
 * added ones with '+', kept ones as code. */
void codedraw_diff(WINDOW *w, int rows, int cols, const linediff_line *dl, size_t n, int top);

#endif

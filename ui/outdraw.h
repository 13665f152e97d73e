#ifndef AK_UI_OUTDRAW_H
#define AK_UI_OUTDRAW_H

#include <curses.h>

#include "ui/outview.h"
#include "ui/vt.h"

/* Drawing a row of the output pane into its window; the pane
 * (pane_output.c) decides which rows and in what look. */

/* A line of the model as text, at most: 4 bytes a cell. */
#define OUTDRAW_TEXT_MAX (OUTVIEW_MAX_CELLS * 4 + 1)

/* Cells [r->from, r->to) of the model's line r->line at row y, matches
 * of query (may be "") marked; the cursor's line, or one selected, in
 * look (a theme element, -1 none) across the pane. Control characters
 * show as '?'. */
void outdraw_row(WINDOW *w, int y, vt *term, const char *query, const outview_row *r, int cols, int look);

#endif

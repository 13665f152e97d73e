#ifndef AK_UI_CHATDRAW_H
#define AK_UI_CHATDRAW_H

#include <curses.h>

#include "pipeline/chat.h"
#include "ui/md.h"

/* Drawing the chat pane's parts into its window: laid-out lines in their
 * elements' looks, readline's input (ui/chatinput) with the cursor where
 * its point is, the header with tokens and cost, the rule above the
 * input. The pane (pane_chat.c) decides what goes where. */

/* "$0.0123" into buf; "cost unknown" when none of the calls had a price,
 * "$0.0123+" when some had none. */
void chatdraw_cost(char *buf, size_t n, double cost, long unpriced, long calls);
/* A laid-out line at row y, cut at cols; over >= 0: the whole row in
 * that theme element (the marked message), else each run in its own. */
void chatdraw_line(WINDOW *w, int y, int cols, const md_line *l, int over);
/* The input at the bottom of rows, at most half of them (those around
 * the cursor); the cursor's cell in *cy, *cx. Returns its top row. */
int chatdraw_input(WINDOW *w, int rows, int cols, int *cy, int *cx);
/* text (in el) then hint (dim) at the bottom, in place of the input.
 * Returns its top row. */
int chatdraw_note(WINDOW *w, int rows, int cols, const char *text, theme_element el, const char *hint);
/* Row 0: "chat with PROVIDER", and on the right the tokens (in/out) and
 * cost of the last turn (when turn->calls) and of the run. */
void chatdraw_header(WINDOW *w, int cols, const char *provider, const chat_usage *turn, const store_llm_totals *run);
/* A rule across row y, label (may be NULL) at its start. */
void chatdraw_rule(WINDOW *w, int y, int cols, const char *label);

#endif

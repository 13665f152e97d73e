#ifndef AK_UI_CHROME_H
#define AK_UI_CHROME_H

#include "ui/app.h"

/* Everything around the panes: the stage bar, the pane tabs, the status
 * line (or the prompt), the popups (help, quit, stage picker) and the
 * too-small message. One frame: every part drawn into curses' virtual
 * screen, then one doupdate. */

#define CHROME_MIN_COLS 60
#define CHROME_MIN_ROWS 12

/* Colours and theme (NULL: the defaults); a theme that cannot be read
 * leaves its message in msg (else ""). */
void chrome_init(const char *colors, const char *theme, char *msg, size_t msgsz);
/* Another theme at once (the colours stay): 0; -1 with msg (no such
 * theme, or a bad line in it) and the theme before kept. */
int chrome_set_theme(const char *name, char *msg, size_t msgsz);
void chrome_draw(app *a);
/* A popup's framed window, centred, title in its top border: the caller
 * draws into it, then wnoutrefresh and delwin. */
WINDOW *chrome_box(int rows, int cols, const char *title);
/* The run pane whose tab is at column x of the tab row, or -1. */
int chrome_tab_at(const app *a, int x);
/* The first row of a pane on the screen. */
#define CHROME_PANE_TOP 2

#endif

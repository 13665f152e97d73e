#ifndef AK_UI_HELP_H
#define AK_UI_HELP_H

#include "ui/app.h"

/* Draws the ? popup: the focused pane's keys and the global ones as bound
 * now; a->popup_sel is its first row shown (kept within bounds). */
void help_draw(app *a);

#endif

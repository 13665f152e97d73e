#ifndef AK_UI_BINDINGS_H
#define AK_UI_BINDINGS_H

#include "ui/app.h"

/* What each action of the keymap (ui/keymap.h) does to the workbench. */

/* Does what key is bound to: 1, or 0 when it is bound to nothing that
 * acts here (a run's action on the run list). */
int bindings_key(app *a, int key);
/* Does action a (the command line's :help and :quit come here too). */
void bindings_do(app *a, int action);

#endif

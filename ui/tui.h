#ifndef AK_UI_TUI_H
#define AK_UI_TUI_H

#include "cmd/cmd.h"

/* The full-screen workbench, as the command line sees it. No curses type
 * crosses this header: main.c includes it without ncurses. */

/* `autokaggle tui [RUN]` (and `autokaggle` alone on a terminal). */
extern const cmd cmd_tui;

/* For cmd_ctx.workbench: follows run_id, already started, until the
 * user quits (the run goes on). */
int tui_workbench(cmd_ctx *c, store *db, const char *run_id);

/* 1 when the workbench can run: stdin and stdout are a terminal, or
 * AUTOKAGGLE_TUI_SCRIPT names a key script (tests). */
int tui_available(void);

#endif

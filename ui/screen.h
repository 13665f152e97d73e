#ifndef AK_UI_SCREEN_H
#define AK_UI_SCREEN_H

#include <stdio.h>

/* The terminal under curses: opened on the user's terminal, or on
 * /dev/null for a scripted test (ncurses still keeps the screen, which
 * screen_dump reads back); restored on exit, on kill and on a crash. */

/* Opens the screen; headless draws nowhere, at the size given by
 * AUTOKAGGLE_TUI_SIZE ("COLSxROWS", default 80x24). An unknown TERM falls
 * back to xterm-256color, then vt100. -1 when no terminal can be set up. */
int screen_open(int headless);
/* Restores the terminal (alternate screen, cursor, modes). Idempotent. */
void screen_close(void);
/* Hands the terminal to another program ($EDITOR) and takes it back. */
void screen_suspend(void);
void screen_resume(void);
/* Mouse reports on (SGR 1006: clicks and the wheel) or off, so that the
 * terminal's own selection works again. Nothing when headless. */
void screen_mouse(int on);
/* After SIGWINCH: takes the terminal's new size. */
void screen_resized(void);
/* The screen as text (what was last drawn), trailing blanks trimmed, to
 * path; 0 or -1. */
int screen_dump(const char *path);
/* The same onto an open stream. */
void screen_write(FILE *f);
/* 1 when text is shown somewhere on the screen (within one row). */
int screen_has(const char *text);

#endif

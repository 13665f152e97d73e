#ifndef AK_UI_DRAW_H
#define AK_UI_DRAW_H

#include <curses.h>

/* Drawing text that comes from outside (titles, column names, code,
 * messages): made safe for the terminal first (util/termsafe: no escape
 * sequence or control character reaches it), then cut by display width,
 * wide and combining characters counted right. */

/* Draws s at (y, x) in at most cols columns; returns the columns used. */
int draw_text(WINDOW *w, int y, int x, const char *s, int cols, attr_t a);
/* printf-style draw_text. */
int draw_textf(WINDOW *w, int y, int x, int cols, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The display width of s once made safe. */
int draw_width(const char *s);
/* Fills row y from column x to the window's end with blanks in a. */
void draw_clear_to_eol(WINDOW *w, int y, int x, attr_t a);

/* Frames and bars in ASCII only (--ascii, ui.ascii = on, or a locale
 * without UTF-8), for terminals and fonts without box-drawing and block
 * characters. */
void draw_set_ascii(int on);
int draw_ascii(void);
/* The bar of level 0-8 (eighths of a cell): a block character, or a
 * character of " .:-=+*#@" in ASCII. */
const char *draw_bar(int level);

#endif

#ifndef AK_UI_CHATVIEW_H
#define AK_UI_CHATVIEW_H

#include <stddef.h>

#include "ui/chatlog.h"

/* Where the chat pane looks in its transcript (ui/chatlog, laid out): at
 * the end as it grows, or, scrolled back, in reading mode, where one
 * message is marked (for y to copy) and stays in sight while the view
 * holds still as replies arrive. Pure: the pane lays the log out before
 * each call and draws. */

typedef struct chatview {
	int height;        /* the conversation's rows, as last drawn */
	int reading;       /* reading mode; else the end is shown */
	size_t top;        /* the first line shown while reading */
	size_t mark;       /* the marked message while reading */
} chatview;

/* The first line to show; while reading, the mark is brought into sight
 * (after a resize laid the log out anew). */
size_t chatview_top(chatview *v, const chatlog *l);
/* Lines below the view. */
size_t chatview_below(const chatview *v, const chatlog *l);
/* Scrolls by lines (< 0 back). Scrolling back starts reading mode, with
 * the newest message in sight marked; scrolling down to the end leaves
 * it. A mark scrolled out of sight moves to the nearest message shown. */
void chatview_scroll(chatview *v, const chatlog *l, long lines);
/* Reading mode where the view is, the newest message in sight marked
 * (no messages: nothing). */
void chatview_read(chatview *v, const chatlog *l);
/* Marks the message by messages after the marked one (< 0 before it,
 * within the first and the last), scrolling just enough to show it. */
void chatview_pick(chatview *v, const chatlog *l, long by);
/* Back to the end (reading mode over). */
void chatview_leave(chatview *v);

#endif

#ifndef AK_UI_OUTVIEW_H
#define AK_UI_OUTVIEW_H

#include "ui/vt.h"

/* Where the output pane looks in its terminal model: follow the end, or
 * a cursor line the user moved to (the view keeps it in sight); long
 * lines folded at the pane's width, or cut there with a horizontal offset
 * that the wrap toggle keeps. Lines are counted absolutely (those dropped
 * from the scrollback included), so a position survives new output. No
 * drawing here: the pane asks for the rows and draws them. */

#define OUTVIEW_MAX_CELLS 512

typedef struct outview {
	vt *term;
	int rows, cols;    /* the text area, as last drawn */
	int wrap;          /* long lines fold at cols */
	int hoff;          /* the first column shown when not wrapped */
	int follow;        /* the end is shown as it grows */
	long top;          /* the first line shown (absolute) */
	int top_sub;       /* ...from its row top_sub (wrapped) */
	long cur;          /* the cursor line (absolute) when not following */
	long seen;         /* the lines there were when following stopped */
} outview;

/* One row of the view: cells [from, to) of line (index into the vt). */
typedef struct outview_row {
	long line;
	int from, to;
} outview_row;

/* Following, wrapped, over term. */
void outview_init(outview *v, vt *term);
/* The lines there ever were (dropped ones included). */
long outview_total(const outview *v);
/* The row starts of cells[0, n) folded at cols columns (a wide character
 * never split), at most max of them into starts; returns the rows (>= 1). */
int outview_fold(const vt_cell *cells, int n, int cols, int *starts, int max);
/* Fills rows[0, v->rows) with what is shown now; returns how many. */
int outview_layout(outview *v, outview_row *rows);
/* Moves the cursor by lines (from following: from the last line); past
 * the end follows again. */
void outview_move(outview *v, long by);
/* Puts the cursor on line (absolute) in the middle of the view. */
void outview_goto(outview *v, long line);
void outview_follow(outview *v);
/* Scrolls sideways by columns (not wrapped). */
void outview_hscroll(outview *v, int by);
/* Wraps or unwraps: unwrapped again, the horizontal offset is the one it
 * had; wrapped, the first line shows from the row holding that offset. */
void outview_toggle_wrap(outview *v);

#endif

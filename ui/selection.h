#ifndef AK_UI_SELECTION_H
#define AK_UI_SELECTION_H

/* A selection of whole lines, as the code and output panes make it: v
 * anchors it at the cursor's line, moving the cursor stretches it, y
 * copies it (the pane's copy then ends it), Esc or v again drops it. Lines
 * are the pane's own numbers (absolute ones in the output). Pure. */

typedef struct selection {
	int on;
	long anchor;
} selection;

/* v starts a selection at cur or drops the one there is; Esc drops it.
 * What the status line is to say then, or NULL for the pane's other keys
 * (Esc without a selection too). */
const char *selection_key(selection *s, int key, long cur);
void selection_drop(selection *s);
/* The first and last lines selected (cur: the cursor's): 0, or -1 when
 * nothing is. */
int selection_range(const selection *s, long cur, long *first, long *last);
/* 1 when line is selected. */
int selection_has(const selection *s, long cur, long line);

#endif

#ifndef AK_UI_PANE_H
#define AK_UI_PANE_H

#include <curses.h>
#include <stddef.h>

/* A pane, tig's way: a state struct and a table of operations. The model
 * (state, keys, data) is apart from drawing, so unit tests drive a pane
 * without a terminal. Panes never act on the screen outside draw. */

typedef struct app app;
typedef struct pane pane;

/* What a key did (htop's way): the app redraws or looks further. */
enum pane_key_result {
	PANE_IGNORED = 0,  /* not this pane's key: the global keys get it */
	PANE_HANDLED = 1,  /* done, and the pane is to be drawn again */
};

typedef struct pane_help {
	const char *keys;
	const char *what;
} pane_help;

typedef struct pane_ops {
	const char *name;                 /* its tab's title */
	void (*open)(pane *p);            /* allocates p->state */
	void (*close)(pane *p);
	void (*reload)(pane *p);          /* the run's model changed */
	int (*key)(pane *p, int key);     /* enum pane_key_result */
	void (*draw)(pane *p, WINDOW *w, int rows, int cols);
	/* The size it is drawn at when it has the focus, told each frame to
	 * every pane, shown or not (may be NULL). */
	void (*resize)(pane *p, int rows, int cols);
	/* Bytes a stage appended to its log (may be NULL). */
	void (*log)(pane *p, int stage, const char *data, size_t len);
	/* The follower jumped over bytes of a stage's log (may be NULL). */
	void (*skipped)(pane *p, int stage, long long bytes);
	/* What y copies (malloc'd, *len its size), with what (whatsz bytes)
	 * naming it ("the selection", "all of train.py"); a selection ends
	 * with it. Or NULL, what then saying why when it can (may be NULL:
	 * nothing to copy here). */
	char *(*copy)(pane *p, size_t *len, char *what, size_t whatsz);
	/* Shows line (1-based) of file, a name in the run's code/, marked:
	 * 0, or -1 with the status line saying why not (may be NULL: the
	 * pane shows no code). */
	int (*show)(pane *p, const char *file, int line);
	/* A bracketed paste, whole (may be NULL: the pane takes none). */
	void (*paste)(pane *p, const char *text, size_t len);
	/* The mouse wheel: lines up (< 0) or down (may be NULL: Up and Down
	 * keys then). */
	void (*wheel)(pane *p, int lines);
	/* What the edit key does here (may be NULL: the code pane's then). */
	void (*edit)(pane *p);
	const pane_help *help;            /* the pane's keys, ending with { NULL, NULL } */
	const char *hint;                 /* the status line's hint while it has focus (may be NULL) */
} pane_ops;

struct pane {
	const pane_ops *ops;
	app *app;
	void *state;
	int rows, cols;                   /* the size it was last drawn at */
	int cursor_y, cursor_x;           /* where draw put the terminal's cursor; -1: hidden */
};

extern const pane_ops pane_start_ops, pane_comp_ops, pane_profile_ops, pane_chat_ops, pane_code_ops,
	pane_output_ops;

#endif

#ifndef AK_UI_INPUT_H
#define AK_UI_INPUT_H

#include <stddef.h>

#include "util/err.h"
#include "util/loop.h"

/* The one input choke point: every key the workbench handles comes
 * through here, read from the terminal (raw bytes on the loop, decoded)
 * or from a key script, so that tests drive the TUI without a terminal.
 *
 * A script holds one step a line: key names separated by blanks ("q",
 * "<Tab>", "<Enter>", "<C-r>", "<S-Tab>"), ":type TEXT" (each character a
 * key), ":wait TEXT" (until the screen shows TEXT, 30 s at most, else the
 * TUI fails), ":wait-gone TEXT", ":dump FILE" (the screen as text),
 * ":mouse BUTTON X Y" (a press at the 0-based cell; 64/65 the wheel),
 * ":paste TEXT" (a bracketed paste of TEXT, with \n, \t and \\ as in C),
 * and "#" comments. The script's end quits without asking. */

typedef struct input input;

typedef struct input_ops {
	void (*key)(int key, void *arg);
	/* A bracketed paste, whole: text[0, len), newlines as \n (may be NULL:
	 * then pastes are dropped). */
	void (*paste)(const char *text, size_t len, void *arg);
	/* The terminal is gone (EOF or an error on it), or the script ended. */
	void (*lost)(void *arg);
	/* Something for the status line: a paste whose end marker never came
	 * (half a second without a byte) ended with what arrived (may
	 * be NULL). */
	void (*note)(const char *msg, void *arg);
	/* For scripts: whether the screen (drawn first) shows text... */
	int (*screen_has)(const char *text, void *arg);
	/* ...writing it to path... */
	void (*dump)(const char *path, void *arg);
	/* ...and a step that failed (a wait timed out). */
	void (*fail)(const char *msg, void *arg);
} input_ops;

/* Reads keys from fd (the terminal) when poll says it is readable. */
input *input_open_tty(loop *l, int fd, const input_ops *ops, void *arg);
/* Reads steps from the script at path; NULL with e set when unreadable. */
input *input_open_script(loop *l, const char *path, const input_ops *ops, void *arg, ak_err *e);
/* Stops reading (the fd is not closed). */
void input_close(input *in);
/* Waits for the terminal again after it was handed to another program. */
void input_resume(input *in);

#endif

#ifndef AK_TTYSIZE_H
#define AK_TTYSIZE_H

#include "util/err.h"

/* The terminal TRAIN and PREDICT run on (a pty under the supervisor):
 * the size of the output pane of the front end that last showed the run,
 * which it writes to the run directory (RUNDIR_TTY_SIZE) as "COLSxROWS". */

typedef struct ttysize {
	int cols, rows;
} ttysize;

/* What a child is ever told: a size outside is clamped to these. */
#define TTYSIZE_MIN_COLS 20
#define TTYSIZE_MAX_COLS 1000
#define TTYSIZE_MIN_ROWS 5
#define TTYSIZE_MAX_ROWS 500

/* "COLSxROWS" (decimal, a newline after it allowed) into *out, clamped.
 * 0, or -1 with *out unchanged when text is anything else. */
int ttysize_parse(const char *text, ttysize *out);
/* The run directory's size file, parsed: 1 read, 0 there is none, -1
 * it holds something else (*out unchanged but for 1). */
int ttysize_read(const char *dir, ttysize *out);
/* Replaces the run directory's size file at once (a reader never sees
 * half of it). 0, or -1 with e set. */
int ttysize_write(const char *dir, ttysize size, ak_err *e);

#endif

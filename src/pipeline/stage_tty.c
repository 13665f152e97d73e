#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/session.h"
#include "pipeline/stage.h"
#include "pipeline/ttysize.h"

/* The terminal of the children on a pty (TRAIN, PREDICT): the size the
 * front end showing the run last wrote to the run directory, read when
 * such a child starts and whenever a front end asks. A run no front end
 * ever showed runs at exec's size (80x24); one shown before keeps the size its
 * last front end wrote, even when it runs headless later: that is the
 * terminal its log was last read on. A bad file changes nothing: the
 * last good size stays, and the run's log says why. */

/* Reads the size file into s->tty: 1 when it was read. */
static int
stage_tty_read(session *s)
{
	int rc = ttysize_read(s->dir, &s->tty);

	if (rc < 0)
		session_note(s, "warning", "%s in the run directory is not COLSxROWS: the terminal of TRAIN and PREDICT stays %dx%d",
			RUNDIR_TTY_SIZE, s->tty.cols ? s->tty.cols : EXEC_PTY_COLS, s->tty.rows ? s->tty.rows : EXEC_PTY_ROWS);
	return rc > 0;
}

void
stage_tty_spec(session *s, exec_spec *spec)
{
	stage_tty_read(s);
	spec->cols = s->tty.cols;
	spec->rows = s->tty.rows;
}

void
session_tty_resize(session *s)
{
	if (stage_tty_read(s) && s->child)
		exec_resize(s->child, s->tty.cols, s->tty.rows);
}

#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/ttysize.h"
#include "util/fs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number at *s, moved past; -1 when there is none. One too
 * large for a long reads as LONG_MAX, which the clamp brings down. */
static long
ttysize_number(const char **s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)**s))
		return -1;
	v = strtol(*s, &end, 10);
	*s = end;
	return v;
}

static int
ttysize_clamp(long v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

int
ttysize_parse(const char *text, ttysize *out)
{
	long cols, rows;

	cols = ttysize_number(&text);
	if (cols < 0 || *text++ != 'x')
		return -1;
	rows = ttysize_number(&text);
	if (*text == '\n')
		text++;
	if (rows < 0 || *text)
		return -1;
	out->cols = ttysize_clamp(cols, TTYSIZE_MIN_COLS, TTYSIZE_MAX_COLS);
	out->rows = ttysize_clamp(rows, TTYSIZE_MIN_ROWS, TTYSIZE_MAX_ROWS);
	return 0;
}

int
ttysize_read(const char *dir, ttysize *out)
{
	char *path = rundir_path(dir, RUNDIR_TTY_SIZE), *text = NULL;
	size_t len;
	int rc = 0;

	if (fs_exists(path)) {
		text = fs_read_file(path, &len, NULL);
		/* A NUL inside would hide what follows it from the parser. */
		rc = text && strlen(text) == len && ttysize_parse(text, out) == 0 ? 1 : -1;
	}
	free(path);
	free(text);
	return rc;
}

int
ttysize_write(const char *dir, ttysize size, ak_err *e)
{
	char *path = rundir_path(dir, RUNDIR_TTY_SIZE), text[32];
	int n = snprintf(text, sizeof(text), "%dx%d\n", size.cols, size.rows), rc;

	rc = fs_write_atomic(path, text, (size_t)n, 0600, e);
	free(path);
	return rc;
}

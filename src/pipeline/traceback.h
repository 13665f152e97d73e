#ifndef AK_TRACEBACK_H
#define AK_TRACEBACK_H

#include <stddef.h>

/* The frames of a Python traceback in a stage's output, as a front end
 * follows them back to the run's code:
 *     File "/.../runs/ID/code/train.py", line 42, in main */

/* Reads the frame line: its path into path (size n, cut when longer) and
 * its line number into *lineno. 0, or -1 when line is not a frame. */
int traceback_parse(const char *line, char *path, size_t n, int *lineno);

/* The file of the run's code/ (name relative to it, into file, size n)
 * that a frame's path names: the run's own code/ by its absolute path or
 * relative to the run directory, or a code/ of the same run moved or
 * copied elsewhere (the last ".../code/NAME" with NAME in run_dir/code).
 * 0, or -1 when the path is a file of something else (a library). */
int traceback_code_file(const char *run_dir, const char *path, char *file, size_t n);

#endif

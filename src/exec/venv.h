#ifndef AK_VENV_H
#define AK_VENV_H

#include "util/err.h"

/* The ENV stage: a virtual environment on top of the system's packages,
 * with only the missing requirements installed, made by the shipped helper
 * exec/venv_setup.py. Its exit status: 0 when every requirement imports;
 * 3 when some could not be installed (named on its last line, with what to
 * do); 4 when the venv itself cannot be made. */

/* argv for the ENV child: { python, venv_setup.py, "--venv", venv_dir,
 * "--requirements", requirements, NULL }. python is the configured base
 * interpreter (NULL or "" = "python3"). NULL with e set when the helper
 * script is not installed. Free with venv_argv_free. */
char **venv_argv(const char *python, const char *venv_dir, const char *requirements, ak_err *e);
void venv_argv_free(char **argv);

/* The venv's interpreter, venv_dir/bin/python; caller frees. */
char *venv_python(const char *venv_dir);

#endif

#ifndef AK_VENV_H
#define AK_VENV_H

#include "util/err.h"
#include "util/hash.h"

/* The ENV stage: a virtual environment on top of the system's packages,
 * with only the missing requirements installed, made by the shipped helper
 * exec/venv_setup.py. The venvs are shared by the runs of a workspace:
 * <workspace>/cache/venvs/<key>/, one per interpreter (real path and
 * version) and set of requirements; a run's env/venv is a relative symlink
 * to the one it uses and env/venv.json describes it. The helper's exit
 * status: 0 when every requirement imports; 3 when some could not be
 * installed (named on its last line, with what to do); 4 when the venv
 * itself cannot be made. */

/* argv for the ENV child of the run in run_dir, whose parent is the
 * workspace: { python, venv_setup.py, "--cache", <workspace>/cache/venvs,
 * "--requirements", <run>/env/requirements.txt, "--venv", <run>/env/venv,
 * "--record", <run>/env/venv.json, NULL }. python is the configured base
 * interpreter (NULL or "" = "python3"). NULL with e set when the helper
 * script is not installed. Free with strv_free. */
char **venv_argv(const char *python, const char *run_dir, ak_err *e);

/* The venv's interpreter, venv_dir/bin/python; caller frees. */
char *venv_python(const char *venv_dir);

/* Feeds what identifies the interpreter python names (found in PATH when
 * it has no slash): the name, its real path, size and modification time;
 * an interpreter upgraded or replaced in place changes them. */
void venv_hash_interpreter(hash_ctx *h, const char *python);

#endif

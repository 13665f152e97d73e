#include "config.h"

#include "exec/venv.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdlib.h>

#define VENV_SCRIPT "exec/venv_setup.py"

char **
venv_argv(const char *python, const char *venv_dir, const char *requirements, ak_err *e)
{
	char *script = paths_data_file(VENV_SCRIPT);
	char **argv;

	if (!script) {
		err_set(e, "%s is missing from the installation: reinstall autokaggle or point AUTOKAGGLE_DATADIR at its data directory",
			VENV_SCRIPT);
		return NULL;
	}
	argv = xcalloc(7, sizeof *argv);
	argv[0] = xstrdup(python && *python ? python : "python3");
	argv[1] = script;
	argv[2] = xstrdup("--venv");
	argv[3] = xstrdup(venv_dir);
	argv[4] = xstrdup("--requirements");
	argv[5] = xstrdup(requirements);
	return argv;
}

void
venv_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char *
venv_python(const char *venv_dir)
{
	return fs_join(venv_dir, "bin/python");
}

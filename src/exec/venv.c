#include "config.h"

#include "exec/exec.h"
#include "exec/venv.h"
#include "util/fs.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VENV_SCRIPT "exec/venv_setup.py"

/* The workspace holding run_dir: its parent, trailing slashes aside. */
static char *
venv_workspace(const char *run_dir)
{
	char *ws = xstrdup(run_dir), *slash;
	size_t n = strlen(ws);

	while (n > 1 && ws[n - 1] == '/')
		ws[--n] = '\0';
	slash = strrchr(ws, '/');
	if (!slash) {
		free(ws);
		return xstrdup(".");
	}
	slash[slash == ws] = '\0';
	return ws;
}

char **
venv_argv(const char *python, const char *run_dir, ak_err *e)
{
	char *script = paths_data_file(VENV_SCRIPT), *ws;
	char **argv;

	if (!script) {
		err_set(e, "%s is missing from the installation: reinstall autokaggle or point AUTOKAGGLE_DATADIR at its data directory",
			VENV_SCRIPT);
		return NULL;
	}
	ws = venv_workspace(run_dir);
	argv = xcalloc(11, sizeof *argv);
	argv[0] = xstrdup(python && *python ? python : "python3");
	argv[1] = script;
	argv[2] = xstrdup("--cache");
	argv[3] = fs_join(ws, "cache/venvs");
	argv[4] = xstrdup("--requirements");
	argv[5] = fs_join(run_dir, "env/requirements.txt");
	argv[6] = xstrdup("--venv");
	argv[7] = fs_join(run_dir, "env/venv");
	argv[8] = xstrdup("--record");
	argv[9] = fs_join(run_dir, "env/venv.json");
	free(ws);
	return argv;
}

char *
venv_python(const char *venv_dir)
{
	return fs_join(venv_dir, "bin/python");
}

void
venv_hash_interpreter(hash_ctx *h, const char *python)
{
	char *found = exec_env_which(python && *python ? python : "python3");
	char *real = found ? fs_realpath(found, NULL) : NULL;
	struct stat st;

	hash_update_str(h, python ? python : "");
	if (real && stat(real, &st) == 0) {
		long long size = st.st_size;
		long long mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;

		hash_update_str(h, real);
		hash_update(h, &size, sizeof size);
		hash_update(h, &mtime_ns, sizeof mtime_ns);
	}
	free(real);
	free(found);
}

#include "config.h"

#include "util/fs.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
paths_try(const char *dir, const char *rel)
{
	char *p = fs_join(dir, rel);

	if (fs_exists(p))
		return p;
	free(p);
	return NULL;
}

char *
paths_data_file(const char *rel)
{
	const char *env = getenv("AUTOKAGGLE_DATADIR");
	char *exe, *p = NULL;

	if (env && *env)
		return paths_try(env, rel);
	exe = fs_exe_dir();
	if (strcmp(exe, ABS_TOP_BUILDDIR) == 0) {
		p = paths_try(ABS_TOP_BUILDDIR, rel);
		if (!p)
			p = paths_try(ABS_TOP_SRCDIR "/share", rel);
		/* themes/ sits at the top of the tree (DESIGN.md's layout). */
		if (!p && strncmp(rel, "themes/", 7) == 0)
			p = paths_try(ABS_TOP_SRCDIR, rel);
	}
	free(exe);
	return p ? p : paths_try(PKGDATADIR, rel);
}

const char *
paths_tilde(const char *path, char *buf, size_t n)
{
	const char *home = getenv("HOME");
	size_t len = home ? strlen(home) : 0;

	if (len > 1 && strncmp(path, home, len) == 0 && path[len] == '/') {
		snprintf(buf, n, "~%s", path + len);
		return buf;
	}
	return path;
}

char *
paths_config_file(const char *rel)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return xasprintf("%s/autokaggle/%s", xdg, rel);
	if (home && home[0] == '/')
		return xasprintf("%s/.config/autokaggle/%s", home, rel);
	return NULL;
}

#ifndef AK_PATHS_H
#define AK_PATHS_H

#include <stddef.h>

/* Locates a shipped data file (templates/..., exec/..., demo/...) by its
 * installed name: under $AUTOKAGGLE_DATADIR when set; when the running
 * binary is the uninstalled one, in the build tree (the generated demo) or
 * under the source tree's share/ (themes/..., at the tree's top); else
 * under $(pkgdatadir).
 * Returns a fresh path (caller frees), or NULL when it exists nowhere. */
char *paths_data_file(const char *rel);

/* ${XDG_CONFIG_HOME:-~/.config}/autokaggle/rel (absolute directories
 * only); NULL when neither variable tells. Caller frees. */
char *paths_config_file(const char *rel);

/* path with the home directory shown as ~ (to fit a status line): path
 * itself, or buf holding the shorter form. */
const char *paths_tilde(const char *path, char *buf, size_t n);

#endif

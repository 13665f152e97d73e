#ifndef AK_PATHS_H
#define AK_PATHS_H

/* Locates a shipped data file (templates/..., demo/...): under
 * $AUTOKAGGLE_DATADIR when set; in the build or source tree when the
 * running binary is the uninstalled one; else under $(pkgdatadir).
 * Returns a fresh path (caller frees), or NULL when it exists nowhere. */
char *paths_data_file(const char *rel);

#endif

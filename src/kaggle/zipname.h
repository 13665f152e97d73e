#ifndef AK_ZIPNAME_H
#define AK_ZIPNAME_H

/* An archive member's name as written by whoever made the archive, on its
 * way to a path under the extraction directory. Pure: no file system. */

/* The safe relative path for a member name: '\\' is read as a separator
 * (archives made on Windows use it, and a hostile one hides "..\\" behind
 * it), "." and empty components are dropped, a trailing separator marks a
 * directory (*is_dir). Refuses an absolute name, a ".." component, a
 * control character (C0, DEL, or C1 in UTF-8), and a name with nothing left once cleaned: NULL with
 * *why set to the reason, for the message. Caller frees the result. */
char *zipname_clean(const char *raw, int *is_dir, const char **why);

#endif

#ifndef AK_FS_H
#define AK_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* Creates a directory and its parents with the given mode. */
int fs_mkdir_p(const char *path, mode_t mode, ak_err *e);
/* Opens a regular file for reading; anything else (a FIFO, a device, a
 * directory) is refused with what it is, without blocking. */
int fs_open_regular(const char *path, ak_err *e);
/* "a FIFO (named pipe)", "a character device"... for messages. */
const char *fs_kind_name(mode_t mode);
/* Reads a whole regular file; *len gets its size. The result is NUL-terminated. */
char *fs_read_file(const char *path, size_t *len, ak_err *e);
/* Writes through a temporary file and rename(), so a reader never sees a
 * half-written file and a failure leaves the old content in place. */
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode, ak_err *e);
/* Copies a regular file (atomically at the destination). */
int fs_copy_file(const char *src, const char *dst, mode_t mode, ak_err *e);
int fs_exists(const char *path);
int fs_is_dir(const char *path);
/* "a" + "/" + "b" without doubled slashes; caller frees. */
char *fs_join(const char *a, const char *b);
/* Absolute, symlink-free path of an existing file; caller frees. */
char *fs_realpath(const char *path, ak_err *e);
/* The names of a directory's regular files, those starting with '.' left
 * out, in name order; NULL-terminated, free with strv_free. An empty list
 * when the directory cannot be read. */
char **fs_list_files(const char *dir);
/* Removes a directory and everything under it, like rm -rf, without
 * following symlinks; a missing path is fine. */
int fs_remove_tree(const char *path, ak_err *e);
/* Bytes an unprivileged process may still write on path's filesystem;
 * -1 when it cannot be told. */
long long fs_free_bytes(const char *path);
/* Creates path holding `bytes` of allocated space: room set aside for the
 * writes that must happen after the disk filled up. */
int fs_reserve(const char *path, long long bytes, ak_err *e);
/* The running executable's absolute path, NULL when /proc cannot tell;
 * caller frees. */
char *fs_exe_path(void);
/* Directory holding the running executable ("." when unknown); caller frees. */
char *fs_exe_dir(void);

#endif

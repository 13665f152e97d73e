#ifndef AK_CSVSRC_H
#define AK_CSVSRC_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* A byte stream over a data file: plain, gzip (.gz) or the one CSV inside
 * a .zip, told apart by magic bytes, decompressed on the fly and never
 * extracted to disk. Shared by the CSV reader and the profiler's scanner. */
typedef struct csvsrc csvsrc;

enum csvsrc_kind {
	CSVSRC_PLAIN,
	CSVSRC_GZIP,
	CSVSRC_ZIP
};

/* Opens path; on error returns NULL with a message naming the file. */
csvsrc *csvsrc_open(const char *path, ak_err *e);
/* Reads up to n bytes: returns the count, 0 at end of data, -1 on error
 * (a truncated or corrupt archive). */
ssize_t csvsrc_read(csvsrc *s, void *buf, size_t n, ak_err *e);
/* Reads until buf is full or the data ends; same return convention. */
ssize_t csvsrc_read_full(csvsrc *s, void *buf, size_t n, ak_err *e);
enum csvsrc_kind csvsrc_kind(const csvsrc *s);
/* "none", "gzip" or "zip". */
const char *csvsrc_kind_name(const csvsrc *s);
/* Size of the file on disk in bytes. */
long long csvsrc_disk_bytes(const csvsrc *s);
/* The descriptor of a plain file (for mapping it), else -1. */
int csvsrc_plain_fd(const csvsrc *s);
/* Name of the entry read from a zip, else NULL. */
const char *csvsrc_member(const csvsrc *s);
void csvsrc_close(csvsrc *s);

#endif

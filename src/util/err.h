#ifndef AK_ERR_H
#define AK_ERR_H

/* A user-facing error: what happened and what to do. Functions that can
 * fail return -1 (or NULL) and fill an ak_err when one is given. */
typedef struct ak_err {
	char msg[1024];
	int errnum;   /* the errno behind it (err_sys), or 0 */
} ak_err;

/* Sets the message (printf-style); e may be NULL. Always returns -1. */
int err_set(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like err_set, appending ": strerror(errno)". */
int err_sys(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the message and records errnum as its cause (ENOSPC...). */
int err_cause(ak_err *e, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 1 when the error came from a full disk or an exceeded quota. */
int err_is_disk_full(const ak_err *e);
/* Prefixes an already set message with context ("reading x: ..."). */
int err_prefix(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

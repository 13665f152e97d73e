#ifndef AK_ERR_H
#define AK_ERR_H

/* X(KIND, exit code, what to do, appended): the kinds of error a user
 * meets, each with the exit code the command line ends with and a
 * one-line fix that the headless front end and the TUI show the same way.
 * The message says what happened, and mostly what to do; where it comes
 * from a layer that cannot know (a refused connection, a full disk), the
 * fix is appended to it (appended = 1). */
#define ERR_KINDS(X)                                                                           \
	X(NONE, 1, NULL, 0)                                                                    \
	X(USAGE, 2, "see 'autokaggle --help'", 0)                                              \
	X(INPUT, 3, "check the file or name given", 0)                                         \
	X(NOT_FOUND, 3, "check the name; 'autokaggle competitions SEARCH' lists competitions", 0) \
	X(BUSY, 4, "wait for it, or stop it with 'autokaggle cancel RUN'", 0)                  \
	X(DISK, 5, "free some space on that disk, then re-run", 1)                             \
	X(AUTH, 6, "check your Kaggle credentials", 0)                                         \
	X(FORBIDDEN, 7, "accept the competition's rules on kaggle.com, then re-run", 0)        \
	X(RATE_LIMITED, 8, "Kaggle is limiting requests: wait a few minutes, then re-run", 0)  \
	X(NETWORK, 8, "check the network connection (and any proxy), then re-run", 1)         \
	X(SERVER, 8, "the server failed: re-run later", 0)

#define ERR_KIND_ENUM(k, code, fix, append) ERR_##k,
enum err_kind { ERR_KINDS(ERR_KIND_ENUM) ERR_KIND_COUNT };
#undef ERR_KIND_ENUM

/* A user-facing error: what happened and what to do. Functions that can
 * fail return -1 (or NULL) and fill an ak_err when one is given. */
typedef struct ak_err {
	char msg[1024];
	int errnum;             /* the errno behind it (err_sys), or 0 */
	enum err_kind kind;     /* ERR_NONE unless the failure is of a known kind */
} ak_err;

/* Sets the message (printf-style); e may be NULL. Always returns -1. */
int err_set(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like err_set, appending ": strerror(errno)". */
int err_sys(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the message and records errnum as its cause (ENOSPC...). */
int err_cause(ak_err *e, int errnum, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 1 when the error came from a full disk or an exceeded quota. */
int err_is_disk_full(const ak_err *e);
/* Sets the message and its kind. */
int err_kind_set(ak_err *e, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The kind: ERR_DISK for a full disk whatever was set, else what was set. */
enum err_kind err_kind_of(const ak_err *e);
/* The exit code for the error's kind, or fallback for ERR_NONE. */
int err_exit_code(const ak_err *e, int fallback);
/* The one-line fix for the error's kind, or NULL. */
const char *err_fix(const ak_err *e);
/* The fix when the message itself cannot say what to do (see ERR_KINDS),
 * else NULL: what a front end appends to the message. */
const char *err_fix_to_append(const ak_err *e);
/* Prefixes an already set message with context ("reading x: ..."). */
int err_prefix(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends to an already set message (what to do next), keeping its kind. */
int err_append(ak_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

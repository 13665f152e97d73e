#ifndef AK_XALLOC_H
#define AK_XALLOC_H

#include <stddef.h>

/* Allocation wrappers that never return NULL: on exhaustion they print a
 * message and exit(70), so callers need no NULL checks. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` items of `size` bytes, doubling. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

#ifndef AK_STRBUF_H
#define AK_STRBUF_H

#include <stddef.h>

/* A growable, always NUL-terminated byte string. Zero-initialise to use. */
typedef struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
} strbuf;

void strbuf_add(strbuf *sb, const void *data, size_t n);
void strbuf_addstr(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(strbuf *sb);
/* Returns the buffer (never NULL) and leaves sb empty; caller frees. */
char *strbuf_detach(strbuf *sb);
void strbuf_free(strbuf *sb);
/* The contents as a C string ("" when empty). */
const char *strbuf_str(const strbuf *sb);

#endif

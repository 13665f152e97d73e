#ifndef AK_UI_MD_H
#define AK_UI_MD_H

#include <stddef.h>

#include "ui/theme.h"
#include "util/strbuf.h"

/* Styled lines: text with a theme element per byte, laid out for a width
 * by display width (wide and combining characters counted right). What
 * the chat pane draws; ui/markdown fills them from a reply. Pure. */

typedef struct md_line {
	char *text;             /* UTF-8 without control characters, NUL-terminated */
	unsigned char *el;      /* the theme_element of each byte of text */
	size_t len;
} md_line;

typedef struct md_lines {
	md_line *v;
	size_t n, cap;
} md_lines;

/* A line being built: its bytes and their elements side by side. */
typedef struct md_buf {
	strbuf text, el;
} md_buf;

void md_add(md_buf *b, const char *s, size_t n, theme_element el);
void md_buf_free(md_buf *b);

/* Appends a line: text[0, len) with el[0, len). */
void md_lines_add(md_lines *out, const char *text, const char *el, size_t len);
/* Frees the lines and empties out. */
void md_lines_free(md_lines *out);

/* Lays prefix then body out in cols columns, appending to out;
 * continuation lines start with indent blanks (none when indent is over
 * half the width). words: breaks at the last blank that fits (prose), else
 * at any character (code). */
void md_wrap(md_lines *out, const md_buf *prefix, const md_buf *body, int indent, int cols, int words);

/* Calls fn on each line of text[0, len) made safe for the terminal
 * (util/termsafe: lines kept), tabs expanded: "" is one empty line, and
 * the last line needs no newline. */
void md_each_line(const char *text, size_t len, void (*fn)(const char *s, size_t len, void *arg), void *arg);

/* Appends text[0, len) as it is (a user's message), made safe, its lines
 * wrapped at cols, every character in el. */
void md_plain(const char *text, size_t len, int cols, theme_element el, md_lines *out);

#endif

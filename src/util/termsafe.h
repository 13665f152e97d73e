#ifndef AK_TERMSAFE_H
#define AK_TERMSAFE_H

#include <stddef.h>
#include <stdio.h>

#include "util/strbuf.h"

/* Text from outside (competition titles, column and file names, paths,
 * child output, and API and LLM replies) on its way to a terminal. Escape
 * sequences (CSI, OSC, DCS... whole, parameters included), C0 and C1
 * control characters and DEL are dropped; invalid UTF-8 becomes U+FFFD.
 * Nothing it emits can move the cursor, clear the screen, set the title
 * or forge a line. */

typedef enum termsafe_mode {
	TERMSAFE_LINE,  /* one line: newlines, tabs and carriage returns become spaces */
	TERMSAFE_TEXT,  /* lines: \n and \t stay; \r\n and a lone \r become \n */
} termsafe_mode;

/* A safe copy of s; caller frees. */
char *termsafe(const char *s, termsafe_mode mode);

/* The same as a filter over a stream, for text that arrives in pieces:
 * a sequence split between two feeds is still recognised. */
typedef struct termsafe_stream {
	termsafe_mode mode;
	int state;            /* inside an escape sequence, and which */
	int prev_cr;          /* the last byte was \r (TERMSAFE_TEXT) */
	unsigned char utf8[4];
	size_t nutf8, want;   /* a UTF-8 sequence being gathered */
} termsafe_stream;

void termsafe_stream_init(termsafe_stream *t, termsafe_mode mode);
/* Appends the safe form of data[0, len) to out. */
void termsafe_stream_feed(termsafe_stream *t, const char *data, size_t len, strbuf *out);
/* Ends the stream: an unfinished UTF-8 sequence becomes U+FFFD. */
void termsafe_stream_end(termsafe_stream *t, strbuf *out);

/* Replaces a malloc'd string with its safe copy. */
void termsafe_replace(char **s, termsafe_mode mode);
/* Makes a fixed buffer safe in place, cut to its size on a character
 * boundary when the replacement characters made it longer. */
void termsafe_buffer(char *buf, size_t size, termsafe_mode mode);
/* Cuts s in place to at most max bytes (max >= 4) on a character
 * boundary, ending it with "\xe2\x80\xa6" (an ellipsis) to show the cut;
 * a shorter s is left alone. */
void termsafe_cut(char *s, size_t max);
/* fputs of termsafe(s, mode). */
void termsafe_fputs(const char *s, termsafe_mode mode, FILE *f);
/* printf-style "autokaggle: MESSAGE\n" on stderr, the message made safe:
 * errors quote paths, titles and names that come from outside. */
void termsafe_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

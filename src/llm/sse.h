#ifndef AK_SSE_H
#define AK_SSE_H

#include <stddef.h>

#include "util/strbuf.h"

/* A server-sent events parser by the WHATWG event-stream rules: bytes go
 * in as they arrive, in pieces of any size (a line, a CRLF or a UTF-8
 * character may be split anywhere); complete events come out. Lines end
 * with CRLF, LF or a lone CR; a BOM at the very start is dropped; ':'
 * lines are comments; several data lines join with LF; no line-length
 * limit. Zero-initialise, set cb and arg, feed, then sse_end and
 * sse_clean. */

/* One event: its type ("message" when none was named) and its data,
 * NUL-terminated, valid during the call. */
typedef void (*sse_event_cb)(void *arg, const char *event, const char *data, size_t len);

typedef struct sse_parser {
	sse_event_cb cb;
	void *arg;
	strbuf line, data, event;
	char *last_id;     /* the last id: field, NULL when none */
	long retry_ms;     /* the last valid retry: field, -1 when none */
	int started;       /* past the possible BOM */
	int prev_cr;       /* the last byte was a CR: an LF next belongs to it */
} sse_parser;

void sse_init(sse_parser *p, sse_event_cb cb, void *arg);
void sse_feed(sse_parser *p, const char *data, size_t len);
/* The end of the stream: an event without its blank line is dropped, as
 * the rules say. Returns 1 when such a partial event was dropped. */
int sse_end(sse_parser *p);
void sse_clean(sse_parser *p);

#endif

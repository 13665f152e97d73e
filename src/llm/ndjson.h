#ifndef AK_NDJSON_H
#define AK_NDJSON_H

#include <stddef.h>

#include "util/strbuf.h"

/* Newline-delimited JSON (Ollama's native stream) cut into lines as the
 * bytes arrive: LF ends a line, a CR before it is dropped, blank lines are
 * skipped, a BOM at the very start is dropped, and a last line without LF
 * is delivered by ndjson_end. */

/* One line, NUL-terminated, without its terminator; valid during the call. */
typedef void (*ndjson_line_cb)(void *arg, const char *line, size_t len);

typedef struct ndjson_splitter {
	ndjson_line_cb cb;
	void *arg;
	strbuf line;
	int started;
} ndjson_splitter;

void ndjson_init(ndjson_splitter *s, ndjson_line_cb cb, void *arg);
void ndjson_feed(ndjson_splitter *s, const char *data, size_t len);
void ndjson_end(ndjson_splitter *s);
void ndjson_clean(ndjson_splitter *s);

#endif

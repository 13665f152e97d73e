#include "config.h"

#include "llm/ndjson.h"

#include <string.h>

void
ndjson_init(ndjson_splitter *s, ndjson_line_cb cb, void *arg)
{
	memset(s, 0, sizeof *s);
	s->cb = cb;
	s->arg = arg;
}

static void
ndjson_line(ndjson_splitter *s)
{
	char *b = s->line.buf;
	size_t n = s->line.len;

	if (n > 0 && b[n - 1] == '\r')
		b[--n] = '\0';
	/* A BOM counts only at the very start of the stream. */
	if (!s->started && n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0) {
		b += 3;
		n -= 3;
	}
	s->started = 1;
	if (n > 0 && strspn(b, " \t") < n)
		s->cb(s->arg, b, n);
	strbuf_reset(&s->line);
}

void
ndjson_feed(ndjson_splitter *s, const char *data, size_t len)
{
	const char *end = data + len;

	while (data < end) {
		const char *nl = memchr(data, '\n', (size_t)(end - data));

		if (!nl) {
			strbuf_add(&s->line, data, (size_t)(end - data));
			return;
		}
		strbuf_add(&s->line, data, (size_t)(nl - data));
		ndjson_line(s);
		data = nl + 1;
	}
}

void
ndjson_end(ndjson_splitter *s)
{
	if (s->line.len > 0)
		ndjson_line(s);
}

void
ndjson_clean(ndjson_splitter *s)
{
	strbuf_free(&s->line);
}

#include "config.h"

#include "llm/sse.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char sse_bom[] = "\xef\xbb\xbf";

void
sse_init(sse_parser *p, sse_event_cb cb, void *arg)
{
	memset(p, 0, sizeof *p);
	p->cb = cb;
	p->arg = arg;
	p->retry_ms = -1;
}

static void
sse_dispatch(sse_parser *p)
{
	if (p->data.len == 0) {
		strbuf_reset(&p->event);
		return;
	}
	p->data.buf[--p->data.len] = '\0'; /* the LF after the last data line */
	p->cb(p->arg, p->event.len ? p->event.buf : "message", p->data.buf, p->data.len);
	strbuf_reset(&p->data);
	strbuf_reset(&p->event);
}

static int
sse_all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void
sse_field(sse_parser *p, const char *name, const char *value, size_t vlen)
{
	if (strcmp(name, "data") == 0) {
		strbuf_add(&p->data, value, vlen);
		strbuf_addch(&p->data, '\n');
	} else if (strcmp(name, "event") == 0) {
		strbuf_reset(&p->event);
		strbuf_add(&p->event, value, vlen);
	} else if (strcmp(name, "id") == 0 && !memchr(value, '\0', vlen)) {
		free(p->last_id);
		p->last_id = xstrndup(value, vlen);
	} else if (strcmp(name, "retry") == 0 && sse_all_digits(value)) {
		p->retry_ms = strtol(value, NULL, 10);
	}
}

/* One complete line (NUL-terminated in p->line, which may hold NULs). */
static void
sse_line(sse_parser *p)
{
	char *line = p->line.buf ? p->line.buf : (char *)"";
	size_t len = p->line.len;
	char *colon;

	if (len == 0) {
		sse_dispatch(p);
		return;
	}
	if (line[0] == ':')
		goto out;
	colon = memchr(line, ':', len);
	if (!colon) {
		sse_field(p, line, "", 0);
	} else {
		char *value = colon + 1;

		*colon = '\0';
		if (*value == ' ')
			value++;
		sse_field(p, line, value, len - (size_t)(value - line));
	}
out:
	strbuf_reset(&p->line);
}

void
sse_feed(sse_parser *p, const char *data, size_t len)
{
	size_t i, start = 0;

	if (!p->started) {
		/* Hold bytes until the BOM can be told from text. */
		size_t have = p->line.len, take = len < 3 - have ? len : 3 - have;

		strbuf_add(&p->line, data, take);
		if (p->line.len < 3 && (p->line.len == 0 || memcmp(p->line.buf, sse_bom, p->line.len) == 0))
			return;
		p->started = 1;
		if (p->line.len == 3 && memcmp(p->line.buf, sse_bom, 3) == 0) {
			strbuf_reset(&p->line);
		} else {
			/* Not a BOM: feed the held bytes as ordinary ones. */
			char held[3];
			size_t n = p->line.len;

			memcpy(held, p->line.buf, n);
			strbuf_reset(&p->line);
			sse_feed(p, held, n);
		}
		data += take;
		len -= take;
	}
	if (p->prev_cr && len > 0) {
		/* A CR ended the previous piece: an LF here is its CRLF's, not an empty line. */
		if (data[0] == '\n')
			start = 1;
		p->prev_cr = 0;
	}
	for (i = start; i < len; i++) {
		char c = data[i];

		if (c != '\r' && c != '\n')
			continue;
		strbuf_add(&p->line, data + start, i - start);
		sse_line(p);
		if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		else if (c == '\r' && i + 1 == len)
			p->prev_cr = 1;
		start = i + 1;
	}
	if (start < len)
		strbuf_add(&p->line, data + start, len - start);
}

int
sse_end(sse_parser *p)
{
	int partial = p->data.len > 0 || p->line.len > 0;

	if (!p->started && p->line.len > 0) {
		p->started = 1;
		partial = 1;
	}
	strbuf_reset(&p->line);
	strbuf_reset(&p->data);
	strbuf_reset(&p->event);
	return partial;
}

void
sse_clean(sse_parser *p)
{
	strbuf_free(&p->line);
	strbuf_free(&p->data);
	strbuf_free(&p->event);
	free(p->last_id);
	p->last_id = NULL;
}

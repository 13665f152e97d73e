#include "config.h"

#include "util/termsafe.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"

enum termsafe_state {
	TS_TEXT,    /* ordinary text */
	TS_ESC,     /* after ESC */
	TS_CSI,     /* ESC [ ... until a final byte 0x40-0x7e */
	TS_STRING,  /* OSC, DCS, SOS, PM, APC: until BEL or ST */
	TS_STRING_ESC, /* an ESC inside a string: the ST's first half */
};

void
termsafe_stream_init(termsafe_stream *t, termsafe_mode mode)
{
	memset(t, 0, sizeof(*t));
	t->mode = mode;
}

static void
termsafe_space(termsafe_stream *t, unsigned char c, int after_cr, strbuf *out)
{
	if (t->mode == TERMSAFE_LINE) {
		strbuf_addch(out, ' ');
		return;
	}
	if (c == '\n' && after_cr)
		return;
	strbuf_addch(out, c == '\t' ? '\t' : '\n');
}

/* A byte that ends or continues an escape sequence; 1 when consumed. */
static int
termsafe_escape(termsafe_stream *t, unsigned char c)
{
	switch (t->state) {
	case TS_ESC:
		if (c == '[')
			t->state = TS_CSI;
		else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
			t->state = TS_STRING;
		else if (c >= 0x20 && c < 0x30)
			return 1; /* an intermediate byte: the final one follows */
		else
			t->state = TS_TEXT;
		return 1;
	case TS_CSI:
		if (c >= 0x40 && c <= 0x7e)
			t->state = TS_TEXT;
		else if (c < 0x20 || c > 0x3f)
			t->state = c == 0x1b ? TS_ESC : TS_TEXT;
		return 1;
	case TS_STRING:
		if (c == 0x07)
			t->state = TS_TEXT;
		else if (c == 0x1b)
			t->state = TS_STRING_ESC;
		return 1;
	case TS_STRING_ESC:
		t->state = c == '\\' ? TS_TEXT : TS_STRING;
		return 1;
	}
	return 0;
}

static size_t
termsafe_utf8_len(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Code points that are controls in disguise: C1 (U+0080-U+009F, which
 * some terminals obey as CSI, OSC...) and the bidirectional overrides
 * and isolates (U+202A-U+202E, U+2066-U+2069), which reorder what is
 * shown so that a line reads other than it is. */
static int
termsafe_utf8_hidden(const unsigned char *u)
{
	if (u[0] == 0xc2 && u[1] < 0xa0)
		return 1;
	return u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
				(u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9));
}

/* A complete multi-byte sequence: copied when valid and not hidden. */
static void
termsafe_utf8_done(termsafe_stream *t, strbuf *out)
{
	const unsigned char *u = t->utf8;
	int bad = (u[0] == 0xe0 && u[1] < 0xa0) || (u[0] == 0xed && u[1] > 0x9f) ||
		  (u[0] == 0xf0 && u[1] < 0x90) || (u[0] == 0xf4 && u[1] > 0x8f);

	if (bad)
		strbuf_addstr(out, REPLACEMENT);
	else if (!termsafe_utf8_hidden(u))
		strbuf_add(out, u, t->nutf8);
	t->nutf8 = t->want = 0;
}

static void
termsafe_byte(termsafe_stream *t, unsigned char c, strbuf *out)
{
	int after_cr = t->prev_cr;

	t->prev_cr = 0;
	if (t->want) {
		if ((c & 0xc0) == 0x80) {
			t->utf8[t->nutf8++] = c;
			if (t->nutf8 == t->want)
				termsafe_utf8_done(t, out);
			return;
		}
		strbuf_addstr(out, REPLACEMENT);
		t->nutf8 = t->want = 0;
	}
	if (termsafe_escape(t, c))
		return;
	if (c == 0x1b) {
		t->state = TS_ESC;
	} else if (c == '\n' || c == '\t' || c == '\r') {
		termsafe_space(t, c, after_cr, out);
		t->prev_cr = c == '\r';
	} else if (c >= 0x20 && c < 0x7f) {
		strbuf_addch(out, (char)c);
	} else if (c >= 0x80) {
		t->want = termsafe_utf8_len(c);
		if (t->want) {
			t->utf8[0] = c;
			t->nutf8 = 1;
		} else {
			strbuf_addstr(out, REPLACEMENT);
		}
	}
}

void
termsafe_stream_feed(termsafe_stream *t, const char *data, size_t len, strbuf *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		termsafe_byte(t, (unsigned char)data[i], out);
}

void
termsafe_stream_end(termsafe_stream *t, strbuf *out)
{
	if (t->want)
		strbuf_addstr(out, REPLACEMENT);
	t->nutf8 = t->want = 0;
	t->state = TS_TEXT;
}

char *
termsafe(const char *s, termsafe_mode mode)
{
	termsafe_stream t;
	strbuf out = { 0 };

	termsafe_stream_init(&t, mode);
	if (s)
		termsafe_stream_feed(&t, s, strlen(s), &out);
	termsafe_stream_end(&t, &out);
	return strbuf_detach(&out);
}

void
termsafe_replace(char **s, termsafe_mode mode)
{
	char *safe = termsafe(*s, mode);

	free(*s);
	*s = safe;
}

void
termsafe_buffer(char *buf, size_t size, termsafe_mode mode)
{
	char *safe = termsafe(buf, mode);
	size_t n = strlen(safe);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)safe[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, safe, n);
	buf[n] = '\0';
	free(safe);
}

void
termsafe_cut(char *s, size_t max)
{
	static const char more[] = "\xe2\x80\xa6";
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max - (sizeof(more) - 1);
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(s + n, more, sizeof(more));
}

void
termsafe_fputs(const char *s, termsafe_mode mode, FILE *f)
{
	char *safe = termsafe(s, mode);

	fputs(safe, f);
	free(safe);
}

void
termsafe_error(const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fprintf(stderr, "%s: ", PACKAGE_NAME);
	termsafe_fputs(msg, TERMSAFE_LINE, stderr);
	fputc('\n', stderr);
	free(msg);
}

#include "config.h"

#include "ui/md.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MD_TAB 4

void
md_add(md_buf *b, const char *s, size_t n, theme_element el)
{
	strbuf_add(&b->text, s, n);
	while (n-- > 0)
		strbuf_addch(&b->el, (char)el);
}

void
md_buf_free(md_buf *b)
{
	strbuf_free(&b->text);
	strbuf_free(&b->el);
}

void
md_lines_add(md_lines *out, const char *text, const char *el, size_t len)
{
	md_line *l;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	l = &out->v[out->n++];
	l->text = xmalloc(len + 1);
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	l->el = xmalloc(len + 1);
	memcpy(l->el, el, len);
	l->len = len;
}

void
md_lines_free(md_lines *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		free(out->v[i].text);
		free(out->v[i].el);
	}
	free(out->v);
	memset(out, 0, sizeof(*out));
}

/* The next character of s[0, n): its length and display width. */
static size_t
md_char(const char *s, size_t n, int *width)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;

	memset(&st, 0, sizeof(st));
	k = mbrtowc(&wc, s, n, &st);
	if (k == 0 || k == (size_t)-1 || k == (size_t)-2) {
		*width = 1;
		return 1;
	}
	*width = wcwidth(wc);
	if (*width < 0)
		*width = 1;
	return k;
}

static int
md_width(const char *s, size_t n)
{
	size_t k = 0;
	int w, total = 0;

	while (k < n) {
		k += md_char(s + k, n - k, &w);
		total += w;
	}
	return total;
}

/* Ends the line being built at cut, and starts the next one with indent
 * blanks and what the line held from from on. */
static void
md_break(md_lines *out, md_buf *cur, size_t cut, size_t from, int indent)
{
	md_buf next = { 0 };
	int i;

	md_lines_add(out, strbuf_str(&cur->text), strbuf_str(&cur->el), cut);
	for (i = 0; i < indent; i++)
		md_add(&next, " ", 1, THEME_TEXT);
	strbuf_add(&next.text, cur->text.buf + from, cur->text.len - from);
	strbuf_add(&next.el, cur->el.buf + from, cur->el.len - from);
	md_buf_free(cur);
	*cur = next;
}

void
md_wrap(md_lines *out, const md_buf *prefix, const md_buf *body, int indent, int cols, int words)
{
	md_buf cur = { 0 };
	size_t i = 0, k, start, space = 0;
	int width, w;

	if (indent > cols / 2)
		indent = 0;
	strbuf_add(&cur.text, strbuf_str(&prefix->text), prefix->text.len);
	strbuf_add(&cur.el, strbuf_str(&prefix->el), prefix->el.len);
	start = cur.text.len;
	width = md_width(strbuf_str(&cur.text), cur.text.len);
	while (i < body->text.len) {
		k = md_char(body->text.buf + i, body->text.len - i, &w);
		if (width + w > cols && cur.text.len > start) {
			if (words && space > start)
				md_break(out, &cur, space, space + 1, indent);
			else
				md_break(out, &cur, cur.text.len, cur.text.len, indent);
			start = (size_t)indent;
			space = 0;
			width = md_width(cur.text.buf, cur.text.len);
			if (body->text.buf[i] == ' ' && cur.text.len == start) {
				i++;
				continue;
			}
		}
		if (body->text.buf[i] == ' ')
			space = cur.text.len;
		strbuf_add(&cur.text, body->text.buf + i, k);
		strbuf_add(&cur.el, body->el.buf + i, k);
		width += w;
		i += k;
	}
	md_lines_add(out, strbuf_str(&cur.text), strbuf_str(&cur.el), cur.text.len);
	md_buf_free(&cur);
}

static char *
md_safe(const char *text, size_t len)
{
	char *raw = xmalloc(len + 1), *safe;
	strbuf sb = { 0 };
	size_t i, col = 0;

	memcpy(raw, text, len);
	raw[len] = '\0';
	safe = termsafe(raw, TERMSAFE_TEXT);
	for (i = 0; safe[i]; i++) {
		if (safe[i] == '\t') {
			do
				strbuf_addch(&sb, ' ');
			while (++col % MD_TAB);
			continue;
		}
		strbuf_addch(&sb, safe[i]);
		col = safe[i] == '\n' ? 0 : ((safe[i] & 0xc0) == 0x80 ? col : col + 1);
	}
	free(raw);
	free(safe);
	return strbuf_detach(&sb);
}

void
md_each_line(const char *text, size_t len, void (*fn)(const char *s, size_t len, void *arg), void *arg)
{
	char *safe = md_safe(text, len);
	const char *p = safe, *nl;

	for (;;) {
		nl = strchr(p, '\n');
		fn(p, nl ? (size_t)(nl - p) : strlen(p), arg);
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	free(safe);
}

typedef struct md_plain_job {
	int cols;
	theme_element el;
	md_lines *out;
} md_plain_job;

static void
md_plain_line(const char *s, size_t len, void *arg)
{
	md_plain_job *j = arg;
	md_buf pre = { 0 }, body = { 0 };

	md_add(&body, s, len, j->el);
	md_wrap(j->out, &pre, &body, 0, j->cols, 1);
	md_buf_free(&body);
}

void
md_plain(const char *text, size_t len, int cols, theme_element el, md_lines *out)
{
	md_plain_job j = { cols > 8 ? cols : 8, el, out };

	md_each_line(text, len, md_plain_line, &j);
}

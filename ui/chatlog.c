#include "config.h"

#include "pipeline/chat.h"
#include "ui/chatlog.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct chatlog_msg {
	int assistant;
	strbuf text;
	int streaming, interrupted;
	char *note;                 /* a failure, or the tokens used */
	theme_element note_el;
	md_lines lines;             /* laid out for cols, unless dirty */
	int cols, dirty;
	size_t first;               /* its first line in the last layout */
} chatlog_msg;

struct chatlog {
	chatlog_msg *m;
	size_t n;
	const md_line **lines;      /* every message's lines, in order */
	size_t *msg_of;             /* the message of each of them */
	size_t nlines, cap;
};

chatlog *
chatlog_new(void)
{
	return xcalloc(1, sizeof(chatlog));
}

void
chatlog_free(chatlog *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		strbuf_free(&l->m[i].text);
		free(l->m[i].note);
		md_lines_free(&l->m[i].lines);
	}
	free(l->m);
	free(l->lines);
	free(l->msg_of);
	free(l);
}

static chatlog_msg *
chatlog_push(chatlog *l, int assistant)
{
	chatlog_msg *m;

	l->m = xrealloc(l->m, (l->n + 1) * sizeof(*l->m));
	m = &l->m[l->n++];
	memset(m, 0, sizeof(*m));
	m->assistant = assistant;
	m->dirty = 1;
	return m;
}

static chatlog_msg *
chatlog_last(chatlog *l)
{
	return l->n > 0 ? &l->m[l->n - 1] : NULL;
}

void
chatlog_add(chatlog *l, const char *role, const char *text)
{
	chatlog_msg *m = chatlog_push(l, strcmp(role, "assistant") == 0);
	size_t len = strlen(text), mark = strlen(CHAT_INTERRUPTED);

	if (m->assistant && len >= mark && strcmp(text + len - mark, CHAT_INTERRUPTED) == 0 &&
	    (len == mark || text[len - mark - 1] == '\n')) {
		m->interrupted = 1;
		len -= mark;
		while (len > 0 && text[len - 1] == '\n')
			len--;
	}
	strbuf_add(&m->text, text, len);
}

void
chatlog_reply_start(chatlog *l)
{
	chatlog_push(l, 1)->streaming = 1;
}

void
chatlog_reply_text(chatlog *l, const char *text, size_t len)
{
	chatlog_msg *m = chatlog_last(l);

	if (!m || !m->streaming)
		return;
	strbuf_add(&m->text, text, len);
	m->dirty = 1;
}

void
chatlog_reply_end(chatlog *l, chatlog_end how, const char *note)
{
	chatlog_msg *m = chatlog_last(l);

	if (!m || !m->streaming)
		return;
	m->streaming = 0;
	m->interrupted = how == CHATLOG_INTERRUPTED;
	if (how == CHATLOG_FAILED && note) {
		free(m->note);
		m->note = xstrdup(note);
		m->note_el = THEME_ERROR;
	}
	m->dirty = 1;
}

void
chatlog_note(chatlog *l, const char *note)
{
	chatlog_msg *m = chatlog_last(l);

	if (!m)
		return;
	free(m->note);
	m->note = xstrdup(note);
	m->note_el = THEME_CHAT_NOTE;
	m->dirty = 1;
}

int
chatlog_streaming(const chatlog *l)
{
	return l->n > 0 && l->m[l->n - 1].streaming;
}

static void
chatlog_lay_message(chatlog_msg *m, int cols)
{
	const char *label = m->assistant ? (m->streaming ? "assistant ..." : "assistant") : "you";

	md_lines_free(&m->lines);
	md_plain(label, strlen(label), cols, m->assistant ? THEME_CHAT_ASSISTANT : THEME_CHAT_USER, &m->lines);
	if (m->assistant)
		markdown_render(strbuf_str(&m->text), m->text.len, cols, &m->lines);
	else
		md_plain(strbuf_str(&m->text), m->text.len, cols, THEME_TEXT, &m->lines);
	if (m->interrupted)
		md_plain(CHAT_INTERRUPTED, strlen(CHAT_INTERRUPTED), cols, THEME_CHAT_NOTE, &m->lines);
	if (m->note)
		md_plain(m->note, strlen(m->note), cols, m->note_el, &m->lines);
	md_plain("", 0, cols, THEME_TEXT, &m->lines);
	m->cols = cols;
	m->dirty = 0;
}

size_t
chatlog_layout(chatlog *l, int cols)
{
	size_t i, k;

	l->nlines = 0;
	for (i = 0; i < l->n; i++) {
		chatlog_msg *m = &l->m[i];
		if (m->dirty || m->cols != cols)
			chatlog_lay_message(m, cols);
		m->first = l->nlines;
		for (k = 0; k < m->lines.n; k++) {
			if (l->nlines == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 64;
				l->lines = xrealloc(l->lines, l->cap * sizeof(*l->lines));
				l->msg_of = xrealloc(l->msg_of, l->cap * sizeof(*l->msg_of));
			}
			l->msg_of[l->nlines] = i;
			l->lines[l->nlines++] = &m->lines.v[k];
		}
	}
	return l->nlines;
}

const md_line *
chatlog_line(const chatlog *l, size_t i)
{
	return i < l->nlines ? l->lines[i] : NULL;
}

size_t
chatlog_nlines(const chatlog *l)
{
	return l->nlines;
}

size_t
chatlog_count(const chatlog *l)
{
	return l->n;
}

size_t
chatlog_message_of(const chatlog *l, size_t line)
{
	return line < l->nlines ? l->msg_of[line] : l->n;
}

size_t
chatlog_first_line(const chatlog *l, size_t i)
{
	return i < l->n ? l->m[i].first : l->nlines;
}

const char *
chatlog_text(const chatlog *l, size_t i, size_t *len)
{
	if (i >= l->n)
		return NULL;
	*len = l->m[i].text.len;
	return strbuf_str(&l->m[i].text);
}

int
chatlog_is_reply(const chatlog *l, size_t i)
{
	return i < l->n && l->m[i].assistant;
}

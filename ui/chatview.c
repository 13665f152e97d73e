#include "config.h"

#include "ui/chatview.h"

static size_t
chatview_height(const chatview *v)
{
	return v->height > 0 ? (size_t)v->height : 1;
}

/* The top that shows the end. */
static size_t
chatview_end_top(const chatview *v, const chatlog *l)
{
	size_t n = chatlog_nlines(l), h = chatview_height(v);

	return n > h ? n - h : 0;
}

static size_t
chatview_last_shown(const chatview *v, const chatlog *l)
{
	size_t n = chatlog_nlines(l), end = v->top + chatview_height(v);

	return (end < n ? end : n) - 1;
}

static int
chatview_shows(const chatview *v, const chatlog *l, size_t i)
{
	return chatlog_first_line(l, i) < v->top + chatview_height(v) && chatlog_first_line(l, i + 1) > v->top;
}

/* Scrolls so that the mark's first line shows, and as much of the
 * message below it as fits. */
static void
chatview_show_mark(chatview *v, const chatlog *l)
{
	size_t first = chatlog_first_line(l, v->mark), end = chatlog_first_line(l, v->mark + 1);
	size_t h = chatview_height(v), fit = end > h ? end - h : 0;

	if (first < v->top)
		v->top = first;
	else if (first >= v->top + h)
		v->top = fit < first ? fit : first;
	if (v->top > chatview_end_top(v, l))
		v->top = chatview_end_top(v, l);
}

size_t
chatview_top(chatview *v, const chatlog *l)
{
	size_t n = chatlog_count(l);

	if (v->reading && n == 0)
		chatview_leave(v);
	if (!v->reading)
		return chatview_end_top(v, l);
	if (v->mark >= n)
		v->mark = n - 1;
	if (v->top > chatview_end_top(v, l))
		v->top = chatview_end_top(v, l);
	if (!chatview_shows(v, l, v->mark))
		chatview_show_mark(v, l);
	return v->top;
}

size_t
chatview_below(const chatview *v, const chatlog *l)
{
	size_t n = chatlog_nlines(l), end = (v->reading ? v->top : chatview_end_top(v, l)) + chatview_height(v);

	return n > end ? n - end : 0;
}

void
chatview_read(chatview *v, const chatlog *l)
{
	if (v->reading || chatlog_nlines(l) == 0)
		return;
	v->reading = 1;
	v->top = chatview_end_top(v, l);
	v->mark = chatlog_message_of(l, chatview_last_shown(v, l));
}

void
chatview_scroll(chatview *v, const chatlog *l, long lines)
{
	size_t end = chatview_end_top(v, l);

	if (!v->reading && lines < 0)
		chatview_read(v, l);
	if (!v->reading)
		return;
	if (lines < 0)
		v->top = (size_t)-lines > v->top ? 0 : v->top - (size_t)-lines;
	else
		v->top = v->top + (size_t)lines < end ? v->top + (size_t)lines : end;
	if (lines > 0 && v->top >= end) {
		chatview_leave(v);
		return;
	}
	/* Scrolled back, the mark went off the bottom: the message there. */
	if (!chatview_shows(v, l, v->mark))
		v->mark = chatlog_message_of(l, lines < 0 ? chatview_last_shown(v, l) : v->top);
}

void
chatview_pick(chatview *v, const chatlog *l, long by)
{
	long n = (long)chatlog_count(l), to = (long)v->mark + by;

	if (!v->reading || n == 0)
		return;
	v->mark = (size_t)(to < 0 ? 0 : to >= n ? n - 1 : to);
	chatview_show_mark(v, l);
}

void
chatview_leave(chatview *v)
{
	v->reading = 0;
	v->top = 0;
	v->mark = 0;
}

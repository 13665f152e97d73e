#include "config.h"

#include "ui/cmdline.h"
#include "ui/keys.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cmdline {
	char buf[CMDLINE_MAX];
	size_t len, cur;
	char **hist;            /* oldest first */
	size_t nhist, hmax, hpos; /* hpos == nhist: the line being typed */
	char draft[CMDLINE_MAX]; /* that line, while Up shows older ones */
	char matches[CMDLINE_MAX];
};

cmdline *
cmdline_new(size_t history_max)
{
	cmdline *c = xcalloc(1, sizeof(*c));

	c->hmax = history_max ? history_max : 1;
	c->hist = xcalloc(c->hmax, sizeof(*c->hist));
	return c;
}

void
cmdline_free(cmdline *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nhist; i++)
		free(c->hist[i]);
	free(c->hist);
	free(c);
}

static void
cmdline_set(cmdline *c, const char *text)
{
	snprintf(c->buf, sizeof(c->buf), "%s", text);
	c->len = c->cur = strlen(c->buf);
}

void
cmdline_clear(cmdline *c)
{
	cmdline_set(c, "");
	c->hpos = c->nhist;
	c->matches[0] = '\0';
}

const char *
cmdline_text(const cmdline *c)
{
	return c->buf;
}

size_t
cmdline_cursor(const cmdline *c)
{
	return c->cur;
}

const char *
cmdline_matches(const cmdline *c)
{
	return c->matches;
}

/* Replaces [from, c->cur) with text of n bytes; the cursor after it. */
static void
cmdline_replace(cmdline *c, size_t from, const char *text, size_t n)
{
	size_t tail = c->len - c->cur;

	if (from + n + tail >= sizeof(c->buf))
		return;
	memmove(c->buf + from + n, c->buf + c->cur, tail + 1);
	memcpy(c->buf + from, text, n);
	c->len = from + n + tail;
	c->cur = from + n;
}

/* The start of the UTF-8 character before (dir < 0) or after the cursor. */
static size_t
cmdline_step(const cmdline *c, size_t at, int dir)
{
	if (dir < 0) {
		while (at > 0 && ((unsigned char)c->buf[--at] & 0xc0) == 0x80)
			;
		return at;
	}
	while (at < c->len && ((unsigned char)c->buf[++at] & 0xc0) == 0x80)
		;
	return at;
}

void
cmdline_history_add(cmdline *c, const char *text)
{
	if (!*text || strlen(text) >= CMDLINE_MAX || (c->nhist > 0 && strcmp(c->hist[c->nhist - 1], text) == 0))
		return;
	if (c->nhist == c->hmax) {
		free(c->hist[0]);
		memmove(c->hist, c->hist + 1, (c->hmax - 1) * sizeof(*c->hist));
		c->nhist--;
	}
	c->hist[c->nhist++] = xstrdup(text);
	c->hpos = c->nhist;
}

size_t
cmdline_history_count(const cmdline *c)
{
	return c->nhist;
}

const char *
cmdline_history_get(const cmdline *c, size_t i)
{
	return i < c->nhist ? c->hist[i] : NULL;
}

static void
cmdline_history_walk(cmdline *c, int dir)
{
	if (dir < 0 && c->hpos == 0)
		return;
	if (dir > 0 && c->hpos == c->nhist)
		return;
	if (c->hpos == c->nhist)
		snprintf(c->draft, sizeof(c->draft), "%s", c->buf);
	c->hpos = dir < 0 ? c->hpos - 1 : c->hpos + 1;
	cmdline_set(c, c->hpos == c->nhist ? c->draft : c->hist[c->hpos]);
}

/* The longest prefix the candidates share. */
static size_t
cmdline_common(char **v)
{
	size_t n = strlen(v[0]), i, k;

	for (i = 1; v[i]; i++) {
		for (k = 0; k < n && v[i][k] == v[0][k]; k++)
			;
		n = k;
	}
	return n;
}

static void
cmdline_complete(cmdline *c, cmdline_completer complete, void *arg)
{
	size_t start = c->cur, n, len = 0, i;
	char before[CMDLINE_MAX], word[CMDLINE_MAX], **v;

	while (start > 0 && c->buf[start - 1] != ' ')
		start--;
	memcpy(before, c->buf, start);
	before[start] = '\0';
	memcpy(word, c->buf + start, c->cur - start);
	word[c->cur - start] = '\0';
	v = complete ? complete(before, word, arg) : NULL;
	if (!v || !v[0]) {
		strv_free(v);
		return;
	}
	n = cmdline_common(v);
	cmdline_replace(c, start, v[0], n);
	if (!v[1] && n > 0 && v[0][n - 1] != '/' && (c->cur == c->len || c->buf[c->cur] != ' '))
		cmdline_replace(c, c->cur, " ", 1);
	for (i = 0; v[1] && v[i] && len + strlen(v[i]) + 2 < sizeof(c->matches); i++)
		len += (size_t)snprintf(c->matches + len, sizeof(c->matches) - len, "%s%s", i ? "  " : "", v[i]);
	strv_free(v);
}

static void
cmdline_insert(cmdline *c, int key)
{
	char mb[8];
	int n = wctomb(mb, (wchar_t)key);

	if (n > 0)
		cmdline_replace(c, c->cur, mb, (size_t)n);
}

/* Keys that move or delete. 1 when key was one of them. */
static int
cmdline_edit(cmdline *c, int key)
{
	size_t at;

	if (key == KEYS_LEFT && c->cur > 0)
		c->cur = cmdline_step(c, c->cur, -1);
	else if (key == KEYS_RIGHT && c->cur < c->len)
		c->cur = cmdline_step(c, c->cur, 1);
	else if (key == KEYS_HOME)
		c->cur = 0;
	else if (key == KEYS_END || key == KEYS_CTRL('e'))
		c->cur = c->len;
	else if (key == KEYS_BACKSPACE && c->cur > 0) {
		at = cmdline_step(c, c->cur, -1);
		cmdline_replace(c, at, "", 0);
	} else if (key == KEYS_DEL && c->cur < c->len) {
		c->cur = cmdline_step(c, c->cur, 1);
		cmdline_edit(c, KEYS_BACKSPACE);
	} else if (key == KEYS_CTRL('u')) {
		cmdline_replace(c, 0, "", 0);
	} else if (key == KEYS_CTRL('w')) {
		for (at = c->cur; at > 0 && c->buf[at - 1] == ' '; at--)
			;
		while (at > 0 && c->buf[at - 1] != ' ')
			at--;
		cmdline_replace(c, at, "", 0);
	} else
		return key == KEYS_LEFT || key == KEYS_RIGHT || key == KEYS_BACKSPACE || key == KEYS_DEL;
	return 1;
}

int
cmdline_key(cmdline *c, int key, cmdline_completer complete, void *arg)
{
	if (key != KEYS_TAB)
		c->matches[0] = '\0';
	if (key == KEYS_ESC || key == KEYS_CTRL('c') || key == KEYS_CTRL('g') || (key == KEYS_BACKSPACE && c->len == 0))
		return CMDLINE_CANCEL;
	if (key == KEYS_ENTER) {
		cmdline_history_add(c, c->buf);
		c->hpos = c->nhist;
		return CMDLINE_DONE;
	}
	if (key == KEYS_TAB) {
		c->matches[0] = '\0';
		cmdline_complete(c, complete, arg);
	} else if (key == KEYS_UP || key == KEYS_DOWN)
		cmdline_history_walk(c, key == KEYS_UP ? -1 : 1);
	else if (!cmdline_edit(c, key) && key >= 0x20 && key < KEYS_BASE && key != 0x7f)
		cmdline_insert(c, key);
	return CMDLINE_EDITED;
}

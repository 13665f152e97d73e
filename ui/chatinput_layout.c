#include "config.h"

#include "ui/chatinput.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CHATINPUT_TAB 8

/* The row being filled, and where the cursor went. */
typedef struct layout {
	wchar_t *cells;
	size_t n, cap, prompt_chars;
	int row, col, cols, indent;
	chatinput_row_fn fn;
	void *arg;
} layout;

/* Room for one more cell and the terminating L'\0'. */
static void
layout_grow(layout *l)
{
	if (l->n + 2 > l->cap) {
		l->cap = l->cap ? l->cap * 2 : 128;
		l->cells = xrealloc(l->cells, l->cap * sizeof(wchar_t));
	}
}

static void
layout_put(layout *l, wchar_t wc, int width)
{
	layout_grow(l);
	l->cells[l->n++] = wc;
	l->col += width;
}

static void
layout_emit(layout *l)
{
	if (!l->fn)
		return;
	layout_grow(l);
	l->cells[l->n] = L'\0';
	l->fn(l->row, l->cells, l->n, l->prompt_chars, l->arg);
}

/* Ends the row and starts the next one, under the text. */
static void
layout_newrow(layout *l)
{
	int i;

	layout_emit(l);
	l->row++;
	l->n = l->prompt_chars = 0;
	l->col = 0;
	for (i = 0; i < l->indent; i++)
		layout_put(l, L' ', 1);
}

/* How the character at s shows: up to 8 cells in out (their widths in
 * *width); its bytes. */
static size_t
layout_char(const char *s, size_t len, int col, wchar_t *out, size_t *nout, int *width)
{
	mbstate_t st;
	wchar_t wc;
	size_t k;
	int w;

	memset(&st, 0, sizeof(st));
	k = mbrtowc(&wc, s, len, &st);
	*nout = 1;
	*width = 1;
	if (k == (size_t)-1 || k == (size_t)-2) {
		out[0] = 0xfffd;
		return 1;
	}
	if (k == 0)
		k = 1;
	if (wc == L'\t') {
		*width = CHATINPUT_TAB - col % CHATINPUT_TAB;
		for (*nout = 0; *nout < (size_t)*width; (*nout)++)
			out[*nout] = L' ';
		return k;
	}
	if (wc < 0x20 || wc == 0x7f) {
		out[0] = L'^';
		out[1] = wc == 0x7f ? L'?' : (wchar_t)(wc + '@');
		*nout = 2;
		*width = 2;
		return k;
	}
	w = wcwidth(wc);
	out[0] = w < 0 ? 0xfffd : wc;
	*width = w < 0 ? 1 : w;
	return k;
}

/* Lays s[0, len) on; the cursor lands before byte point (ignored when
 * point is past len). */
static void
layout_text(layout *l, const char *s, size_t len, size_t point, int *crow, int *ccol)
{
	wchar_t cells[CHATINPUT_TAB];
	size_t i = 0, k, n, j;
	int w;

	while (i < len) {
		if (s[i] == '\n') {
			if (i == point)
				*crow = l->row, *ccol = l->col;
			layout_newrow(l);
			i++;
			continue;
		}
		k = layout_char(s + i, len - i, l->col - l->indent, cells, &n, &w);
		if (l->col + w > l->cols && l->col > l->indent)
			layout_newrow(l);
		if (i == point)
			*crow = l->row, *ccol = l->col;
		for (j = 0; j < n; j++)
			layout_put(l, cells[j], n > 1 ? w / (int)n : w);
		i += k;
	}
}

int
chatinput_layout(const char *prompt, const char *text, size_t point, int cols, chatinput_row_fn row, void *arg,
	int *crow, int *ccol)
{
	layout l = { .cols = cols > 1 ? cols : 1, .fn = row, .arg = arg };
	size_t len = strlen(text);
	int r = -1, c = 0;

	layout_text(&l, prompt, strlen(prompt), (size_t)-1, &r, &c);
	l.prompt_chars = l.n;
	l.indent = l.col < l.cols / 2 ? l.col : 0;
	layout_text(&l, text, len, point, &r, &c);
	if (r < 0) { /* the cursor is after the text */
		if (l.col >= l.cols)
			layout_newrow(&l);
		r = l.row;
		c = l.col;
	}
	layout_emit(&l);
	free(l.cells);
	*crow = r;
	*ccol = c;
	return l.row + 1;
}

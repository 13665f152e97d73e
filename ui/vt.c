#include "config.h"

#include "ui/vt.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <vterm.h>

typedef struct vt_line_buf {
	vt_cell *cells;
	int n;
} vt_line_buf;

struct vt {
	VTerm *term;
	VTermScreen *screen;
	int rows, cols;
	vt_line_buf *sb;     /* ring */
	int sb_cap, sb_head, sb_n;
	long dropped;
};

static void
vt_from_vterm(vt *v, const VTermScreenCell *c, vt_cell *out)
{
	VTermColor fg = c->fg, bg = c->bg;

	out->ch = c->chars[0];
	out->width = (int8_t)c->width;
	out->attrs = (uint8_t)((c->attrs.bold ? VT_ATTR_BOLD : 0) | (c->attrs.underline ? VT_ATTR_UNDERLINE : 0) |
			       (c->attrs.reverse ? VT_ATTR_REVERSE : 0));
	(void)v;
	out->fg = VTERM_COLOR_IS_INDEXED(&fg) && !VTERM_COLOR_IS_DEFAULT_FG(&fg) ? fg.indexed.idx : -1;
	out->bg = VTERM_COLOR_IS_INDEXED(&bg) && !VTERM_COLOR_IS_DEFAULT_BG(&bg) ? bg.indexed.idx : -1;
}

static int
vt_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	vt *v = user;
	vt_line_buf *slot;
	int i, n = cols;

	while (n > 0 && cells[n - 1].chars[0] == 0)
		n--;
	if (v->sb_n == v->sb_cap) {
		slot = &v->sb[v->sb_head];
		v->sb_head = (v->sb_head + 1) % v->sb_cap;
		v->sb_n--;
		v->dropped++;
		free(slot->cells);
	}
	slot = &v->sb[(v->sb_head + v->sb_n) % v->sb_cap];
	slot->cells = xcalloc(n ? (size_t)n : 1, sizeof(vt_cell));
	slot->n = n;
	for (i = 0; i < n; i++)
		vt_from_vterm(v, &cells[i], &slot->cells[i]);
	v->sb_n++;
	return 1;
}

static const VTermScreenCallbacks vt_callbacks = { .sb_pushline = vt_pushline };

vt *
vt_new(int rows, int cols, int scrollback)
{
	vt *v = xcalloc(1, sizeof(*v));
	/* LF implies CR (newline mode): a log written through a pipe has bare
	 * LFs, and one written through a pty already has CR LF. */
	static const char lnm[] = "\033[20h";

	v->rows = rows;
	v->cols = cols;
	v->sb_cap = scrollback > 0 ? scrollback : 1;
	v->sb = xcalloc((size_t)v->sb_cap, sizeof(*v->sb));
	v->term = vterm_new(rows, cols);
	vterm_set_utf8(v->term, 1);
	v->screen = vterm_obtain_screen(v->term);
	vterm_screen_set_callbacks(v->screen, &vt_callbacks, v);
	vterm_screen_reset(v->screen, 1);
	vterm_input_write(v->term, lnm, sizeof(lnm) - 1);
	return v;
}

void
vt_free(vt *v)
{
	int i;

	if (!v)
		return;
	for (i = 0; i < v->sb_n; i++)
		free(v->sb[(v->sb_head + i) % v->sb_cap].cells);
	free(v->sb);
	vterm_free(v->term);
	free(v);
}

void
vt_feed(vt *v, const char *data, size_t len)
{
	vterm_input_write(v->term, data, len);
}

void
vt_resize(vt *v, int rows, int cols)
{
	if (rows == v->rows && cols == v->cols)
		return;
	v->rows = rows;
	v->cols = cols;
	vterm_set_size(v->term, rows, cols);
}

/* The screen's last row holding anything, or the cursor's row. */
static int
vt_screen_used(vt *v)
{
	VTermState *st = vterm_obtain_state(v->term);
	VTermScreenCell c;
	VTermPos pos, cur;
	int r;

	vterm_state_get_cursorpos(st, &cur);
	for (r = v->rows - 1; r > cur.row; r--)
		for (pos.row = r, pos.col = 0; pos.col < v->cols; pos.col++)
			if (vterm_screen_get_cell(v->screen, pos, &c) && c.chars[0] && c.chars[0] != ' ')
				return r + 1;
	/* A cursor at the start of an empty last line adds nothing. */
	pos.row = cur.row;
	for (pos.col = 0; pos.col < v->cols; pos.col++)
		if (vterm_screen_get_cell(v->screen, pos, &c) && c.chars[0] && c.chars[0] != ' ')
			return cur.row + 1;
	return cur.row;
}

long
vt_lines(vt *v)
{
	return v->sb_n + vt_screen_used(v);
}

long
vt_dropped(const vt *v)
{
	return v->dropped;
}

int
vt_line(vt *v, long i, vt_cell *out, int max)
{
	VTermScreenCell c;
	VTermPos pos;
	int n;

	if (i < 0)
		return 0;
	if (i < v->sb_n) {
		const vt_line_buf *l = &v->sb[(v->sb_head + i) % v->sb_cap];
		n = l->n < max ? l->n : max;
		memcpy(out, l->cells, (size_t)n * sizeof(vt_cell));
		return n;
	}
	pos.row = (int)(i - v->sb_n);
	if (pos.row >= v->rows)
		return 0;
	n = v->cols < max ? v->cols : max;
	for (pos.col = 0; pos.col < n; pos.col++) {
		memset(&c, 0, sizeof(c));
		vterm_screen_get_cell(v->screen, pos, &c);
		vt_from_vterm(v, &c, &out[pos.col]);
	}
	while (n > 0 && out[n - 1].ch == 0)
		n--;
	return n;
}

static size_t
vt_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t
vt_line_text(vt *v, long i, char *buf, size_t n, int *cellof)
{
	vt_cell cells[512];
	int k, count = vt_line(v, i, cells, 512);
	size_t len = 0, m, j;
	char mb[4];

	for (k = 0; k < count; k++) {
		if (cells[k].ch == 0 && k > 0 && cells[k - 1].width == 2)
			continue;
		m = vt_utf8(cells[k].ch ? cells[k].ch : ' ', mb);
		if (len + m + 1 > n)
			break;
		for (j = 0; j < m; j++) {
			if (cellof)
				cellof[len] = k;
			buf[len++] = mb[j];
		}
	}
	buf[len] = '\0';
	return len;
}

#include "config.h"

#include "ui/outview.h"

#include <string.h>

void
outview_init(outview *v, vt *term)
{
	memset(v, 0, sizeof(*v));
	v->term = term;
	v->rows = 1;
	v->cols = 80;
	v->wrap = 1;
	v->follow = 1;
	v->cur = -1;
}

long
outview_total(const outview *v)
{
	return vt_dropped(v->term) + vt_lines(v->term);
}

int
outview_fold(const vt_cell *cells, int n, int cols, int *starts, int max)
{
	int k, w, x = 0, rows = 1;

	if (max > 0)
		starts[0] = 0;
	if (cols < 2)
		cols = 2;
	for (k = 0; k < n; k++) {
		if (cells[k].ch == 0 && k > 0 && cells[k - 1].width == 2)
			continue; /* the second half of a wide character */
		w = cells[k].width == 2 ? 2 : 1;
		if (x + w > cols) {
			if (rows < max)
				starts[rows] = k;
			rows++;
			x = 0;
		}
		x += w;
	}
	return rows;
}

/* The rows line i (into the vt) takes. */
static int
outview_line_rows(outview *v, long i)
{
	vt_cell cells[OUTVIEW_MAX_CELLS];

	if (!v->wrap)
		return 1;
	return outview_fold(cells, vt_line(v->term, i, cells, OUTVIEW_MAX_CELLS), v->cols, NULL, 0);
}

/* top and top_sub such that the view ends with the last row of line
 * last (absolute). */
static void
outview_end_at(outview *v, long last)
{
	long first = vt_dropped(v->term), i;
	int used = 0, r;

	for (i = last; i >= first; i--) {
		r = outview_line_rows(v, i - first);
		if (used + r >= v->rows) {
			v->top = i;
			v->top_sub = used + r - v->rows;
			return;
		}
		used += r;
	}
	v->top = first;
	v->top_sub = 0;
}

static void
outview_clamp(outview *v)
{
	long first = vt_dropped(v->term);

	if (v->top < first) {
		v->top = first;
		v->top_sub = 0;
	}
	if (!v->follow && v->cur < first)
		v->cur = first;
}

/* Scrolls just enough that the cursor's line is in sight. */
static void
outview_show_cursor(outview *v)
{
	long first = vt_dropped(v->term), i;
	int used = 0;

	outview_clamp(v);
	if (v->cur < v->top || (v->cur == v->top && v->top_sub > 0)) {
		v->top = v->cur;
		v->top_sub = 0;
		return;
	}
	if (v->cur - v->top < v->rows) {
		for (i = v->top; i <= v->cur; i++)
			used += outview_line_rows(v, i - first) - (i == v->top ? v->top_sub : 0);
		if (used <= v->rows)
			return;
	}
	outview_end_at(v, v->cur);
}

int
outview_layout(outview *v, outview_row *rows)
{
	vt_cell cells[OUTVIEW_MAX_CELLS];
	int starts[OUTVIEW_MAX_CELLS];
	long n = vt_lines(v->term), first = vt_dropped(v->term), i;
	int y = 0, sub, k, count, len;

	if (v->follow)
		outview_end_at(v, first + n - 1);
	outview_clamp(v);
	for (i = v->top - first, sub = v->top_sub; i < n && y < v->rows; i++, sub = 0) {
		if (!v->wrap) {
			rows[y].line = i;
			rows[y].from = v->hoff;
			rows[y++].to = v->hoff + v->cols;
			continue;
		}
		len = vt_line(v->term, i, cells, OUTVIEW_MAX_CELLS);
		count = outview_fold(cells, len, v->cols, starts, OUTVIEW_MAX_CELLS);
		for (k = sub < count ? sub : count - 1; k < count && y < v->rows; k++, y++) {
			rows[y].line = i;
			rows[y].from = starts[k];
			rows[y].to = k + 1 < count ? starts[k + 1] : len;
		}
	}
	return y;
}

void
outview_move(outview *v, long by)
{
	long total = outview_total(v);

	if (total == 0)
		return;
	if (v->follow) {
		outview_end_at(v, total - 1);
		v->follow = 0;
		v->seen = total;
		v->cur = total - 1;
	}
	v->cur += by;
	if (v->cur >= total) {
		outview_follow(v);
		return;
	}
	outview_show_cursor(v);
}

void
outview_goto(outview *v, long line)
{
	if (v->follow)
		v->seen = outview_total(v);
	v->follow = 0;
	v->cur = line;
	v->top = line - v->rows / 2;
	v->top_sub = 0;
	outview_clamp(v);
}

void
outview_follow(outview *v)
{
	v->follow = 1;
	v->cur = -1;
}

void
outview_hscroll(outview *v, int by)
{
	if (v->wrap)
		return;
	v->hoff += by;
	if (v->hoff > OUTVIEW_MAX_CELLS - v->cols)
		v->hoff = OUTVIEW_MAX_CELLS - v->cols;
	if (v->hoff < 0)
		v->hoff = 0;
}

void
outview_toggle_wrap(outview *v)
{
	v->wrap = !v->wrap;
	v->top_sub = v->wrap && v->cols > 0 ? v->hoff / v->cols : 0;
}

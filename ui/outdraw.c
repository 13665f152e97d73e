#include "config.h"

#include "ui/draw.h"
#include "ui/outdraw.h"
#include "ui/theme.h"

#include <string.h>
#include <wchar.h>

/* A row of the output pane: a terminal model's line, cut to the pane,
 * in its colours (as the theme maps them), the search's matches and the
 * cursor's or a selection's look over them. */

static attr_t
outdraw_cell_attr(const vt_cell *c)
{
	attr_t a = A_NORMAL;
	short pair = theme_pair_for(c->fg, c->bg);

	if (c->attrs & VT_ATTR_BOLD)
		a |= A_BOLD;
	if (c->attrs & VT_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (c->attrs & VT_ATTR_REVERSE)
		a |= A_REVERSE;
	return a | (pair ? COLOR_PAIR(pair) : 0);
}

/* Marks the cells of line i that belong to a match of the query. */
static void
outdraw_marks(vt *term, const char *query, long i, char *marks, int max)
{
	char text[OUTDRAW_TEXT_MAX];
	int cellof[OUTDRAW_TEXT_MAX];
	size_t len, q = strlen(query), k;
	const char *hit;

	memset(marks, 0, (size_t)max);
	if (!q)
		return;
	len = vt_line_text(term, i, text, sizeof(text), cellof);
	for (hit = text; (hit = strstr(hit, query)) != NULL; hit += q)
		for (k = (size_t)(hit - text); k < (size_t)(hit - text) + q && k < len; k++)
			if (cellof[k] < max)
				marks[cellof[k]] = 1;
}

void
outdraw_row(WINDOW *w, int y, vt *term, const char *query, const outview_row *r, int cols, int look)
{
	vt_cell cells[OUTVIEW_MAX_CELLS];
	char marks[OUTVIEW_MAX_CELLS];
	int n = vt_line(term, r->line, cells, OUTVIEW_MAX_CELLS), k, x;
	attr_t sel = look >= 0 ? theme_attr((theme_element)look) : A_NORMAL;

	outdraw_marks(term, query, r->line, marks, OUTVIEW_MAX_CELLS);
	if (look >= 0)
		draw_clear_to_eol(w, y, 0, sel);
	for (k = r->from; k < r->to && k < n; k++) {
		wchar_t wc = (wchar_t)cells[k].ch;
		attr_t a = marks[k] ? theme_attr(THEME_MATCH) : look >= 0 ? sel : outdraw_cell_attr(&cells[k]);
		int cw = cells[k].width == 2 ? 2 : 1;

		x = k - r->from;
		if (wc == 0 && k > 0 && cells[k - 1].width == 2) {
			if (k > r->from)
				continue;
			wc = L' '; /* the half of a wide character cut at the left edge */
			cw = 1;
		}
		if (wc == 0)
			wc = L' ';
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			wc = L'?';
		if (x + cw > cols)
			break;
		wattr_set(w, a, PAIR_NUMBER(a), NULL);
		mvwaddnwstr(w, y, x, &wc, 1);
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

#include "config.h"

#include "ui/codedraw.h"
#include "ui/draw.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define CODEDRAW_TAB 4

void
codedraw_line(WINDOW *w, int y, int cols, const char *line, size_t len, const theme_element *el)
{
	size_t i = 0, n;
	int x = CODEDRAW_GUTTER, cw;
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (i < len && x < cols) {
		n = mbrtowc(&wc, line + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			wc = 0xfffd;
			n = 1;
		}
		if (wc == L'\t') {
			x += CODEDRAW_TAB - (x - CODEDRAW_GUTTER) % CODEDRAW_TAB;
			i += n;
			continue;
		}
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0))
			wc = L'?';
		cw = wcwidth(wc);
		if (cw < 0)
			wc = L'?', cw = 1;
		if (x + cw > cols)
			break;
		wattr_set(w, theme_attr(el[i]), PAIR_NUMBER(theme_attr(el[i])), NULL);
		mvwaddnwstr(w, y, x, &wc, 1);
		x += cw;
		i += n;
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

void
codedraw_line_as(WINDOW *w, int y, int cols, const char *line, size_t len, theme_element e)
{
	theme_element *el = xcalloc(len + 1, sizeof(*el));
	size_t i;

	for (i = 0; i < len; i++)
		el[i] = e;
	codedraw_line(w, y, cols, line, len, el);
	free(el);
}

void
codedraw_tabs(WINDOW *w, int cols, char *const *files, int n, int cur)
{
	int i, x = 0, first = 0, width = 0;

	/* The current file's tab stays in sight: earlier tabs give way. */
	for (i = cur; i >= 0; i--) {
		width += draw_width(files[i]) + 2;
		if (width > cols)
			break;
		first = i;
	}
	for (i = first; i < n && x < cols; i++)
		x += draw_textf(w, 0, x, cols - x, theme_attr(i == cur ? THEME_TAB_ACTIVE : THEME_TAB), " %s ", files[i]);
}

void
codedraw_diff(WINDOW *w, int rows, int cols, const linediff_line *dl, size_t n, int top)
{
	static const char sign[] = { ' ', '-', '+' };
	static const theme_element color[] = { THEME_TEXT, THEME_DIFF_DEL, THEME_DIFF_ADD };
	size_t i;
	int y = 1, num = 0;

	for (i = 0; i < n && y < rows; i++) {
		const linediff_line *l = &dl[i];

		if (l->kind != LINEDIFF_DEL)
			num++;
		if ((int)i < top)
			continue;
		if (l->kind == LINEDIFF_DEL)
			draw_textf(w, y, 0, CODEDRAW_GUTTER, theme_attr(color[l->kind]), "     %c", sign[l->kind]);
		else
			draw_textf(w, y, 0, CODEDRAW_GUTTER,
				theme_attr(l->kind == LINEDIFF_ADD ? THEME_DIFF_ADD : THEME_DIM), "%4d %c", num, sign[l->kind]);
		codedraw_line_as(w, y++, cols, l->text, l->len, color[l->kind]);
	}
}

#include "config.h"

#include "llm/price.h"
#include "ui/chatdraw.h"
#include "ui/chatinput.h"
#include "ui/draw.h"
#include "ui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void
chatdraw_cost(char *buf, size_t n, double cost, long unpriced, long calls)
{
	if (calls > 0 && unpriced >= calls)
		snprintf(buf, n, "cost unknown");
	else
		snprintf(buf, n, "%s%s", llm_price_format(cost), unpriced > 0 ? "+" : "");
}

static void
chatdraw_flush(WINDOW *w, int y, int x, const wchar_t *run, size_t n, int el)
{
	attr_t a = theme_attr((theme_element)el);

	if (n == 0)
		return;
	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	mvwaddnwstr(w, y, x, run, (int)n);
	wattr_set(w, A_NORMAL, 0, NULL);
}

/* A laid-out line (safe UTF-8), each run of characters in its element's
 * look (or all in over's, across the row), cut at cols. */
void
chatdraw_line(WINDOW *w, int y, int cols, const md_line *l, int over)
{
	wchar_t run[256], wc;
	size_t i = 0, k, n = 0;
	int x = 0, cw, el = 0, runx = 0;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	if (over >= 0)
		draw_clear_to_eol(w, y, 0, theme_attr((theme_element)over));
	while (i < l->len) {
		k = mbrtowc(&wc, l->text + i, l->len - i, &st);
		if (k == 0 || k == (size_t)-1 || k == (size_t)-2)
			break;
		cw = wcwidth(wc);
		if (cw < 0)
			wc = L'?', cw = 1;
		if (x + cw > cols)
			break;
		if (n > 0 && ((over < 0 && l->el[i] != el) || n == sizeof(run) / sizeof(run[0]))) {
			chatdraw_flush(w, y, runx, run, n, el);
			n = 0;
		}
		if (n == 0) {
			runx = x;
			el = over >= 0 ? over : l->el[i];
		}
		run[n++] = wc;
		x += cw;
		i += k;
	}
	chatdraw_flush(w, y, runx, run, n, el);
}

typedef struct chatdraw_rows {
	WINDOW *w;
	int top, first, last;   /* rows first..last of the layout go to top.. */
} chatdraw_rows;

static void
chatdraw_input_row(int row, const wchar_t *chars, size_t n, size_t prompt_chars, void *arg)
{
	chatdraw_rows *r = arg;
	attr_t pa = theme_attr(THEME_CHAT_USER), ta = theme_attr(THEME_TEXT);
	int y = r->top + row - r->first, x;

	if (row < r->first || row > r->last)
		return;
	wattr_set(r->w, pa, PAIR_NUMBER(pa), NULL);
	if (prompt_chars > 0)
		mvwaddnwstr(r->w, y, 0, chars, (int)prompt_chars);
	wattr_set(r->w, ta, PAIR_NUMBER(ta), NULL);
	x = prompt_chars > 0 ? getcurx(r->w) : 0;
	if (n > prompt_chars)
		mvwaddnwstr(r->w, y, x, chars + prompt_chars, (int)(n - prompt_chars));
	wattr_set(r->w, A_NORMAL, 0, NULL);
}

int
chatdraw_input(WINDOW *w, int rows, int cols, int *cy, int *cx)
{
	chatdraw_rows r = { .w = w };
	int n, crow, ccol, max = rows / 2 > 1 ? rows / 2 : 1;

	n = chatinput_layout(chatinput_prompt(), chatinput_text(), chatinput_point(), cols, NULL, NULL, &crow, &ccol);
	r.first = crow >= max ? crow - max + 1 : 0;
	r.last = r.first + (n < max ? n : max) - 1;
	r.top = rows - (r.last - r.first + 1);
	chatinput_layout(chatinput_prompt(), chatinput_text(), chatinput_point(), cols, chatdraw_input_row, &r, &crow,
		&ccol);
	*cy = r.top + crow - r.first;
	*cx = ccol < cols ? ccol : cols - 1;
	return r.top;
}

int
chatdraw_note(WINDOW *w, int rows, int cols, const char *text, theme_element el, const char *hint)
{
	md_lines l = { 0 };
	int top, i;

	md_plain(text, strlen(text), cols, el, &l);
	md_plain(hint, strlen(hint), cols, THEME_DIM, &l);
	top = rows - (int)l.n > 1 ? rows - (int)l.n : 1;
	for (i = 0; i < (int)l.n && top + i < rows; i++)
		chatdraw_line(w, top + i, cols, &l.v[i], -1);
	md_lines_free(&l);
	return top;
}

void
chatdraw_header(WINDOW *w, int cols, const char *provider, const chat_usage *turn, const store_llm_totals *run)
{
	char use[200], all[100], tc[64], rc[64];
	int x;

	x = draw_textf(w, 0, 0, cols, theme_attr(THEME_TITLE), "chat with %s ", provider ? provider : "no LLM provider");
	chatdraw_cost(rc, sizeof(rc), run->cost, run->unpriced, run->calls);
	snprintf(all, sizeof(all), "run %ld/%ld %s", run->input_tokens, run->output_tokens, rc);
	chatdraw_cost(tc, sizeof(tc), turn->cost, turn->unpriced, turn->calls);
	snprintf(use, sizeof(use), "tokens: turn %ld/%ld %s, %s", turn->input_tokens, turn->output_tokens, tc, all);
	if (turn->calls == 0 || x + draw_width(use) + 1 > cols)
		snprintf(use, sizeof(use), "tokens: %s", all);
	if (x + draw_width(use) + 1 <= cols)
		draw_text(w, 0, cols - draw_width(use), use, cols - x, theme_attr(THEME_DIM));
}

/* In box-drawing characters where the locale has them (as the frames:
 * a dump reads them back as text). */
void
chatdraw_rule(WINDOW *w, int y, int cols, const char *label)
{
	attr_t a = theme_attr(THEME_CHAT_NOTE);
	const wchar_t *h = MB_CUR_MAX > 1 ? L"\u2500" : L"-";
	int x;

	wattr_set(w, a, PAIR_NUMBER(a), NULL);
	for (x = 0; x < cols; x++)
		mvwaddnwstr(w, y, x, h, 1);
	wattr_set(w, A_NORMAL, 0, NULL);
	if (label)
		draw_text(w, y, 0, label, cols, a);
}

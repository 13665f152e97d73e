#include "config.h"

#include "ui/chrome.h"
#include "ui/draw.h"
#include "ui/theme.h"
#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* X(keys, what): the keys of every run pane; the help lists them after
 * the focused pane's own, and the README and man page say the same. */
#define CHROME_GLOBAL_KEYS(X)                                              \
	X("Tab S-Tab", "next / previous pane")                             \
	X("1 2 3 4 5", "competition, data profile, chat, code, output")    \
	X("r", "re-run the failed, cancelled and stale stages")            \
	X("R", "pick a stage to re-run from")                              \
	X("g", "write the code again (CODE and what follows)")             \
	X("x", "cancel the running stage")                                 \
	X("L", "back to the run list")                                     \
	X("C-l", "draw the whole screen again")                            \
	X("m", "mouse on / off (off: the terminal's own selection works)")  \
	X("?", "this help (Esc closes it)")                                \
	X("q", "quit; a running stage keeps running")

#define CHROME_HELP_ROW(k, w) { k, w },
static const pane_help chrome_global_help[] = { CHROME_GLOBAL_KEYS(CHROME_HELP_ROW) { NULL, NULL } };
#undef CHROME_HELP_ROW

void
chrome_init(const char *colors, const char *theme, char *msg, size_t msgsz)
{
	msg[0] = '\0';
	theme_reset();
	if (theme && strcmp(theme, "default") != 0)
		theme_load(theme, msg, msgsz);
	theme_init(colors);
}

static theme_element
chrome_stage_color(const store_stage *s, int locked)
{
	switch (s->m.status) {
	case STATUS_DONE:
		return THEME_ST_DONE;
	case STATUS_RUNNING:
	case STATUS_REPAIRING:
		return locked ? THEME_ST_RUNNING : THEME_ST_FAILED;
	case STATUS_FAILED:
	case STATUS_CANCELLED:
		return THEME_ST_FAILED;
	case STATUS_STALE:
		return THEME_ST_STALE;
	default:
		return THEME_ST_IDLE;
	}
}

/* "train 12s", with a marker: * running, ! failed, ~ stale, ? repairing,
 * - cancelled, + done. Markers keep the bar readable without colours. */
static void
chrome_stage_bar(app *a, int cols)
{
	static const char marks[STATUS_COUNT] = { ' ', '*', '+', '!', '~', '-', '?' };
	const runview *v = a->rv;
	double now = timefmt_wall_now();
	int i, x = 0;

	for (i = 0; i < STAGE_SUBMIT && x < cols; i++) {
		const store_stage *s = &v->st[i];
		double el = runview_elapsed(v, i, now);
		char cell[48], t[16] = "";
		char mark = marks[s->m.status];

		if ((s->m.status == STATUS_RUNNING || s->m.status == STATUS_REPAIRING) && !v->locked)
			mark = '!';
		if (el >= 1.0 || s->m.status == STATUS_RUNNING)
			snprintf(t, sizeof(t), el < 60 ? " %.0fs" : " %.0fm", el < 60 ? el : el / 60);
		snprintf(cell, sizeof(cell), "%c%s%s ", mark, machine_stage_name(i), t);
		x += draw_text(stdscr, 0, x, cell, cols - x, theme_attr(chrome_stage_color(s, v->locked)));
	}
	if (x < cols - 12)
		draw_textf(stdscr, 0, x, cols - x, theme_attr(THEME_DIM), "| %s", v->status);
}

int
chrome_tab_at(const app *a, int x)
{
	int i, left = 0, w;

	for (i = 0; i < APP_NPANES; i++) {
		w = draw_width(a->panes[i].ops->name) + 4; /* " N name " */
		if (x >= left && x < left + w)
			return i;
		left += w;
	}
	return -1;
}

static void
chrome_tabs(app *a, int cols)
{
	int i, x = 0;

	for (i = 0; i < APP_NPANES && x < cols; i++)
		x += draw_textf(stdscr, 1, x, cols - x, theme_attr(i == a->focus ? THEME_TAB_ACTIVE : THEME_TAB),
			" %d %s ", i + 1, a->panes[i].ops->name);
	if (x + 2 < cols)
		draw_text(stdscr, 1, x + 1, a->rv->run.id, cols - x - 1, theme_attr(THEME_DIM));
}

static void
chrome_status(app *a, int row, int cols)
{
	if (a->prompt_done) {
		int x = draw_text(stdscr, row, 0, a->prompt_label, cols, theme_attr(THEME_HEADER));
		x += draw_text(stdscr, row, x, a->prompt_buf, cols - x - 1, theme_attr(THEME_TEXT));
		draw_text(stdscr, row, x, "_", cols - x, theme_attr(THEME_SELECTED));
		return;
	}
	if (a->status[0])
		draw_text(stdscr, row, 0, a->status, cols, theme_attr(a->status_error ? THEME_ERROR : THEME_STATUS));
	else if (a->rv && a->panes[a->focus].ops->hint)
		draw_text(stdscr, row, 0, a->panes[a->focus].ops->hint, cols, theme_attr(THEME_DIM));
	else if (a->rv)
		draw_text(stdscr, row, 0, "? help  Tab panes  r re-run  R pick stage  x cancel  q quit", cols,
			theme_attr(THEME_DIM));
	else
		draw_text(stdscr, row, 0, "? help  Enter open  n new run  q quit", cols, theme_attr(THEME_DIM));
}

/* A frame in box-drawing characters, or ASCII where the locale has no
 * UTF-8 (and the screen dump reads it back as text either way). */
static void
chrome_frame(WINDOW *w, int rows, int cols)
{
	int utf8 = MB_CUR_MAX > 1;
	const wchar_t *h = utf8 ? L"\u2500" : L"-", *v = utf8 ? L"\u2502" : L"|";
	const wchar_t *c[4] = { utf8 ? L"\u250c" : L"+", utf8 ? L"\u2510" : L"+", utf8 ? L"\u2514" : L"+",
		utf8 ? L"\u2518" : L"+" };
	int i;

	for (i = 1; i < cols - 1; i++) {
		mvwaddnwstr(w, 0, i, h, 1);
		mvwaddnwstr(w, rows - 1, i, h, 1);
	}
	for (i = 1; i < rows - 1; i++) {
		mvwaddnwstr(w, i, 0, v, 1);
		mvwaddnwstr(w, i, cols - 1, v, 1);
	}
	mvwaddnwstr(w, 0, 0, c[0], 1);
	mvwaddnwstr(w, 0, cols - 1, c[1], 1);
	mvwaddnwstr(w, rows - 1, 0, c[2], 1);
	mvwaddnwstr(w, rows - 1, cols - 1, c[3], 1);
}

static WINDOW *
chrome_box(int rows, int cols, const char *title)
{
	WINDOW *w;

	if (rows > LINES - 2)
		rows = LINES - 2;
	if (cols > COLS - 2)
		cols = COLS - 2;
	w = newwin(rows, cols, (LINES - rows) / 2, (COLS - cols) / 2);
	werase(w);
	chrome_frame(w, rows, cols);
	draw_textf(w, 0, 2, cols - 4, theme_attr(THEME_TITLE), " %s ", title);
	return w;
}

static int
chrome_help_rows(WINDOW *w, int y, const pane_help *h, int cols)
{
	int rows = getmaxy(w);

	for (; h && h->keys && y < rows - 1; h++, y++) {
		draw_text(w, y, 2, h->keys, 12, theme_attr(THEME_HEADER));
		draw_text(w, y, 15, h->what, cols - 17, theme_attr(THEME_TEXT));
	}
	return y;
}

static void
chrome_help(app *a)
{
	const pane *p = a->rv ? &a->panes[a->focus] : &a->start;
	WINDOW *w = chrome_box(22, 70, "keys (Esc closes)");
	int cols = getmaxx(w), y = 1;

	draw_textf(w, y++, 2, cols - 4, theme_attr(THEME_TITLE), "%s", p->ops->name);
	y = chrome_help_rows(w, y, p->ops->help, cols);
	if (a->rv) {
		draw_text(w, y++, 2, "everywhere", cols - 4, theme_attr(THEME_TITLE));
		y = chrome_help_rows(w, y, chrome_global_help, cols);
	} else {
		draw_text(w, y++, 2, "everywhere", cols - 4, theme_attr(THEME_TITLE));
		draw_text(w, y, 2, "?", 12, theme_attr(THEME_HEADER));
		draw_text(w, y++, 15, "this help (Esc closes it)", cols - 17, theme_attr(THEME_TEXT));
		draw_text(w, y, 2, "q", 12, theme_attr(THEME_HEADER));
		draw_text(w, y++, 15, "quit; running stages keep running", cols - 17, theme_attr(THEME_TEXT));
	}
	wnoutrefresh(w);
	delwin(w);
}

static void
chrome_quit(void)
{
	WINDOW *w = chrome_box(6, 60, "quit?");

	draw_text(w, 2, 2, "A stage is running. It keeps running after you quit;", 56, theme_attr(THEME_TEXT));
	draw_text(w, 3, 2, "autokaggle tui RUN follows it again. Quit? (y/n)", 56, theme_attr(THEME_TEXT));
	wnoutrefresh(w);
	delwin(w);
}

static void
chrome_stages(app *a)
{
	WINDOW *w = chrome_box(STAGE_SUBMIT + 3, 44, "re-run from (Enter, Esc)");
	int i;

	for (i = 0; i < STAGE_SUBMIT; i++)
		draw_textf(w, i + 1, 2, 40, theme_attr(i == a->popup_sel ? THEME_SELECTED : THEME_TEXT), "%s %-9s %-10s",
			i == a->popup_sel ? ">" : " ", machine_stage_name(i), machine_status_name(a->rv->st[i].m.status));
	draw_text(w, STAGE_SUBMIT + 1, 2, "and every stage below it", 40, theme_attr(THEME_DIM));
	wnoutrefresh(w);
	delwin(w);
}

static void
chrome_pane(app *a, pane *p, int top, int rows, int cols)
{
	WINDOW *w = newwin(rows, cols, top, 0);

	(void)a;
	werase(w);
	p->rows = rows;
	p->cols = cols;
	p->cursor_y = -1;
	p->ops->draw(p, w, rows, cols);
	/* The terminal's cursor ends where the last window refreshed left it. */
	if (p->cursor_y >= 0)
		wmove(w, p->cursor_y, p->cursor_x);
	wnoutrefresh(w);
	delwin(w);
}

static void
chrome_too_small(void)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "terminal too small (%dx%d)", COLS, LINES);
	draw_text(stdscr, LINES / 2 - 1, 0, msg, COLS, theme_attr(THEME_ERROR));
	snprintf(msg, sizeof(msg), "autokaggle needs %dx%d", CHROME_MIN_COLS, CHROME_MIN_ROWS);
	draw_text(stdscr, LINES / 2, 0, msg, COLS, theme_attr(THEME_ERROR));
	wnoutrefresh(stdscr);
	doupdate();
}

void
chrome_draw(app *a)
{
	int rows = LINES, cols = COLS;

	werase(stdscr);
	if (cols < CHROME_MIN_COLS || rows < CHROME_MIN_ROWS) {
		curs_set(0);
		chrome_too_small();
		return;
	}
	if (a->rv) {
		chrome_stage_bar(a, cols);
		chrome_tabs(a, cols);
	}
	chrome_status(a, rows - 1, cols);
	wnoutrefresh(stdscr);
	if (a->rv)
		chrome_pane(a, &a->panes[a->focus], CHROME_PANE_TOP, rows - 3, cols);
	else
		chrome_pane(a, &a->start, 0, rows - 1, cols);
	/* The cursor shows where a pane asked for it (the chat's input), unless
	 * something is drawn over the pane or the prompt has the keys. */
	curs_set(a->rv && a->panes[a->focus].cursor_y >= 0 && a->popup == APP_POPUP_NONE && !a->prompt_done);
	if (a->popup == APP_POPUP_HELP)
		chrome_help(a);
	else if (a->popup == APP_POPUP_QUIT)
		chrome_quit();
	else if (a->popup == APP_POPUP_STAGES && a->rv)
		chrome_stages(a);
	doupdate();
}

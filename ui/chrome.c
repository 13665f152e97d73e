#include "config.h"

#include "ui/chrome.h"
#include "ui/draw.h"
#include "ui/help.h"
#include "ui/keymap.h"
#include "ui/keys.h"
#include "ui/submit.h"
#include "ui/theme.h"
#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char chrome_theme[256] = "default";
static const char *chrome_colors;

void
chrome_init(const char *colors, const char *theme, char *msg, size_t msgsz)
{
	msg[0] = '\0';
	chrome_colors = colors;
	snprintf(chrome_theme, sizeof(chrome_theme), "%s", theme ? theme : "default");
	theme_reset();
	if (strcmp(chrome_theme, "default") != 0)
		theme_load(chrome_theme, msg, msgsz);
	theme_init(colors);
}

int
chrome_set_theme(const char *name, char *msg, size_t msgsz)
{
	char before[sizeof(chrome_theme)], ignored[512];

	msg[0] = '\0';
	theme_reset();
	if (strcmp(name, "default") == 0 || theme_load(name, msg, msgsz) == 0) {
		snprintf(chrome_theme, sizeof(chrome_theme), "%s", name);
		theme_init(chrome_colors);
		return 0;
	}
	/* A theme that does not load changes nothing: the one before comes back. */
	snprintf(before, sizeof(before), "%s", chrome_theme);
	chrome_init(chrome_colors, before, ignored, sizeof(ignored));
	return -1;
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

/* One stage's cell of the bar: "train 12s", with a marker (* running,
 * ! failed, ~ stale, ? repairing, - cancelled, + done: the bar reads
 * without colours) and the elapsed time with_time, or while it runs. */
static void
chrome_stage_cell(const runview *v, int i, double now, int with_time, char *cell, size_t n)
{
	static const char marks[STATUS_COUNT] = { ' ', '*', '+', '!', '~', '-', '?' };
	const store_stage *s = &v->st[i];
	double el = runview_elapsed(v, i, now);
	char mark = marks[s->m.status], t[16] = "";

	if ((s->m.status == STATUS_RUNNING || s->m.status == STATUS_REPAIRING) && !v->locked)
		mark = '!';
	if (s->m.status == STATUS_RUNNING || (with_time && el >= 1.0))
		snprintf(t, sizeof(t), el < 60 ? " %.0fs" : " %.0fm", el < 60 ? el : el / 60);
	snprintf(cell, n, "%c%s%s ", mark, machine_stage_name(i), t);
}

/* The stages, then the run's status; when that does not fit, the times of
 * the stages not running go first, so the status stays in sight. */
static void
chrome_stage_bar(app *a, int cols)
{
	const runview *v = a->rv;
	double now = timefmt_wall_now();
	char cell[48];
	int i, x = 0, width = 0, with_time;

	for (i = 0; i < STAGE_SUBMIT; i++) {
		chrome_stage_cell(v, i, now, 1, cell, sizeof(cell));
		width += draw_width(cell);
	}
	with_time = width + 2 + draw_width(v->status) <= cols;
	for (i = 0; i < STAGE_SUBMIT && x < cols; i++) {
		chrome_stage_cell(v, i, now, with_time, cell, sizeof(cell));
		x += draw_text(stdscr, 0, x, cell, cols - x, theme_attr(chrome_stage_color(&v->st[i], v->locked)));
	}
	if (x < cols - 2)
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

/* The main keys as bound now, when the status line has nothing to say. */
static void
chrome_hints(app *a, int row, int cols)
{
	static const struct {
		keymap_action act;
		const char *what;
	} run[] = {
		{ KEYMAP_HELP, "help" }, { KEYMAP_NEXT_PANE, "panes" }, { KEYMAP_RERUN, "re-run" },
		{ KEYMAP_RERUN_FROM, "pick stage" }, { KEYMAP_CANCEL, "cancel" }, { KEYMAP_SUBMIT, "submit" },
		{ KEYMAP_COMMAND, "command" }, { KEYMAP_QUIT, "quit" },
	};
	char line[256] = "";
	size_t i, len = 0;
	int k;

	for (i = 0; i < sizeof(run) / sizeof(run[0]) && len < sizeof(line); i++) {
		k = keymap_first_key(run[i].act);
		if (k >= 0 && (a->rv || !keymap_needs_run(run[i].act)))
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s %s", len ? "  " : "", keys_name(k),
				run[i].what);
		if (!a->rv && run[i].act == KEYMAP_HELP && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%sEnter open  n new run", len ? "  " : "");
	}
	draw_text(stdscr, row, 0, line, cols, theme_attr(THEME_DIM));
}

/* ":" and the line, the cursor on its cell, the line's end in sight. */
static void
chrome_cmdline(app *a, int row, int cols)
{
	const char *text = cmdline_text(a->cmd);
	size_t cur = cmdline_cursor(a->cmd), from = 0, n;
	char before[512], at[8] = " ";
	int x;

	snprintf(before, sizeof(before), "%.*s", (int)cur, text);
	while (draw_width(before + from) > cols - 3)
		from += (size_t)mblen(before + from, MB_CUR_MAX) > 0 ? (size_t)mblen(before + from, MB_CUR_MAX) : 1;
	x = draw_text(stdscr, row, 0, ":", cols, theme_attr(THEME_HEADER));
	x += draw_text(stdscr, row, x, before + from, cols - x, theme_attr(THEME_TEXT));
	if (text[cur]) {
		n = (size_t)mblen(text + cur, MB_CUR_MAX);
		snprintf(at, sizeof(at), "%.*s", (int)(n > 0 && n < sizeof(at) ? n : 1), text + cur);
	}
	x += draw_text(stdscr, row, x, at, cols - x, theme_attr(THEME_SELECTED));
	if (text[cur])
		draw_text(stdscr, row, x, text + cur + strlen(at), cols - x, theme_attr(THEME_TEXT));
}

/* The candidates of an ambiguous Tab, over the pane's last row. */
static void
chrome_matches(app *a, int row, int cols)
{
	WINDOW *w = newwin(1, cols, row, 0);

	werase(w);
	draw_text(w, 0, 0, cmdline_matches(a->cmd), cols, theme_attr(THEME_SELECTED));
	wnoutrefresh(w);
	delwin(w);
}

static void
chrome_status(app *a, int row, int cols)
{
	if (a->cmd_open) {
		chrome_cmdline(a, row, cols);
		return;
	}
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
	else
		chrome_hints(a, row, cols);
}

/* A frame in box-drawing characters, or ASCII (draw_ascii; the screen
 * dump reads it back as text either way). */
static void
chrome_frame(WINDOW *w, int rows, int cols)
{
	int utf8 = !draw_ascii();
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

WINDOW *
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

static void
chrome_quit(app *a)
{
	WINDOW *w = chrome_box(6, 60, "quit?");

	if (submit_sending(a)) {
		draw_text(w, 2, 2, "A submission is under way. It goes on after you quit;", 56, theme_attr(THEME_TEXT));
		draw_text(w, 3, 2, "autokaggle status RUN shows its score. Quit? (y/n)", 56, theme_attr(THEME_TEXT));
	} else {
		draw_text(w, 2, 2, "A stage is running. It keeps running after you quit;", 56, theme_attr(THEME_TEXT));
		draw_text(w, 3, 2, "autokaggle tui RUN follows it again. Quit? (y/n)", 56, theme_attr(THEME_TEXT));
	}
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
chrome_resize_panes(app *a, int rows, int cols)
{
	int i;

	for (i = 0; i < APP_NPANES; i++)
		if (a->panes[i].ops && a->panes[i].ops->resize)
			a->panes[i].ops->resize(&a->panes[i], rows, cols);
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
	if (a->rv) {
		chrome_resize_panes(a, rows - 3, cols);
		chrome_pane(a, &a->panes[a->focus], CHROME_PANE_TOP, rows - 3, cols);
	} else {
		chrome_pane(a, &a->start, 0, rows - 1, cols);
	}
	if (a->cmd_open && cmdline_matches(a->cmd)[0])
		chrome_matches(a, rows - 2, cols);
	/* The cursor shows where a pane asked for it (the chat's input), unless
	 * something is drawn over the pane or a prompt has the keys. */
	curs_set(a->rv && a->panes[a->focus].cursor_y >= 0 && a->popup == APP_POPUP_NONE && !a->prompt_done &&
		!a->cmd_open);
	if (a->popup == APP_POPUP_HELP)
		help_draw(a);
	else if (a->popup == APP_POPUP_SUBMIT)
		submit_draw(a);
	else if (a->popup == APP_POPUP_QUIT)
		chrome_quit(a);
	else if (a->popup == APP_POPUP_STAGES && a->rv)
		chrome_stages(a);
	doupdate();
}

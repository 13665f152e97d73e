#include "config.h"

#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "ui/vt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Live output: what the stages write to their logs, rendered through a
 * terminal model (ui/vt) with a bounded scrollback while the whole log
 * stays on disk. It follows the end until the user scrolls up, and
 * follows again on F or End; / searches, n and N go to the next and
 * previous match. */

#define OUTPUT_SCROLLBACK 5000
#define OUTPUT_MAX_COLS 512

typedef struct output_state {
	vt *term;
	int follow;
	long top_abs;       /* first line shown when not following (absolute) */
	long seen_abs;      /* lines there were when following stopped */
	int last_stage;     /* the stage that wrote last */
	char query[256];
	long match_abs;     /* the current match's line, -1 none */
} output_state;

static void
output_open(pane *p)
{
	output_state *s = xcalloc(1, sizeof(*s));

	s->term = vt_new(24, 80, OUTPUT_SCROLLBACK);
	s->follow = 1;
	s->last_stage = -1;
	s->match_abs = -1;
	p->state = s;
}

static void
output_close(pane *p)
{
	output_state *s = p->state;

	vt_free(s->term);
	free(s);
	p->state = NULL;
}

static void
output_reload(pane *p)
{
	(void)p;
}

static void
output_log(pane *p, int stage, const char *data, size_t len)
{
	output_state *s = p->state;

	s->last_stage = stage;
	vt_feed(s->term, data, len);
}

static long
output_rows(const pane *p)
{
	return p->rows > 1 ? p->rows - 1 : 1;
}

/* The first line shown, relative to what the scrollback keeps. */
static long
output_top(pane *p)
{
	output_state *s = p->state;
	long n = vt_lines(s->term), rows = output_rows(p), top;

	if (s->follow)
		return n > rows ? n - rows : 0;
	top = s->top_abs - vt_dropped(s->term);
	return top < 0 ? 0 : top;
}

static void
output_scroll(pane *p, long by)
{
	output_state *s = p->state;
	long n = vt_lines(s->term), rows = output_rows(p), top = output_top(p) + by;

	if (top < 0)
		top = 0;
	if (top >= n - rows) {
		s->follow = 1;
		return;
	}
	if (s->follow)
		s->seen_abs = n + vt_dropped(s->term);
	s->follow = 0;
	s->top_abs = top + vt_dropped(s->term);
}

/* The next line, from `from` in direction dir, holding the query. */
static int
output_find(pane *p, long from, int dir)
{
	output_state *s = p->state;
	long n = vt_lines(s->term), i;
	char text[OUTPUT_MAX_COLS * 4 + 1];

	if (!s->query[0])
		return -1;
	for (i = from; i >= 0 && i < n; i += dir) {
		vt_line_text(s->term, i, text, sizeof(text), NULL);
		if (strstr(text, s->query)) {
			s->match_abs = i + vt_dropped(s->term);
			s->follow = 0;
			s->top_abs = (i > output_rows(p) / 2 ? i - output_rows(p) / 2 : 0) + vt_dropped(s->term);
			return 0;
		}
	}
	app_status(p->app, 1, "'%s' not found %s", s->query, dir < 0 ? "above" : "below");
	return -1;
}

static void
output_search(app *a, const char *text, void *arg)
{
	pane *p = arg;
	output_state *s = p->state;

	(void)a;
	snprintf(s->query, sizeof(s->query), "%s", text);
	/* From the bottom up: the newest match first. */
	output_find(p, vt_lines(s->term) - 1, -1);
}

static int
output_key(pane *p, int key)
{
	output_state *s = p->state;
	long page = output_rows(p) - 1;
	long cur = s->match_abs - vt_dropped(s->term);

	if (key == KEYS_UP || key == 'k')
		output_scroll(p, -1);
	else if (key == KEYS_DOWN || key == 'j')
		output_scroll(p, 1);
	else if (key == KEYS_PGUP || key == 'b')
		output_scroll(p, -page);
	else if (key == KEYS_PGDN || key == ' ')
		output_scroll(p, page);
	else if (key == KEYS_HOME)
		output_scroll(p, -vt_lines(s->term));
	else if (key == KEYS_END || key == 'F' || key == 'G')
		s->follow = 1;
	else if (key == '/')
		app_prompt(p->app, "/", NULL, output_search, p);
	else if (key == 'n')
		output_find(p, cur > 0 ? cur - 1 : vt_lines(s->term) - 1, -1);
	else if (key == 'N')
		output_find(p, cur >= 0 ? cur + 1 : 0, 1);
	else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

static attr_t
output_cell_attr(const vt_cell *c)
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
output_marks(output_state *s, long i, char *marks, int max)
{
	char text[OUTPUT_MAX_COLS * 4 + 1];
	int cellof[OUTPUT_MAX_COLS * 4 + 1];
	size_t len = vt_line_text(s->term, i, text, sizeof(text), cellof), q = strlen(s->query), k;
	const char *hit = text;

	memset(marks, 0, (size_t)max);
	while (q && (hit = strstr(hit, s->query)) != NULL) {
		for (k = (size_t)(hit - text); k < (size_t)(hit - text) + q && k < len; k++)
			if (cellof[k] < max)
				marks[cellof[k]] = 1;
		hit += q;
	}
}

static void
output_row(output_state *s, WINDOW *w, int y, long i, int cols)
{
	vt_cell cells[OUTPUT_MAX_COLS];
	char marks[OUTPUT_MAX_COLS];
	int n = vt_line(s->term, i, cells, cols < OUTPUT_MAX_COLS ? cols : OUTPUT_MAX_COLS), x;

	output_marks(s, i, marks, OUTPUT_MAX_COLS);
	for (x = 0; x < n; x++) {
		wchar_t wc = (wchar_t)cells[x].ch;
		attr_t a = marks[x] ? theme_attr(THEME_MATCH) : output_cell_attr(&cells[x]);

		if (wc == 0 && x > 0 && cells[x - 1].width == 2)
			continue;
		if (wc == 0)
			wc = L' ';
		if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
			wc = L'?';
		if (x + (cells[x].width > 1 ? cells[x].width : 1) > cols)
			break;
		wattr_set(w, a, PAIR_NUMBER(a), NULL);
		mvwaddnwstr(w, y, x, &wc, 1);
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

static void
output_header(pane *p, WINDOW *w, int cols)
{
	output_state *s = p->state;
	const runview *v = p->app->rv;
	int running = runview_running(v), stage = running >= 0 ? running : s->last_stage;
	long n = vt_lines(s->term) + vt_dropped(s->term);
	char what[160];

	if (s->follow)
		snprintf(what, sizeof(what), "following");
	else
		snprintf(what, sizeof(what), "paused, %ld new line%s: F or End follows", n - s->seen_abs,
			n - s->seen_abs == 1 ? "" : "s");
	draw_textf(w, 0, 0, cols, theme_attr(THEME_HEADER), "%s%s%s  %s%s%s", stage >= 0 ? machine_stage_name(stage) : "output",
		running >= 0 ? " (running)" : "", "", what, s->query[0] ? "  /" : "", s->query);
}

static void
output_draw(pane *p, WINDOW *w, int rows, int cols)
{
	output_state *s = p->state;
	long top, i;
	int y;

	/* The child formats to the terminal model's width. */
	vt_resize(s->term, rows > 2 ? rows - 1 : 1, cols < OUTPUT_MAX_COLS ? cols : OUTPUT_MAX_COLS);
	output_header(p, w, cols);
	if (vt_lines(s->term) == 0) {
		draw_text(w, 2, 1, "No output yet: ENV, TRAIN and PREDICT write here as they run.", cols - 2,
			theme_attr(THEME_DIM));
		return;
	}
	top = output_top(p);
	for (y = 1, i = top; y < rows && i < vt_lines(s->term); y++, i++)
		output_row(s, w, y, i, cols);
}

/* The lines on the screen, as text. */
static char *
output_copy(pane *p, size_t *len)
{
	output_state *s = p->state;
	long i, top = output_top(p), end = top + output_rows(p);
	char text[OUTPUT_MAX_COLS * 4 + 1];
	strbuf sb = { 0 };

	for (i = top; i < end && i < vt_lines(s->term); i++) {
		vt_line_text(s->term, i, text, sizeof(text), NULL);
		strbuf_addstr(&sb, text);
		strbuf_addch(&sb, '\n');
	}
	*len = sb.len;
	return sb.len ? strbuf_detach(&sb) : NULL;
}

static const pane_help output_help[] = {
	{ "Up Down j k", "scroll (scrolling up pauses following)" },
	{ "PgUp PgDn", "scroll a page; Home the top" },
	{ "F End G", "follow the end again" },
	{ "/", "search (Enter), newest match first" },
	{ "n N", "the previous (older) / next (newer) match" },
	{ NULL, NULL },
};

const pane_ops pane_output_ops = {
	.name = "output",
	.open = output_open,
	.close = output_close,
	.reload = output_reload,
	.key = output_key,
	.draw = output_draw,
	.log = output_log,
	.copy = output_copy,
	.help = output_help,
};

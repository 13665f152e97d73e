#include "config.h"

#include "exec/exec.h"
#include "pipeline/run.h"
#include "pipeline/traceback.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/outdraw.h"
#include "ui/outview.h"
#include "ui/selection.h"
#include "ui/theme.h"
#include "ui/vt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Live output: what the stages write to their logs, rendered through a
 * terminal model (ui/vt) with a bounded scrollback while the whole log
 * stays on disk. Where it looks is ui/outview's: the end as it grows
 * until the user moves the cursor up, folded or cut long lines. Enter on
 * a traceback's frame opens that line of the run's code; v selects lines
 * for y to copy. */

#define OUTPUT_SCROLLBACK 5000
/* The terminal model is as tall as the pane's text area, which is the
 * height the run's children are told (output_resize), and at least as
 * wide as they are told, so that what they draw within their width lands
 * where their terminal would put it. It is never narrower than this,
 * wider than most panes, so that a longer line stays one line that the
 * pane can cut instead of folding it. */
#define OUTPUT_VT_COLS 256
#define OUTPUT_HSTEP 8

typedef struct output_state {
	vt *term;
	outview view;
	int last_stage;     /* the stage that wrote last */
	int midline;        /* what was fed last did not end a line */
	char query[256];
	long match_abs;     /* the current match's line, -1 none */
	int tty_cols, tty_rows; /* the size the run was last told, 0 before */
	selection sel;      /* absolute lines, the cursor's end at view.cur */
} output_state;

static void
output_open(pane *p)
{
	output_state *s = xcalloc(1, sizeof(*s));

	s->term = vt_new(24, OUTPUT_VT_COLS, OUTPUT_SCROLLBACK);
	outview_init(&s->view, s->term);
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
	if (len)
		s->midline = data[len - 1] != '\n';
	vt_feed(s->term, data, len);
}

/* The follower jumped: a dim line says what is not shown, and where it is. */
static void
output_skipped(pane *p, int stage, long long bytes)
{
	output_state *s = p->state;
	char size[32], line[256];
	int n;

	exec_format_bytes((unsigned long long)bytes, size, sizeof(size));
	n = snprintf(line, sizeof(line), "%s\033[2m[%s of output not shown here: autokaggle logs %s %s has it all]\033[0m\n",
		s->midline ? "\n" : "", size, p->app->rv->run.id, machine_stage_name(stage));
	output_log(p, stage, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The next line, from `from` (relative) in direction dir, holding the query. */
static int
output_find(pane *p, long from, int dir)
{
	output_state *s = p->state;
	long n = vt_lines(s->term), i;
	char text[OUTDRAW_TEXT_MAX];

	if (!s->query[0])
		return -1;
	for (i = from; i >= 0 && i < n; i += dir) {
		vt_line_text(s->term, i, text, sizeof(text), NULL);
		if (strstr(text, s->query)) {
			s->match_abs = i + vt_dropped(s->term);
			outview_goto(&s->view, s->match_abs);
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

/* Line i (relative) as a frame of the run's code: 0 with file and
 * lineno, 1 a frame elsewhere (path set), -1 not a frame. */
static int
output_frame(pane *p, long i, char *file, size_t n, char *path, size_t pn, int *lineno)
{
	output_state *s = p->state;
	char text[OUTDRAW_TEXT_MAX];

	vt_line_text(s->term, i, text, sizeof(text), NULL);
	if (traceback_parse(text, path, pn, lineno) < 0)
		return -1;
	return traceback_code_file(p->app->rv->run.dir, path, file, n) == 0 ? 0 : 1;
}

/* Enter: the frame under the cursor, or (following) the newest frame of
 * the run's code, opened in the code pane. */
static void
output_enter(pane *p)
{
	output_state *s = p->state;
	char file[256], path[1024];
	long i, n = vt_lines(s->term);
	int lineno = 0, rc = -1;

	if (!s->view.follow)
		rc = output_frame(p, s->view.cur - vt_dropped(s->term), file, sizeof(file), path, sizeof(path), &lineno);
	else
		for (i = n - 1; i >= 0 && rc != 0; i--)
			rc = output_frame(p, i, file, sizeof(file), path, sizeof(path), &lineno);
	if (rc == 0)
		app_show_code(p->app, file, lineno);
	else if (rc == 1)
		app_status(p->app, 1, "%s is not a file of the run's code", path);
	else if (s->view.follow)
		app_status(p->app, 0, "no traceback into the run's code here: put the cursor (Up) on a line "
				      "File \"...\", line N and press Enter");
	else
		app_status(p->app, 0, "not a traceback line: Enter opens a line File \"...\", line N in the code pane");
}

/* v and Esc: a selection, which pauses following as Up does. */
static int
output_select(pane *p, int key)
{
	output_state *s = p->state;
	const char *note;

	if (key == 'v' && outview_total(&s->view) == 0) {
		app_status(p->app, 0, "no output to select yet");
		return 1;
	}
	if (key == 'v' && s->view.follow)
		outview_move(&s->view, 0);
	note = selection_key(&s->sel, key, s->view.cur);
	if (note)
		app_status(p->app, 0, "%s", note);
	return note != NULL;
}

static int
output_key(pane *p, int key)
{
	output_state *s = p->state;
	outview *v = &s->view;
	long page = v->rows > 2 ? v->rows - 1 : 1;
	long cur = s->match_abs - vt_dropped(s->term);

	if (output_select(p, key))
		return PANE_HANDLED;
	if (key == KEYS_UP || key == 'k')
		outview_move(v, -1);
	else if (key == KEYS_DOWN || key == 'j')
		outview_move(v, 1);
	else if (key == KEYS_PGUP || key == 'b')
		outview_move(v, -page);
	else if (key == KEYS_PGDN || key == ' ')
		outview_move(v, page);
	else if (key == KEYS_HOME)
		outview_move(v, -outview_total(v));
	else if (key == KEYS_END || key == 'F' || key == 'G')
		outview_follow(v);
	else if (key == KEYS_LEFT || key == 'h')
		outview_hscroll(v, -OUTPUT_HSTEP);
	else if (key == KEYS_RIGHT || key == 'l')
		outview_hscroll(v, OUTPUT_HSTEP);
	else if (key == 'w') {
		outview_toggle_wrap(v);
		app_status(p->app, 0, "%s", v->wrap ? "long lines wrap" : "long lines cut: Left and Right scroll sideways");
	} else if (key == KEYS_ENTER)
		output_enter(p);
	else if (key == '/')
		app_prompt(p->app, "/", NULL, output_search, p);
	else if (key == 'n')
		output_find(p, cur > 0 ? cur - 1 : vt_lines(s->term) - 1, -1);
	else if (key == 'N')
		output_find(p, cur >= 0 ? cur + 1 : 0, 1);
	else
		return PANE_IGNORED;
	/* Following again (F, or the cursor past the end) ends a selection. */
	if (v->follow)
		selection_drop(&s->sel);
	return PANE_HANDLED;
}

static void
output_header(pane *p, WINDOW *w, int cols)
{
	output_state *s = p->state;
	const runview *v = p->app->rv;
	int running = runview_running(v), stage = running >= 0 ? running : s->last_stage;
	long fresh = outview_total(&s->view) - s->view.seen;
	const usage_figures *now = runview_usage_now(v), *peak = stage >= 0 ? runview_usage_peak(v, stage) : NULL;
	char what[160], side[32] = "", use[128] = "";

	if (s->sel.on)
		snprintf(what, sizeof(what), "selecting: y copies, Esc drops");
	else if (s->view.follow)
		snprintf(what, sizeof(what), "following");
	else
		snprintf(what, sizeof(what), "paused, %ld new line%s: F or End follows", fresh, fresh == 1 ? "" : "s");
	if (!s->view.wrap)
		snprintf(side, sizeof(side), "  cut, from col %d", s->view.hoff + 1);
	/* The running stage's figures now, else the peaks of the last one. */
	if (now || peak) {
		memcpy(use, now ? "  " : "  peak ", now ? 3 : 8);
		usage_format(now ? now : peak, use + strlen(use), sizeof(use) - strlen(use));
	}
	/* The figures last: on a narrow pane they are what gives way. */
	draw_textf(w, 0, 0, cols, theme_attr(THEME_HEADER), "%s%s  %s%s%s%s%s", stage >= 0 ? machine_stage_name(stage) : "output",
		running >= 0 ? " (running)" : "", what, s->query[0] ? "  /" : "", s->query, side, use);
}

/* The terminal model for a pane of rows x cols: its screen the text
 * area's height (the header takes a row). */
static void
output_size_model(output_state *s, int rows, int cols)
{
	int vcols = cols > OUTPUT_VT_COLS ? cols : OUTPUT_VT_COLS;

	vt_resize(s->term, rows > 2 ? rows - 1 : 1, vcols < OUTVIEW_MAX_CELLS ? vcols : OUTVIEW_MAX_CELLS);
}

/* The run's children (TRAIN, PREDICT on a pty) draw for the text area:
 * the run is told its size when it first shows here and whenever it
 * changes, its width cut to the model's widest. */
static void
output_resize(pane *p, int rows, int cols)
{
	output_state *s = p->state;
	int trows = rows > 2 ? rows - 1 : 1, tcols = cols < OUTVIEW_MAX_CELLS ? cols : OUTVIEW_MAX_CELLS;
	ak_err e = { 0 };

	output_size_model(s, rows, cols);
	if (trows == s->tty_rows && tcols == s->tty_cols)
		return;
	s->tty_rows = trows;
	s->tty_cols = tcols;
	if (run_tell_tty_size(p->app->db, p->app->rv->run.id, tcols, trows, &e) < 0)
		app_status(p->app, 1, "the run's programs are not told the output pane's size: %s", e.msg);
}

static void
output_draw(pane *p, WINDOW *w, int rows, int cols)
{
	output_state *s = p->state;
	outview_row layout[256];
	int y, n;

	output_size_model(s, rows, cols);
	s->view.rows = rows - 1 < 256 ? rows - 1 : 256;
	s->view.cols = cols;
	output_header(p, w, cols);
	if (vt_lines(s->term) == 0) {
		draw_text(w, 2, 1, "No output yet: ENV, TRAIN and PREDICT write here as they run.", cols - 2,
			theme_attr(THEME_DIM));
		return;
	}
	n = outview_layout(&s->view, layout);
	for (y = 0; y < n; y++) {
		long abs = layout[y].line + vt_dropped(s->term);
		int cursor = !s->view.follow && abs == s->view.cur;

		outdraw_row(w, y + 1, s->term, s->query, &layout[y], cols,
			cursor ? THEME_SELECTED : selection_has(&s->sel, s->view.cur, abs) ? THEME_SELECTION : -1);
	}
}

/* The selection's lines as text (it ends), else those on the screen. */
static char *
output_copy(pane *p, size_t *len, char *what, size_t whatsz)
{
	output_state *s = p->state;
	outview_row layout[256];
	char text[OUTDRAW_TEXT_MAX];
	strbuf sb = { 0 };
	long first, last, i, drop = vt_dropped(s->term);
	int y, n;

	if (selection_range(&s->sel, s->view.cur, &first, &last) == 0) {
		selection_drop(&s->sel);
		snprintf(what, whatsz, "the selection");
		/* Lines gone from the scrollback since are not there to copy. */
		for (i = first > drop ? first : drop; i <= last && i - drop < vt_lines(s->term); i++) {
			vt_line_text(s->term, i - drop, text, sizeof(text), NULL);
			strbuf_addf(&sb, "%s\n", text);
		}
	} else {
		snprintf(what, whatsz, "those on the screen");
		n = outview_layout(&s->view, layout);
		for (y = 0; y < n; y++)
			if (y == 0 || layout[y].line != layout[y - 1].line) {
				vt_line_text(s->term, layout[y].line, text, sizeof(text), NULL);
				strbuf_addf(&sb, "%s\n", text);
			}
	}
	if (sb.len == 0)
		snprintf(what, whatsz, "the lines selected left the scrollback (logs/ has every line)");
	*len = sb.len;
	return sb.len ? strbuf_detach(&sb) : NULL;
}

static const pane_help output_help[] = {
	{ "Up Down j k", "move the cursor (up pauses following)" },
	{ "PgUp PgDn", "a page; Home the top" },
	{ "F End G", "follow the end again" },
	{ "w", "wrap long lines, or cut them (Left Right then scroll sideways)" },
	{ "Enter", "open a traceback's line (File \"...\", line N) in the code pane" },
	{ "/", "search (Enter), newest match first" },
	{ "n N", "the previous (older) / next (newer) match" },
	{ "v", "select lines from the cursor's (pauses following); move to stretch" },
	{ "y", "copy the selection (it ends), else the lines on the screen" },
	{ "Esc v", "drop the selection" },
	{ NULL, NULL },
};

const pane_ops pane_output_ops = {
	.name = "output",
	.open = output_open,
	.close = output_close,
	.reload = output_reload,
	.key = output_key,
	.draw = output_draw,
	.resize = output_resize,
	.log = output_log,
	.skipped = output_skipped,
	.copy = output_copy,
	.help = output_help,
};

#include "config.h"

#include "pipeline/run.h"
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The start screen: the workspace's runs, newest first, with local CV
 * and public score side by side (a CV far above the public score is
 * overfitting to the folds). */

typedef struct start_row {
	char *id, *title, *status;
	double cv, pub;
} start_row;

typedef struct start_state {
	start_row *rows;
	size_t n, sel, top;
} start_state;

static void
start_free_rows(start_state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->rows[i].id);
		free(s->rows[i].title);
		free(s->rows[i].status);
	}
	free(s->rows);
	s->rows = NULL;
	s->n = 0;
}

static void
start_reload(pane *p)
{
	start_state *s = p->state;
	store_run *runs = NULL;
	size_t n = 0, i;
	char *keep = s->n ? xstrdup(s->rows[s->sel].id) : NULL;

	start_free_rows(s);
	if (store_run_list(p->app->db, &runs, &n, NULL) < 0)
		n = 0;
	s->rows = xcalloc(n ? n : 1, sizeof(*s->rows));
	for (i = 0; i < n; i++) {
		s->rows[i].id = xstrdup(runs[i].id);
		s->rows[i].title = xstrdup(runs[i].title);
		s->rows[i].status = xstrdup(run_status_shown(&runs[i]));
		s->rows[i].cv = runs[i].cv_score;
		s->rows[i].pub = runview_public_score(p->app->db, runs[i].id);
		if (keep && strcmp(keep, runs[i].id) == 0)
			s->sel = i;
	}
	s->n = n;
	if (s->sel >= n)
		s->sel = n ? n - 1 : 0;
	free(keep);
	store_run_list_free(runs, n);
}

static void
start_open(pane *p)
{
	p->state = xcalloc(1, sizeof(start_state));
	start_reload(p);
}

static void
start_close(pane *p)
{
	start_free_rows(p->state);
	free(p->state);
	p->state = NULL;
}

static void
start_new_run(app *a, const char *text, void *arg)
{
	(void)arg;
	actions_new_run(a, text);
}

static int
start_key(pane *p, int key)
{
	start_state *s = p->state;
	size_t page = p->rows > 4 ? (size_t)p->rows - 4 : 1;

	if (key == KEYS_DOWN || key == 'j')
		s->sel = s->sel + 1 < s->n ? s->sel + 1 : s->sel;
	else if (key == KEYS_UP || key == 'k')
		s->sel = s->sel > 0 ? s->sel - 1 : 0;
	else if (key == KEYS_PGDN)
		s->sel = s->sel + page < s->n ? s->sel + page : (s->n ? s->n - 1 : 0);
	else if (key == KEYS_PGUP)
		s->sel = s->sel > page ? s->sel - page : 0;
	else if (key == KEYS_HOME || key == 'g')
		s->sel = 0;
	else if (key == KEYS_END || key == 'G')
		s->sel = s->n ? s->n - 1 : 0;
	else if (key == KEYS_ENTER && s->n)
		app_open_run(p->app, s->rows[s->sel].id);
	else if (key == 'n')
		app_prompt(p->app, "new run from (URL, slug or folder): ", NULL, start_new_run, NULL);
	else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

static void
start_score(char *buf, size_t n, double v)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.4f", v);
}

static theme_element
start_status_color(const char *status)
{
	if (strcmp(status, "done") == 0)
		return THEME_ST_DONE;
	if (strcmp(status, "running") == 0)
		return THEME_ST_RUNNING;
	if (strcmp(status, "failed") == 0 || strcmp(status, "interrupted") == 0 || strcmp(status, "missing") == 0)
		return THEME_ST_FAILED;
	return THEME_TEXT;
}

static void
start_draw(pane *p, WINDOW *w, int rows, int cols)
{
	start_state *s = p->state;
	int y, idw = cols >= 100 ? 32 : 24, titw = cols - idw - 12 - 9 - 9 - 4;
	size_t i;

	draw_textf(w, 0, 0, cols, theme_attr(THEME_TITLE), "autokaggle: runs in %s", p->app->ctx->workspace);
	if (s->n == 0) {
		draw_text(w, 2, 2, "No runs yet. n starts one from a competition's URL, its slug or a folder", cols - 2,
			theme_attr(THEME_TEXT));
		draw_text(w, 3, 2, "holding train.csv, test.csv and sample_submission.csv.", cols - 2, theme_attr(THEME_TEXT));
		return;
	}
	draw_textf(w, 2, 0, cols, theme_attr(THEME_HEADER), " %-*s %-*s %-11s %8s %8s", idw, "run", titw, "competition",
		"status", "local cv", "public");
	if (s->sel < s->top)
		s->top = s->sel;
	if (rows > 4 && s->sel >= s->top + (size_t)(rows - 4))
		s->top = s->sel - (size_t)(rows - 4) + 1;
	for (y = 3, i = s->top; i < s->n && y < rows; i++, y++) {
		const start_row *r = &s->rows[i];
		attr_t a = theme_attr(i == s->sel ? THEME_SELECTED : THEME_TEXT);
		char cv[16], pub[16];
		int x = 1;

		start_score(cv, sizeof(cv), r->cv);
		start_score(pub, sizeof(pub), r->pub);
		if (i == s->sel)
			draw_clear_to_eol(w, y, 0, a);
		x += draw_text(w, y, x, r->id, idw, a);
		x = 2 + idw;
		draw_text(w, y, x, r->title, titw, a);
		x += titw + 1;
		draw_text(w, y, x, r->status, 11, i == s->sel ? a : theme_attr(start_status_color(r->status)));
		draw_textf(w, y, x + 12, 17, a, "%8s %8s", cv, pub);
	}
}

static const pane_help start_help[] = {
	{ "Up Down j k", "select a run" },
	{ "Enter", "open the run" },
	{ "n", "start a new run from a URL, slug or folder" },
	{ NULL, NULL },
};

const pane_ops pane_start_ops = {
	.name = "runs",
	.open = start_open,
	.close = start_close,
	.reload = start_reload,
	.key = start_key,
	.draw = start_draw,
	.help = start_help,
};

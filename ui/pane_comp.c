#include "config.h"

#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "util/jsonfile.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The competition: what META fetched (or the folder's competition.json)
 * and what the run learnt of its task. */

typedef struct comp_state {
	int top;
} comp_state;

static void
comp_open(pane *p)
{
	p->state = xcalloc(1, sizeof(comp_state));
}

static void
comp_close(pane *p)
{
	free(p->state);
	p->state = NULL;
}

static void
comp_reload(pane *p)
{
	(void)p;
}

static int
comp_key(pane *p, int key)
{
	comp_state *s = p->state;

	if (key == KEYS_DOWN || key == 'j')
		s->top++;
	else if ((key == KEYS_UP || key == 'k') && s->top > 0)
		s->top--;
	else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

/* "2030-12-31 23:59 UTC (1234 days left)". */
static void
comp_deadline(const char *iso, char *buf, size_t n)
{
	time_t t, now = time(NULL);
	double days;

	if (!*iso || timefmt_parse_iso_utc(iso, &t) < 0) {
		snprintf(buf, n, "%s", *iso ? iso : "-");
		return;
	}
	days = difftime(t, now) / 86400.0;
	if (days < 0)
		snprintf(buf, n, "%.16s UTC (closed)", iso);
	else if (days < 2)
		snprintf(buf, n, "%.16s UTC (%.0f hours left)", iso, days * 24);
	else
		snprintf(buf, n, "%.16s UTC (%.0f days left)", iso, days);
}

typedef struct comp_line {
	const char *label;
	char value[512];
} comp_line;

static size_t
comp_lines(pane *p, comp_line *ln, size_t max)
{
	const runview *v = p->app->rv;
	const cJSON *c = v->competition;
	double teams = json_num(c, "teamCount", NAN), daily = json_num(c, "maxDailySubmissions", NAN);
	size_t n = 0;

#define COMP_LINE(l, ...) \
	do { if (n < max) { ln[n].label = l; snprintf(ln[n].value, sizeof(ln[n].value), __VA_ARGS__); n++; } } while (0)
	COMP_LINE("title", "%s", json_str(c, "title", v->run.title));
	COMP_LINE("source", "%s", v->run.source);
	COMP_LINE("metric", "%s", json_str(c, "evaluationMetric", *v->run.metric ? v->run.metric : "-"));
	if (c) {
		char dl[96];
		comp_deadline(json_str(c, "deadline", ""), dl, sizeof(dl));
		COMP_LINE("deadline", "%s", dl);
		COMP_LINE("reward", "%s", json_str(c, "reward", "-"));
		if (!isnan(teams))
			COMP_LINE("teams", "%.0f", teams);
		if (!isnan(daily))
			COMP_LINE("submissions", "%d of %.0f today, %.0f left", v->subs_today, daily,
				daily > v->subs_today ? daily - v->subs_today : 0);
		COMP_LINE("category", "%s", json_str(c, "category", "-"));
	}
	if (*v->run.task)
		COMP_LINE("task", "%s: target %s, id %s, metric %s", v->run.task, v->run.target, v->run.id_column,
			v->run.metric);
	if (!isnan(v->run.cv_score))
		COMP_LINE("local cv", "%.5f", v->run.cv_score);
	if (!isnan(v->public_score))
		COMP_LINE("public", "%.5f", v->public_score);
	COMP_LINE("run", "%s (%s)", v->run.id, v->status);
#undef COMP_LINE
	return n;
}

/* The description, wrapped at word boundaries into rows of width cols. */
static int
comp_wrap(WINDOW *w, int y, int rows, int cols, const char *text, int skip)
{
	char *t = xstrdup(text), *word, *save = NULL;
	char line[1024] = "";

	for (word = strtok_r(t, " \n\t", &save); word && y < rows; word = strtok_r(NULL, " \n\t", &save)) {
		if (*line && draw_width(line) + 1 + draw_width(word) > cols) {
			if (skip-- <= 0)
				draw_text(w, y++, 1, line, cols, theme_attr(THEME_TEXT));
			line[0] = '\0';
		}
		if (strlen(line) + strlen(word) + 2 < sizeof(line)) {
			if (*line)
				strcat(line, " ");
			strcat(line, word);
		}
	}
	if (*line && y < rows && skip <= 0)
		draw_text(w, y++, 1, line, cols, theme_attr(THEME_TEXT));
	free(t);
	return y;
}

static void
comp_draw(pane *p, WINDOW *w, int rows, int cols)
{
	comp_state *s = p->state;
	comp_line ln[16];
	size_t n = comp_lines(p, ln, 16), i;
	int y = 0, skip = s->top;

	for (i = 0; i < n && y < rows; i++) {
		if (skip > 0) {
			skip--;
			continue;
		}
		draw_text(w, y, 1, ln[i].label, 12, theme_attr(THEME_HEADER));
		draw_text(w, y++, 14, ln[i].value, cols - 15, theme_attr(THEME_TEXT));
	}
	if (!p->app->rv->competition && y < rows)
		draw_text(w, ++y, 1, "META has not run yet: the competition's details come with it.", cols - 2,
			theme_attr(THEME_DIM));
	if (p->app->rv->competition && y + 1 < rows)
		comp_wrap(w, y + 1, rows, cols - 2, json_str(p->app->rv->competition, "description", ""), skip);
}

static const pane_help comp_help[] = {
	{ "Up Down j k", "scroll" },
	{ NULL, NULL },
};

const pane_ops pane_comp_ops = {
	.name = "competition",
	.open = comp_open,
	.close = comp_close,
	.reload = comp_reload,
	.key = comp_key,
	.draw = comp_draw,
	.help = comp_help,
};

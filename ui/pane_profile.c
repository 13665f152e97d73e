#include "config.h"

#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The data profile: per column of a file its type, missing share,
 * distinct count, a small histogram in block characters and its drift
 * between train and test; then the target's distribution. */

#define PROFILE_HIST_W 16

typedef struct profile_state {
	int file;   /* which file of the profile */
	int top;    /* first row shown */
} profile_state;

static void
profile_open(pane *p)
{
	p->state = xcalloc(1, sizeof(profile_state));
}

static void
profile_close(pane *p)
{
	free(p->state);
	p->state = NULL;
}

static void
profile_reload(pane *p)
{
	(void)p;
}

static const cJSON *
profile_files(const pane *p)
{
	return cJSON_GetObjectItemCaseSensitive(p->app->rv->profile, "files");
}

static int
profile_key(pane *p, int key)
{
	profile_state *s = p->state;
	int nfiles = cJSON_GetArraySize(profile_files(p));

	if (key == KEYS_DOWN || key == 'j')
		s->top++;
	else if ((key == KEYS_UP || key == 'k') && s->top > 0)
		s->top--;
	else if (key == KEYS_PGDN)
		s->top += p->rows > 2 ? p->rows - 2 : 1;
	else if (key == KEYS_PGUP)
		s->top = s->top > p->rows - 2 ? s->top - (p->rows - 2) : 0;
	else if (key == 'f' && nfiles > 0) {
		s->file = (s->file + 1) % nfiles;
		s->top = 0;
	} else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

/* counts[] resampled into PROFILE_HIST_W block characters. */
static void
profile_histogram(const double *counts, int n, char *out, size_t outsz)
{
	double cells[PROFILE_HIST_W] = { 0 }, max = 0;
	int i, width = n < PROFILE_HIST_W ? n : PROFILE_HIST_W;

	out[0] = '\0';
	if (n <= 0)
		return;
	for (i = 0; i < n; i++)
		cells[(long)i * width / n] += counts[i];
	for (i = 0; i < width; i++)
		max = cells[i] > max ? cells[i] : max;
	for (i = 0; i < width; i++) {
		int level = max > 0 ? (int)ceil(cells[i] / max * 8.0) : 0;
		if (strlen(out) + 4 < outsz)
			strcat(out, draw_bar(level));
	}
}

/* The histogram of a numeric column, or the shares of its top values. */
static void
profile_column_bars(const cJSON *col, char *out, size_t outsz)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(col, "histogram"), "counts");
	const cJSON *top = cJSON_GetObjectItemCaseSensitive(col, "top"), *x;
	double counts[64];
	int n = 0;

	if (cJSON_IsArray(h)) {
		cJSON_ArrayForEach(x, h) if (n < 64) counts[n++] = x->valuedouble;
	} else if (cJSON_IsArray(top)) {
		cJSON_ArrayForEach(x, top) if (n < 64) counts[n++] = json_num(x, "count", 0);
	}
	profile_histogram(counts, n, out, outsz);
}

static const char *
profile_drift(const pane *p, const char *name)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(p->app->rv->profile, "drift"))
		if (strcmp(json_str(d, "column", ""), name) == 0 && strcmp(json_str(d, "level", "low"), "low") != 0)
			return json_str(d, "level", "");
	return NULL;
}

static int
profile_row(pane *p, WINDOW *w, int y, int cols, const cJSON *col)
{
	const char *name = json_str(col, "name", "?"), *drift = profile_drift(p, name);
	char bars[PROFILE_HIST_W * 4 + 1], miss[16], dist[24];
	int namew = cols >= 100 ? 28 : 18;

	profile_column_bars(col, bars, sizeof(bars));
	snprintf(miss, sizeof(miss), "%.1f%%", json_num(col, "missing_fraction", 0) * 100.0);
	snprintf(dist, sizeof(dist), "%s%.0f", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(col, "distinct_exact")) ? "" : "~",
		json_num(col, "distinct", 0));
	draw_text(w, y, 1, name, namew, theme_attr(strcmp(name, json_str(p->app->rv->profile, "target", "")) == 0
			? THEME_TITLE : THEME_TEXT));
	draw_textf(w, y, 2 + namew, 32, theme_attr(THEME_TEXT), "%-11s %7s %9s", json_str(col, "type", "?"), miss, dist);
	draw_text(w, y, 32 + namew, bars, PROFILE_HIST_W, theme_attr(THEME_BAR));
	if (drift && cols > 50 + namew + PROFILE_HIST_W)
		draw_textf(w, y, 33 + namew + PROFILE_HIST_W, cols - 34 - namew - PROFILE_HIST_W, theme_attr(THEME_ERROR),
			"drift %s", drift);
	return y + 1;
}

/* The target: class counts as bars, or its column's histogram. */
static int
profile_target(pane *p, WINDOW *w, int y, int rows, int cols, int *skip)
{
	const cJSON *prof = p->app->rv->profile, *c;
	double total = 0;

	if (y < rows && (*skip)-- <= 0)
		draw_textf(w, y++, 1, cols - 2, theme_attr(THEME_HEADER), "target %s (%s)", json_str(prof, "target", "?"),
			json_str(prof, "task", "?"));
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(prof, "classes")) total += json_num(c, "count", 0);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(prof, "classes")) {
		double share = total > 0 ? json_num(c, "count", 0) / total : 0;
		char bar[3 * 40 + 1] = "";
		int k, len = (int)(share * 30 + 0.5);

		if (y >= rows || (*skip)-- > 0)
			continue;
		for (k = 0; k < len && k < 40; k++)
			strcat(bar, draw_bar(8));
		draw_text(w, y, 3, json_str(c, "value", "?"), 16, theme_attr(THEME_TEXT));
		draw_text(w, y, 20, bar, 30, theme_attr(THEME_BAR));
		draw_textf(w, y++, 52, cols - 53, theme_attr(THEME_TEXT), "%5.1f%% (%.0f)", share * 100,
			json_num(c, "count", 0));
	}
	return y;
}

static void
profile_draw(pane *p, WINDOW *w, int rows, int cols)
{
	profile_state *s = p->state;
	const cJSON *files = profile_files(p), *file, *col;
	int y = 0, skip = s->top, namew = cols >= 100 ? 28 : 18;

	if (!files) {
		draw_text(w, 1, 1, "PROFILE has not run yet: the data profile comes with it.", cols - 2, theme_attr(THEME_DIM));
		return;
	}
	if (s->file >= cJSON_GetArraySize(files))
		s->file = 0;
	file = cJSON_GetArrayItem(files, s->file);
	draw_textf(w, y++, 1, cols - 2, theme_attr(THEME_TITLE), "%s (%s): %.0f rows, %.0f columns   f: next file",
		json_str(file, "name", "?"), json_str(file, "role", "?"), json_num(file, "rows", 0),
		json_num(file, "column_count", 0));
	draw_textf(w, y++, 1, cols - 2, theme_attr(THEME_HEADER), "%-*s %-11s %7s %9s %s", namew, "column", "type",
		"missing", "distinct", "distribution");
	cJSON_ArrayForEach(col, cJSON_GetObjectItemCaseSensitive(file, "columns")) {
		if (y >= rows)
			break;
		if (skip-- > 0)
			continue;
		y = profile_row(p, w, y, cols, col);
	}
	if (y + 1 < rows && cJSON_GetObjectItemCaseSensitive(p->app->rv->profile, "target"))
		profile_target(p, w, y + 1, rows, cols, &skip);
}

static const pane_help profile_help[] = {
	{ "Up Down j k", "scroll" },
	{ "PgUp PgDn", "scroll a page" },
	{ "f", "the next file (train, test, sample submission)" },
	{ NULL, NULL },
};

const pane_ops pane_profile_ops = {
	.name = "profile",
	.open = profile_open,
	.close = profile_close,
	.reload = profile_reload,
	.key = profile_key,
	.draw = profile_draw,
	.help = profile_help,
};

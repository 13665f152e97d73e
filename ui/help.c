#include "config.h"

#include "ui/chrome.h"
#include "ui/draw.h"
#include "ui/help.h"
#include "ui/keymap.h"
#include "ui/theme.h"

#include <stdio.h>
#include <string.h>

/* The ? popup: the focused pane's own keys, then the global ones as the
 * keymap binds them now (the user's keys file included). */

#define HELP_MAX_ROWS 64

typedef struct help_row {
	char keys[64];
	char what[128];
	int title;
} help_row;

typedef struct help_list {
	help_row r[HELP_MAX_ROWS];
	int n;
} help_list;

static void
help_add(help_list *l, int title, const char *keys, const char *what)
{
	if (l->n == HELP_MAX_ROWS)
		return;
	l->r[l->n].title = title;
	snprintf(l->r[l->n].keys, sizeof(l->r[l->n].keys), "%s", keys);
	snprintf(l->r[l->n].what, sizeof(l->r[l->n].what), "%s", what);
	l->n++;
}

/* Actions first..last (the panes; next and previous) as one row. */
static void
help_add_group(help_list *l, keymap_action first, keymap_action last, const char *what)
{
	char keys[64] = "", one[64];
	size_t len = 0;
	int i;

	for (i = first; i <= (int)last; i++) {
		keymap_keys_of((keymap_action)i, one, sizeof(one));
		if (one[0] && len < sizeof(keys))
			len += (size_t)snprintf(keys + len, sizeof(keys) - len, "%s%s", len ? " " : "", one);
	}
	if (keys[0])
		help_add(l, 0, keys, what);
}

static void
help_globals(const app *a, help_list *l)
{
	char keys[64], panes[128] = "";
	size_t len = 0;
	int i;

	for (i = 0; a->rv && i < APP_NPANES && len < sizeof(panes); i++)
		len += (size_t)snprintf(panes + len, sizeof(panes) - len, "%s%s", i ? ", " : "", a->panes[i].ops->name);
	help_add(l, 1, "", "everywhere");
	if (a->rv) {
		help_add_group(l, KEYMAP_NEXT_PANE, KEYMAP_PREV_PANE, "next / previous pane");
		help_add_group(l, KEYMAP_PANE_1, (keymap_action)(KEYMAP_PANE_1 + APP_NPANES - 1), panes);
	}
	for (i = KEYMAP_PANE_5 + 1; i < KEYMAP_COUNT; i++) {
		if (keymap_needs_run((keymap_action)i) && !a->rv)
			continue;
		if (keymap_keys_of((keymap_action)i, keys, sizeof(keys))[0])
			help_add(l, 0, keys, keymap_help((keymap_action)i));
	}
}

void
help_draw(app *a)
{
	const pane *p = a->rv ? &a->panes[a->focus] : &a->start;
	const pane_help *h;
	help_list l;
	WINDOW *w;
	int rows, cols, shown, y, i;

	l.n = 0;
	help_add(&l, 1, "", p->ops->name);
	for (h = p->ops->help; h && h->keys; h++)
		help_add(&l, 0, h->keys, h->what);
	help_globals(a, &l);
	w = chrome_box(l.n + 2, 72, "keys (Esc closes)");
	rows = getmaxy(w);
	cols = getmaxx(w);
	shown = rows - 2;
	if (a->popup_sel > l.n - shown)
		a->popup_sel = l.n - shown;
	if (a->popup_sel < 0)
		a->popup_sel = 0;
	for (y = 1, i = a->popup_sel; i < l.n && y <= shown; i++, y++) {
		if (l.r[i].title) {
			draw_text(w, y, 2, l.r[i].what, cols - 4, theme_attr(THEME_TITLE));
			continue;
		}
		draw_text(w, y, 2, l.r[i].keys, 12, theme_attr(THEME_HEADER));
		draw_text(w, y, 15, l.r[i].what, cols - 17, theme_attr(THEME_TEXT));
	}
	if (a->popup_sel + shown < l.n)
		draw_text(w, rows - 1, cols - 16, " Down: more ", 14, theme_attr(THEME_DIM));
	wnoutrefresh(w);
	delwin(w);
}

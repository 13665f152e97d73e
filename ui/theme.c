#include "config.h"

#include "ui/theme.h"

#include <stdlib.h>
#include <string.h>

/* Pairs 1..THEME_COUNT are the elements'; the output pane's cells get
 * pairs allocated after them, as their colours first appear. */
#define THEME_DYN_MAX 64

static attr_t theme_attrs[THEME_COUNT];
static int theme_colors_on;
static short theme_dyn_next;
static struct {
	short fg, bg;
} theme_dyn[THEME_DYN_MAX];

typedef struct theme_spec {
	short fg, bg;
	attr_t attr, mono;
} theme_spec;

#define THEME_ROW(e, n, fg, bg, a, m) { fg, bg, a, m },
static const theme_spec theme_defaults[THEME_COUNT] = { THEME_ELEMENTS(THEME_ROW) };
static theme_spec theme_table[THEME_COUNT] = { THEME_ELEMENTS(THEME_ROW) };
#undef THEME_ROW
static int theme_max_colors = 256;

/* Colours the terminal (or --colors) lacks: bright ones become their
 * base colour, bright black white; the rest the default. */
static short
theme_fit(short c)
{
	int limit = COLORS < theme_max_colors ? COLORS : theme_max_colors;

	if (c < limit)
		return c;
	if (c == 8)
		return COLOR_WHITE;
	return c < 16 ? (short)(c - 8) : -1;
}

void
theme_set(theme_element e, short fg, short bg, attr_t attr)
{
	theme_table[e].fg = fg;
	theme_table[e].bg = bg;
	theme_table[e].attr = attr;
	/* Without colours an element keeps its attributes, and one that
	 * only differed by colour is shown reversed or bold as before. */
	if (attr != A_NORMAL)
		theme_table[e].mono = attr;
}

void
theme_reset(void)
{
	memcpy(theme_table, theme_defaults, sizeof(theme_table));
}

void
theme_init(const char *colors)
{
	const char *no_color = getenv("NO_COLOR");
	int i, mono = (no_color && *no_color) || (colors && strcmp(colors, "mono") == 0) || !has_colors();

	if (colors && atoi(colors) > 0)
		theme_max_colors = atoi(colors);
	theme_colors_on = !mono && start_color() == OK;
	if (theme_colors_on)
		use_default_colors();
	for (i = 0; i < THEME_COUNT; i++) {
		if (!theme_colors_on) {
			theme_attrs[i] = theme_table[i].mono;
			continue;
		}
		init_pair((short)(i + 1), theme_fit(theme_table[i].fg), theme_fit(theme_table[i].bg));
		theme_attrs[i] = theme_table[i].attr | COLOR_PAIR(i + 1);
	}
	theme_dyn_next = 0;
}

attr_t
theme_attr(theme_element e)
{
	return theme_attrs[e];
}

short
theme_pair_for(int fg, int bg)
{
	short i, pair;

	if (!theme_colors_on || (fg < 0 && bg < 0))
		return 0;
	fg = fg >= 0 ? theme_fit((short)fg) : -1;
	bg = bg >= 0 ? theme_fit((short)bg) : -1;
	for (i = 0; i < theme_dyn_next; i++)
		if (theme_dyn[i].fg == fg && theme_dyn[i].bg == bg)
			return (short)(THEME_COUNT + 1 + i);
	if (theme_dyn_next == THEME_DYN_MAX || THEME_COUNT + 1 + theme_dyn_next >= COLOR_PAIRS)
		return 0;
	pair = (short)(THEME_COUNT + 1 + theme_dyn_next);
	theme_dyn[theme_dyn_next].fg = (short)fg;
	theme_dyn[theme_dyn_next].bg = (short)bg;
	theme_dyn_next++;
	init_pair(pair, (short)fg, (short)bg);
	return pair;
}

#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/versions.h"
#include "ui/app.h"
#include "ui/codedraw.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/pysyntax.h"
#include "ui/selection.h"
#include "ui/theme.h"
#include "util/fs.h"
#include "util/linediff.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The generated code: one tab per file of code/, Python in colours; e
 * opens the file in $EDITOR and the edit is read back (the run's
 * fingerprints then make TRAIN stale: r re-runs it); d shows what changed
 * since the previous version of the code; a traceback's line opened from
 * the output pane is marked. The cursor's line has its number
 * highlighted; v selects lines from it for y to copy. */

typedef struct code_state {
	char **files;      /* names in code/ */
	int nfiles, cur;
	char *text;        /* the current file */
	size_t len;
	int nlines;        /* its lines (a last one without a newline too) */
	int top;
	int line;          /* the cursor's line (0-based) */
	selection sel;     /* lines of the code (not of the diff) */
	char loaded[256];  /* which file text holds */
	int mark;          /* the line (1-based) a traceback opened, 0 none */
	int diff;          /* d: the diff against version `against` is shown */
	int against;       /* the previous version, 0 none */
	char *old;         /* its text of the current file */
	linediff_line *dl; /* the current file against it */
	size_t ndl;
} code_state;

/* The diff of the current file against the previous version of the code
 * (a file that version did not have: all added). */
static void
code_diff_load(pane *p)
{
	code_state *s = p->state;
	char *dir, *path;

	free(s->old);
	free(s->dl);
	s->old = NULL;
	s->dl = NULL;
	s->ndl = 0;
	s->against = versions_previous(p->app->rv->db, p->app->rv->run.id, p->app->rv->run.dir, NULL);
	if (!s->against || !s->text)
		return;
	dir = versions_dir(p->app->rv->run.dir, s->against);
	path = fs_join(dir, s->loaded);
	s->old = fs_read_file(path, NULL, NULL);
	if (!s->old)
		s->old = xstrdup("");
	s->ndl = linediff(s->old, strlen(s->old), s->text, s->len, &s->dl);
	free(path);
	free(dir);
}

static void
code_load(pane *p)
{
	code_state *s = p->state;
	char *dir = rundir_path(p->app->rv->run.dir, RUNDIR_CODE), *path;
	size_t i;

	strv_free(s->files);
	s->files = fs_list_files(dir);
	for (s->nfiles = 0; s->files && s->files[s->nfiles]; s->nfiles++)
		;
	if (s->cur >= s->nfiles)
		s->cur = 0;
	free(s->text);
	s->text = NULL;
	s->len = 0;
	s->loaded[0] = '\0';
	if (s->nfiles > 0) {
		path = fs_join(dir, s->files[s->cur]);
		s->text = fs_read_file(path, &s->len, NULL);
		snprintf(s->loaded, sizeof(s->loaded), "%s", s->files[s->cur]);
		free(path);
	}
	free(dir);
	for (i = 0, s->nlines = 0; i < s->len; i++)
		s->nlines += s->text[i] == '\n';
	s->nlines += s->len > 0 && s->text[s->len - 1] != '\n';
	/* Reloaded after an edit, the file may be shorter. */
	if (s->line >= s->nlines)
		s->line = s->nlines > 0 ? s->nlines - 1 : 0;
	if (s->diff)
		code_diff_load(p);
}

static void
code_open(pane *p)
{
	p->state = xcalloc(1, sizeof(code_state));
	code_load(p);
}

static void
code_close(pane *p)
{
	code_state *s = p->state;

	strv_free(s->files);
	free(s->text);
	free(s->old);
	free(s->dl);
	free(s);
	p->state = NULL;
}

static void
code_reload(pane *p)
{
	code_load(p);
}

/* $VISUAL or $EDITOR (vi without either) on the current file. */
static void
code_edit(pane *p)
{
	code_state *s = p->state;
	char *rel, *path;
	char *before;
	int status, changed;

	if (s->nfiles == 0) {
		app_status(p->app, 1, "there is no code yet: CODE writes it");
		return;
	}
	before = s->text ? xstrdup(s->text) : xstrdup("");
	rel = fs_join(RUNDIR_CODE, s->files[s->cur]);
	path = rundir_path(p->app->rv->run.dir, rel);
	status = app_edit_file(p->app, path);
	code_load(p);
	changed = strcmp(before, s->text ? s->text : "") != 0;
	free(before);
	/* A failed editor is on the status line already (app_edit_file). */
	if (status == 0 && changed)
		app_status(p->app, 0, "%s edited: r re-runs what it made stale", rel);
	else if (status == 0)
		app_status(p->app, 0, "%s unchanged", rel);
	free(rel);
	free(path);
}

/* d: the diff against the previous version, or the code again. */
static void
code_diff_toggle(pane *p)
{
	code_state *s = p->state;
	size_t i, add = 0, del = 0;

	s->diff = !s->diff;
	s->top = 0;
	selection_drop(&s->sel);
	if (!s->diff) {
		app_status(p->app, 0, "%s as it is now", s->loaded);
		return;
	}
	code_diff_load(p);
	if (!s->against) {
		s->diff = 0;
		app_status(p->app, 0, "no earlier version of the code to compare with (CODE, a repair or an edit makes one)");
		return;
	}
	for (i = s->ndl; i-- > 0;) {
		add += s->dl[i].kind == LINEDIFF_ADD;
		del += s->dl[i].kind == LINEDIFF_DEL;
		/* The view opens a little above the first change. */
		if (s->dl[i].kind != LINEDIFF_SAME)
			s->top = i > 2 ? (int)i - 2 : 0;
	}
	app_status(p->app, 0, "%s against version %d: +%zu -%zu (d: the code again)", s->loaded, s->against, add, del);
}

/* Shows line of file marked (a traceback's frame, from the output pane). */
static int
code_show(pane *p, const char *file, int line)
{
	code_state *s = p->state;
	int i, half = p->rows > 6 ? (p->rows - 2) / 2 : 5;

	for (i = 0; i < s->nfiles && strcmp(s->files[i], file) != 0; i++)
		;
	if (i == s->nfiles) {
		app_status(p->app, 1, "%s is not among the run's code files (code/)", file);
		return -1;
	}
	s->cur = i;
	s->diff = 0;
	code_load(p);
	s->mark = line;
	s->line = line - 1;
	selection_drop(&s->sel);
	s->top = line - 1 > half ? line - 1 - half : 0;
	return 0;
}

/* By lines: the diff's view scrolls; on the code the cursor moves, within
 * the file (the view follows it when drawn). */
static void
code_move(pane *p, int by)
{
	code_state *s = p->state;
	int last = s->diff ? (int)s->ndl - 1 : s->nlines - 1;
	int *at = s->diff ? &s->top : &s->line;

	*at = *at + by > last ? last : *at + by;
	if (*at < 0)
		*at = 0;
}

/* v and Esc: a selection of the code's lines. */
static int
code_select(pane *p, int key)
{
	code_state *s = p->state;
	const char *note;

	if (key == 'v' && (s->diff || !s->text)) {
		app_status(p->app, 0, "%s", s->diff ? "v selects lines of the code: d shows it again" : "no code to select yet");
		return 1;
	}
	note = selection_key(&s->sel, key, s->line);
	if (note)
		app_status(p->app, 0, "%s", note);
	return note != NULL;
}

static int
code_key(pane *p, int key)
{
	code_state *s = p->state;
	int page = p->rows > 3 ? p->rows - 3 : 1, all = s->nlines + (int)s->ndl;

	if (code_select(p, key))
		return PANE_HANDLED;
	if (key == KEYS_DOWN || key == 'j' || key == KEYS_UP || key == 'k')
		code_move(p, key == KEYS_DOWN || key == 'j' ? 1 : -1);
	else if (key == KEYS_PGDN || key == ' ' || key == KEYS_PGUP)
		code_move(p, key == KEYS_PGUP ? -page : page);
	else if (key == KEYS_HOME || key == KEYS_END)
		code_move(p, key == KEYS_HOME ? -all : all);
	else if ((key == KEYS_RIGHT || key == ']' || key == KEYS_LEFT || key == '[') && s->nfiles > 0) {
		s->cur = (s->cur + (key == KEYS_RIGHT || key == ']' ? 1 : s->nfiles - 1)) % s->nfiles;
		s->top = s->line = 0;
		s->mark = 0;
		selection_drop(&s->sel);
		code_load(p);
	} else if (key == 'd')
		code_diff_toggle(p);
	else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

/* Line n (0-based) at row y: marked (a traceback's), selected, or in its
 * syntax colours; the cursor's number highlighted. */
static void
code_row(const code_state *s, WINDOW *w, int y, int cols, int n, const char *line, size_t len, const theme_element *el)
{
	theme_element look = n + 1 == s->mark ? THEME_SELECTED : THEME_SELECTION;
	int whole = n + 1 == s->mark || selection_has(&s->sel, s->line, n);

	if (whole)
		draw_clear_to_eol(w, y, 0, theme_attr(look));
	draw_textf(w, y, 0, 5, theme_attr(n == s->line ? THEME_SELECTED : whole ? look : THEME_DIM),
		n + 1 == s->mark ? "%4d>" : "%4d ", n + 1);
	if (whole)
		codedraw_line_as(w, y, cols, line, len, look);
	else
		codedraw_line(w, y, cols, line, len, el);
}

static void
code_draw(pane *p, WINDOW *w, int rows, int cols)
{
	code_state *s = p->state;
	pysyntax_state syn = { 0 };
	const char *line, *end;
	theme_element *el;
	int y = 1, n = 0, python;

	if (s->nfiles == 0 || !s->text) {
		draw_text(w, 1, 1, "CODE has not run yet: the pipeline's files come with it.", cols - 2, theme_attr(THEME_DIM));
		return;
	}
	codedraw_tabs(w, cols, s->files, s->nfiles, s->cur);
	if (s->diff) {
		codedraw_diff(w, rows, cols, s->dl, s->ndl, s->top);
		return;
	}
	/* The cursor in sight: rows 1 to rows - 1 show lines from top. */
	if (s->line < s->top)
		s->top = s->line;
	else if (s->line > s->top + rows - 2)
		s->top = s->line - rows + 2;
	python = strlen(s->loaded) > 3 && strcmp(s->loaded + strlen(s->loaded) - 3, ".py") == 0;
	for (line = s->text; line < s->text + s->len && y < rows; line = end + 1, n++) {
		end = memchr(line, '\n', (size_t)(s->text + s->len - line));
		if (!end)
			end = s->text + s->len;
		el = xcalloc((size_t)(end - line) + 1, sizeof(*el));
		if (python)
			pysyntax_line(&syn, line, (size_t)(end - line), el);
		if (n >= s->top)
			code_row(s, w, y++, cols, n, line, (size_t)(end - line), el);
		free(el);
	}
}

/* The selection's lines, each with its newline (the selection ends),
 * else the whole file. */
static char *
code_copy(pane *p, size_t *len, char *what, size_t whatsz)
{
	code_state *s = p->state;
	const char *line = s->text, *end;
	long first, last, n;
	strbuf sb = { 0 };

	if (!s->text)
		return NULL;
	if (selection_range(&s->sel, s->line, &first, &last) < 0) {
		snprintf(what, whatsz, "all of %s", s->loaded);
		*len = s->len;
		return xstrndup(s->text, s->len);
	}
	selection_drop(&s->sel);
	snprintf(what, whatsz, "the selection, %s lines %ld-%ld", s->loaded, first + 1, last + 1);
	for (n = 0; line < s->text + s->len && n <= last; n++, line = end + 1) {
		end = memchr(line, '\n', (size_t)(s->text + s->len - line));
		if (!end)
			end = s->text + s->len;
		if (n >= first) {
			strbuf_add(&sb, line, (size_t)(end - line));
			strbuf_addch(&sb, '\n');
		}
	}
	*len = sb.len;
	return strbuf_detach(&sb);
}

static const pane_help code_help[] = {
	{ "Left Right", "previous / next file ([ and ] too)" },
	{ "Up Down j k", "move the cursor; PgUp PgDn a page, Home End the ends" },
	{ "d", "the diff against the previous version of the code, or the code again" },
	{ "v", "select lines from the cursor's; move to stretch" },
	{ "y", "copy the selection (it ends), else the whole file" },
	{ "Esc v", "drop the selection" },
	{ NULL, NULL },
};

const pane_ops pane_code_ops = {
	.name = "code",
	.open = code_open,
	.close = code_close,
	.reload = code_reload,
	.key = code_key,
	.draw = code_draw,
	.copy = code_copy,
	.show = code_show,
	.edit = code_edit,
	.help = code_help,
};

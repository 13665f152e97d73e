#include "config.h"

#include "pipeline/rundir.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/pysyntax.h"
#include "ui/theme.h"
#include "util/fs.h"
#include "util/strv.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The generated code: one tab per file of code/, Python in colours; e
 * opens the file in $EDITOR and the edit is read back (the run's
 * fingerprints then make TRAIN stale: r re-runs it). */

#define CODE_TAB 4

typedef struct code_state {
	char **files;      /* names in code/ */
	int nfiles, cur;
	char *text;        /* the current file */
	size_t len;
	int top;
	char loaded[256];  /* which file text holds */
} code_state;

static void
code_load(pane *p)
{
	code_state *s = p->state;
	char *dir = rundir_path(p->app->rv->run.dir, RUNDIR_CODE), *path;
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

static int
code_key(pane *p, int key)
{
	code_state *s = p->state;
	int page = p->rows > 3 ? p->rows - 3 : 1;

	if (key == KEYS_DOWN || key == 'j')
		s->top++;
	else if ((key == KEYS_UP || key == 'k') && s->top > 0)
		s->top--;
	else if (key == KEYS_PGDN || key == ' ')
		s->top += page;
	else if (key == KEYS_PGUP)
		s->top = s->top > page ? s->top - page : 0;
	else if (key == KEYS_HOME)
		s->top = 0;
	else if ((key == KEYS_RIGHT || key == ']') && s->nfiles > 0) {
		s->cur = (s->cur + 1) % s->nfiles;
		s->top = 0;
		code_load(p);
	} else if ((key == KEYS_LEFT || key == '[') && s->nfiles > 0) {
		s->cur = (s->cur + s->nfiles - 1) % s->nfiles;
		s->top = 0;
		code_load(p);
	} else
		return PANE_IGNORED;
	return PANE_HANDLED;
}

/* One line, each character in its syntax colour; tabs expanded, control
 * characters shown as '?' (code is the LLM's text: nothing of it may
 * reach the terminal as a control). */
static void
code_line(WINDOW *w, int y, int cols, const char *line, size_t len, const theme_element *el)
{
	size_t i = 0, n;
	int x = 6, cw;
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	while (i < len && x < cols) {
		n = mbrtowc(&wc, line + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			wc = 0xfffd;
			n = 1;
		}
		if (wc == L'\t') {
			x += CODE_TAB - (x - 6) % CODE_TAB;
			i += n;
			continue;
		}
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0))
			wc = L'?';
		cw = wcwidth(wc);
		if (cw < 0)
			wc = L'?', cw = 1;
		if (x + cw > cols)
			break;
		wattr_set(w, theme_attr(el[i]), PAIR_NUMBER(theme_attr(el[i])), NULL);
		mvwaddnwstr(w, y, x, &wc, 1);
		x += cw;
		i += n;
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

static void
code_tabs(pane *p, WINDOW *w, int cols)
{
	code_state *s = p->state;
	int i, x = 0, first = 0, width = 0;

	/* The current file's tab stays in sight: earlier tabs give way. */
	for (i = s->cur; i >= 0; i--) {
		width += draw_width(s->files[i]) + 2;
		if (width > cols)
			break;
		first = i;
	}
	for (i = first; i < s->nfiles && x < cols; i++)
		x += draw_textf(w, 0, x, cols - x, theme_attr(i == s->cur ? THEME_TAB_ACTIVE : THEME_TAB), " %s ",
			s->files[i]);
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
	code_tabs(p, w, cols);
	python = strlen(s->loaded) > 3 && strcmp(s->loaded + strlen(s->loaded) - 3, ".py") == 0;
	for (line = s->text; line < s->text + s->len && y < rows; line = end + 1, n++) {
		end = memchr(line, '\n', (size_t)(s->text + s->len - line));
		if (!end)
			end = s->text + s->len;
		el = xcalloc((size_t)(end - line) + 1, sizeof(*el));
		if (python)
			pysyntax_line(&syn, line, (size_t)(end - line), el);
		if (n >= s->top) {
			draw_textf(w, y, 0, 5, theme_attr(THEME_DIM), "%4d", n + 1);
			code_line(w, y++, cols, line, (size_t)(end - line), el);
		}
		free(el);
	}
}

static char *
code_copy(pane *p, size_t *len)
{
	code_state *s = p->state;
	char *copy;

	if (!s->text)
		return NULL;
	copy = xmalloc(s->len + 1);
	memcpy(copy, s->text, s->len + 1);
	*len = s->len;
	return copy;
}

static const pane_help code_help[] = {
	{ "Left Right", "previous / next file ([ and ] too)" },
	{ "Up Down j k", "scroll; PgUp PgDn a page, Home the top" },
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
	.edit = code_edit,
	.help = code_help,
};

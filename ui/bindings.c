#include "config.h"

#include "pipeline/rundir.h"
#include "ui/actions.h"
#include "ui/bindings.h"
#include "ui/clipboard.h"
#include "ui/commands.h"
#include "ui/keymap.h"
#include "ui/submit.h"

#include <stdlib.h>

static void
bindings_step(app *a, int by)
{
	a->focus = (a->focus + APP_NPANES + by) % APP_NPANES;
}

static void
bindings_focus(app *a, int n)
{
	if (n < APP_NPANES)
		a->focus = n;
}

/* The stage picker opens on the running stage, else on TRAIN. */
static void
bindings_rerun_from(app *a)
{
	int running = runview_running(a->rv), plan = running >= 0 ? running : STAGE_TRAIN;

	a->popup_sel = plan < STAGE_SUBMIT ? plan : STAGE_TRAIN;
	a->popup = APP_POPUP_STAGES;
}

/* The focused pane's edit, else the code pane's (which then shows). */
static void
bindings_edit(app *a)
{
	int i;

	for (i = 0; i < APP_NPANES && !a->panes[a->focus].ops->edit; i++)
		if (a->panes[i].ops->edit)
			a->focus = i;
	if (a->panes[a->focus].ops->edit)
		a->panes[a->focus].ops->edit(&a->panes[a->focus]);
}

/* The focused pane's text, out through the first path that works. */
static void
bindings_copy(app *a)
{
	pane *p = &a->panes[a->focus];
	char used[1200], what[128] = "", *path, *text;
	size_t len = 0, lines, i;

	text = p->ops->copy ? p->ops->copy(p, &len, what, sizeof(what)) : NULL;
	if (!text) {
		app_status(a, 0, "nothing to copy here: %s",
			what[0] ? what : "the code, output and chat panes copy their text");
		return;
	}
	/* A last line without its newline counts too. */
	lines = len > 0 && text[len - 1] != '\n';
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	path = rundir_path(a->rv->run.dir, RUNDIR_CLIPBOARD);
	if (clipboard_copy(text, len, !a->headless, path, used, sizeof(used)) < 0)
		app_status(a, 1, "cannot copy: %s", used);
	else
		app_status(a, 0, "copied %zu line%s to %s (%s)", lines, lines == 1 ? "" : "s", used, what);
	free(path);
	free(text);
}

static void
bindings_redraw(app *a)
{
	(void)a;
	clearok(curscr, TRUE);
}

static void
bindings_mouse(app *a)
{
	app_mouse_set(a, !a->mouse);
	app_status(a, 0, "mouse %s", a->mouse ? "on: the wheel scrolls, a click on a tab focuses it"
					     : "off: the terminal's own selection works");
}

static void
bindings_help(app *a)
{
	a->popup = APP_POPUP_HELP;
	a->popup_sel = 0;
}

static void
bindings_quit(app *a)
{
	app_quit(a, 1);
}

/* What each action runs: a function of the app, or one of the app and a
 * number (a pane, a step, a stage). */
typedef struct bindings_op {
	void (*run)(app *a);
	void (*run_n)(app *a, int n);
	int n;
} bindings_op;

static const bindings_op bindings_ops[KEYMAP_COUNT] = {
	[KEYMAP_NEXT_PANE] = { .run_n = bindings_step, .n = 1 },
	[KEYMAP_PREV_PANE] = { .run_n = bindings_step, .n = -1 },
	[KEYMAP_PANE_1] = { .run_n = bindings_focus, .n = 0 },
	[KEYMAP_PANE_2] = { .run_n = bindings_focus, .n = 1 },
	[KEYMAP_PANE_3] = { .run_n = bindings_focus, .n = 2 },
	[KEYMAP_PANE_4] = { .run_n = bindings_focus, .n = 3 },
	[KEYMAP_PANE_5] = { .run_n = bindings_focus, .n = 4 },
	[KEYMAP_RERUN] = { .run = actions_rerun },
	[KEYMAP_RERUN_FROM] = { .run = bindings_rerun_from },
	[KEYMAP_REGENERATE] = { .run_n = actions_rerun_stage, .n = STAGE_CODE },
	[KEYMAP_CANCEL] = { .run = actions_cancel },
	[KEYMAP_EDIT] = { .run = bindings_edit },
	[KEYMAP_SUBMIT] = { .run = submit_start },
	[KEYMAP_COPY] = { .run = bindings_copy },
	[KEYMAP_RUN_LIST] = { .run = app_show_runs },
	[KEYMAP_COMMAND] = { .run = commands_open },
	[KEYMAP_REDRAW] = { .run = bindings_redraw },
	[KEYMAP_MOUSE_TOGGLE] = { .run = bindings_mouse },
	[KEYMAP_HELP] = { .run = bindings_help },
	[KEYMAP_QUIT] = { .run = bindings_quit },
};

void
bindings_do(app *a, int action)
{
	if (action < 0 || action >= KEYMAP_COUNT || (keymap_needs_run((keymap_action)action) && !a->rv))
		return;
	if (bindings_ops[action].run)
		bindings_ops[action].run(a);
	else
		bindings_ops[action].run_n(a, bindings_ops[action].n);
	app_dirty(a);
}

int
bindings_key(app *a, int key)
{
	int action = keymap_action_of(key);

	if (action < 0 || (keymap_needs_run((keymap_action)action) && !a->rv))
		return 0;
	bindings_do(a, action);
	return 1;
}

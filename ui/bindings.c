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
bindings_pane_step(app *a, keymap_action act)
{
	a->focus = (a->focus + (act == KEYMAP_NEXT_PANE ? 1 : APP_NPANES - 1)) % APP_NPANES;
}

static void
bindings_pane(app *a, keymap_action act)
{
	int i = (int)(act - KEYMAP_PANE_1);

	if (i < APP_NPANES)
		a->focus = i;
}

static void
bindings_rerun(app *a, keymap_action act)
{
	(void)act;
	actions_rerun(a);
}

/* The stage picker opens on the running stage, else on TRAIN. */
static void
bindings_rerun_from(app *a, keymap_action act)
{
	int running = runview_running(a->rv), plan = running >= 0 ? running : STAGE_TRAIN;

	(void)act;
	a->popup_sel = plan < STAGE_SUBMIT ? plan : STAGE_TRAIN;
	a->popup = APP_POPUP_STAGES;
}

static void
bindings_regenerate(app *a, keymap_action act)
{
	(void)act;
	actions_rerun_stage(a, STAGE_CODE);
}

static void
bindings_cancel(app *a, keymap_action act)
{
	(void)act;
	actions_cancel(a);
}

/* The focused pane's edit, else the code pane's (which then shows). */
static void
bindings_edit(app *a, keymap_action act)
{
	int i;

	(void)act;
	for (i = 0; i < APP_NPANES && !a->panes[a->focus].ops->edit; i++)
		if (a->panes[i].ops->edit)
			a->focus = i;
	if (a->panes[a->focus].ops->edit)
		a->panes[a->focus].ops->edit(&a->panes[a->focus]);
}

static void
bindings_submit(app *a, keymap_action act)
{
	(void)act;
	submit_start(a);
}

/* The focused pane's text, out through the first path that works. */
static void
bindings_copy(app *a, keymap_action act)
{
	pane *p = &a->panes[a->focus];
	char used[1200], *path, *text;
	size_t len = 0, lines = 0, i;

	(void)act;
	text = p->ops->copy ? p->ops->copy(p, &len) : NULL;
	if (!text) {
		app_status(a, 0, "nothing to copy here (the code and output panes copy their text)");
		return;
	}
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	path = rundir_path(a->rv->run.dir, RUNDIR_CLIPBOARD);
	if (clipboard_copy(text, len, !a->headless, path, used, sizeof(used)) < 0)
		app_status(a, 1, "cannot copy: %s", used);
	else
		app_status(a, 0, "copied %zu lines to %s", lines, used);
	free(path);
	free(text);
}

static void
bindings_run_list(app *a, keymap_action act)
{
	(void)act;
	app_show_runs(a);
}

static void
bindings_command(app *a, keymap_action act)
{
	(void)act;
	commands_open(a);
}

static void
bindings_redraw(app *a, keymap_action act)
{
	(void)a;
	(void)act;
	clearok(curscr, TRUE);
}

static void
bindings_mouse(app *a, keymap_action act)
{
	(void)act;
	app_mouse_set(a, !a->mouse);
	app_status(a, 0, "mouse %s", a->mouse ? "on: the wheel scrolls, a click on a tab focuses it"
					     : "off: the terminal's own selection works");
}

static void
bindings_help(app *a, keymap_action act)
{
	(void)act;
	a->popup = APP_POPUP_HELP;
	a->popup_sel = 0;
}

static void
bindings_quit(app *a, keymap_action act)
{
	(void)act;
	app_quit(a, 1);
}

static void (*const bindings_ops[KEYMAP_COUNT])(app *a, keymap_action act) = {
	[KEYMAP_NEXT_PANE] = bindings_pane_step, [KEYMAP_PREV_PANE] = bindings_pane_step,
	[KEYMAP_PANE_1] = bindings_pane, [KEYMAP_PANE_2] = bindings_pane, [KEYMAP_PANE_3] = bindings_pane,
	[KEYMAP_PANE_4] = bindings_pane, [KEYMAP_PANE_5] = bindings_pane,
	[KEYMAP_RERUN] = bindings_rerun, [KEYMAP_RERUN_FROM] = bindings_rerun_from,
	[KEYMAP_REGENERATE] = bindings_regenerate, [KEYMAP_CANCEL] = bindings_cancel, [KEYMAP_EDIT] = bindings_edit,
	[KEYMAP_SUBMIT] = bindings_submit, [KEYMAP_COPY] = bindings_copy, [KEYMAP_RUN_LIST] = bindings_run_list,
	[KEYMAP_COMMAND] = bindings_command, [KEYMAP_REDRAW] = bindings_redraw, [KEYMAP_MOUSE_TOGGLE] = bindings_mouse,
	[KEYMAP_HELP] = bindings_help, [KEYMAP_QUIT] = bindings_quit,
};

void
bindings_do(app *a, int action)
{
	if (action < 0 || action >= KEYMAP_COUNT || (keymap_needs_run((keymap_action)action) && !a->rv))
		return;
	bindings_ops[action](a, (keymap_action)action);
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

#ifndef AK_UI_APP_H
#define AK_UI_APP_H

#include "cmd/cmd.h"
#include "pipeline/follow.h"
#include "ui/cmdline.h"
#include "ui/input.h"
#include "ui/pane.h"
#include "ui/runview.h"
#include "util/loop.h"

/* The workbench: one loop, one input choke point, the start screen or
 * one run's panes over the store, a stage bar and a status line. What the
 * panes may ask of it is below; the rest of app.c is static. */

#define APP_NPANES 5

typedef enum app_popup {
	APP_POPUP_NONE, APP_POPUP_HELP, APP_POPUP_QUIT, APP_POPUP_STAGES, APP_POPUP_SUBMIT,
} app_popup;

typedef void (*app_prompt_done)(app *a, const char *text, void *arg);

struct app {
	loop *l;
	cmd_ctx *ctx;
	store *db;
	input *in;
	int headless;
	runview *rv;             /* the open run, NULL on the start screen */
	follow *fw;
	pane start;
	pane panes[APP_NPANES];
	int focus;
	int dirty, frame_timer, tick_timer;
	double last_frame;
	char status[512];
	int status_error;
	app_popup popup;
	int popup_sel;           /* the stage picked; the help's first row shown */
	/* The one-line prompt (new run, search): open while prompt_done is set. */
	const char *prompt_label;
	char prompt_buf[512];
	size_t prompt_len;
	app_prompt_done prompt_done;
	void *prompt_arg;
	cmdline *cmd;            /* the ":" command line, open while cmd_open */
	int cmd_open;
	struct submit_job *submit; /* s: the checks, the question, the upload; NULL when none */
	int mouse;               /* mouse reports are on */
	double last_bell;
	int code;
};

/* Runs the workbench until the user quits: the run list, or run_id
 * opened; keys from the terminal, or from the key script at script (then
 * nothing is drawn on a terminal). Returns the exit code. */
int app_main(cmd_ctx *ctx, store *db, const char *run_id, const char *script);
/* A message on the status line (error: in the error colour). */
void app_status(app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Something changed: a frame is drawn soon (at most ~30 a second). */
void app_dirty(app *a);
/* Something changed in pane p: a frame only when p is on the screen (a
 * firehose in the output pane costs nothing while the chat is shown). */
void app_pane_dirty(pane *p);
/* Opens a one-line prompt; done gets the text on Enter (not on Escape). */
void app_prompt(app *a, const char *label, const char *initial, app_prompt_done done, void *arg);
/* Opens a run's panes (from the start screen); -1 with the status set. */
int app_open_run(app *a, const char *run_id);
/* Focuses the pane that shows code, on line (1-based) of file (a name in
 * the run's code/); -1 with the status line saying why not. */
int app_show_code(app *a, const char *file, int line);
/* Quits; with ask, asks first (y/n) while a stage runs, which keeps running. */
void app_quit(app *a, int ask);
/* Closes the run and shows the run list. */
void app_show_runs(app *a);
/* Mouse reports on or off (off: the terminal's own selection works). */
void app_mouse_set(app *a, int on);
/* Runs a program on the terminal (the user's $EDITOR) and comes back. */
int app_run_foreground(app *a, const char *const *argv);
/* Opens path in $VISUAL or $EDITOR (vi without either) on the terminal;
 * its exit status (the status line says when it failed). */
int app_edit_file(app *a, const char *path);
/* The terminal's bell (a reply or a stage finished): not under a key
 * script, and at most one every two seconds. */
void app_bell(app *a);

#endif

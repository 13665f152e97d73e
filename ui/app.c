#include "config.h"

#include "pipeline/run.h"
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/bindings.h"
#include "ui/chrome.h"
#include "ui/commands.h"
#include "ui/draw.h"
#include "ui/keymap.h"
#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/submit.h"
#include "util/settings.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define APP_FRAME_MS 33          /* at most ~30 frames a second */
#define APP_TICK_MS 1000         /* elapsed times, the run list */
#define APP_FOLLOW_MS 100
#define APP_LOG_REPLAY (256 * 1024) /* what a re-opened output pane shows first */
/* What a tick reads of a log at most when the output outruns the pane:
 * every line through the terminal model costs ~20 us, and at 10 ticks a
 * second this keeps a firehose under ~4000 lines a second in it. */
#define APP_LOG_WINDOW (32 * 1024)
#define APP_BELL_GAP 2.0         /* seconds between two bells */
#define APP_HISTORY 200          /* commands the ":" line remembers (and keeps on disk) */

static const pane_ops *const app_pane_ops[APP_NPANES] = {
	&pane_comp_ops, &pane_profile_ops, &pane_chat_ops, &pane_code_ops, &pane_output_ops,
};

void
app_status(app *a, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->status, sizeof(a->status), fmt, ap);
	va_end(ap);
	a->status_error = error;
	app_dirty(a);
}

static void
app_frame(loop *l, void *arg)
{
	app *a = arg;

	(void)l;
	a->frame_timer = 0;
	a->last_frame = loop_now();
	chrome_draw(a);
	a->dirty = 0;
}

void
app_dirty(app *a)
{
	long wait;

	a->dirty = 1;
	if (a->frame_timer)
		return;
	wait = (long)((a->last_frame + APP_FRAME_MS / 1000.0 - loop_now()) * 1000.0);
	a->frame_timer = loop_timer_add(a->l, wait > 0 ? wait : 0, 0, app_frame, a);
}

void
app_pane_dirty(pane *p)
{
	app *a = p->app;

	if (a->rv && p == &a->panes[a->focus])
		app_dirty(a);
}

/* Draws a pending frame now (a script looks at the screen). */
static void
app_flush(app *a)
{
	if (!a->dirty)
		return;
	if (a->frame_timer)
		loop_timer_cancel(a->l, a->frame_timer);
	app_frame(a->l, a);
}

void
app_prompt(app *a, const char *label, const char *initial, app_prompt_done done, void *arg)
{
	a->prompt_label = label;
	snprintf(a->prompt_buf, sizeof(a->prompt_buf), "%s", initial ? initial : "");
	a->prompt_len = strlen(a->prompt_buf);
	a->prompt_done = done;
	a->prompt_arg = arg;
	app_dirty(a);
}

static void
app_each_pane(app *a, void (*fn)(pane *p))
{
	int i;

	for (i = 0; i < APP_NPANES; i++)
		if (a->panes[i].ops)
			fn(&a->panes[i]);
}

static void
app_pane_reload(pane *p)
{
	p->ops->reload(p);
}

static void
app_pane_close(pane *p)
{
	p->ops->close(p);
	memset(p, 0, sizeof(*p));
}

static void
app_on_event(const store_event *ev, void *arg)
{
	app *a = arg;

	runview_reload(a->rv);
	app_each_pane(a, app_pane_reload);
	if (ev->stage[0] && (strcmp(ev->kind, "done") == 0 || strcmp(ev->kind, "failed") == 0))
		app_bell(a);
	if (strcmp(ev->kind, "finished") != 0 && strcmp(ev->kind, "header") != 0)
		app_status(a, strcmp(ev->kind, "failed") == 0 || strcmp(ev->kind, "error") == 0, "[%s] %s",
			ev->stage[0] ? ev->stage : "run", ev->message);
	app_dirty(a);
}

/* The pane that shows the stages' output. */
static pane *
app_log_pane(app *a)
{
	int i;

	for (i = 0; i < APP_NPANES; i++)
		if (a->panes[i].ops && a->panes[i].ops->log)
			return &a->panes[i];
	return NULL;
}

static void
app_on_log(machine_stage_id stage, const char *data, size_t len, void *arg)
{
	app *a = arg;
	pane *out = app_log_pane(a);

	if (out) {
		out->ops->log(out, (int)stage, data, len);
		app_pane_dirty(out);
	}
}

static void
app_on_skipped(machine_stage_id stage, long long bytes, void *arg)
{
	pane *out = app_log_pane(arg);

	if (out && out->ops->skipped)
		out->ops->skipped(out, (int)stage, bytes);
}

static void
app_on_ended(void *arg)
{
	app *a = arg;

	runview_reload(a->rv);
	app_each_pane(a, app_pane_reload);
	app_status(a, strcmp(a->rv->status, "failed") == 0, "run %s %s", a->rv->run.id, a->rv->status);
}

static const follow_ops app_follow_ops = {
	.event = app_on_event, .log = app_on_log, .skipped = app_on_skipped, .ended = app_on_ended,
};

static void
app_close_run(app *a)
{
	follow_stop(a->fw);
	a->fw = NULL;
	app_each_pane(a, app_pane_close);
	runview_close(a->rv);
	a->rv = NULL;
}

int
app_open_run(app *a, const char *run_id)
{
	ak_err e = { 0 };
	runview *v = runview_open(a->db, run_id, &e);
	int i;

	if (!v) {
		app_status(a, 1, "%s", e.msg);
		return -1;
	}
	app_close_run(a);
	a->rv = v;
	/* The start screen's news is stale now; an error (a bad keys file at
	 * start-up) stays until something else is said, as do the panes'. */
	if (!a->status_error)
		a->status[0] = '\0';
	for (i = 0; i < APP_NPANES; i++) {
		a->panes[i].ops = app_pane_ops[i];
		a->panes[i].app = a;
		a->panes[i].ops->open(&a->panes[i]);
	}
	/* Re-attach: the output so far, then what is appended. */
	a->fw = follow_start(a->l, a->db, v->run.id, v->run.dir, run_last_event_id(a->db, v->run.id), -1,
		APP_LOG_REPLAY, APP_FOLLOW_MS, &app_follow_ops, a);
	follow_poll(a->fw);
	follow_set_window(a->fw, APP_LOG_WINDOW);
	/* A run being driven opens on its live output. */
	a->focus = v->locked && app_log_pane(a) ? (int)(app_log_pane(a) - a->panes) : 0;
	app_dirty(a);
	return 0;
}

int
app_show_code(app *a, const char *file, int line)
{
	int i;

	for (i = 0; i < APP_NPANES; i++)
		if (a->panes[i].ops && a->panes[i].ops->show) {
			if (a->panes[i].ops->show(&a->panes[i], file, line) < 0)
				return -1;
			a->focus = i;
			app_status(a, 0, "%s, line %d", file, line);
			return 0;
		}
	return -1;
}

int
app_run_foreground(app *a, const char *const *argv)
{
	int status = -1;
	pid_t pid;

	if (!a->headless) {
		screen_mouse(0);
		screen_suspend();
	}
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		;
	if (!a->headless) {
		screen_resume();
		screen_mouse(a->mouse);
	}
	if (a->in)
		input_resume(a->in);
	app_dirty(a);
	return pid < 0 ? -1 : status;
}

int
app_edit_file(app *a, const char *path)
{
	const char *ed = getenv("VISUAL") && *getenv("VISUAL") ? getenv("VISUAL") : getenv("EDITOR");
	const char *argv[] = { "/bin/sh", "-c", "exec ${AK_EDITOR:-vi} \"$1\"", "sh", path, NULL };
	int status;

	setenv("AK_EDITOR", ed && *ed ? ed : "vi", 1);
	status = app_run_foreground(a, argv);
	unsetenv("AK_EDITOR");
	if (status != 0)
		app_status(a, 1, "the editor (%s) exited with status %d", ed && *ed ? ed : "vi", status);
	return status;
}

void
app_bell(app *a)
{
	if (a->headless || loop_now() - a->last_bell < APP_BELL_GAP)
		return;
	a->last_bell = loop_now();
	beep();
}

void
app_show_runs(app *a)
{
	app_close_run(a);
	a->start.ops->reload(&a->start);
	app_dirty(a);
}

/* The quit key: a running stage or submission keeps running, which the
 * user is told. */
void
app_quit(app *a, int ask)
{
	if (ask && a->rv) {
		runview_reload(a->rv);
		if (a->rv->locked || submit_sending(a)) {
			a->popup = APP_POPUP_QUIT;
			app_dirty(a);
			return;
		}
	}
	loop_quit(a->l, 0);
}

static int
app_prompt_key(app *a, int key)
{
	app_prompt_done done = a->prompt_done;
	char text[sizeof(a->prompt_buf)];

	if (key == KEYS_ESC || key == KEYS_CTRL('c') || key == KEYS_CTRL('g')) {
		a->prompt_done = NULL;
	} else if (key == KEYS_ENTER) {
		a->prompt_done = NULL;
		memcpy(text, a->prompt_buf, sizeof(text));
		done(a, text, a->prompt_arg);
	} else if (key == KEYS_BACKSPACE) {
		while (a->prompt_len > 0 && ((unsigned char)a->prompt_buf[--a->prompt_len] & 0xc0) == 0x80)
			;
		a->prompt_buf[a->prompt_len] = '\0';
	} else if (key == KEYS_CTRL('u')) {
		a->prompt_len = 0;
		a->prompt_buf[0] = '\0';
	} else if (key >= 0x20 && key < KEYS_BASE && key != 0x7f) {
		char mb[8];
		int n = wctomb(mb, (wchar_t)key);
		if (n > 0 && a->prompt_len + (size_t)n < sizeof(a->prompt_buf)) {
			memcpy(a->prompt_buf + a->prompt_len, mb, (size_t)n);
			a->prompt_len += (size_t)n;
			a->prompt_buf[a->prompt_len] = '\0';
		}
	}
	app_dirty(a);
	return 1;
}

static void
app_popup_key(app *a, int key)
{
	if (a->popup == APP_POPUP_SUBMIT) {
		submit_popup_key(a, key);
	} else if (a->popup == APP_POPUP_QUIT) {
		if (key == 'y' || key == 'Y')
			loop_quit(a->l, 0);
		else if (key == 'n' || key == 'N' || key == KEYS_ESC || key == 'q')
			a->popup = APP_POPUP_NONE;
	} else if (a->popup == APP_POPUP_STAGES) {
		if (key == KEYS_UP || key == 'k')
			a->popup_sel = a->popup_sel > 0 ? a->popup_sel - 1 : 0;
		else if (key == KEYS_DOWN || key == 'j')
			a->popup_sel = a->popup_sel < STAGE_SUBMIT - 1 ? a->popup_sel + 1 : a->popup_sel;
		else if (key == KEYS_ENTER) {
			a->popup = APP_POPUP_NONE;
			actions_rerun_stage(a, a->popup_sel);
		} else if (key == KEYS_ESC || key == 'q')
			a->popup = APP_POPUP_NONE;
	} else if (key == KEYS_UP || key == 'k' || key == KEYS_DOWN || key == 'j') {
		a->popup_sel += key == KEYS_UP || key == 'k' ? -1 : 1; /* the help draws it within bounds */
	} else if (key == KEYS_ESC || key == 'q' || keymap_action_of(key) == KEYMAP_HELP) {
		a->popup = APP_POPUP_NONE;
	}
	app_dirty(a);
}

/* The wheel scrolls the pane (three lines a notch); a click on a tab
 * focuses that pane. */
static void
app_mouse(app *a)
{
	keys_mouse_event m = keys_mouse;
	pane *p = a->rv ? &a->panes[a->focus] : &a->start;
	int i, tab;

	if ((m.button == 64 || m.button == 65) && p->ops->wheel) {
		p->ops->wheel(p, m.button == 64 ? -3 : 3);
	} else if (m.button == 64 || m.button == 65) {
		for (i = 0; i < 3; i++)
			p->ops->key(p, m.button == 64 ? KEYS_UP : KEYS_DOWN);
	} else if (m.button == 0 && m.press && a->rv && m.y == CHROME_PANE_TOP - 1) {
		tab = chrome_tab_at(a, m.x);
		if (tab >= 0)
			a->focus = tab;
	}
	app_dirty(a);
}

void
app_mouse_set(app *a, int on)
{
	a->mouse = on;
	screen_mouse(on);
}

/* The one place every key arrives: prompt, command line, popup, then the
 * focused pane, then the global keys (ui/keymap.h). */
static void
app_key(int key, void *arg)
{
	app *a = arg;
	pane *p = a->rv ? &a->panes[a->focus] : &a->start;

	if (a->prompt_done) {
		app_prompt_key(a, key);
		return;
	}
	if (a->cmd_open) {
		commands_key(a, key);
		app_dirty(a);
		return;
	}
	if (a->popup != APP_POPUP_NONE) {
		app_popup_key(a, key);
		return;
	}
	if (key == KEYS_MOUSE) {
		app_mouse(a);
		return;
	}
	if (p->ops->key(p, key) == PANE_HANDLED) {
		app_dirty(a);
		return;
	}
	if (!bindings_key(a, key) && key == KEYS_CTRL('c')) {
		int q = keymap_first_key(KEYMAP_QUIT);
		app_status(a, 0, "%s quits (a running stage keeps running)", q >= 0 ? keys_name(q) : ":quit");
	}
	app_dirty(a);
}

/* A paste goes whole to the focused pane that takes pastes (the chat's
 * input), or into the prompt or command line open, its lines joined. */
static void
app_paste(const char *text, size_t len, void *arg)
{
	app *a = arg;
	pane *p = a->rv ? &a->panes[a->focus] : &a->start;
	size_t used, i;
	int key;

	if (a->prompt_done || a->cmd_open) {
		for (i = 0; i < len && (used = keys_decode(text + i, len - i, &key)) > 0; i += used) {
			if (key == KEYS_ENTER)
				key = ' ';
			if (key < 0x20 || key >= KEYS_BASE)
				continue;
			if (a->prompt_done)
				app_prompt_key(a, key);
			else
				commands_key(a, key);
		}
	} else if (a->popup == APP_POPUP_NONE && p->ops->paste) {
		p->ops->paste(p, text, len);
	} else {
		app_status(a, 0, "the paste was dropped: pastes go to the chat's input, the prompts and the : line");
	}
	app_dirty(a);
}

static void
app_note(const char *msg, void *arg)
{
	app_status(arg, 1, "%s", msg);
}

static void
app_lost(void *arg)
{
	app *a = arg;

	loop_quit(a->l, 0);
}

static int
app_screen_has(const char *text, void *arg)
{
	app_flush(arg);
	return screen_has(text);
}

static void
app_dump(const char *path, void *arg)
{
	app_flush(arg);
	screen_dump(path);
}

static void
app_fail(const char *msg, void *arg)
{
	app *a = arg;

	app_flush(a);
	fprintf(stderr, "autokaggle: %s; the screen:\n", msg);
	/* Onto the stream itself: opening /dev/stderr again would truncate
	 * a redirected file and lose the line above. */
	screen_write(stderr);
	a->code = 1;
	loop_quit(a->l, 1);
}

static const input_ops app_input_ops = {
	.key = app_key, .paste = app_paste, .lost = app_lost, .note = app_note, .screen_has = app_screen_has,
	.dump = app_dump, .fail = app_fail,
};

static void
app_tick(loop *l, void *arg)
{
	app *a = arg;

	(void)l;
	if (a->rv && runview_running(a->rv) >= 0) {
		runview_usage_reload(a->rv);
		app_dirty(a);
	}
	else if (!a->rv) {
		a->start.ops->reload(&a->start);
		app_dirty(a);
	}
}

static void
app_signal(loop *l, int signo, void *arg)
{
	app *a = arg;

	if (signo == SIGWINCH) {
		screen_resized();
		app_dirty(a);
		return;
	}
	if (signo == SIGCONT) {
		clearok(curscr, TRUE);
		app_dirty(a);
		return;
	}
	loop_quit(l, 0); /* SIGTERM, SIGHUP, SIGINT: the run goes on */
}

/* An on/off setting (ui.mouse, ui.ascii): dflt when not set; a bad value
 * is said on the status line and counts as dflt. */
static int
app_setting_on(app *a, const char *key, int dflt)
{
	const char *v = settings_get(key);

	if (!v)
		return dflt;
	if (strcmp(v, "on") == 0 || strcmp(v, "off") == 0)
		return strcmp(v, "on") == 0;
	if (!a->status[0])
		app_status(a, 1, "the setting %s takes on or off, not '%s': it stays %s", key, v, dflt ? "on" : "off");
	return dflt;
}

static int
app_setup(app *a, const char *script)
{
	static const int sigs[] = { SIGWINCH, SIGCONT, SIGTERM, SIGHUP, SIGINT };
	ak_err e = { 0 };
	size_t i;

	a->in = script ? input_open_script(a->l, script, &app_input_ops, a, &e)
		       : input_open_tty(a->l, STDIN_FILENO, &app_input_ops, a);
	if (!a->in) {
		fprintf(stderr, "autokaggle: %s\n", e.msg);
		return -1;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		loop_signal_watch(a->l, sigs[i], app_signal, a);
	a->tick_timer = loop_timer_add(a->l, APP_TICK_MS, 1, app_tick, a);
	a->start.ops = &pane_start_ops;
	a->start.app = a;
	a->start.ops->open(&a->start);
	return 0;
}

int
app_main(cmd_ctx *ctx, store *db, const char *run_id, const char *script)
{
	char msg[512];
	app a;

	memset(&a, 0, sizeof(a));
	a.ctx = ctx;
	a.db = db;
	a.headless = script != NULL;
	a.l = loop_new();
	if (!a.l || screen_open(a.headless) < 0) {
		fprintf(stderr, "autokaggle: cannot set the terminal up (TERM=%s): use --headless\n",
			getenv("TERM") ? getenv("TERM") : "");
		if (a.l)
			loop_free(a.l);
		return CMD_EXIT_FAILED;
	}
	chrome_init(ctx->colors, ctx->theme, a.status, sizeof(a.status));
	draw_set_ascii(ctx->ascii || app_setting_on(&a, "ui.ascii", 0));
	if (keymap_load(NULL, msg, sizeof(msg)) < 0 && !a.status[0])
		snprintf(a.status, sizeof(a.status), "%s", msg);
	a.status_error = a.status[0] != '\0';
	a.cmd = cmdline_new(APP_HISTORY);
	if (app_setup(&a, script) == 0) {
		app_mouse_set(&a, !ctx->no_mouse && app_setting_on(&a, "ui.mouse", 1));
		if (run_id)
			app_open_run(&a, run_id);
		commands_history_load(&a);
		app_dirty(&a);
		loop_run(a.l);
	}
	submit_close(&a);
	app_close_run(&a);
	if (a.start.ops)
		a.start.ops->close(&a.start);
	cmdline_free(a.cmd);
	input_close(a.in);
	screen_close();
	loop_free(a.l);
	return a.code;
}

#include "config.h"

#include "pipeline/chat.h"
#include "pipeline/chat_history.h"
#include "ui/app.h"
#include "ui/chatdraw.h"
#include "ui/chatinput.h"
#include "ui/chatlog.h"
#include "ui/chatview.h"
#include "ui/keymap.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "util/fs.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The strategy chat of the run (pipeline/chat.h): the conversation so
 * far, the reply as it streams (markdown), and readline's input line
 * (ui/chatinput). Without a provider it says how to set one up instead of
 * a prompt. Every key but PgUp, PgDn and those of a few of the workbench's
 * actions (chatp_leaves) is the input's, until PgUp (or the wheel) starts
 * reading mode (ui/chatview): there the arrows pick a message for y to
 * copy, and any other key goes back to the input. */

#define CHAT_PROMPT "you> "

typedef struct chat_pane {
	chatlog *log;
	chat *c;                /* NULL: no provider (setup says why) */
	http *h;
	char *provider;         /* "openai gpt-5-mini" */
	char *setup;
	chatview view;
	chat_usage turn;        /* the last exchange's */
	store_llm_totals run;
} chat_pane;

static void
chatp_totals(pane *p)
{
	chat_pane *s = p->state;

	store_llm_totals_get(p->app->db, p->app->rv->run.id, &s->run, NULL);
}

static void
chatp_text(void *arg, const char *text, size_t len)
{
	pane *p = arg;

	chatlog_reply_text(((chat_pane *)p->state)->log, text, len);
	app_pane_dirty(p);
}

static void
chatp_notice(void *arg, const char *msg)
{
	pane *p = arg;

	app_status(p->app, 0, "%s", msg);
}

static void
chatp_done(void *arg, int ok, const char *msg, const char *decisions, const chat_usage *used)
{
	pane *p = arg;
	chat_pane *s = p->state;
	char note[200], cost[64];

	chatlog_reply_end(s->log, ok ? CHATLOG_DONE : CHATLOG_FAILED, msg);
	chatdraw_cost(cost, sizeof(cost), used->cost, used->unpriced, used->calls);
	snprintf(note, sizeof(note), "%ld in / %ld out tokens, %s (%d call%s)", used->input_tokens, used->output_tokens,
		cost, used->calls, used->calls == 1 ? "" : "s");
	chatlog_note(s->log, note);
	s->turn = *used;
	chatp_totals(p);
	if (!ok)
		app_status(p->app, 1, "the reply failed: %s", msg);
	else if (strcmp(decisions, "updated") == 0)
		app_status(p->app, 0, "reply done; decisions updated in input/decisions.json: r writes the code again");
	else if (strcmp(decisions, "unchanged") == 0)
		app_status(p->app, 0, "reply done; the decisions did not change");
	else
		app_status(p->app, 0, "reply done; decisions %s", decisions);
	app_bell(p->app);
	app_dirty(p->app);
}

static void
chatp_line(char *text, void *arg)
{
	pane *p = arg;
	chat_pane *s = p->state;
	chat_callbacks cb = { chatp_text, chatp_notice, chatp_done, p };
	ak_err e = { 0 };

	chatlog_add(s->log, "user", text);
	chatlog_reply_start(s->log);
	chatview_leave(&s->view);
	if (chat_say(s->c, text, &cb, &e) < 0) {
		chatlog_reply_end(s->log, CHATLOG_FAILED, e.msg);
		app_status(p->app, 1, "the message was not sent: %s", e.msg);
	}
	free(text);
	app_dirty(p->app);
}

static void
chatp_changed(void *arg)
{
	pane *p = arg;

	app_dirty(p->app);
}

/* The message in $VISUAL or $EDITOR (vi without either), through a
 * private temporary file. */
static char *
chatp_edit(const char *text, void *arg)
{
	pane *p = arg;
	const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = xasprintf("%s/autokaggle-message-XXXXXX.md", tmp), *out = NULL;
	int fd = mkstemps(path, 3), status;
	size_t len;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		app_status(p->app, 1, "cannot write the message to %s for the editor: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(path);
		free(path);
		return NULL;
	}
	close(fd);
	status = app_edit_file(p->app, path);
	if (status == 0 && (out = fs_read_file(path, &len, NULL)) != NULL) {
		while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
			out[--len] = '\0';
		app_status(p->app, 0, "the message is back from the editor: Enter sends it");
	}
	unlink(path);
	free(path);
	return out;
}

static const chatinput_ops chatp_input_ops = {
	.line = chatp_line, .changed = chatp_changed, .edit = chatp_edit,
};

/* The messages so far (from the store: earlier sessions, `autokaggle
 * chat`), then the provider. */
static void
chatp_open(pane *p)
{
	chat_pane *s = xcalloc(1, sizeof(*s));
	const store_run *r = &p->app->rv->run;
	llm_choice want = { 0 };
	store_message *m;
	llm_config cfg;
	ak_err e = { 0 };
	size_t n, i;
	char *hist;

	p->state = s;
	s->log = chatlog_new();
	if (store_message_list(p->app->db, r->id, &m, &n, NULL) == 0) {
		for (i = 0; i < n; i++)
			if (strcmp(m[i].role, "system") != 0)
				chatlog_add(s->log, m[i].role, m[i].content);
		store_message_list_free(m, n);
	}
	chatp_totals(p);
	if (chat_config(r->dir, &want, &cfg, &e) < 0) {
		s->setup = xstrdup(e.msg);
		return;
	}
	if (cfg.warning)
		app_status(p->app, 0, "%s", cfg.warning);
	s->h = http_new(p->app->l, &e);
	s->c = s->h ? chat_open(p->app->db, r->id, r->dir, &cfg, p->app->l, s->h, &e) : NULL;
	if (s->c) {
		s->provider = xasprintf("%s %s", llm_provider_name(cfg.provider), cfg.model);
		hist = fs_join(p->app->ctx->workspace, CHAT_HISTORY_FILE);
		chatinput_open(CHAT_PROMPT, hist, &chatp_input_ops, p);
		free(hist);
	} else {
		s->setup = xasprintf("the chat cannot start: %s", e.msg);
	}
	llm_config_clean(&cfg);
}

static void
chatp_close(pane *p)
{
	chat_pane *s = p->state;

	/* Leaving mid-reply keeps the turn, as Esc does. */
	if (s->c && chat_busy(s->c))
		chat_cancel(s->c);
	if (s->c)
		chatinput_close();
	chat_free(s->c);
	http_free(s->h);
	chatlog_free(s->log);
	free(s->provider);
	free(s->setup);
	free(s);
	p->state = NULL;
}

static void
chatp_reload(pane *p)
{
	chatp_totals(p);
}

/* Esc or Ctrl-C while a reply arrives: it stops, what arrived stays. */
static void
chatp_interrupt(pane *p)
{
	chat_pane *s = p->state;

	chat_cancel(s->c);
	chatlog_reply_end(s->log, CHATLOG_INTERRUPTED, NULL);
	chatp_totals(p);
	app_status(p->app, 0, "reply interrupted: what arrived is kept, marked " CHAT_INTERRUPTED);
}

/* The transcript laid out as the view last saw it: a message may have
 * come since the last frame. */
static const chatlog *
chatp_laid(pane *p)
{
	chat_pane *s = p->state;

	chatlog_layout(s->log, p->cols > 0 ? p->cols : COLS);
	return s->log;
}

static void
chatp_scroll(pane *p, int lines)
{
	chat_pane *s = p->state;

	chatview_scroll(&s->view, chatp_laid(p), lines);
	app_dirty(p->app);
}

/* The workbench's keys that still work in the chat: those of the next
 * and previous pane, the help and the redraw (Tab, S-Tab, F1, C-l by
 * default) unless they are characters, which are typed; the help's ? on
 * an empty line. */
static int
chatp_leaves(int key)
{
	int act = keymap_action_of(key), typed = key >= 0x20 && key < KEYS_BASE && key != KEYS_BACKSPACE;

	if (act == KEYMAP_HELP && chatinput_idle())
		return 1;
	return !typed && (act == KEYMAP_NEXT_PANE || act == KEYMAP_PREV_PANE || act == KEYMAP_HELP ||
		act == KEYMAP_REDRAW);
}

/* A key of reading mode: enum pane_key_result, or -1 for one that is not
 * (it goes to the input). The copy key is the workbench's, which asks
 * chatp_copy. */
static int
chatp_read_key(pane *p, int key)
{
	chat_pane *s = p->state;
	const chatlog *l = chatp_laid(p);

	if (key == KEYS_UP || key == 'k' || key == KEYS_DOWN || key == 'j')
		chatview_pick(&s->view, l, key == KEYS_UP || key == 'k' ? -1 : 1);
	else if (key == KEYS_HOME)
		chatview_pick(&s->view, l, -(long)chatlog_count(l));
	else if (key == KEYS_ESC || key == KEYS_END || key == 'i' || key == KEYS_ENTER)
		chatview_leave(&s->view);
	else if (keymap_action_of(key) == KEYMAP_COPY || chatp_leaves(key))
		return PANE_IGNORED;
	else
		return -1;
	return PANE_HANDLED;
}

static int
chatp_key(pane *p, int key)
{
	chat_pane *s = p->state;
	int page = s->view.height > 1 ? s->view.height - 1 : 1, rc;

	if (key == KEYS_PGUP || key == KEYS_PGDN) {
		chatp_scroll(p, key == KEYS_PGUP ? -page : page);
		return PANE_HANDLED;
	}
	if (s->view.reading && (rc = chatp_read_key(p, key)) >= 0)
		return rc;
	if (!s->c) { /* no input line: the arrows read, the rest are the workbench's */
		if (key != KEYS_UP && key != KEYS_DOWN)
			return PANE_IGNORED;
		chatview_read(&s->view, chatp_laid(p));
		return PANE_HANDLED;
	}
	/* Any other key ends reading mode, and is the input's. */
	chatview_leave(&s->view);
	if (chatp_leaves(key))
		return PANE_IGNORED;
	if ((key == KEYS_ESC || key == KEYS_CTRL('c')) && chat_busy(s->c))
		chatp_interrupt(p);
	else if (key == KEYS_CTRL('c'))
		chatinput_clear();
	else if (key == KEYS_ENTER && chat_busy(s->c))
		app_status(p->app, 0, "a reply is still coming (Esc stops it): the message waits in the input");
	else
		chatinput_key(key);
	return PANE_HANDLED;
}

/* The rule above the input: what reading mode's keys do, or that a
 * reply is coming. */
static void
chatp_rule(pane *p, WINDOW *w, int y, int cols)
{
	chat_pane *s = p->state;
	size_t below = chatview_below(&s->view, s->log);
	int copy = keymap_first_key(KEYMAP_COPY);
	char label[160], more[48] = "";

	if (!s->view.reading) {
		chatdraw_rule(w, y, cols, s->c && chat_busy(s->c) ? "-- replying: Esc stops it --" : NULL);
		return;
	}
	if (below > 0)
		snprintf(more, sizeof(more), "; %zu lines below", below);
	snprintf(label, sizeof(label), "-- reading %zu/%zu: Up Down pick, %s copies, Esc returns%s --", s->view.mark + 1,
		chatlog_count(s->log), copy >= 0 ? keys_name(copy) : ":copy", more);
	chatdraw_rule(w, y, cols, label);
}

/* The header, the conversation (its end, unless reading back: then the
 * marked message's label in the selection's look), a rule, and the input
 * or how to set a provider up. */
static void
chatp_draw(pane *p, WINDOW *w, int rows, int cols)
{
	chat_pane *s = p->state;
	size_t total, first, i, marked;
	int bottom, y;

	chatdraw_header(w, cols, s->provider, &s->turn, &s->run);
	if (s->c)
		bottom = chatdraw_input(w, rows, cols, &p->cursor_y, &p->cursor_x);
	else
		bottom = chatdraw_note(w, rows, cols, s->setup, THEME_ERROR,
			"Then open the run again (L, then Enter). Earlier messages show above.");
	s->view.height = bottom > 2 ? bottom - 2 : 0; /* under the header, above the rule */
	total = chatlog_layout(s->log, cols);
	first = chatview_top(&s->view, s->log);
	marked = s->view.reading ? chatlog_first_line(s->log, s->view.mark) : total;
	for (i = first, y = 1; i < total && y < bottom - 1; i++, y++)
		chatdraw_line(w, y, cols, chatlog_line(s->log, i), i == marked ? THEME_SELECTED : -1);
	chatp_rule(p, w, bottom - 1, cols);
	/* The input waits: no cursor in it while reading. */
	if (s->view.reading)
		p->cursor_y = -1;
}

/* Reading mode's marked message, as it came; else nothing, so that y is
 * typed into the input. */
static char *
chatp_copy(pane *p, size_t *len, char *what, size_t whatsz)
{
	chat_pane *s = p->state;
	const char *text;

	if (!s->view.reading) {
		snprintf(what, whatsz, "PgUp first: it marks a message to copy");
		return NULL;
	}
	text = chatlog_text(s->log, s->view.mark, len);
	if (!text)
		return NULL;
	snprintf(what, whatsz, "%s %zu of %zu", chatlog_is_reply(s->log, s->view.mark) ? "reply" : "your message",
		s->view.mark + 1, chatlog_count(s->log));
	return xstrndup(text, *len);
}

static void
chatp_paste(pane *p, const char *text, size_t len)
{
	chat_pane *s = p->state;

	if (!s->c) {
		app_status(p->app, 1, "no LLM provider is set up: the paste has nowhere to go");
		return;
	}
	chatinput_paste(text, len);
	app_status(p->app, 0, "pasted into the message: Enter sends it");
}

static const pane_help chatp_help[] = {
	{ "Enter", "send the message (a paste's newlines do not send it)" },
	{ "Esc C-c", "stop a reply: what arrived stays, marked (interrupted)" },
	{ "C-c", "with no reply coming: clear the line" },
	{ "C-x C-e", "edit the message in $VISUAL or $EDITOR" },
	{ "Up Down C-r", "history (WORKSPACE/chat_history) and its search" },
	{ "PgUp PgDn", "scroll back (reading mode, a message marked); PgDn to the end returns" },
	{ "Up Down j k", "reading: the previous / next message (Home the first)" },
	{ "y", "reading: copy the marked message (its markdown, as it came)" },
	{ "Esc End i", "reading: back to the input (any other key: typed there)" },
	{ "Tab S-Tab", "leave the chat: every other key here is the input's" },
	{ "F1", "this help (? too, on an empty line)" },
	{ "other", "readline's, from your inputrc (Emacs or vi keys)" },
	{ NULL, NULL },
};

const pane_ops pane_chat_ops = {
	.name = "chat",
	.open = chatp_open,
	.close = chatp_close,
	.reload = chatp_reload,
	.key = chatp_key,
	.draw = chatp_draw,
	.paste = chatp_paste,
	.wheel = chatp_scroll,
	.copy = chatp_copy,
	.help = chatp_help,
	.hint = "Enter sends  Esc stops a reply  PgUp reads back (y copies)  F1 help  Tab leaves",
};

#include "config.h"

#include "ui/input.h"
#include "ui/keys.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INPUT_BUF 4096
#define INPUT_SCRIPT_TICK_MS 2
#define INPUT_WAIT_S 30.0
#define INPUT_PASTE_MAX (1024 * 1024) /* what a paste keeps; the rest is dropped */
/* A paste quiet this long has lost its end marker: a terminal dropped it,
 * or the sender is stuck. Pastes arrive at the link's speed, with no
 * pauses a person would make. */
#define INPUT_PASTE_WAIT_MS 500

struct input {
	loop *l;
	const input_ops *ops;
	void *arg;
	int fd;
	char buf[INPUT_BUF];
	size_t len;
	int esc_timer;
	int emitting, resumed;   /* inside input_emit; a key there handed the terminal away */
	long esc_ms;
	int pasting;          /* inside a bracketed paste */
	strbuf paste;
	int paste_timer;      /* the paste's end marker is overdue */
	/* script */
	char *text;
	char *next;           /* the next line */
	char *waiting;        /* the text of a :wait step in progress */
	int wait_gone;
	double deadline;
	int timer;
	const char *dump_each; /* AUTOKAGGLE_TUI_DUMP: the screen after each step */
};

/* A paste is over: its text, with the terminal's carriage returns as
 * newlines, goes out whole. */
static void
input_paste_done(input *in)
{
	strbuf text = { 0 };
	size_t i;

	for (i = 0; i < in->paste.len; i++) {
		char c = in->paste.buf[i];
		if (c == '\r' && i + 1 < in->paste.len && in->paste.buf[i + 1] == '\n')
			continue;
		strbuf_addch(&text, c == '\r' ? '\n' : c);
	}
	in->pasting = 0;
	strbuf_reset(&in->paste);
	if (in->ops->paste)
		in->ops->paste(strbuf_str(&text), text.len, in->arg);
	strbuf_free(&text);
}

/* Bytes of a paste: up to its end marker (then the paste goes out), or
 * all but what may be the start of the marker. Returns the bytes used. */
static size_t
input_paste_bytes(input *in, const char *p, size_t n)
{
	const size_t mlen = sizeof(KEYS_PASTE_END) - 1;
	const char *end = memmem(p, n, KEYS_PASTE_END, mlen);
	size_t take = end ? (size_t)(end - p) : n, keep;

	if (!end)
		for (keep = mlen - 1 < n ? mlen - 1 : n; keep > 0; keep--)
			if (memcmp(p + n - keep, KEYS_PASTE_END, keep) == 0) {
				take = n - keep;
				break;
			}
	if (in->paste.len + take <= INPUT_PASTE_MAX)
		strbuf_add(&in->paste, p, take);
	if (!end)
		return take;
	input_paste_done(in);
	return take + mlen;
}

static void
input_emit(input *in)
{
	size_t used, off = 0;
	int key;

	in->emitting = 1;
	while (off < in->len) {
		if (in->pasting)
			used = input_paste_bytes(in, in->buf + off, in->len - off);
		else if ((used = keys_decode(in->buf + off, in->len - off, &key)) > 0) {
			if (key == KEYS_PASTE)
				in->pasting = 1;
			else if (key >= 0)
				in->ops->key(key, in->arg);
		}
		if (in->resumed) {
			/* The key handed the terminal to another program: what
			 * was read before it is stale. */
			in->resumed = 0;
			in->len = off = 0;
			break;
		}
		if (used == 0)
			break;
		off += used;
	}
	in->emitting = 0;
	memmove(in->buf, in->buf + off, in->len - off);
	in->len -= off;
}

/* A paste whose end marker never came: what arrived goes out as the
 * paste, and the keys after it are keys again instead of being swallowed. */
static void
input_paste_timeout(loop *l, void *arg)
{
	input *in = arg;

	(void)l;
	in->paste_timer = 0;
	if (!in->pasting)
		return;
	/* What looked like the start of the marker was text after all. */
	if (in->paste.len + in->len <= INPUT_PASTE_MAX)
		strbuf_add(&in->paste, in->buf, in->len);
	in->len = 0;
	input_paste_done(in);
	if (in->ops->note)
		in->ops->note("the paste's end marker never came: what arrived was pasted, and keys work again", in->arg);
}

/* What is left is the start of a sequence that did not go on: a lone
 * Escape (or the user's Alt-key). */
static void
input_esc_timeout(loop *l, void *arg)
{
	input *in = arg;

	(void)l;
	in->esc_timer = 0;
	if (in->len > 0 && in->buf[0] == KEYS_ESC && !in->pasting) {
		memmove(in->buf, in->buf + 1, --in->len);
		in->ops->key(KEYS_ESC, in->arg);
		input_emit(in);
	}
}

static void
input_readable(loop *l, int fd, short revents, void *arg)
{
	input *in = arg;
	ssize_t n;

	(void)revents;
	n = read(fd, in->buf + in->len, sizeof(in->buf) - in->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* EOF or EIO: the terminal is gone (an SSH drop); never spin. */
		loop_fd_remove(l, fd);
		in->fd = -1;
		in->ops->lost(in->arg);
		return;
	}
	in->len += (size_t)n;
	if (in->esc_timer) {
		loop_timer_cancel(l, in->esc_timer);
		in->esc_timer = 0;
	}
	if (in->paste_timer) {
		loop_timer_cancel(l, in->paste_timer);
		in->paste_timer = 0;
	}
	input_emit(in);
	if (in->len == sizeof(in->buf))
		in->len = 0; /* nothing decodes that much: drop it */
	if (in->len > 0 && !in->pasting)
		in->esc_timer = loop_timer_add(l, in->esc_ms, 0, input_esc_timeout, in);
	if (in->pasting)
		in->paste_timer = loop_timer_add(l, INPUT_PASTE_WAIT_MS, 0, input_paste_timeout, in);
}

input *
input_open_tty(loop *l, int fd, const input_ops *ops, void *arg)
{
	input *in = xcalloc(1, sizeof(*in));
	const char *esc = getenv("ESCDELAY");

	in->l = l;
	in->ops = ops;
	in->arg = arg;
	in->fd = fd;
	in->esc_ms = esc && atol(esc) > 0 ? atol(esc) : 25;
	/* Read only when poll says so, never with O_NONBLOCK: the terminal's
	 * file description is shared with stdout, where a write that would
	 * block must wait, not fail (ncurses drops what EAGAIN refused, and
	 * the screen goes out of step), and with the shell after us. */
	loop_fd_add(l, fd, POLLIN, input_readable, in);
	return in;
}

/* Key names separated by blanks. */
static int
input_script_keys(input *in, char *line)
{
	char *save = NULL, *tok;
	int key;

	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		key = keys_from_name(tok);
		if (key < 0) {
			char msg[160];
			snprintf(msg, sizeof(msg), "script: unknown key '%.100s'", tok);
			in->ops->fail(msg, in->arg);
			return -1;
		}
		in->ops->key(key, in->arg);
	}
	return 0;
}

static void
input_script_type(input *in, const char *text)
{
	size_t used, len = strlen(text);
	int key;

	while (len > 0 && (used = keys_decode(text, len, &key)) > 0) {
		if (key >= 0)
			in->ops->key(key, in->arg);
		text += used;
		len -= used;
	}
}

/* A :wait in progress: 1 when it is over (met, or failed). */
static int
input_script_waited(input *in)
{
	char msg[300];

	if (in->ops->screen_has(in->waiting, in->arg) != in->wait_gone) {
		in->waiting = NULL;
		return 1;
	}
	if (loop_now() < in->deadline)
		return 0;
	snprintf(msg, sizeof(msg), "script: timed out waiting for the screen %s '%.200s'",
		in->wait_gone ? "to lose" : "to show", in->waiting);
	in->waiting = NULL;
	in->ops->fail(msg, in->arg);
	return 1;
}

/* ":paste TEXT": TEXT with \n, \t and \\ as in C, as one paste. */
static void
input_script_paste(input *in, const char *text)
{
	strbuf sb = { 0 };

	for (; *text; text++) {
		if (*text == '\\' && (text[1] == 'n' || text[1] == 't' || text[1] == '\\')) {
			text++;
			strbuf_addch(&sb, *text == 'n' ? '\n' : *text == 't' ? '\t' : '\\');
		} else {
			strbuf_addch(&sb, *text);
		}
	}
	if (in->ops->paste)
		in->ops->paste(strbuf_str(&sb), sb.len, in->arg);
	strbuf_free(&sb);
}

static void
input_script_step(input *in, char *line)
{
	if (strncmp(line, ":wait ", 6) == 0 || strncmp(line, ":wait-gone ", 11) == 0) {
		in->wait_gone = line[5] == '-';
		in->waiting = line + (in->wait_gone ? 11 : 6);
		in->deadline = loop_now() + INPUT_WAIT_S;
		return;
	}
	if (strncmp(line, ":dump ", 6) == 0)
		in->ops->dump(line + 6, in->arg);
	else if (strncmp(line, ":mouse ", 7) == 0 &&
		 sscanf(line + 7, "%d %d %d", &keys_mouse.button, &keys_mouse.x, &keys_mouse.y) == 3) {
		keys_mouse.press = 1;
		in->ops->key(KEYS_MOUSE, in->arg);
	}
	else if (strncmp(line, ":type ", 6) == 0)
		input_script_type(in, line + 6);
	else if (strncmp(line, ":paste ", 7) == 0)
		input_script_paste(in, line + 7);
	else if (input_script_keys(in, line) < 0)
		return;
	if (in->dump_each)
		in->ops->dump(in->dump_each, in->arg);
}

static void
input_script_tick(loop *l, void *arg)
{
	input *in = arg;
	char *line, *end;

	if (in->waiting && !input_script_waited(in))
		return;
	while ((line = in->next) != NULL) {
		end = strchr(line, '\n');
		in->next = end ? end + 1 : NULL;
		if (end)
			*end = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && *line != '#') {
			input_script_step(in, line);
			return;
		}
	}
	loop_timer_cancel(l, in->timer);
	in->timer = 0;
	in->ops->lost(in->arg);
}

input *
input_open_script(loop *l, const char *path, const input_ops *ops, void *arg, ak_err *e)
{
	input *in;
	char *text = fs_read_file(path, NULL, e);
	const char *each = getenv("AUTOKAGGLE_TUI_DUMP");

	if (!text)
		return NULL;
	in = xcalloc(1, sizeof(*in));
	in->l = l;
	in->ops = ops;
	in->arg = arg;
	in->fd = -1;
	in->text = in->next = text;
	in->dump_each = each && *each ? each : NULL;
	in->timer = loop_timer_add(l, INPUT_SCRIPT_TICK_MS, 1, input_script_tick, in);
	return in;
}

void
input_resume(input *in)
{
	/* Inside input_emit (a key ran $EDITOR), the buffer is its to drop. */
	if (in->emitting)
		in->resumed = 1;
	else
		in->len = 0;
}

void
input_close(input *in)
{
	if (!in)
		return;
	if (in->fd >= 0)
		loop_fd_remove(in->l, in->fd);
	if (in->esc_timer)
		loop_timer_cancel(in->l, in->esc_timer);
	if (in->paste_timer)
		loop_timer_cancel(in->l, in->paste_timer);
	if (in->timer)
		loop_timer_cancel(in->l, in->timer);
	strbuf_free(&in->paste);
	free(in->text);
	free(in);
}

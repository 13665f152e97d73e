#include "config.h"

#include "pipeline/chat_history.h"
#include "ui/chatinput.h"
#include "ui/keys.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/readline.h>

/* readline's hooks take no argument: the one open input. */
static struct {
	const chatinput_ops *ops;
	void *arg;
	char *history;
	strbuf queue;           /* the bytes of the key being fed */
	size_t next;
	FILE *null;
} ci;

/* The bytes terminals send for the named keys readline knows (its
 * default bindings cover both cursor modes). */
static const struct {
	int key;
	const char *seq;
} chatinput_seqs[] = {
	{ KEYS_UP, "\033[A" }, { KEYS_DOWN, "\033[B" }, { KEYS_RIGHT, "\033[C" }, { KEYS_LEFT, "\033[D" },
	{ KEYS_HOME, "\033[H" }, { KEYS_END, "\033[F" }, { KEYS_DEL, "\033[3~" },
};

static int
chatinput_getc(FILE *f)
{
	(void)f;
	if (ci.next >= ci.queue.len)
		return EOF; /* never asked: only queued bytes are fed */
	return (unsigned char)ci.queue.buf[ci.next++];
}

/* Truthful, so that readline tells Escape from the start of a sequence. */
static int
chatinput_available(void)
{
	return ci.next < ci.queue.len;
}

static void
chatinput_redisplay(void)
{
	if (ci.ops)
		ci.ops->changed(ci.arg);
}

static void
chatinput_handler(char *line)
{
	size_t i;

	if (!line) /* Ctrl-D on an empty line: the workbench has q */
		return;
	for (i = 0; line[i] == ' ' || line[i] == '\t' || line[i] == '\n'; i++)
		;
	if (!line[i] || !ci.ops) {
		free(line);
		return;
	}
	chat_history_add(ci.history, line);
	ci.ops->line(line, ci.arg);
}

/* Ctrl-X Ctrl-E (autokaggle-edit-message in an inputrc). */
static int
chatinput_edit(int count, int key)
{
	char *text;

	(void)count;
	(void)key;
	if (!ci.ops || !(text = ci.ops->edit(rl_line_buffer, ci.arg)))
		return 0;
	rl_replace_line(text, 0);
	rl_point = rl_end;
	free(text);
	chatinput_redisplay();
	return 0;
}

/* Once a process: readline must never read, write or prepare the
 * terminal (curses owns it), nor take signals or export LINES/COLUMNS. */
static void
chatinput_setup(void)
{
	static int done;
	int type;

	if (done)
		return;
	done = 1;
	ci.null = fopen("/dev/null", "r+");
	rl_instream = rl_outstream = ci.null;
	rl_readline_name = "autokaggle";
	/* Both hooks set before the first initialisation: readline then
	 * does not even look the terminal up in terminfo. */
	rl_getc_function = chatinput_getc;
	rl_input_available_hook = chatinput_available;
	rl_redisplay_function = chatinput_redisplay;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_add_defun("autokaggle-edit-message", chatinput_edit, -1);
	rl_initialize(); /* reads the inputrc */
	rl_variable_bind("bell-style", "none");
	if (!rl_function_of_keyseq("\\C-x\\C-e", emacs_standard_keymap, &type))
		rl_bind_keyseq_in_map("\\C-x\\C-e", chatinput_edit, emacs_standard_keymap);
}

void
chatinput_open(const char *prompt, const char *history, const chatinput_ops *ops, void *arg)
{
	chatinput_setup();
	ci.ops = ops;
	ci.arg = arg;
	free(ci.history);
	ci.history = xstrdup(history);
	chat_history_load(ci.history);
	rl_callback_handler_install(prompt, chatinput_handler);
}

void
chatinput_close(void)
{
	if (!ci.ops)
		return;
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
	chat_history_clear();
	ci.ops = NULL;
	ci.arg = NULL;
	free(ci.history);
	ci.history = NULL;
	strbuf_free(&ci.queue);
	ci.next = 0;
}

static void
chatinput_feed(const char *bytes, size_t n)
{
	strbuf_reset(&ci.queue);
	strbuf_add(&ci.queue, bytes, n);
	ci.next = 0;
	while (ci.ops && ci.next < ci.queue.len)
		rl_callback_read_char();
	strbuf_reset(&ci.queue);
	ci.next = 0;
}

void
chatinput_key(int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t i, n;

	for (i = 0; i < sizeof(chatinput_seqs) / sizeof(chatinput_seqs[0]); i++)
		if (chatinput_seqs[i].key == key) {
			chatinput_feed(chatinput_seqs[i].seq, strlen(chatinput_seqs[i].seq));
			return;
		}
	if (key < 0 || key >= KEYS_BASE)
		return;
	memset(&st, 0, sizeof(st));
	n = key < 0x80 ? (mb[0] = (char)key, 1) : wcrtomb(mb, (wchar_t)key, &st);
	if (n != (size_t)-1)
		chatinput_feed(mb, n);
}

void
chatinput_paste(const char *text, size_t len)
{
	char *copy;

	if (!ci.ops)
		return;
	if (RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH))
		chatinput_feed("\007", 1); /* Ctrl-G: the search ends, the line is back */
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	rl_insert_text(copy);
	free(copy);
	chatinput_redisplay();
}

void
chatinput_clear(void)
{
	if (!ci.ops)
		return;
	if (RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH))
		chatinput_feed("\007", 1);
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_replace_line("", 0);
	rl_point = rl_mark = 0;
	chatinput_redisplay();
}

int
chatinput_idle(void)
{
	return !ci.ops || (rl_end == 0 && !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_MULTIKEY |
		RL_STATE_NUMERICARG | RL_STATE_VIMOTION | RL_STATE_CHARSEARCH) && rl_get_keymap() != vi_movement_keymap);
}

const char *
chatinput_prompt(void)
{
	return rl_display_prompt ? rl_display_prompt : "";
}

const char *
chatinput_text(void)
{
	return rl_line_buffer ? rl_line_buffer : "";
}

size_t
chatinput_point(void)
{
	return rl_point > 0 ? (size_t)rl_point : 0;
}

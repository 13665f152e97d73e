#include "config.h"

#include "cmd/cmd.h"
#include "llm/llm.h"
#include "pipeline/chat.h"
#include "pipeline/chat_history.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>

/* chat RUN: the strategy chat on a GNU readline prompt (the callback
 * interface, so that replies stream on the loop while the prompt waits);
 * Ctrl-C cancels a reply, Ctrl-D ends. */

#define CHAT_PROMPT "you> "

typedef struct chat_ui {
	loop *l;
	chat *c;
	char *history;              /* WORKSPACE/chat_history */
	termsafe_stream safe;
	strbuf out;
	int eof;                    /* stdin ended: quit once the reply is in */
	int ended_nl;
} chat_ui;

/* readline's line handler has no argument. */
static chat_ui *chat_the_ui;

static void chat_line(char *line);

static void
chat_prompt_on(chat_ui *u)
{
	rl_callback_handler_install(CHAT_PROMPT, chat_line);
	loop_fd_set_events(u->l, STDIN_FILENO, POLLIN);
}

static void
chat_prompt_off(chat_ui *u)
{
	rl_callback_handler_remove();
	loop_fd_set_events(u->l, STDIN_FILENO, 0);
}

static void
chat_text(void *arg, const char *text, size_t len)
{
	chat_ui *u = arg;

	strbuf_reset(&u->out);
	termsafe_stream_feed(&u->safe, text, len, &u->out);
	fwrite(strbuf_str(&u->out), 1, u->out.len, stdout);
	if (u->out.len)
		u->ended_nl = u->out.buf[u->out.len - 1] == '\n';
	fflush(stdout);
}

static void
chat_notice(void *arg, const char *msg)
{
	(void)arg;
	termsafe_error("%s", msg);
}

static void
chat_end_reply(chat_ui *u)
{
	strbuf_reset(&u->out);
	termsafe_stream_end(&u->safe, &u->out);
	fwrite(strbuf_str(&u->out), 1, u->out.len, stdout);
	if (!u->ended_nl)
		putchar('\n');
	fflush(stdout);
	termsafe_stream_init(&u->safe, TERMSAFE_TEXT);
	u->ended_nl = 1;
}

static void
chat_done(void *arg, int ok, const char *msg, const char *decisions, const chat_usage *used)
{
	chat_ui *u = arg;

	(void)used;
	chat_end_reply(u);
	if (!ok)
		termsafe_error("%s", msg);
	if (decisions && strcmp(decisions, "updated") == 0)
		termsafe_error("decisions updated: input/decisions.json (CODE is stale until it runs again)");
	else if (decisions && strcmp(decisions, "unchanged") != 0)
		termsafe_error("decisions %s", decisions);
	if (u->eof)
		loop_quit(u->l, 0);
	else
		chat_prompt_on(u);
}

static void
chat_line(char *line)
{
	chat_ui *u = chat_the_ui;
	chat_callbacks cb = { chat_text, chat_notice, chat_done, u };
	ak_err e;

	if (!line) {
		/* Ctrl-D, or the end of a script. */
		chat_prompt_off(u);
		putchar('\n');
		loop_quit(u->l, 0);
		return;
	}
	if (!*line) {
		free(line);
		return;
	}
	chat_history_add(u->history, line);
	chat_prompt_off(u);
	if (chat_say(u->c, line, &cb, &e) < 0) {
		termsafe_error("%s", e.msg);
		chat_prompt_on(u);
	}
	free(line);
}

/* readline reads the byte itself (and calls chat_line on a whole line). */
static void
chat_stdin(loop *l, int fd, short revents, void *arg)
{
	(void)l;
	(void)fd;
	(void)arg;
	if (revents & (POLLIN | POLLHUP))
		rl_callback_read_char();
}

/* Ctrl-C: the reply stops, the program does not; at the prompt, the line
 * is dropped. */
static void
chat_sigint(loop *l, int signo, void *arg)
{
	chat_ui *u = arg;

	(void)l;
	(void)signo;
	if (chat_busy(u->c)) {
		chat_cancel(u->c);
		chat_end_reply(u);
		termsafe_error("cancelled");
		chat_prompt_on(u);
		return;
	}
	rl_free_line_state();
	rl_crlf();
	rl_replace_line("", 0);
	rl_on_new_line();
	rl_redisplay();
}

static void
chat_sigterm(loop *l, int signo, void *arg)
{
	(void)signo;
	(void)arg;
	loop_quit(l, CMD_EXIT_CANCELLED);
}

/* The provider: the flags, else the run's (pipeline/chat.h). */
static int
chat_provider(const store_run *r, const llm_choice *want, llm_config *cfg, int *code)
{
	ak_err e = { 0 };

	if (chat_config(r->dir, want, cfg, &e) < 0) {
		*code = cmd_fail(&e, CMD_EXIT_AUTH);
		return -1;
	}
	if (cfg->warning)
		termsafe_error("warning: %s", cfg->warning);
	return 0;
}

static int
chat_run(chat_ui *u)
{
	int code;

	rl_readline_name = "autokaggle";
	/* Signals are the loop's: readline must not take SIGINT over. */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 1;
	chat_history_load(u->history);
	chat_the_ui = u;
	loop_fd_add(u->l, STDIN_FILENO, POLLIN, chat_stdin, u);
	loop_signal_watch(u->l, SIGINT, chat_sigint, u);
	loop_signal_watch(u->l, SIGTERM, chat_sigterm, u);
	chat_prompt_on(u);
	code = loop_run(u->l);
	if (chat_busy(u->c))
		chat_cancel(u->c);
	rl_callback_handler_remove();
	loop_fd_remove(u->l, STDIN_FILENO);
	chat_history_clear();
	chat_the_ui = NULL;
	return code;
}

static int
chat_main(cmd_ctx *c, int argc, char **argv)
{
	llm_choice want = { 0 };
	const char *which = NULL;
	chat_ui u = { 0 };
	llm_config cfg;
	store_run r;
	store *db;
	http *h = NULL;
	ak_err e = { 0 };
	int i, code, found;

	for (i = 1; i < argc; i++) {
		const char **dst = strcmp(argv[i], "--provider") == 0 ? &want.provider
			: strcmp(argv[i], "--model") == 0 ? &want.model
			: strcmp(argv[i], "--base-url") == 0 ? &want.base_url : NULL;
		if (dst && i + 1 < argc)
			*dst = argv[++i];
		else if (dst || argv[i][0] == '-' || which)
			return cmd_usage_error("chat", "%s '%s'", dst ? "a value is missing after" : argv[i][0] == '-' ? "unknown option" : "unexpected argument", argv[i]);
		else
			which = argv[i];
	}
	if (!which)
		return cmd_usage_error("chat", "give the run: autokaggle chat RUN");
	db = cmd_open_store(c, STORE_WRITE);
	if (!db)
		return CMD_EXIT_WORKSPACE;
	code = cmd_find_run(db, which, &r);
	found = code == CMD_EXIT_OK;
	if (code == CMD_EXIT_OK && (code = cmd_require_run_dir(&r)) == CMD_EXIT_OK &&
	    chat_provider(&r, &want, &cfg, &code) == 0) {
		u.l = loop_new();
		h = u.l ? http_new(u.l, &e) : NULL;
		u.c = h ? chat_open(db, r.id, r.dir, &cfg, u.l, h, &e) : NULL;
		if (!u.c) {
			code = cmd_fail(&e, CMD_EXIT_FAILED);
		} else {
			u.history = fs_join(c->workspace, CHAT_HISTORY_FILE);
			u.ended_nl = 1;
			termsafe_stream_init(&u.safe, TERMSAFE_TEXT);
			printf("strategy chat of run %s with %s %s; Ctrl-C stops a reply, Ctrl-D ends\n", r.id,
				llm_provider_name(cfg.provider), cfg.model);
			fflush(stdout);
			code = chat_run(&u);
		}
		chat_free(u.c);
		http_free(h);
		if (u.l)
			loop_free(u.l);
		llm_config_clean(&cfg);
		free(u.history);
		strbuf_free(&u.out);
	}
	if (found)
		store_run_free(&r);
	store_close(db);
	return code;
}

const cmd cmd_chat = {
	"chat", chat_main, CMD_WS_EXISTS, "chat RUN [--provider P] [--model M] [--base-url URL]",
	"Talk strategy with the LLM; the decisions become an input of CODE.",
	"A line-oriented prompt (GNU readline: your ~/.inputrc applies, under the name\n"
	"autokaggle; history in the workspace's chat_history). The assistant knows the\n"
	"competition, the data profile's summary, input/overview.md and the run's\n"
	"constraints; replies stream as they arrive. Ctrl-C stops a reply (not the\n"
	"program; what arrived is kept, marked (interrupted)), Ctrl-D ends. The\n"
	"workbench's chat pane is the same chat. Messages are kept in the database and\n"
	"in input/chat_transcript.md. After each exchange the model states the decisions\n"
	"(features, model family, validation scheme, constraints, what you fixed) as\n"
	"JSON, written to input/decisions.json: a change makes CODE stale, and the next\n"
	"rerun writes the code with them. The provider is the run's (--provider,\n"
	"--model, --base-url override it). Lines may also come from a pipe.\n",
};

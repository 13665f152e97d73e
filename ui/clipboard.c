#include "config.h"

#include "ui/clipboard.h"
#include "util/fs.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Larger copies go to the file: terminals cap OSC 52 (xterm at ~100 KB). */
#define CLIPBOARD_OSC52_MAX 74994

/* Runs argv (looked up in PATH) with text on its stdin; 0 when it exited
 * 0 (a missing tool exits 127). */
static int
clipboard_pipe_to(const char *const *argv, const char *text, size_t len)
{
	int fds[2], status = -1;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fds[0], STDIN_FILENO);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		close(fds[0]);
		close(fds[1]);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[0]);
	while (pid > 0 && len > 0) {
		ssize_t n = write(fds[1], text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text += n;
		len -= (size_t)n;
	}
	close(fds[1]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && len == 0 ? 0 : -1;
}

static const char *
clipboard_tool(const char *text, size_t len)
{
	static const char *const wl[] = { "wl-copy", NULL };
	static const char *const xclip[] = { "xclip", "-selection", "clipboard", NULL };
	static const char *const xsel[] = { "xsel", "--clipboard", "--input", NULL };
	const char *wayland = getenv("WAYLAND_DISPLAY"), *x = getenv("DISPLAY");

	if (wayland && *wayland && clipboard_pipe_to(wl, text, len) == 0)
		return "wl-copy";
	if (x && *x && clipboard_pipe_to(xclip, text, len) == 0)
		return "xclip";
	if (x && *x && clipboard_pipe_to(xsel, text, len) == 0)
		return "xsel";
	return NULL;
}

static void
clipboard_base64(const char *in, size_t len, strbuf *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)in;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		strbuf_addch(out, b64[s[i] >> 2]);
		strbuf_addch(out, b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		strbuf_addch(out, b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		strbuf_addch(out, b64[s[i + 2] & 63]);
	}
	if (i < len) {
		strbuf_addch(out, b64[s[i] >> 2]);
		strbuf_addch(out, b64[((s[i] & 3) << 4) | (i + 1 < len ? s[i + 1] >> 4 : 0)]);
		strbuf_addch(out, i + 1 < len ? b64[(s[i + 1] & 15) << 2] : '=');
		strbuf_addch(out, '=');
	}
}

/* OSC 52 to the terminal: passed through tmux (every ESC doubled inside
 * its DCS) and screen (a DCS of its own). */
static void
clipboard_osc52(const char *text, size_t len)
{
	const char *tmux = getenv("TMUX"), *sty = getenv("STY"), *p;
	strbuf seq = { 0 }, out = { 0 };

	strbuf_addstr(&seq, "\033]52;c;");
	clipboard_base64(text, len, &seq);
	strbuf_addstr(&seq, "\a");
	if (tmux && *tmux) {
		strbuf_addstr(&out, "\033Ptmux;");
		for (p = strbuf_str(&seq); *p; p++) {
			if (*p == '\033')
				strbuf_addch(&out, '\033');
			strbuf_addch(&out, *p);
		}
		strbuf_addstr(&out, "\033\\");
	} else if (sty && *sty) {
		strbuf_addstr(&out, "\033P");
		strbuf_addstr(&out, strbuf_str(&seq));
		strbuf_addstr(&out, "\033\\");
	} else {
		strbuf_addstr(&out, strbuf_str(&seq));
	}
	fwrite(out.buf, 1, out.len, stdout);
	fflush(stdout);
	strbuf_free(&seq);
	strbuf_free(&out);
}

int
clipboard_copy(const char *text, size_t len, int terminal, const char *fallback, char *used, size_t usedsz)
{
	static const char *const tmux[] = { "tmux", "load-buffer", "-w", "-", NULL };
	const char *tool = clipboard_tool(text, len), *in_tmux = getenv("TMUX");
	ak_err e;

	if (tool) {
		snprintf(used, usedsz, "%s", tool);
		return 0;
	}
	if (in_tmux && *in_tmux && clipboard_pipe_to(tmux, text, len) == 0) {
		snprintf(used, usedsz, "tmux's buffer");
		return 0;
	}
	if (terminal && len <= CLIPBOARD_OSC52_MAX) {
		clipboard_osc52(text, len);
		snprintf(used, usedsz, "the terminal (OSC 52)");
		return 0;
	}
	if (fs_write_atomic(fallback, text, len, 0600, &e) < 0) {
		snprintf(used, usedsz, "%s", e.msg);
		return -1;
	}
	snprintf(used, usedsz, "%s", fallback);
	return 0;
}

#include "config.h"

#include "ui/screen.h"
#include "util/strbuf.h"

#include <curses.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static SCREEN *screen_sp;
static FILE *screen_null_out, *screen_null_in;
static struct termios screen_saved;
static int screen_have_saved, screen_headless;

/* What leaves every mode we set: alternate screen off, cursor shown,
 * mouse and bracketed paste off, attributes reset. */
static const char screen_reset_seq[] = "\033[?1000l\033[?1006l\033[?2004l\033[?25h\033[0m\033[?1049l";

/* A crash must not leave the user's terminal in raw mode on the
 * alternate screen: only async-signal-safe calls here. */
static void
screen_crash(int sig)
{
	if (!screen_headless) {
		if (write(STDOUT_FILENO, screen_reset_seq, sizeof(screen_reset_seq) - 1) < 0) {
			/* nothing more can be done */
		}
		if (screen_have_saved)
			tcsetattr(STDIN_FILENO, TCSANOW, &screen_saved);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
screen_crash_handlers(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], screen_crash);
}

/* Whether terminfo has name, looked up where ncurses looks: asking
 * newterm about an unknown name leaks inside ncurses. */
static int
screen_term_known(const char *name)
{
	const char *dirs[] = { getenv("TERMINFO"), NULL, "/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo" };
	char path[4096], home[2048];
	size_t i;

	if (!name || !*name || strchr(name, '/') || strcmp(name, "dumb") == 0)
		return 0;
	if (getenv("HOME")) {
		snprintf(home, sizeof(home), "%s/.terminfo", getenv("HOME"));
		dirs[1] = home;
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/%c/%s", dirs[i], name[0], name);
		if (access(path, R_OK) == 0)
			return 1;
		snprintf(path, sizeof(path), "%s/%02x/%s", dirs[i], (unsigned char)name[0], name);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

static SCREEN *
screen_new(FILE *out, FILE *in)
{
	static const char *const fallbacks[] = { "xterm-256color", "vt100" };
	const char *term = getenv("TERM");
	SCREEN *sp = NULL;
	size_t i;

	if (screen_term_known(term))
		sp = newterm(term, out, in);
	for (i = 0; !sp && i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		if (screen_term_known(fallbacks[i]))
			sp = newterm(fallbacks[i], out, in);
	return sp;
}

/* Bracketed paste: the terminal marks pasted text (input.c takes it as
 * one paste, never as keys). readline would turn it on in its terminal
 * preparation, which the chat's input does not use. */
static void
screen_paste(int on)
{
	if (screen_headless || !screen_sp)
		return;
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

static void
screen_headless_size(void)
{
	const char *size = getenv("AUTOKAGGLE_TUI_SIZE");
	int cols = 80, rows = 24;

	if (size && sscanf(size, "%dx%d", &cols, &rows) == 2 && cols > 0 && rows > 0)
		resizeterm(rows, cols);
	else
		resizeterm(24, 80);
}

int
screen_open(int headless)
{
	screen_headless = headless;
	if (headless) {
		/* Sizes come from AUTOKAGGLE_TUI_SIZE, never from the caller's terminal. */
		use_env(FALSE);
		screen_null_out = fopen("/dev/null", "w");
		screen_null_in = fopen("/dev/null", "r");
		if (!screen_null_out || !screen_null_in)
			return -1;
		screen_sp = screen_new(screen_null_out, screen_null_in);
	} else {
		screen_have_saved = tcgetattr(STDIN_FILENO, &screen_saved) == 0;
		screen_sp = screen_new(stdout, stdin);
	}
	if (!screen_sp)
		return -1;
	screen_crash_handlers();
	raw();
	noecho();
	nonl();
	curs_set(0);
	if (headless)
		screen_headless_size();
	screen_paste(1);
	/* Keys are read from the raw fd by the input choke point, never by
	 * curses: no typeahead checks on it either. */
	typeahead(-1);
	return 0;
}

void
screen_close(void)
{
	if (!screen_sp)
		return;
	endwin();
	if (!screen_headless) {
		fputs(screen_reset_seq + 0, stdout);
		fflush(stdout);
		if (screen_have_saved)
			tcsetattr(STDIN_FILENO, TCSANOW, &screen_saved);
	}
	delscreen(screen_sp);
	screen_sp = NULL;
	if (screen_null_out)
		fclose(screen_null_out);
	if (screen_null_in)
		fclose(screen_null_in);
	screen_null_out = screen_null_in = NULL;
}

void
screen_suspend(void)
{
	screen_paste(0);
	def_prog_mode();
	endwin();
}

void
screen_resume(void)
{
	reset_prog_mode();
	curs_set(0);
	clearok(curscr, TRUE);
	screen_paste(1);
}

void
screen_mouse(int on)
{
	if (screen_headless || !screen_sp)
		return;
	fputs(on ? "\033[?1000h\033[?1006h" : "\033[?1006l\033[?1000l", stdout);
	fflush(stdout);
}

void
screen_resized(void)
{
	struct winsize ws;

	if (screen_headless || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0)
		return;
	resizeterm(ws.ws_row, ws.ws_col);
	/* Frames drawn for the old size may have reached the new one (a
	 * storm of resizes, heavy output): the terminal may have scrolled, so
	 * what it shows is unknown and the next frame repaints it whole. */
	clearok(curscr, TRUE);
}

/* One row of what was last drawn, as UTF-8, trailing blanks trimmed. */
static void
screen_row(int y, strbuf *out)
{
	wchar_t row[1024];
	char mb[MB_LEN_MAX];
	mbstate_t st;
	int n, i;
	size_t k, len;

	n = mvwinnwstr(curscr, y, 0, row, COLS < 1023 ? COLS : 1023);
	if (n < 0)
		n = 0;
	row[n] = L'\0';
	while (n > 0 && row[n - 1] == L' ')
		row[--n] = L'\0';
	memset(&st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		len = wcrtomb(mb, row[i], &st);
		if (len == (size_t)-1)
			strbuf_addch(out, '?');
		else
			for (k = 0; k < len; k++)
				strbuf_addch(out, mb[k]);
	}
	strbuf_addch(out, '\n');
}

static char *
screen_text(void)
{
	strbuf sb = { 0 };
	int y;

	for (y = 0; y < LINES; y++)
		screen_row(y, &sb);
	return strbuf_detach(&sb);
}

int
screen_dump(const char *path)
{
	FILE *f = fopen(path, "w");
	int rc = -1;

	if (f) {
		screen_write(f);
		rc = fclose(f) == 0 ? 0 : -1;
	}
	return rc;
}

void
screen_write(FILE *f)
{
	char *text = screen_text();

	fputs(text, f);
	fflush(f);
	free(text);
}

int
screen_has(const char *text)
{
	char *all = screen_text(), *line, *save = NULL;
	int found = 0;

	for (line = strtok_r(all, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
		found = strstr(line, text) != NULL;
	free(all);
	return found;
}

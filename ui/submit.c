#include "config.h"

#include "pipeline/rundir.h"
#include "pipeline/submit_gate.h"
#include "ui/chrome.h"
#include "ui/draw.h"
#include "ui/keys.h"
#include "ui/submit.h"
#include "ui/theme.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SUBMIT_POPUP_ROWS 16

typedef enum submit_phase {
	SUBMIT_CHECKING, /* the --check child runs */
	SUBMIT_ASK,      /* its checks passed: y or n */
	SUBMIT_REFUSED,  /* a check failed: the popup says which */
	SUBMIT_SENDING,  /* the submitting child runs; the popup is gone */
	SUBMIT_STOPPING, /* the checks were stopped: the job ends with them */
} submit_phase;

struct submit_job {
	app *a;
	submit_phase phase;
	char *run_id;
	char *file;          /* shown in the popup */
	double cv;
	pid_t pid;
	int fd;              /* the child's stdout and stderr */
	int status, exited, eof;
	strbuf out;          /* what it printed */
	size_t shown;        /* how much of out the status line has seen */
};

static void
submit_free(submit_job *j)
{
	if (!j)
		return;
	if (j->fd >= 0) {
		loop_fd_remove(j->a->l, j->fd);
		close(j->fd);
	}
	strbuf_free(&j->out);
	free(j->run_id);
	free(j->file);
	free(j);
}

/* The last line of the output that starts with prefix ("" any), into buf. */
static int
submit_last_line(const submit_job *j, const char *prefix, char *buf, size_t n)
{
	const char *s = strbuf_str(&j->out), *line, *end, *found = NULL;
	size_t len = 0;

	for (line = s; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (end > line && strncmp(line, prefix, strlen(prefix)) == 0) {
			found = line;
			len = (size_t)(end - line);
		}
	}
	if (!found)
		return 0;
	snprintf(buf, n, "%.*s", (int)len, found);
	return 1;
}

/* The run's panes show the new submission (count, public score). */
static void
submit_reload(app *a, const char *run_id)
{
	int i;

	if (!a->rv || strcmp(a->rv->run.id, run_id) != 0)
		return;
	runview_reload(a->rv);
	for (i = 0; i < APP_NPANES; i++)
		a->panes[i].ops->reload(&a->panes[i]);
}

static void
submit_finished(submit_job *j)
{
	app *a = j->a;
	char line[512];
	int ok = j->status == 0;

	if (j->phase == SUBMIT_CHECKING) {
		j->phase = ok ? SUBMIT_ASK : SUBMIT_REFUSED;
		app_dirty(a);
		return;
	}
	if (j->phase == SUBMIT_STOPPING)
		;
	else if (!ok && submit_last_line(j, "autokaggle: ", line, sizeof(line)))
		app_status(a, 1, "not submitted: %s", line + 12);
	else if (!ok)
		app_status(a, 1, "autokaggle submit failed (exit %d)", j->status);
	else if (submit_last_line(j, "public score: ", line, sizeof(line)) || submit_last_line(j, "", line, sizeof(line)))
		app_status(a, 0, "submitted: %s", line);
	submit_reload(a, j->run_id);
	a->submit = NULL;
	submit_free(j);
}

/* While it submits, each line it prints is the status line's. */
static void
submit_progress(submit_job *j)
{
	const char *s = strbuf_str(&j->out), *nl;
	char line[512];

	while ((nl = strchr(s + j->shown, '\n')) != NULL) {
		snprintf(line, sizeof(line), "%.*s", (int)(nl - s - j->shown), s + j->shown);
		j->shown = (size_t)(nl - s) + 1;
		if (line[0])
			app_status(j->a, 0, "%s", strncmp(line, "autokaggle: ", 12) == 0 ? line + 12 : line);
	}
}

static void
submit_readable(loop *l, int fd, short revents, void *arg)
{
	submit_job *j = arg;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	(void)revents;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		strbuf_add(&j->out, buf, (size_t)n);
		if (j->phase == SUBMIT_SENDING)
			submit_progress(j);
		app_dirty(j->a);
		return;
	}
	loop_fd_remove(l, fd);
	close(fd);
	j->fd = -1;
	j->eof = 1;
	if (j->exited)
		submit_finished(j);
}

static void
submit_exited(loop *l, pid_t pid, int status, const struct rusage *ru, void *arg)
{
	submit_job *j = arg;

	(void)l;
	(void)pid;
	(void)ru;
	j->exited = 1;
	j->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (j->eof)
		submit_finished(j);
}

/* `autokaggle --workspace WS submit RUN extra...`, its output into a
 * pipe on the loop. -1 with the status set when it cannot start. */
static int
submit_spawn(submit_job *j, const char *extra)
{
	app *a = j->a;
	char *exe = fs_exe_path();
	const char *argv[] = { exe ? exe : "autokaggle", "--workspace", a->ctx->workspace, "submit", j->run_id, extra,
		NULL };
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0 || (j->pid = fork()) < 0) {
		app_status(a, 1, "cannot start autokaggle submit: %s", strerror(errno));
		free(exe);
		return -1;
	}
	if (j->pid == 0) {
		/* Its own session: a lost terminal does not stop a submission, nor
		 * does the workbench quitting and closing the pipe (SIGPIPE). */
		setsid();
		signal(SIGPIPE, SIG_IGN);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(STDIN_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(exe);
	close(p[1]);
	j->fd = p[0];
	j->exited = j->eof = 0;
	strbuf_reset(&j->out);
	j->shown = 0;
	fcntl(j->fd, F_SETFL, fcntl(j->fd, F_GETFL) | O_NONBLOCK);
	loop_fd_add(a->l, j->fd, POLLIN, submit_readable, j);
	loop_child_watch(a->l, j->pid, submit_exited, j);
	return 0;
}

void
submit_start(app *a)
{
	submit_gate g;
	submit_job *j;
	ak_err e = { 0 };

	if (a->submit) {
		app_status(a, 1, a->submit->phase == SUBMIT_STOPPING ? "the checks are stopping: s again in a moment"
								   : "a submission is under way: its result comes on this line");
		return;
	}
	if (submit_gate_load(&g, &a->rv->run, &e) < 0) {
		app_status(a, 1, "%s", e.msg);
		submit_gate_clean(&g);
		return;
	}
	j = xcalloc(1, sizeof(*j));
	j->a = a;
	j->fd = -1;
	j->run_id = xstrdup(a->rv->run.id);
	j->file = xasprintf("%s (run %s)", RUNDIR_SUBMISSION, j->run_id);
	j->cv = g.cv;
	submit_gate_clean(&g);
	if (submit_spawn(j, "--check") < 0) {
		submit_free(j);
		return;
	}
	a->submit = j;
	a->popup = APP_POPUP_SUBMIT;
}

void
submit_popup_key(app *a, int key)
{
	submit_job *j = a->submit;
	int yes = key == 'y' || key == 'Y', no = key == 'n' || key == 'N' || key == KEYS_ESC || key == 'q';

	if (!j) {
		a->popup = APP_POPUP_NONE;
		return;
	}
	if (j->phase == SUBMIT_ASK && yes) {
		a->popup = APP_POPUP_NONE;
		if (submit_spawn(j, "--wait") < 0) {
			a->submit = NULL;
			submit_free(j);
			return;
		}
		j->phase = SUBMIT_SENDING;
		app_status(a, 0, "submitting %s...", j->run_id);
		return;
	}
	if (!no && !(j->phase == SUBMIT_REFUSED && key == KEYS_ENTER))
		return;
	a->popup = APP_POPUP_NONE;
	app_status(a, 0, "not submitted");
	if (j->phase == SUBMIT_CHECKING) {
		/* The checks only ask Kaggle: stopping them costs nothing. */
		kill(-j->pid, SIGTERM);
		j->phase = SUBMIT_STOPPING;
		return;
	}
	a->submit = NULL;
	submit_free(j);
}

void
submit_draw(app *a)
{
	submit_job *j = a->submit;
	const char *s, *line, *end;
	WINDOW *w;
	int y = 1, cols, rows;
	char cv[32];

	if (!j)
		return;
	w = chrome_box(SUBMIT_POPUP_ROWS, 76, "submit to Kaggle?");
	cols = getmaxx(w);
	rows = getmaxy(w);
	snprintf(cv, sizeof(cv), isnan(j->cv) ? "none" : "%.6g", j->cv);
	draw_textf(w, y++, 2, cols - 4, theme_attr(THEME_TEXT), "file  %s", j->file);
	draw_textf(w, y++, 2, cols - 4, theme_attr(THEME_TEXT), "CV    %s", cv);
	s = strbuf_str(&j->out);
	for (line = s; *line && y < rows - 2; line = *end ? end + 1 : end) {
		char buf[512];

		end = line + strcspn(line, "\n");
		snprintf(buf, sizeof(buf), "%.*s", (int)(end - line), line);
		draw_text(w, y++, 2, buf, cols - 4, theme_attr(strstr(buf, "FAIL") == buf + 2 ? THEME_ERROR : THEME_TEXT));
	}
	if (j->phase == SUBMIT_CHECKING)
		draw_text(w, rows - 2, 2, "checking with Kaggle... (Esc stops)", cols - 4, theme_attr(THEME_DIM));
	else if (j->phase == SUBMIT_ASK)
		draw_text(w, rows - 2, 2, "Submit it? (y/n)", cols - 4, theme_attr(THEME_HEADER));
	else
		draw_text(w, rows - 2, 2, "not submitted (Esc closes; autokaggle submit --force overrides)", cols - 4,
			theme_attr(THEME_ERROR));
	wnoutrefresh(w);
	delwin(w);
}

int
submit_sending(const app *a)
{
	return a->submit && a->submit->phase == SUBMIT_SENDING;
}

void
submit_close(app *a)
{
	submit_free(a->submit);
	a->submit = NULL;
}

#include "config.h"

#include "exec/exec.h"
#include "exec/proctree.h"
#include "util/redact.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define EXEC_ESCALATE_MS 3000
#define EXEC_WATCHDOG_MS 250
/* After the leader exits, how long stragglers may keep the output open
 * before they are killed, and then how long before the pipe is dropped. */
#define EXEC_STRAGGLER_MS 1000

/* The output path. A child printing line by line (a write per line)
 * would wake a reader that keeps the pipe empty on every write, and both
 * would spend their time in that ping-pong. So the pipe is enlarged, and
 * once a read has emptied it the reader looks away for EXEC_COALESCE_MS
 * while the child fills it: then one turn of reads, one pass of the
 * redactor and one log write take what many writes put there. That pause
 * (3 ms with the loop's rounding) bounds how late a line reaches the log,
 * and the pipe holds what Python prints in it several times over. A pty
 * (stderr) is read as soon as there is anything, in reads in a row until
 * it is empty: it gives at most 4 KiB a read, and a pause there held up
 * a child writing to it as fast as it can (bench/tui-firehose.sh with
 * stderr: a median of 4.2 s with the pause, 3.7 s without). Without the
 * large pipe, a pause would only block the child too. */
#define EXEC_PIPE_SIZE (1 << 20)
#define EXEC_COALESCE_MS 2
#define EXEC_READ_MAX EXEC_PIPE_SIZE
/* Bytes read per turn at most, so that a child always ahead of us cannot
 * starve the rest of the loop. */
#define EXEC_TURN_MAX (4 * EXEC_READ_MAX)

/* What the child reports through the status pipe when it cannot exec. */
enum exec_stage { EXEC_STAGE_CWD = 1, EXEC_STAGE_EXEC };

struct exec_status_msg {
	int stage;
	int err;
};

enum exec_stop { EXEC_STOP_NONE, EXEC_STOP_CANCEL, EXEC_STOP_TIMEOUT, EXEC_STOP_OOM };

/* One of the child's outputs: a pipe, or a pty's master. Each has its own
 * redactor, so a secret split across two reads of one output is still
 * caught while the other output's bytes come in between. */
typedef struct exec_stream {
	exec_proc *p;
	int fd;
	redact_stream *rs;
	int pty;        /* fd is a pty's master */
	int coalesce;   /* the pipe is EXEC_PIPE_SIZE: pause after emptying it */
	int pause_timer;
} exec_stream;

/* On a pty, stdout is a pipe and stderr the pty (exec_start says why). */
#define EXEC_STREAMS 2

struct exec_proc {
	loop *l;
	pid_t pid;
	int status_fd, log_fd;
	int log_errno;
	exec_stream outs[EXEC_STREAMS];
	int nout;
	char *rbuf;     /* EXEC_READ_MAX bytes read from the pipe */
	strbuf logbuf;  /* redacted output not yet written to the log */
	exec_output_cb out;
	exec_done_cb done;
	void *arg;
	exec_limits lim;
	char *prog;
	double start, end;
	int exited, status;
	struct rusage ru;
	int wall_timer, mem_timer, esc_timer, straggler_timer;
	int esc_stage, straggler_stage;
	enum exec_stop stop;
	unsigned long long peak_rss;
	struct exec_status_msg spawn;
};

/* Everything the child needs, prepared before fork. */
struct exec_prep {
	char **env;
	char **candidates;
	const char *const *argv;
	const char *cwd;
	exec_limits lim;
};

static void
exec_log_write(exec_proc *p, const char *data, size_t len)
{
	while (p->log_fd >= 0 && len > 0) {
		ssize_t n = write(p->log_fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			p->log_errno = n < 0 ? errno : EIO;
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

static void
exec_log_flush(exec_proc *p)
{
	if (!p->logbuf.len)
		return;
	exec_log_write(p, p->logbuf.buf, p->logbuf.len);
	strbuf_reset(&p->logbuf);
}

/* A line of our own in the log, redacted like everything else, after the
 * output before it (an output callback may cancel the child). */
static void
exec_log_note(exec_proc *p, const char *line)
{
	char *red;

	if (p->log_fd < 0)
		return;
	exec_log_flush(p);
	red = redact_string(line);
	exec_log_write(p, "[autokaggle] ", 13);
	exec_log_write(p, red, strlen(red));
	exec_log_write(p, "\n", 1);
	free(red);
}

/* Redacted output: gathered for one log write per read. */
static void
exec_emit(const char *data, size_t len, void *arg)
{
	exec_proc *p = arg;

	if (p->log_fd >= 0)
		strbuf_add(&p->logbuf, data, len);
	if (p->out)
		p->out(data, len, p->arg);
}

/* Candidate paths for argv[0], searched like execvp but in the child's
 * PATH rather than ours. */
static char **
exec_candidates(const char *prog, char **env)
{
	const char *path = "/usr/local/bin:/usr/bin:/bin", *s, *colon;
	size_t n = 0, cap = 0;
	char **c = NULL, **e;

	if (strchr(prog, '/')) {
		c = xcalloc(2, sizeof *c);
		c[0] = xstrdup(prog);
		return c;
	}
	for (e = env; *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	for (s = path;; s = colon + 1) {
		size_t dl;

		colon = strchr(s, ':');
		dl = colon ? (size_t)(colon - s) : strlen(s);
		c = xgrow(c, &cap, n + 2, sizeof *c);
		c[n++] = dl ? xasprintf("%.*s/%s", (int)dl, s, prog) : xasprintf("./%s", prog);
		if (!colon)
			break;
	}
	c[n] = NULL;
	return c;
}

/* Child side, between fork and exec. */
__attribute__((noreturn)) static void
exec_child_report(int fd, int stage, int err)
{
	struct exec_status_msg m = { stage, err };

	if (write(fd, &m, sizeof m) < 0) {
		/* The parent then only sees the exit status. */
	}
	_exit(127);
}

static void
exec_child_say(const char *msg)
{
	if (write(STDOUT_FILENO, msg, strlen(msg)) < 0) {
		/* Nowhere else to say it. */
	}
}

static void
exec_child_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0) {
		/* Unmapped ids only change how owners are shown. */
	}
	close(fd);
}

/* A new network namespace has loopback down; local servers (dask, torch
 * rendezvous) still expect it. */
static void
exec_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* A private network namespace with only loopback, inside a user namespace
 * so that no privilege is needed; our ids are mapped to themselves so file
 * ownership looks the same inside. */
static void
exec_child_isolate_net(void)
{
	char map[64], msg[256];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		snprintf(msg, sizeof msg,
			"[autokaggle] network isolation unavailable (unshare: %s); running with network access\n",
			strerror(errno));
		exec_child_say(msg);
		return;
	}
	exec_child_write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof map, "%u %u 1", (unsigned)uid, (unsigned)uid);
	exec_child_write_file("/proc/self/uid_map", map);
	snprintf(map, sizeof map, "%u %u 1", (unsigned)gid, (unsigned)gid);
	exec_child_write_file("/proc/self/gid_map", map);
	exec_lo_up();
}

static void
exec_child_limits(const exec_limits *lim)
{
	if (lim->mem_bytes && lim->mem_bytes < RLIM_INFINITY / 2) {
		struct rlimit rl;

		/* A backstop against one allocation outrunning the watchdog,
		 * with headroom because RLIMIT_DATA counts reserved but untouched
		 * memory that the RSS budget rightly ignores. */
		if (getrlimit(RLIMIT_DATA, &rl) == 0) {
			rlim_t want = (rlim_t)(lim->mem_bytes * 2);

			if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max)
				rl.rlim_cur = want;
			setrlimit(RLIMIT_DATA, &rl);
		}
	}
	if (lim->nice) {
		errno = 0;
		if (nice(lim->nice) < 0 && errno) {
			/* Running at normal priority is still correct. */
		}
	}
}

static void
exec_child_fds(int out_w, int err_w, int st_w)
{
	int null = open("/dev/null", O_RDONLY);

	if (null >= 0 && null != STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	dup2(out_w, STDOUT_FILENO);
	dup2(err_w, STDERR_FILENO);

	/* Whatever the parent left open without CLOEXEC (a database, sockets)
	 * is none of the child's business. */
	if (st_w > 3)
		close_range(3, (unsigned)st_w - 1, 0);
	close_range((unsigned)st_w + 1, ~0U, 0);
}

__attribute__((noreturn)) static void
exec_child(const struct exec_prep *pp, int out_w, int err_w, int st_w)
{
	struct sigaction sa;
	sigset_t none;
	int sig, saw_eacces = 0, err = ENOENT;
	char **c;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	/* A child whose supervisor died would go on with nobody to record its
	 * outcome, and race a rerun over the same files: it dies too. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	exec_child_fds(out_w, err_w, st_w);
	if (pp->lim.no_network)
		exec_child_isolate_net();
	if (pp->cwd && chdir(pp->cwd) < 0)
		exec_child_report(st_w, EXEC_STAGE_CWD, errno);
	exec_child_limits(&pp->lim);
	for (c = pp->candidates; *c; c++) {
		execve(*c, (char *const *)pp->argv, pp->env);
		err = errno;
		if (err == EACCES)
			saw_eacces = 1;
		else if (err != ENOENT && err != ENOTDIR && err != ELOOP && err != ENAMETOOLONG)
			break;
	}
	/* Like execvp: a permission problem anywhere beats "not found". */
	exec_child_report(st_w, EXEC_STAGE_EXEC, !*c && saw_eacces ? EACCES : err);
}

/* Keeps our pipe ends off 0-2 in case the parent runs with them closed. */
static int
exec_fd_high(int fd)
{
	int h;

	if (fd > STDERR_FILENO)
		return fd;
	h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return h;
}

static void
exec_close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* Both ends of a pipe or pty moved off 0-2; -1 (both closed) when that fails. */
static int
exec_pair_high(int p[2], const char *what, ak_err *e)
{
	p[0] = exec_fd_high(p[0]);
	p[1] = exec_fd_high(p[1]);
	if (p[0] >= 0 && p[1] >= 0)
		return 0;
	exec_close_pair(p);
	return err_sys(e, "cannot open %s for the child", what);
}

/* A pseudo-terminal for the child's stderr: p[0] the master we read,
 * p[1] the child's side. No output processing, so the log gets the
 * child's bytes as a pipe would give them. It is not made the child session's
 * controlling terminal: its hangup (the supervisor gone) would then
 * decide what of the stage lives, which the supervisor's rules do. */
static int
exec_pty(int p[2], const exec_spec *s, ak_err *e)
{
	struct winsize ws = { .ws_row = s->rows > 0 ? (unsigned short)s->rows : EXEC_PTY_ROWS,
		.ws_col = s->cols > 0 ? (unsigned short)s->cols : EXEC_PTY_COLS };
	struct termios t;

	if (openpty(&p[0], &p[1], NULL, NULL, &ws) < 0)
		return err_sys(e, "cannot open a pseudo-terminal for the child");
	if (tcgetattr(p[1], &t) == 0) {
		t.c_oflag &= ~(tcflag_t)OPOST;
		t.c_lflag &= ~(tcflag_t)(ECHO | ICANON | ISIG);
		tcsetattr(p[1], TCSANOW, &t);
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return exec_pair_high(p, "a pseudo-terminal", e);
}

static int
exec_pipe(int p[2], ak_err *e)
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys(e, "cannot create a pipe for the child");
	return exec_pair_high(p, "a pipe", e);
}

static void
exec_proc_free(exec_proc *p)
{
	int i;

	for (i = 0; i < p->nout; i++) {
		if (p->outs[i].fd >= 0)
			close(p->outs[i].fd);
		redact_stream_free(p->outs[i].rs);
	}
	if (p->status_fd >= 0)
		close(p->status_fd);
	if (p->log_fd >= 0)
		close(p->log_fd);
	free(p->rbuf);
	strbuf_free(&p->logbuf);
	free(p->prog);
	free(p);
}

static void
exec_cancel_timer(exec_proc *p, int *id)
{
	if (*id) {
		loop_timer_cancel(p->l, *id);
		*id = 0;
	}
}

static void
exec_close_fd(exec_proc *p, int *fd)
{
	if (*fd >= 0) {
		loop_fd_remove(p->l, *fd);
		close(*fd);
		*fd = -1;
	}
}

/* Signals the child's whole session: its process group and any group
 * a descendant made inside the session. */
static void
exec_signal_all(exec_proc *p, int sig)
{
	if (kill(-p->pid, sig) < 0 && errno == ESRCH && !p->exited)
		kill(p->pid, sig);
	proctree_kill_session(p->pid, sig);
}

static void
exec_reason(exec_proc *p, exec_result *r)
{
	char a[64], b[64];

	if (p->spawn.stage == EXEC_STAGE_CWD) {
		r->spawn_failed = 1;
		snprintf(r->reason, sizeof r->reason, "cannot run %s: cannot enter its directory: %s", p->prog,
			strerror(p->spawn.err));
	} else if (p->spawn.stage == EXEC_STAGE_EXEC) {
		r->spawn_failed = 1;
		snprintf(r->reason, sizeof r->reason, "cannot run %s: %s", p->prog, strerror(p->spawn.err));
	} else if (p->stop == EXEC_STOP_OOM) {
		exec_format_bytes(p->lim.mem_bytes, a, sizeof a);
		exec_format_bytes(p->peak_rss, b, sizeof b);
		snprintf(r->reason, sizeof r->reason, "killed: memory limit %s exceeded (peak %s)", a, b);
	} else if (p->stop == EXEC_STOP_TIMEOUT) {
		exec_format_duration(p->lim.wall_ms, a, sizeof a);
		snprintf(r->reason, sizeof r->reason, "wall-clock budget %s exceeded", a);
	} else if (p->stop == EXEC_STOP_CANCEL) {
		snprintf(r->reason, sizeof r->reason, "cancelled");
	} else if (p->status == -1) {
		snprintf(r->reason, sizeof r->reason, "exit status unknown: the child was reaped elsewhere");
	} else if (r->term_signal == SIGKILL) {
		snprintf(r->reason, sizeof r->reason,
			"killed by signal %d (%s); if nobody sent it, the system probably ran out of memory",
			SIGKILL, strsignal(SIGKILL));
	} else if (r->term_signal) {
		snprintf(r->reason, sizeof r->reason, "killed by signal %d (%s)", r->term_signal,
			strsignal(r->term_signal));
	} else {
		snprintf(r->reason, sizeof r->reason, "exited with status %d", r->exit_code);
	}
}

/* The output is over (end of file, or given up on): what the redactor
 * held back goes to the log too. */
static void
exec_output_close(exec_stream *o)
{
	exec_cancel_timer(o->p, &o->pause_timer);
	if (o->fd < 0)
		return;
	redact_stream_flush(o->rs);
	exec_log_flush(o->p);
	exec_close_fd(o->p, &o->fd);
}

static void
exec_output_close_all(exec_proc *p)
{
	int i;

	for (i = 0; i < p->nout; i++)
		exec_output_close(&p->outs[i]);
}

static void
exec_finish(exec_proc *p)
{
	exec_result r;
	char line[512], mem[64];

	memset(&r, 0, sizeof r);
	if (p->status != -1 && WIFEXITED(p->status)) {
		r.exit_code = WEXITSTATUS(p->status);
	} else {
		r.exit_code = -1;
		if (p->status != -1 && WIFSIGNALED(p->status))
			r.term_signal = WTERMSIG(p->status);
	}
	r.timed_out = p->stop == EXEC_STOP_TIMEOUT;
	r.oom = p->stop == EXEC_STOP_OOM;
	r.cancelled = p->stop == EXEC_STOP_CANCEL;
	r.wall_s = p->end - p->start;
	r.cpu_s = (double)(p->ru.ru_utime.tv_sec + p->ru.ru_stime.tv_sec) +
		(double)(p->ru.ru_utime.tv_usec + p->ru.ru_stime.tv_usec) / 1e6;
	r.maxrss_kb = p->ru.ru_maxrss;
	exec_reason(p, &r);
	if (r.spawn_failed)
		r.exit_code = 127;
	exec_format_bytes((unsigned long long)r.maxrss_kb * 1024, mem, sizeof mem);
	snprintf(line, sizeof line, "%s (wall %.1fs, cpu %.1fs, max rss %s)", r.reason, r.wall_s, r.cpu_s, mem);
	exec_log_note(p, line);
	if (p->log_errno) {
		size_t n = strlen(r.reason);

		snprintf(r.reason + n, sizeof r.reason - n, "; log incomplete: %s", strerror(p->log_errno));
	}
	exec_cancel_timer(p, &p->wall_timer);
	exec_cancel_timer(p, &p->mem_timer);
	exec_cancel_timer(p, &p->esc_timer);
	exec_cancel_timer(p, &p->straggler_timer);
	exec_output_close_all(p);
	exec_close_fd(p, &p->status_fd);
	/* A finished stage leaves nothing behind, even what detached from
	 * its output. */
	exec_signal_all(p, SIGKILL);
	p->done(&r, p->arg);
	exec_proc_free(p);
}

/* 1 while some output of the child is still open. */
static int
exec_output_open(const exec_proc *p)
{
	int i;

	for (i = 0; i < p->nout; i++)
		if (p->outs[i].fd >= 0)
			return 1;
	return 0;
}

static void
exec_maybe_finish(exec_proc *p)
{
	if (p->exited && !exec_output_open(p) && p->status_fd < 0)
		exec_finish(p);
}

static void
exec_output_resume(loop *l, void *arg)
{
	exec_stream *o = arg;

	o->pause_timer = 0;
	loop_fd_set_events(l, o->fd, POLLIN);
}

/* One turn of reads of o: 1 when it was emptied, 0 when the turn's
 * worth was read first, -1 at its end. */
static int
exec_stream_read(exec_stream *o)
{
	exec_proc *p = o->p;
	size_t got = 0;

	while (got < EXEC_TURN_MAX) {
		ssize_t n = read(o->fd, p->rbuf, EXEC_READ_MAX);

		if (n > 0) {
			redact_stream_feed(o->rs, p->rbuf, (size_t)n);
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return -1;
		return 1;
	}
	return 0;
}

/* The pty (stderr) is read at once, the stdout pipe up to a pause late:
 * what stdout holds when stderr speaks was mostly written before it (the
 * last prints before a traceback), so it goes to the log first. */
static void
exec_catch_up_stdout(exec_proc *p)
{
	int i;

	for (i = 0; i < p->nout; i++)
		if (!p->outs[i].pty && p->outs[i].fd >= 0 && exec_stream_read(&p->outs[i]) < 0)
			exec_output_close(&p->outs[i]);
}

static void
exec_on_output(loop *l, int fd, short revents, void *arg)
{
	exec_stream *o = arg;
	exec_proc *p = o->p;
	int r;

	(void)revents;
	if (o->pty)
		exec_catch_up_stdout(p);
	r = exec_stream_read(o);
	if (r < 0) {
		exec_output_close(o);
		exec_maybe_finish(p);
		return;
	}
	/* Emptied: pause while the child fills it again. */
	if (r > 0 && o->coalesce) {
		loop_fd_set_events(l, fd, 0);
		o->pause_timer = loop_timer_add(l, EXEC_COALESCE_MS, 0, exec_output_resume, o);
	}
	exec_log_flush(p);
}

static void
exec_on_status(loop *l, int fd, short revents, void *arg)
{
	exec_proc *p = arg;
	struct exec_status_msg m;
	ssize_t n;

	(void)l;
	(void)revents;
	do
		n = read(fd, &m, sizeof m);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof m)
		p->spawn = m;
	else if (n < 0 && errno == EAGAIN)
		return;
	exec_close_fd(p, &p->status_fd);
	exec_maybe_finish(p);
}

static void
exec_straggler_tick(loop *l, void *arg)
{
	exec_proc *p = arg;

	(void)l;
	p->straggler_timer = 0;
	if (p->straggler_stage++ == 0) {
		exec_signal_all(p, SIGKILL);
		p->straggler_timer = loop_timer_add(p->l, EXEC_STRAGGLER_MS, 0, exec_straggler_tick, p);
		return;
	}
	/* Someone outside the session still holds the pipe: stop listening. */
	exec_output_close_all(p);
	exec_log_note(p, "output pipe still held open by a process outside the child's session; closed it");
	exec_maybe_finish(p);
}

static void
exec_on_exit(loop *l, pid_t pid, int status, const struct rusage *ru, void *arg)
{
	exec_proc *p = arg;

	(void)l;
	(void)pid;
	p->end = loop_now();
	p->exited = 1;
	p->status = status;
	p->ru = *ru;
	exec_cancel_timer(p, &p->wall_timer);
	exec_cancel_timer(p, &p->mem_timer);
	exec_cancel_timer(p, &p->esc_timer);
	if (exec_output_open(p)) {
		/* Escalation already past SIGINT: finish the group off now. */
		if (p->esc_stage > 0 || p->stop == EXEC_STOP_OOM)
			p->straggler_stage = 1;
		if (p->straggler_stage)
			exec_signal_all(p, SIGKILL);
		p->straggler_timer = loop_timer_add(p->l, EXEC_STRAGGLER_MS, 0, exec_straggler_tick, p);
	}
	exec_maybe_finish(p);
}

static void
exec_escalate(loop *l, void *arg)
{
	exec_proc *p = arg;

	(void)l;
	p->esc_timer = 0;
	if (p->esc_stage == 1) {
		exec_signal_all(p, SIGTERM);
		p->esc_stage = 2;
		p->esc_timer = loop_timer_add(p->l, EXEC_ESCALATE_MS, 0, exec_escalate, p);
	} else {
		exec_signal_all(p, SIGKILL);
		p->esc_stage = 3;
	}
}

static void
exec_stop(exec_proc *p, enum exec_stop why)
{
	if (p->stop != EXEC_STOP_NONE)
		return;
	p->stop = why;
	if (p->exited) {
		exec_signal_all(p, SIGKILL);
		return;
	}
	exec_signal_all(p, SIGINT);
	p->esc_stage = 1;
	p->esc_timer = loop_timer_add(p->l, EXEC_ESCALATE_MS, 0, exec_escalate, p);
}

static void
exec_on_wall(loop *l, void *arg)
{
	exec_proc *p = arg;
	char d[64], line[128];

	(void)l;
	p->wall_timer = 0;
	exec_format_duration(p->lim.wall_ms, d, sizeof d);
	snprintf(line, sizeof line, "wall-clock budget %s exceeded: stopping the child", d);
	exec_log_note(p, line);
	exec_stop(p, EXEC_STOP_TIMEOUT);
}

static void
exec_on_watchdog(loop *l, void *arg)
{
	exec_proc *p = arg;
	unsigned long long rss = proctree_session_rss(p->pid);
	char a[64], b[64], line[192];

	(void)l;
	if (rss > p->peak_rss)
		p->peak_rss = rss;
	if (rss <= p->lim.mem_bytes || p->stop == EXEC_STOP_OOM)
		return;
	exec_format_bytes(p->lim.mem_bytes, a, sizeof a);
	exec_format_bytes(rss, b, sizeof b);
	snprintf(line, sizeof line, "memory limit %s exceeded (%s in use): killing the child", a, b);
	exec_log_note(p, line);
	/* Over budget there is no time for a graceful stop. */
	p->stop = EXEC_STOP_OOM;
	exec_cancel_timer(p, &p->esc_timer);
	exec_cancel_timer(p, &p->mem_timer);
	p->esc_stage = 3;
	exec_signal_all(p, SIGKILL);
}

static char **
exec_child_env(const exec_spec *s)
{
	static const char *const thread_vars[] = {
		"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
		"NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
	};
	size_t i, n = 0, k;
	char **extra, **env;

	for (k = 0; s->env_extra && s->env_extra[k]; k++)
		;
	extra = xcalloc(k + 9, sizeof *extra);
	/* Live output needs Python to write as it goes, not at exit: stdout
	 * is always a pipe. */
	extra[n++] = xstrdup("PYTHONUNBUFFERED=1");
	/* What the front end's terminal model understands. */
	if (s->pty)
		extra[n++] = xstrdup("TERM=xterm-256color");
	if (s->limits.threads > 0)
		for (i = 0; i < sizeof thread_vars / sizeof *thread_vars; i++)
			extra[n++] = xasprintf("%s=%d", thread_vars[i], s->limits.threads);
	for (i = 0; i < k; i++)
		extra[n++] = xstrdup(s->env_extra[i]);
	extra[n] = NULL;
	env = exec_env_scrubbed((const char *const *)extra);
	strv_free(extra);
	return env;
}

/* An argument quoted as a shell would need it, control characters shown
 * escaped, so the logged command line stays one readable line. */
static void
exec_log_quote(strbuf *sb, const char *a)
{
	if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+,-") == strlen(a)) {
		strbuf_addstr(sb, a);
		return;
	}
	strbuf_addch(sb, '\'');
	for (; *a; a++) {
		if (*a == '\'')
			strbuf_addstr(sb, "'\\''");
		else if (*a == '\n')
			strbuf_addstr(sb, "\\n");
		else if (*a == '\t')
			strbuf_addstr(sb, "\\t");
		else if ((unsigned char)*a < 0x20)
			strbuf_addf(sb, "\\x%02x", (unsigned char)*a);
		else
			strbuf_addch(sb, *a);
	}
	strbuf_addch(sb, '\'');
}

static void
exec_log_start(exec_proc *p, const exec_spec *s)
{
	strbuf sb = { 0 };
	char when[TIMEFMT_ISO_LEN], d[64];
	size_t i;

	/* UTC like every other stamp of the run's logs. */
	timefmt_iso_utc(time(NULL), when);
	strbuf_addf(&sb, "%s started:", when);
	for (i = 0; s->argv[i]; i++) {
		strbuf_addch(&sb, ' ');
		exec_log_quote(&sb, s->argv[i]);
	}
	if (s->cwd)
		strbuf_addf(&sb, " (in %s)", s->cwd);
	if (s->limits.wall_ms) {
		exec_format_duration(s->limits.wall_ms, d, sizeof d);
		strbuf_addf(&sb, "; wall budget %s", d);
	}
	if (s->limits.mem_bytes) {
		exec_format_bytes(s->limits.mem_bytes, d, sizeof d);
		strbuf_addf(&sb, "; memory limit %s", d);
	}
	if (s->limits.no_network)
		strbuf_addstr(&sb, "; no network");
	exec_log_note(p, strbuf_str(&sb));
	strbuf_free(&sb);
}

static exec_proc *
exec_proc_new(loop *l, const exec_spec *s, exec_output_cb out, exec_done_cb done, void *arg)
{
	exec_proc *p = xcalloc(1, sizeof *p);

	p->l = l;
	p->status_fd = p->log_fd = -1;
	p->out = out;
	p->done = done;
	p->arg = arg;
	p->lim = s->limits;
	p->prog = xstrdup(s->argv[0]);
	p->rbuf = xmalloc(EXEC_READ_MAX);
	return p;
}

/* An output's reading end: non-blocking, and the large pipe when the
 * system grants it (unprivileged users are held to
 * /proc/sys/fs/pipe-max-size and a per-user total). */
static void
exec_output_add(exec_proc *p, int fd, int pty)
{
	exec_stream *o = &p->outs[p->nout++];

	o->p = p;
	o->fd = fd;
	o->pty = pty;
	o->rs = redact_stream_new(exec_emit, p);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	o->coalesce = !pty && fcntl(fd, F_SETPIPE_SZ, EXEC_PIPE_SIZE) >= EXEC_PIPE_SIZE;
}

/* Registers the running child with the loop; on failure the child is
 * killed and reaped here. */
static int
exec_watch(exec_proc *p, ak_err *e)
{
	int i, added = 0;

	while (added < p->nout && loop_fd_add(p->l, p->outs[added].fd, POLLIN, exec_on_output, &p->outs[added]) == 0)
		added++;
	if (added < p->nout || loop_fd_add(p->l, p->status_fd, POLLIN, exec_on_status, p) < 0 ||
		loop_child_watch(p->l, p->pid, exec_on_exit, p) < 0) {
		int saved = errno;

		for (i = 0; i < added; i++)
			loop_fd_remove(p->l, p->outs[i].fd);
		loop_fd_remove(p->l, p->status_fd);
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		errno = saved;
		return err_sys(e, "cannot watch the child %s", p->prog);
	}
	if (p->lim.wall_ms > 0)
		p->wall_timer = loop_timer_add(p->l, p->lim.wall_ms, 0, exec_on_wall, p);
	if (p->lim.mem_bytes > 0)
		p->mem_timer = loop_timer_add(p->l, EXEC_WATCHDOG_MS, 1, exec_on_watchdog, p);
	return 0;
}

/* The child's stdout, stderr (-1 -1: stdout's) and status pipes. A write
 * into a pty costs the writer several times a write into a pipe, in the
 * kernel's tty layer: a print-per-line loop runs about 5x its /dev/null
 * time in any terminal (bench/tui-firehose.sh's plain tmux pane). So
 * stdout, where such loops print, is a pipe (Python
 * unbuffered, so each print still arrives at once), and stderr, where
 * tqdm draws its bars and logging writes, is the pty that progress bars
 * and colour need. */
static int
exec_outputs(const exec_spec *s, int outp[2], int errp[2], int stp[2], ak_err *e)
{
	outp[0] = outp[1] = errp[0] = errp[1] = stp[0] = stp[1] = -1;
	if (exec_pipe(outp, e) < 0 || (s->pty && exec_pty(errp, s, e) < 0) || exec_pipe(stp, e) < 0) {
		exec_close_pair(outp);
		exec_close_pair(errp);
		return -1;
	}
	return 0;
}

exec_proc *
exec_start(loop *l, const exec_spec *s, exec_output_cb out, exec_done_cb done, void *arg, ak_err *e)
{
	struct exec_prep pp;
	int outp[2], errp[2], stp[2];
	exec_proc *p;

	if (!s || !s->argv || !s->argv[0] || !*s->argv[0] || !done) {
		err_set(e, "internal error: nothing to run");
		return NULL;
	}
	p = exec_proc_new(l, s, out, done, arg);
	if (s->log_path) {
		p->log_fd = open(s->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (p->log_fd < 0) {
			err_sys(e, "cannot open the log %s", s->log_path);
			exec_proc_free(p);
			return NULL;
		}
	}
	if (exec_outputs(s, outp, errp, stp, e) < 0) {
		exec_proc_free(p);
		return NULL;
	}
	memset(&pp, 0, sizeof pp);
	pp.env = exec_child_env(s);
	pp.candidates = exec_candidates(s->argv[0], pp.env);
	pp.argv = s->argv;
	pp.cwd = s->cwd;
	pp.lim = s->limits;
	exec_log_start(p, s);
	p->start = loop_now();
	p->pid = fork();
	if (p->pid == 0)
		exec_child(&pp, outp[1], errp[1] >= 0 ? errp[1] : outp[1], stp[1]);
	close(outp[1]);
	if (errp[1] >= 0)
		close(errp[1]);
	close(stp[1]);
	strv_free(pp.env);
	strv_free(pp.candidates);
	exec_output_add(p, outp[0], 0);
	if (errp[0] >= 0)
		exec_output_add(p, errp[0], 1);
	p->status_fd = stp[0];
	if (p->pid < 0) {
		err_sys(e, "cannot start %s", p->prog);
		exec_proc_free(p);
		return NULL;
	}
	if (exec_watch(p, e) < 0) {
		exec_proc_free(p);
		return NULL;
	}
	return p;
}

void
exec_cancel(exec_proc *p)
{
	if (!p || p->stop != EXEC_STOP_NONE)
		return;
	exec_log_note(p, "cancel requested: stopping the child");
	exec_stop(p, EXEC_STOP_CANCEL);
}

void
exec_resize(exec_proc *p, int cols, int rows)
{
	struct winsize now, ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	int i, fd = -1;

	for (i = 0; i < p->nout; i++)
		if (p->outs[i].pty)
			fd = p->outs[i].fd;
	if (fd < 0 || p->exited || cols <= 0 || rows <= 0)
		return;
	if (ioctl(fd, TIOCGWINSZ, &now) == 0 && now.ws_row == ws.ws_row && now.ws_col == ws.ws_col)
		return;
	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		return;
	/* Not yet reaped, the leader keeps its group's id from being reused. */
	kill(-p->pid, SIGWINCH);
}

pid_t
exec_pid(const exec_proc *p)
{
	return p->pid;
}

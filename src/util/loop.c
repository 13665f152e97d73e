#include "config.h"

#include "util/loop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Signal handlers cannot know which loop wants a signal, so every live
 * loop owns a slot: the handler marks the signal pending in each slot and
 * writes one byte to each self-pipe. */
#define LOOP_MAX_LOOPS 8

struct loop_sig_slot {
	volatile sig_atomic_t wfd;
	volatile sig_atomic_t pending[NSIG];
};

static struct loop_sig_slot loop_slots[LOOP_MAX_LOOPS] = {
	[0 ... LOOP_MAX_LOOPS - 1] = { .wfd = -1 },
};
static int loop_sig_refs[NSIG];
static struct sigaction loop_sig_saved[NSIG];

struct loop_fd {
	int fd;
	short events;
	int dead;
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	int id;
	int repeat;
	int dead;
	long ms;
	double deadline;
	unsigned long seq;
	loop_timer_cb cb;
	void *arg;
};

struct loop_child {
	pid_t pid;
	int dead;
	loop_child_cb cb;
	void *arg;
};

struct loop_sigwatch {
	int signo;
	loop_signal_cb cb;
	void *arg;
};

struct loop {
	struct loop_fd *fds;
	size_t nfds, cap_fds;
	struct pollfd *pfds;
	size_t cap_pfds;
	struct loop_timer *timers;
	size_t ntimers, cap_timers;
	struct loop_child *children;
	size_t nchildren, cap_children;
	struct loop_sigwatch *sigs;
	size_t nsigs, cap_sigs;
	int rfd, wfd, slot;
	int next_timer_id;
	unsigned long next_seq;
	int check_children;
	int quit, quit_code;
};

static void
loop_sig_handler(int signo)
{
	int saved = errno, i;

	for (i = 0; i < LOOP_MAX_LOOPS; i++) {
		int fd = loop_slots[i].wfd;

		if (fd < 0)
			continue;
		loop_slots[i].pending[signo] = 1;
		if (write(fd, "", 1) < 0) {
			/* A full pipe already guarantees a wake-up. */
		}
	}
	errno = saved;
}

static int
loop_sig_acquire(int signo)
{
	struct sigaction sa;

	if (loop_sig_refs[signo]++ > 0)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_sig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
	if (sigaction(signo, &sa, &loop_sig_saved[signo]) < 0) {
		loop_sig_refs[signo]--;
		return -1;
	}
	return 0;
}

static void
loop_sig_release(int signo)
{
	if (--loop_sig_refs[signo] == 0)
		sigaction(signo, &loop_sig_saved[signo], NULL);
}

double
loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

loop *
loop_new(void)
{
	int p[2], slot;
	loop *l;

	for (slot = 0; slot < LOOP_MAX_LOOPS; slot++)
		if (loop_slots[slot].wfd < 0)
			break;
	if (slot == LOOP_MAX_LOOPS) {
		errno = EMFILE;
		return NULL;
	}
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return NULL;
	l = xcalloc(1, sizeof *l);
	l->rfd = p[0];
	l->wfd = p[1];
	l->slot = slot;
	memset((void *)loop_slots[slot].pending, 0, sizeof loop_slots[slot].pending);
	loop_slots[slot].wfd = l->wfd;
	if (loop_sig_acquire(SIGCHLD) < 0) {
		loop_slots[slot].wfd = -1;
		close(p[0]);
		close(p[1]);
		free(l);
		return NULL;
	}
	return l;
}

void
loop_free(loop *l)
{
	size_t i;

	if (!l)
		return;
	loop_slots[l->slot].wfd = -1;
	loop_sig_release(SIGCHLD);
	for (i = 0; i < l->nsigs; i++)
		loop_sig_release(l->sigs[i].signo);
	close(l->rfd);
	close(l->wfd);
	free(l->fds);
	free(l->pfds);
	free(l->timers);
	free(l->children);
	free(l->sigs);
	free(l);
}

static struct loop_fd *
loop_fd_find(loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nfds; i++)
		if (!l->fds[i].dead && l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

int
loop_fd_add(loop *l, int fd, short events, loop_fd_cb cb, void *arg)
{
	struct loop_fd *f;

	if (fd < 0 || !cb) {
		errno = EINVAL;
		return -1;
	}
	if (loop_fd_find(l, fd)) {
		errno = EEXIST;
		return -1;
	}
	l->fds = xgrow(l->fds, &l->cap_fds, l->nfds + 1, sizeof *l->fds);
	f = &l->fds[l->nfds++];
	f->fd = fd;
	f->events = events;
	f->dead = 0;
	f->cb = cb;
	f->arg = arg;
	return 0;
}

void
loop_fd_set_events(loop *l, int fd, short events)
{
	struct loop_fd *f = loop_fd_find(l, fd);

	if (f)
		f->events = events;
}

void
loop_fd_remove(loop *l, int fd)
{
	struct loop_fd *f = loop_fd_find(l, fd);

	if (f)
		f->dead = 1;
}

int
loop_timer_add(loop *l, long ms, int repeat, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t;

	if (ms < 0)
		ms = 0;
	/* A zero-interval repeating timer would starve everything else. */
	if (repeat && ms == 0)
		ms = 1;
	l->timers = xgrow(l->timers, &l->cap_timers, l->ntimers + 1, sizeof *l->timers);
	t = &l->timers[l->ntimers++];
	if (l->next_timer_id == 0x7fffffff)
		l->next_timer_id = 0;
	t->id = ++l->next_timer_id;
	t->repeat = repeat;
	t->dead = 0;
	t->ms = ms;
	t->deadline = loop_now() + (double)ms / 1000.0;
	t->seq = l->next_seq++;
	t->cb = cb;
	t->arg = arg;
	return t->id;
}

void
loop_timer_cancel(loop *l, int id)
{
	size_t i;

	for (i = 0; i < l->ntimers; i++)
		if (!l->timers[i].dead && l->timers[i].id == id)
			l->timers[i].dead = 1;
}

int
loop_child_watch(loop *l, pid_t pid, loop_child_cb cb, void *arg)
{
	struct loop_child *c;
	siginfo_t si;

	/* WNOWAIT: only ask whether pid is ours, without reaping it. */
	memset(&si, 0, sizeof si);
	if (pid <= 0 || !cb || waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
		errno = ECHILD;
		return -1;
	}
	l->children = xgrow(l->children, &l->cap_children, l->nchildren + 1, sizeof *l->children);
	c = &l->children[l->nchildren++];
	c->pid = pid;
	c->dead = 0;
	c->cb = cb;
	c->arg = arg;
	/* It may have exited already, its SIGCHLD long consumed. */
	l->check_children = 1;
	return 0;
}

int
loop_signal_watch(loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct loop_sigwatch *w;

	if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP || signo == SIGCHLD || !cb) {
		errno = EINVAL;
		return -1;
	}
	if (loop_sig_acquire(signo) < 0)
		return -1;
	l->sigs = xgrow(l->sigs, &l->cap_sigs, l->nsigs + 1, sizeof *l->sigs);
	w = &l->sigs[l->nsigs++];
	w->signo = signo;
	w->cb = cb;
	w->arg = arg;
	return 0;
}

void
loop_quit(loop *l, int code)
{
	l->quit = 1;
	l->quit_code = code;
}

/* Drops entries removed since the last turn. Only called between
 * dispatches, so indices stay stable while callbacks run. */
static void
loop_compact(loop *l)
{
	size_t i, n;

	for (i = n = 0; i < l->nfds; i++)
		if (!l->fds[i].dead)
			l->fds[n++] = l->fds[i];
	l->nfds = n;
	for (i = n = 0; i < l->ntimers; i++)
		if (!l->timers[i].dead)
			l->timers[n++] = l->timers[i];
	l->ntimers = n;
	for (i = n = 0; i < l->nchildren; i++)
		if (!l->children[i].dead)
			l->children[n++] = l->children[i];
	l->nchildren = n;
}

static int
loop_poll_timeout(loop *l, int timeout_ms)
{
	double next = -1, now;
	long ms;
	size_t i;

	if (l->check_children)
		return 0;
	for (i = 0; i < l->ntimers; i++)
		if (!l->timers[i].dead && (next < 0 || l->timers[i].deadline < next))
			next = l->timers[i].deadline;
	if (next < 0)
		return timeout_ms;
	now = loop_now();
	/* Round up so that a timer is never woken for a moment too early. */
	ms = next <= now ? 0 : (long)((next - now) * 1000.0) + 1;
	if (ms > 0x7fffffff)
		ms = 0x7fffffff;
	if (timeout_ms >= 0 && timeout_ms < ms)
		return timeout_ms;
	return (int)ms;
}

static int
loop_dispatch_signals(loop *l)
{
	volatile sig_atomic_t *pending = loop_slots[l->slot].pending;
	int signo, n = 0;
	size_t i;

	for (signo = 1; signo < NSIG; signo++) {
		if (!pending[signo])
			continue;
		pending[signo] = 0;
		if (signo == SIGCHLD) {
			l->check_children = 1;
			continue;
		}
		for (i = 0; i < l->nsigs; i++) {
			if (l->sigs[i].signo == signo) {
				l->sigs[i].cb(l, signo, l->sigs[i].arg);
				n++;
			}
		}
	}
	return n;
}

static int
loop_dispatch_children(loop *l)
{
	struct rusage ru;
	int status, n = 0;
	size_t i;
	pid_t r;

	l->check_children = 0;
	for (i = 0; i < l->nchildren; i++) {
		struct loop_child c = l->children[i];

		if (c.dead)
			continue;
		memset(&ru, 0, sizeof ru);
		do
			r = wait4(c.pid, &status, WNOHANG, &ru);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			continue;
		if (r < 0) {
			status = -1;
			memset(&ru, 0, sizeof ru);
		}
		/* Marked through the array: the callback may grow (move) it. */
		l->children[i].dead = 1;
		c.cb(l, c.pid, status, &ru, c.arg);
		n++;
	}
	return n;
}

static int
loop_dispatch_fds(loop *l, size_t npoll)
{
	size_t i;
	int n = 0;

	for (i = 0; i < npoll; i++) {
		struct pollfd *p = &l->pfds[i];
		loop_fd_cb cb;
		void *arg;

		if (!p->revents || l->fds[i].dead || l->fds[i].fd != p->fd)
			continue;
		cb = l->fds[i].cb;
		arg = l->fds[i].arg;
		cb(l, p->fd, p->revents, arg);
		n++;
		/* A closed but still registered fd would be reported forever. */
		if (p->revents & POLLNVAL)
			l->fds[i].dead = 1;
	}
	return n;
}

static int
loop_dispatch_timers(loop *l)
{
	unsigned long start_seq = l->next_seq;
	double now = loop_now();
	int n = 0;

	for (;;) {
		struct loop_timer *t = NULL;
		loop_timer_cb cb;
		void *arg;
		size_t i;

		/* Timers added or re-armed during this pass wait for the next. */
		for (i = 0; i < l->ntimers; i++) {
			struct loop_timer *c = &l->timers[i];

			if (c->dead || c->seq >= start_seq || c->deadline > now)
				continue;
			if (!t || c->deadline < t->deadline || (c->deadline == t->deadline && c->seq < t->seq))
				t = c;
		}
		if (!t)
			break;
		cb = t->cb;
		arg = t->arg;
		if (t->repeat) {
			t->deadline += (double)t->ms / 1000.0;
			if (t->deadline <= now)
				t->deadline = now + (double)t->ms / 1000.0;
			t->seq = l->next_seq++;
		} else {
			t->dead = 1;
		}
		cb(l, arg);
		n++;
	}
	return n;
}

static void
loop_drain_pipe(loop *l)
{
	char buf[256];

	while (read(l->rfd, buf, sizeof buf) > 0)
		;
}

int
loop_run_once(loop *l, int timeout_ms)
{
	size_t i, npoll;
	int r, n = 0;

	loop_compact(l);
	npoll = l->nfds;
	l->pfds = xgrow(l->pfds, &l->cap_pfds, npoll + 1, sizeof *l->pfds);
	for (i = 0; i < npoll; i++) {
		l->pfds[i].fd = l->fds[i].events ? l->fds[i].fd : -1;
		l->pfds[i].events = l->fds[i].events;
		l->pfds[i].revents = 0;
	}
	l->pfds[npoll].fd = l->rfd;
	l->pfds[npoll].events = POLLIN;
	l->pfds[npoll].revents = 0;
	r = poll(l->pfds, npoll + 1, loop_poll_timeout(l, timeout_ms));
	if (r < 0 && errno != EINTR)
		return -1;
	if (r < 0) {
		for (i = 0; i <= npoll; i++)
			l->pfds[i].revents = 0;
	}
	if (l->pfds[npoll].revents)
		loop_drain_pipe(l);
	n += loop_dispatch_signals(l);
	if (l->check_children)
		n += loop_dispatch_children(l);
	n += loop_dispatch_fds(l, npoll);
	n += loop_dispatch_timers(l);
	return n;
}

int
loop_run(loop *l)
{
	int code;

	while (!l->quit) {
		if (loop_run_once(l, -1) < 0) {
			l->quit_code = -1;
			break;
		}
	}
	code = l->quit_code;
	l->quit = 0;
	l->quit_code = 0;
	return code;
}

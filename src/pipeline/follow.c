#include "config.h"

#include "pipeline/follow.h"
#include "pipeline/rundir.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A stage log is read in pieces of at most this much per tick, so that a
 * child printing as fast as it can never starves the loop. */
#define FOLLOW_LOG_CHUNK (256 * 1024)

struct follow {
	loop *l;
	store *db;
	char *run_id, *dir;
	long long last_event;
	int notify_fd, timer, locked;
	int replayed;                 /* the logs on disk were passed on once */
	long long log_off[STAGE_COUNT];
	size_t log_window;
	const follow_ops *ops;
	void *arg;
};

static void
follow_events(follow *f)
{
	store_event *ev = NULL;
	size_t n = 0, i;

	if (store_events_since(f->db, f->run_id, f->last_event, 0, &ev, &n, NULL) < 0)
		return;
	for (i = 0; i < n; i++) {
		f->last_event = ev[i].id;
		if (f->ops->event)
			f->ops->event(&ev[i], f->arg);
	}
	store_events_free(ev, n);
}

static void
follow_log(follow *f, int stage)
{
	char *path = rundir_log(f->dir, machine_stage_name(stage)), *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	ssize_t n;

	free(path);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0 && sb.st_size < f->log_off[stage])
		f->log_off[stage] = 0; /* truncated: start again */
	if (fstat(fd, &sb) == 0 && sb.st_size > f->log_off[stage]) {
		size_t skip = 0;
		/* Fallen further behind than the window (a child printing as
		 * fast as it can): only the newest lines can still be shown, so
		 * the reader jumps there, to a line's start, and the child is
		 * not slowed by a front end catching up. */
		int jumped = f->log_window && sb.st_size - f->log_off[stage] > (long long)f->log_window;

		if (jumped)
			f->log_off[stage] = (long long)sb.st_size - (long long)f->log_window;
		buf = xmalloc(FOLLOW_LOG_CHUNK);
		n = pread(fd, buf, FOLLOW_LOG_CHUNK, f->log_off[stage]);
		while (jumped && skip < (size_t)(n > 0 ? n : 0) && buf[skip++] != '\n')
			;
		if (n > 0) {
			f->log_off[stage] += n;
			f->ops->log(stage, buf + skip, (size_t)n - skip, f->arg);
		}
		free(buf);
	}
	close(fd);
}

/* The stages in the order their logs were last written: the first poll
 * replays what is on disk, and a rerun leaves later stages' logs of the
 * pass before, which came before what the running stage writes now. */
static void
follow_log_order(const follow *f, int order[STAGE_COUNT])
{
	double when[STAGE_COUNT];
	struct stat sb;
	int i, j;

	for (i = 0; i < STAGE_COUNT; i++) {
		char *path = rundir_log(f->dir, machine_stage_name(i));
		when[i] = stat(path, &sb) == 0 ? (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9 : 0;
		free(path);
		for (j = i; j > 0 && when[order[j - 1]] > when[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

void
follow_poll(follow *f)
{
	int order[STAGE_COUNT], i, locked;

	follow_events(f);
	if (f->ops->log) {
		for (i = 0; i < STAGE_COUNT; i++)
			order[i] = i;
		if (!f->replayed)
			follow_log_order(f, order);
		f->replayed = 1;
		for (i = 0; i < STAGE_COUNT; i++)
			follow_log(f, order[i]);
	}
	if (f->notify_fd >= 0)
		return;
	locked = rundir_is_locked(f->dir);
	if (f->locked && !locked && f->ops->ended) {
		f->locked = 0;
		follow_events(f);
		f->ops->ended(f->arg);
		return;
	}
	f->locked = locked;
}

static void
follow_tick(loop *l, void *arg)
{
	(void)l;
	follow_poll(arg);
}

static void
follow_notify(loop *l, int fd, short revents, void *arg)
{
	follow *f = arg;
	char buf[64];

	(void)revents;
	if (read(fd, buf, sizeof(buf)) > 0)
		return;
	loop_fd_remove(l, fd);
	f->notify_fd = -1;
	follow_events(f);
	if (f->ops->ended)
		f->ops->ended(f->arg);
}

/* Where a log starts to be passed on: its newest `replay` bytes. */
static long long
follow_log_start(const char *dir, int stage, size_t replay)
{
	char *path = rundir_log(dir, machine_stage_name(stage));
	struct stat sb;
	long long off = 0;

	if (stat(path, &sb) == 0 && sb.st_size > (off_t)replay)
		off = (long long)sb.st_size - (long long)replay;
	free(path);
	return off;
}

follow *
follow_start(loop *l, store *db, const char *run_id, const char *dir, long long after_event, int notify_fd,
	size_t log_replay, long interval_ms, const follow_ops *ops, void *arg)
{
	follow *f = xcalloc(1, sizeof(*f));
	int i;

	f->l = l;
	f->db = db;
	f->run_id = xstrdup(run_id);
	f->dir = xstrdup(dir);
	f->last_event = after_event;
	f->notify_fd = notify_fd;
	f->ops = ops;
	f->arg = arg;
	f->log_window = log_replay;
	f->locked = notify_fd < 0 && rundir_is_locked(dir);
	for (i = 0; i < STAGE_COUNT; i++)
		f->log_off[i] = follow_log_start(dir, i, log_replay);
	if (notify_fd >= 0)
		loop_fd_add(l, notify_fd, POLLIN, follow_notify, f);
	f->timer = loop_timer_add(l, interval_ms, 1, follow_tick, f);
	return f;
}

void
follow_started(follow *f)
{
	f->locked = 1;
}

void
follow_stop(follow *f)
{
	if (!f)
		return;
	if (f->notify_fd >= 0)
		loop_fd_remove(f->l, f->notify_fd);
	loop_timer_cancel(f->l, f->timer);
	free(f->run_id);
	free(f->dir);
	free(f);
}

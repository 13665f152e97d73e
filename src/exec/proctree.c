#include "config.h"

#include "exec/proctree.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
proctree_parse_stat(const char *text, proctree_info *pi)
{
	const char *p = strrchr(text, ')');
	char *end;
	int field;

	if (!p)
		return -1;
	pi->ppid = pi->sid = -1;
	pi->rss_pages = 0;
	pi->start = -1;
	pi->ticks = 0;
	/* Field 3 (state) follows ")"; 4 is the parent, 6 the session, 14-17
	 * the user and system ticks of the process and of its reaped
	 * children, 22 the start time in clock ticks since boot, 24 the RSS. */
	for (field = 3, p++; *p && field <= 24; field++) {
		long long v;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		v = strtoll(p, &end, 10);
		if (field == 4)
			pi->ppid = (pid_t)v;
		else if (field == 6)
			pi->sid = (pid_t)v;
		else if (field >= 14 && field <= 17 && v > 0)
			pi->ticks += (unsigned long long)v;
		else if (field == 22)
			pi->start = v;
		else if (field == 24)
			pi->rss_pages = (long)v;
		while (*p && *p != ' ')
			p++;
	}
	return field > 24 ? 0 : -1;
}

/* Reads root/PID/stat. */
static int
proctree_read_at(const char *root, pid_t pid, proctree_info *pi)
{
	char path[PATH_MAX], buf[1024];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%d/stat", root, (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	pi->pid = pid;
	return proctree_parse_stat(buf, pi);
}

static int
proctree_read(pid_t pid, proctree_info *pi)
{
	return proctree_read_at("/proc", pid, pi);
}

/* Calls visit for each process of root whose session is sid (every
 * process when sid is 0). */
static void
proctree_each_at(const char *root, pid_t sid, void (*visit)(const proctree_info *pi, void *arg), void *arg)
{
	struct dirent *d;
	DIR *dir = opendir(root);

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		proctree_info pi;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		if (proctree_read_at(root, (pid_t)atoi(d->d_name), &pi) == 0 && (sid == 0 || pi.sid == sid))
			visit(&pi, arg);
	}
	closedir(dir);
}

static void
proctree_each(pid_t sid, void (*visit)(const proctree_info *pi, void *arg), void *arg)
{
	proctree_each_at("/proc", sid, visit, arg);
}

static long
proctree_page(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 0 ? page : 4096;
}

static void
proctree_add_usage(const proctree_info *pi, void *arg)
{
	proctree_usage *u = arg;

	if (pi->rss_pages > 0)
		u->rss += (unsigned long long)pi->rss_pages * (unsigned long long)proctree_page();
	u->ticks += pi->ticks;
	u->procs++;
}

void
proctree_session_usage(const char *root, pid_t sid, proctree_usage *u)
{
	memset(u, 0, sizeof(*u));
	if (sid > 1)
		proctree_each_at(root, sid, proctree_add_usage, u);
}

static void
proctree_add_rss(const proctree_info *pi, void *arg)
{
	if (pi->rss_pages > 0)
		*(unsigned long long *)arg += (unsigned long long)pi->rss_pages;
}

unsigned long long
proctree_session_rss(pid_t sid)
{
	unsigned long long pages = 0;

	proctree_each(sid, proctree_add_rss, &pages);
	return pages * (unsigned long long)proctree_page();
}

struct proctree_kill {
	int sig, count;
};

static void
proctree_send(const proctree_info *pi, void *arg)
{
	struct proctree_kill *k = arg;

	if (kill(pi->pid, k->sig) == 0)
		k->count++;
}

int
proctree_kill_session(pid_t sid, int sig)
{
	struct proctree_kill k = { sig, 0 };

	if (sid <= 1)
		return 0;
	proctree_each(sid, proctree_send, &k);
	return k.count;
}

static void
proctree_boot_id(char out[PROCTREE_BOOT_LEN])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, out, PROCTREE_BOOT_LEN - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		n = 0;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

int
proctree_stamp_of(pid_t pid, proctree_stamp *st)
{
	proctree_info pi;

	memset(st, 0, sizeof(*st));
	if (proctree_read(pid, &pi) < 0 || pi.start < 0)
		return -1;
	st->pid = pid;
	st->start = pi.start;
	proctree_boot_id(st->boot);
	return 0;
}

int
proctree_kill_recorded_session(const proctree_stamp *st, int sig)
{
	proctree_stamp now;
	char boot[PROCTREE_BOOT_LEN];

	if (st->pid <= 1)
		return 0;
	proctree_boot_id(boot);
	if (strcmp(boot, st->boot) != 0)
		return 0;
	/* The kernel does not hand out a pid that still names a live
	 * session, so a leader pid that was reused means our session ended
	 * before: what now carries that session id is somebody else's. */
	if (proctree_stamp_of(st->pid, &now) == 0 && now.start != st->start)
		return 0;
	return proctree_kill_session(st->pid, sig);
}

/* The descendants of one process, found by following parents. */
struct proctree_family {
	pid_t root;
	pid_t *pid, *ppid;
	size_t n, cap;
};

static void
proctree_collect(const proctree_info *pi, void *arg)
{
	struct proctree_family *f = arg;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->pid = xrealloc(f->pid, f->cap * sizeof(*f->pid));
		f->ppid = xrealloc(f->ppid, f->cap * sizeof(*f->ppid));
	}
	f->pid[f->n] = pi->pid;
	f->ppid[f->n] = pi->ppid;
	f->n++;
}

static int
proctree_descends(const struct proctree_family *f, size_t i)
{
	size_t hops, k;
	pid_t p = f->ppid[i];

	for (hops = 0; hops < f->n && p > 1; hops++) {
		if (p == f->root)
			return 1;
		for (k = 0; k < f->n && f->pid[k] != p; k++)
			;
		if (k == f->n)
			return 0;
		p = f->ppid[k];
	}
	return 0;
}

int
proctree_kill_descendants(pid_t root, int sig)
{
	struct proctree_family f = { .root = root };
	size_t i;
	int count = 0;

	proctree_each(0, proctree_collect, &f);
	for (i = 0; i < f.n; i++)
		if (f.pid[i] != root && proctree_descends(&f, i) && kill(f.pid[i], sig) == 0)
			count++;
	free(f.pid);
	free(f.ppid);
	return count;
}

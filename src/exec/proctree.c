#include "config.h"

#include "exec/proctree.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proctree_info {
	pid_t pid, sid;
	long rss_pages;
};

/* Parses /proc/PID/stat: fields after the command name, which may itself
 * hold spaces and parentheses, hence the search for the last ')'. */
static int
proctree_read(pid_t pid, struct proctree_info *pi)
{
	char path[64], buf[1024], *p, *end;
	int fd, field;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	pi->pid = pid;
	pi->sid = -1;
	pi->rss_pages = 0;
	/* Field 3 (state) follows ")"; 6 is the session, 24 the RSS. */
	for (field = 3, p++; *p && field <= 24; field++) {
		long v;

		while (*p == ' ')
			p++;
		v = strtol(p, &end, 10);
		if (field == 6)
			pi->sid = (pid_t)v;
		else if (field == 24)
			pi->rss_pages = v;
		while (*p && *p != ' ')
			p++;
	}
	return field > 24 ? 0 : -1;
}

/* Calls visit for each process of session sid. */
static void
proctree_each(pid_t sid, void (*visit)(const struct proctree_info *pi, void *arg), void *arg)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		struct proctree_info pi;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		if (proctree_read((pid_t)atoi(d->d_name), &pi) == 0 && pi.sid == sid)
			visit(&pi, arg);
	}
	closedir(dir);
}

static void
proctree_add_rss(const struct proctree_info *pi, void *arg)
{
	if (pi->rss_pages > 0)
		*(unsigned long long *)arg += (unsigned long long)pi->rss_pages;
}

unsigned long long
proctree_session_rss(pid_t sid)
{
	unsigned long long pages = 0;
	long page = sysconf(_SC_PAGESIZE);

	proctree_each(sid, proctree_add_rss, &pages);
	return pages * (unsigned long long)(page > 0 ? page : 4096);
}

struct proctree_kill {
	int sig, count;
};

static void
proctree_send(const struct proctree_info *pi, void *arg)
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

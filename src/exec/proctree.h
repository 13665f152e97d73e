#ifndef AK_PROCTREE_H
#define AK_PROCTREE_H

#include <sys/types.h>

/* The processes of a child's session, read from /proc. A child started by
 * exec is a session leader, so its session holds all its descendants,
 * including those that moved to a process group of their own. */

/* One process as its /proc/PID/stat says. */
typedef struct proctree_info {
	pid_t pid, ppid, sid;
	long rss_pages;
	long long start;          /* clock ticks since boot */
	unsigned long long ticks; /* user + system, its reaped children's included */
} proctree_info;

/* Parses the text of a /proc/PID/stat (the command name may hold spaces
 * and parentheses) into pi, pid aside; 0, or -1 when it is cut short. */
int proctree_parse_stat(const char *text, proctree_info *pi);

/* What the processes of a session use together. */
typedef struct proctree_usage {
	unsigned long long rss;   /* resident bytes */
	unsigned long long ticks; /* CPU clock ticks so far (sysconf _SC_CLK_TCK a second) */
	int procs;
} proctree_usage;

/* Sums the processes of session sid in the proc tree at root ("/proc";
 * a copy of one in tests). */
void proctree_session_usage(const char *root, pid_t sid, proctree_usage *u);

/* Total resident memory of the processes of session sid, in bytes. */
unsigned long long proctree_session_rss(pid_t sid);

/* Sends sig to every process of session sid; returns how many it reached. */
int proctree_kill_session(pid_t sid, int sig);

/* What identifies a process beyond its pid, which the kernel reuses: its
 * start time (clock ticks since boot) and the boot it belongs to. */
#define PROCTREE_BOOT_LEN 40
typedef struct proctree_stamp {
	pid_t pid;
	long long start;
	char boot[PROCTREE_BOOT_LEN];
} proctree_stamp;

/* Reads the stamp of a live process; -1 when it is gone. */
int proctree_stamp_of(pid_t pid, proctree_stamp *st);
/* Sends sig to what is left of the session a stamped leader started,
 * after whoever watched it died: nothing when the machine rebooted since,
 * or when the leader's pid now belongs to another process. Returns how
 * many processes it reached. */
int proctree_kill_recorded_session(const proctree_stamp *st, int sig);
/* Sends sig to every descendant of root (not root itself), however far
 * down and in whatever session; returns how many it reached. */
int proctree_kill_descendants(pid_t root, int sig);

#endif

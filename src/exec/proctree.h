#ifndef AK_PROCTREE_H
#define AK_PROCTREE_H

#include <sys/types.h>

/* The processes of a child's session, read from /proc. A child started by
 * exec is a session leader, so its session holds all its descendants,
 * including those that moved to a process group of their own. */

/* Total resident memory of the processes of session sid, in bytes. */
unsigned long long proctree_session_rss(pid_t sid);

/* Sends sig to every process of session sid; returns how many it reached. */
int proctree_kill_session(pid_t sid, int sig);

#endif

#ifndef AK_HEADLESS_H
#define AK_HEADLESS_H

#include <stdio.h>
#include <sys/types.h>

#include "store/store.h"

/* The headless front end: plain stage lines on stdout, for scripts, CI and
 * terminals without the TUI. It only observes; the supervisor drives. */

/* Prints the run's events (those after `after`) until the supervisor
 * closes notify_fd, then the summary (dir: the run's directory). Ctrl-C asks the supervisor to cancel
 * the running stage; a second Ctrl-C, SIGHUP or SIGTERM only detach.
 * Returns the exit code: 0 done, 1 failed, 130 cancelled or detached. */
int headless_follow(store *db, const char *run_id, const char *dir, int notify_fd, pid_t supervisor, long long after);

/* One event as a stage line ("[train]     done in 12.3s"). */
void headless_print_event(FILE *out, const store_event *ev);

/* The closing lines: run id, cv score, submission path, or the failure
 * with the tail of the failed stage's log on stderr. Returns the exit code
 * the run's status calls for. */
int headless_print_outcome(store *db, const char *run_id);

#endif

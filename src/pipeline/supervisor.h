#ifndef AK_SUPERVISOR_H
#define AK_SUPERVISOR_H

#include <sys/types.h>

#include "util/err.h"

/* The supervisor is the process that drives a run. It is detached from
 * the terminal and from the command that started it (its own session,
 * reparented to init), so closing the terminal or kill -9 of the CLI never
 * stops training; `status` and a re-opened front end follow it through the
 * store. */

typedef struct supervisor_request {
	const char *workspace;
	const char *run_id;
	const char *rerun_stage;  /* stage name, or NULL */
	int retry_failed;         /* re-try a failed plan stage (rerun without STAGE) */
	int notify_fd;            /* write end the supervisor holds until it exits, or -1 */
	int lock_fd;              /* the run's lock (rundir_lock), taken by the caller, or -1 */
} supervisor_request;

/* Double fork, then exec of this binary as `autokaggle __supervise ...`.
 * The caller takes the run's lock first and passes it in lock_fd, so
 * that of two commands starting the same run exactly one wins, and it
 * knows so before anything starts; the supervisor inherits the lock and
 * holds it until it exits (the caller closes its own descriptor).
 * Returns the supervisor's pid, or -1. */
pid_t supervisor_spawn(const supervisor_request *r, ak_err *e);

/* The body of `autokaggle __supervise`; returns its exit code. */
int supervisor_main(int argc, char **argv);

#endif

#ifndef AK_FOLLOW_H
#define AK_FOLLOW_H

#include <stddef.h>

#include "pipeline/machine.h"
#include "store/store.h"
#include "util/loop.h"

/* Follows a run from outside its supervisor, on the loop: the run's events
 * as the store records them, and the bytes its stages append to their logs.
 * What every front end observes; it never drives the run. */

typedef struct follow follow;

typedef struct follow_ops {
	/* One event, in order (may be NULL). */
	void (*event)(const store_event *ev, void *arg);
	/* Bytes appended to a stage's log, as the supervisor wrote them
	 * (redacted, not made safe for a terminal). NULL: logs are not read. */
	void (*log)(machine_stage_id stage, const char *data, size_t len, void *arg);
	/* The follower fell behind a stage's log by more than its window and
	 * jumped over `bytes` of it, which the next log call follows (may be
	 * NULL). */
	void (*skipped)(machine_stage_id stage, long long bytes, void *arg);
	/* The supervisor is gone: the notify pipe reached EOF or, without one,
	 * the run's lock was released (once per release). May be NULL. */
	void (*ended)(void *arg);
} follow_ops;

/* Starts following run_id (its directory dir) with events after
 * after_event. notify_fd (or -1) is a pipe the supervisor holds open.
 * Each stage log's newest log_replay bytes are passed first (0: only what
 * is appended from now on); later, a log that grew by more than that
 * between two reads is passed from its newest log_replay bytes on (at a
 * line's start), as only the newest lines can still be shown. The
 * follower reads every interval_ms. */
follow *follow_start(loop *l, store *db, const char *run_id, const char *dir, long long after_event,
	int notify_fd, size_t log_replay, long interval_ms, const follow_ops *ops, void *arg);
/* From now on the window a log may grow by between two reads before the
 * follower jumps is window bytes (it starts as log_replay): a front end
 * that shows only the newest lines keeps up with a child printing as
 * fast as it can by reading less of what nobody will see. */
void follow_set_window(follow *f, size_t window);
/* Reads what is new right now (the follower's tick, called by hand). */
void follow_poll(follow *f);
/* The caller just started a supervisor for the run (no notify pipe):
 * its end is reported even when it comes before the next tick. */
void follow_started(follow *f);
/* Stops following; the notify fd is not closed. */
void follow_stop(follow *f);

#endif

#ifndef AK_LOOP_H
#define AK_LOOP_H

#include <sys/resource.h>
#include <sys/types.h>

/* The single-threaded event loop: one poll() per turn over registered fds,
 * a self-pipe woken by signal handlers, and timers whose nearest deadline
 * is the poll timeout. Callbacks never block. Several loops may exist in
 * one process (each gets every signal through its own self-pipe). */
typedef struct loop loop;

typedef void (*loop_fd_cb)(loop *l, int fd, short revents, void *arg);
typedef void (*loop_timer_cb)(loop *l, void *arg);
typedef void (*loop_child_cb)(loop *l, pid_t pid, int status, const struct rusage *ru, void *arg);
typedef void (*loop_signal_cb)(loop *l, int signo, void *arg);

/* Creates a loop and installs the SIGCHLD handler (it only writes to the
 * self-pipe). Returns NULL with errno set when no pipe can be made. */
loop *loop_new(void);
/* Frees the loop; restores signal dispositions no other loop still needs.
 * Watched children are not reaped and registered fds are not closed. */
void loop_free(loop *l);

/* Watches fd for `events` (POLLIN, POLLOUT...). 0, or -1 (errno EEXIST)
 * when fd is already watched. */
int loop_fd_add(loop *l, int fd, short events, loop_fd_cb cb, void *arg);
/* Changes the events of a watched fd; 0 pauses it without removing it. */
void loop_fd_set_events(loop *l, int fd, short events);
/* Stops watching fd; safe from inside any callback, including fd's own:
 * no callback for it runs after this returns. */
void loop_fd_remove(loop *l, int fd);

/* Calls cb after ms milliseconds, then every ms when repeat is set.
 * Timers due at the same time run in the order they were added. Returns
 * an id > 0 for loop_timer_cancel. */
int loop_timer_add(loop *l, long ms, int repeat, loop_timer_cb cb, void *arg);
/* Cancels a timer; safe from inside callbacks, including the timer's own
 * (a repeating timer then stops). Unknown or finished ids are ignored. */
void loop_timer_cancel(loop *l, int id);

/* Calls cb once when child pid exits, with its wait status and the exact
 * rusage from wait4(). Only watched pids are reaped. If the child was
 * reaped by someone else, cb gets status -1 and a zeroed rusage. Returns
 * 0, or -1 (errno ECHILD) when pid is not a child of this process. */
int loop_child_watch(loop *l, pid_t pid, loop_child_cb cb, void *arg);

/* Calls cb in the loop (never in the handler) each time signo arrives.
 * Several deliveries between two turns may be coalesced into one call.
 * Returns 0, or -1 for SIGKILL/SIGSTOP/SIGCHLD or an invalid number. */
int loop_signal_watch(loop *l, int signo, loop_signal_cb cb, void *arg);

/* Runs turns until loop_quit(); returns the code given to it. */
int loop_run(loop *l);
/* Runs one turn, waiting at most timeout_ms for something to happen (-1:
 * until something does). Returns the number of callbacks run, or -1 when
 * poll() fails for a reason other than EINTR. */
int loop_run_once(loop *l, int timeout_ms);
/* Makes loop_run return `code` once the current turn ends. */
void loop_quit(loop *l, int code);

/* Monotonic clock in seconds. */
double loop_now(void);

#endif
